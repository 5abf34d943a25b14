# title: TCP listener and connections with nc
# shows: nc -l in the background, nc -z -v connects (succeeded), a refused port (Connection refused), -w timeouts
ip netns add srv
ip netns add cli
ip link add eth0 netns srv type veth peer name eth0 netns cli
ip -n srv addr add 10.200.0.1/24 dev eth0
ip -n cli addr add 10.200.0.2/24 dev eth0
ip -n srv link set eth0 up
ip -n cli link set eth0 up
ip -n srv link set lo up
ip netns exec srv nc -l -k 10.200.0.1 8080 > /dev/null &
sleep 0.5
ip netns exec cli nc -z -v -w 1 10.200.0.1 8080
echo "exit=$?"
ip netns exec cli nc -z -v -w 1 10.200.0.1 8081
echo "exit=$?"
ip netns exec cli nc -z -w 1 10.200.0.1 8080
echo "exit=$?"
ip netns exec srv nc -z -v 127.0.0.1 8080
echo "exit=$?"
kill %1
wait
sleep 1
