# title: A router namespace between two subnets
# shows: forwarding off then on, TTL expiry, traceroute, ip route get from/iif/mark, unreachable and prohibit routes (with ip_error rate limiting), UDP and TCP through the router
# seed: 001 (routing, gateways); 000 (L3 receive path)
ip netns add a
ip netns add r
ip netns add b
ip link add va type veth peer name ra netns r
ip link add vb type veth peer name rb netns r
ip link set va netns a
ip link set vb netns b
ip -n a addr add 10.0.1.2/24 dev va
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb
ip -n b addr add 10.0.2.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n r link set ra up
ip -n r link set rb up
ip -n a route add default via 10.0.1.1
ip -n b route add default via 10.0.2.1
ip netns exec a ping -c 1 -W 1 10.0.2.2
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec a ping -c 1 -W 1 10.0.2.2
ip netns exec a ping -c 1 -W 1 -t 1 10.0.2.2
ip netns exec a traceroute -n 10.0.2.2
ip netns exec a traceroute -n 10.0.9.9 -m 3 -w 1
ip -n r route get 10.0.2.2 from 10.0.1.2 iif ra
ip -n r route get 10.0.1.1 from 10.0.1.2 iif ra
ip -n r route get 10.0.9.9 from 10.0.1.2 iif ra
ip -n a route get 10.0.2.2 mark 5
ip netns exec a ping -c 1 -W 1 10.0.9.9
ip -n r route add unreachable 10.0.9.0/24
ip netns exec a ping -c 1 -W 1 10.0.9.9
ip -n r route add prohibit 10.0.8.0/24
ip netns exec a ping -c 1 -W 1 10.0.8.8
ip netns exec b nc -u -l 9000 &
sleep 0.2
echo hi | ip netns exec a nc -u -w 1 10.0.2.2 9000
ip netns exec a nc -zv 10.0.2.2 22
ip netns exec a nc -zv -w 1 10.0.9.9 22
