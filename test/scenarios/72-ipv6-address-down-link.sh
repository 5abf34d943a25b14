# title: An IPv6 address on a link that is down
# shows: IPv6 addresses are stored and printed; the prefix route comes only when the link is up
ip link add v1 type veth peer name v2
ip -6 addr add 2001:db8::1/64 dev v1 nodad
ip -6 route
ip link set v1 up
ip link set v2 up
ip -6 route
ip -6 addr show dev v1
