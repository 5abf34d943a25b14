# title: ping's source, size and fragmentation options
# shows: -I with a device and with an address (the "from" header, bind errors, a device that is down), payloads too small for a timestamp, -M do against the path MTU, the IP length limit, inet_aton forms and 0, names that cannot be resolved
ip netns add a
ip link add va type veth peer name vb netns a
ip addr add 10.0.0.1/24 dev va
ip -n a addr add 10.0.0.2/24 dev vb
ip link set va up
ip -n a link set vb up
ip netns exec a ping -c 1 -I vb 10.0.0.1
ip netns exec a ping -c 1 -I 10.0.0.2 10.0.0.1
ip netns exec a ping -c 1 -I 10.9.9.9 10.0.0.1
ip netns exec a ping -c 1 -I lo 10.0.0.1
ip netns exec a ping -c 1 -I eth9 10.0.0.1
ip netns exec a ping -c 1 -s 0 10.0.0.1
ip netns exec a ping -c 1 -s 8 10.0.0.1
ip netns exec a ping -c 2 -i 0.2 -s 65508 10.0.0.1
ip -n a link set vb mtu 1400
ip netns exec a ping -c 1 -M do -s 1372 10.0.0.1
ip netns exec a ping -c 2 -i 0.2 -M do -s 1373 10.0.0.1
ip netns exec a ping -c 1 -M maybe 10.0.0.1
ping -c 1 127.1
ping -c 1 0x7f000001
ping -c 1 0
ip netns exec a ping -c 1 0
ping -c 1 localhost
ping -c 1 -q 127.0.0.1
ping -c 1 no-such-host.invalid
ip -n a link set vb down
ip netns exec a ping -c 1 -W 1 -I vb 10.0.0.1
sleep 1
