# title: netcat's port arguments
# shows: port ranges with -z, service names, port numbers out of range, a missing port, a source address that is not ours, names in the success line, names that cannot be resolved
ip netns add s
ip link add c0 type veth peer name s0 netns s
ip addr add 10.0.0.1/24 dev c0
ip -n s addr add 10.0.0.2/24 dev s0
ip link set c0 up
ip -n s link set s0 up
ip -n s link set lo up
sleep 1
ip netns exec s nc -lk 8080 &
sleep 0.2
nc -zv -w 1 10.0.0.2 8079-8081
nc -z 10.0.0.2 8080-8082
nc -zv 10.0.0.2 http
nc -zv 10.0.0.2 ssh
nc -zv 10.0.0.2 http-alt
nc -zv 10.0.0.2 nosuchservice
nc -zv 10.0.0.2 99999
nc -zv 10.0.0.2 0
nc -zv 10.0.0.2
nc -zv -s 10.9.9.9 10.0.0.2 8080
nc -zv -s 10.0.0.1 10.0.0.2 8080
ip netns exec s nc -zv localhost 8080
ip netns exec s nc -zv 127.0.0.1 9999
nc -zv no-such-host.invalid 80
