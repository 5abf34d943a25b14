# title: Longest prefix match
# shows: /8, /16, /24 and /32 routes to nested prefixes; ip route get picks the most specific; ip route show root/match select by containment
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 192.168.100.1/24 dev v0
ip route add 10.0.0.0/8 via 192.168.100.8
ip route add 10.1.0.0/16 via 192.168.100.16
ip route add 10.1.2.0/24 via 192.168.100.24
ip route add 10.1.2.3/32 via 192.168.100.32
ip route get 10.9.9.9
ip route get 10.1.9.9
ip route get 10.1.2.9
ip route get 10.1.2.3
ip route show root 10.1.0.0/16
ip route show match 10.1.2.3
ip route show exact 10.1.0.0/16
ip route show 10.1.2.0/24
ip route get 11.0.0.1
echo "exit=$?"
