# title: A background nc listener that writes what it receives to a file
# shows: a TCP and a UDP listener started with & and redirected, a client in another namespace, the received data in the files
ip netns add a
ip netns add b
ip link add va type veth peer name vb netns b
ip link set va netns a
ip -n a addr add 10.9.0.1/24 dev va
ip -n b addr add 10.9.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
sleep 1
ip netns exec b nc -l -p 7000 > tcp.txt &
ip netns exec b nc -u -l 7001 > udp.txt &
sleep 0.3
echo hello-tcp | ip netns exec a nc -q 1 10.9.0.2 7000
echo hello-udp | ip netns exec a nc -u -w 1 10.9.0.2 7001
sleep 0.3
cat tcp.txt udp.txt
