# title: traceroute -n across two routers
# shows: one line per hop with the router's address on the incoming side, then the destination; a hop that does not answer shows stars
ip netns add a
ip netns add r1
ip netns add r2
ip netns add b
ip link add eth0 netns a type veth peer name a0 netns r1
ip link add m1 netns r1 type veth peer name m2 netns r2
ip link add b0 netns r2 type veth peer name eth0 netns b
ip -n a addr add 10.10.1.2/24 dev eth0
ip -n r1 addr add 10.10.1.1/24 dev a0
ip -n r1 addr add 10.10.12.1/24 dev m1
ip -n r2 addr add 10.10.12.2/24 dev m2
ip -n r2 addr add 10.10.2.1/24 dev b0
ip -n b addr add 10.10.2.2/24 dev eth0
for ns in a r1 r2 b; do ip -n $ns link set lo up; for d in $(ip -n $ns -br link | cut -d@ -f1 | cut -d' ' -f1 | grep -v lo); do ip -n $ns link set $d up; sleep 1.1; done; done
ip -n a route add default via 10.10.1.1
ip -n b route add default via 10.10.2.1
ip -n r1 route add 10.10.2.0/24 via 10.10.12.2
ip -n r2 route add 10.10.1.0/24 via 10.10.12.1
ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec a traceroute -n -q 1 -w 1 10.10.2.2
ip netns exec a ping -c 1 -W 1 10.10.2.2
