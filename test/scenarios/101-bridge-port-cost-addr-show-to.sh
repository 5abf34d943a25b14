# title: bridge port cost and priority, bridge(8)'s unknown devices, ip addr show to a prefix
# shows: bridge link set takes a cost (above 0, up to 65535) and a priority (up to 63) as atoi reads them, a device that is no port refuses; bridge's unknown devices fail with status 255 (a bridge one named so); ip addr show/flush to a prefix lists only that family, as -4 or -6 would
ip link add br9 type bridge
ip link add p1 type veth peer name p1b
ip link set p1 master br9
bridge link set dev p1 cost 50 priority 10
bridge link show
bridge link set dev p1 cost 0
bridge link set dev p1 priority 64
bridge link set dev p1 cost 70000
bridge link set dev p1 cost x
bridge link set dev p1 priority x
bridge link set dev p1b cost 5
bridge link show
bridge -d link show dev p1
ip -d link show p1
bridge fdb show br nosuch
bridge fdb show brport nosuch
bridge fdb show dev nosuch
bridge link show dev nosuch
bridge link set dev nosuch cost 5
ip link add v0 type veth peer name v1
ip addr add 10.2.0.1/16 dev v1
ip addr add 10.9.0.1/24 dev v0
ip -6 addr add 2001:db8::1/64 dev v0 nodad
ip addr show to 10.2.0.0/16
ip addr show to 10.0.0.0/8
ip addr show to 2001:db8::/32
ip -br addr show to 10.9.0.0/24
ip -j addr show to 10.9.0.5/24
ip addr flush to 10.9.0.0/24
ip addr show dev v0
