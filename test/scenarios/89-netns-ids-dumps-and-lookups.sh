# title: Which ip commands give a namespace an id for a veth peer's namespace
# shows: every RTM_GETLINK answer allocates: a dump (`ip link`, `ip addr`, `ip -4 addr`, `ip link show up` whose filter is iproute2's own, `ip neigh` which starts with ll_init_map) in ifindex order, and a lookup of one name (`ip link set X down` that changes nothing, `ip addr show dev X`, `ip route show dev X`); a dump the kernel filters by kind (`ip link show type bridge`) skips the veths, `ip -6 addr` asks addrconf (whose messages carry no peer namespace), and `ip route` names only its routes' devices; sysctl and iptables use no rtnetlink
ip netns add n
ip netns add pa
ip netns add pb
ip netns add pc
ip netns add pd
ip -n pa link add eth0 type veth peer name va netns n
ip -n pb link add eth0 type veth peer name vb netns n
ip -n pc link add eth0 type veth peer name vc netns n
ip -n pd link add eth0 type veth peer name vd netns n
ip -n n link add br0 type bridge
ip -n n link show type bridge
ip -n n -6 addr
ip -n n route
ip netns exec n sysctl -qw net.ipv4.conf.vb.forwarding=1
ip netns exec n iptables -A FORWARD -i vb -j ACCEPT
ip -n n netns list-id
ip -n n link set vc down
ip -n n netns list-id
ip -n n addr show dev vd
ip -n n netns list-id
ip -n n link show up
ip -n n netns list-id
ip netns add m
ip netns add qa
ip netns add qb
ip netns add qc
ip -n qa link add eth0 type veth peer name va netns m
ip -n qb link add eth0 type veth peer name vb netns m
ip -n qc link add eth0 type veth peer name vc netns m
ip -n m link set vc up
ip -n m addr add 10.1.0.1/24 dev vc
ip -n m route show dev vc
ip -n m netns list-id
ip -n m neigh show dev vc
ip -n m netns list-id
ip netns add k
ip netns add ra
ip netns add rb
ip -n ra link add eth0 type veth peer name va netns k
ip -n rb link add eth0 type veth peer name vb netns k
ip -n k -4 -br addr
ip -n k netns list-id
