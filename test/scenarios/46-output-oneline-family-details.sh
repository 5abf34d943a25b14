# title: -o, -4 and -d output modes
# shows: ip -o addr and link (one line per record, backslashes), -4/-6 filters, ip -d link for veth and bridge and a bridge port
ip netns add o
ip link add v0 netns o type veth peer name v1 netns o
ip link add br0 netns o type bridge
ip -n o link set v1 master br0
ip -n o addr add 10.47.0.1/24 dev v0
ip -n o -o addr
ip -n o -o -4 addr
ip -n o -o link
ip -n o -d link show v0
ip -n o -d link show v1
ip -n o -4 route
ip -n o -s link show v0
