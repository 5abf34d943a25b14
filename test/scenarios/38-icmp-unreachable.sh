# title: ICMP net and host unreachable from a router
# shows: a router without a route answers Destination Net Unreachable; an unreachable route on the router gives Host Unreachable; a missing neighbour behind the router gives Destination Host Unreachable after ARP fails
ip netns add left
ip netns add router
ip netns add right
ip link add eth0 netns left type veth peer name l0 netns router
ip link add eth0 netns right type veth peer name r0 netns router
ip -n left addr add 10.1.0.2/24 dev eth0
ip -n router addr add 10.1.0.1/24 dev l0
ip -n router addr add 10.2.0.1/24 dev r0
ip -n right addr add 10.2.0.2/24 dev eth0
for ns in left router right; do ip -n $ns link set lo up; done
ip -n left link set eth0 up
ip -n right link set eth0 up
ip -n router link set l0 up
sleep 1.5
ip -n router link set r0 up
ip -n left route add default via 10.1.0.1
ip -n right route add default via 10.2.0.1
ip netns exec router sysctl -qw net.ipv4.ip_forward=1
ip netns exec left ping -c 1 -W 1 172.16.0.1
echo "exit=$?"
ip -n router route add unreachable 172.17.0.0/16
ip netns exec left ping -c 1 -W 1 172.17.0.1
echo "exit=$?"
ip -n router route add prohibit 172.18.0.0/16
ip netns exec left ping -c 1 -W 1 172.18.0.1
echo "exit=$?"
ip netns exec left ping -c 1 -W 4 10.2.0.99
echo "exit=$?"
