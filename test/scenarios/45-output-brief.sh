# title: Brief output: ip -br link and addr
# shows: the one-line-per-device table with state and MAC or addresses, -br with -4, -br on a filtered device
ip netns add b
ip link add v0 netns b type veth peer name v1 netns b
ip link add br0 netns b type bridge
ip -n b addr add 10.46.0.1/24 dev v0
ip -n b addr add 10.46.0.2/24 dev v0
ip -n b -br link
ip -n b -br addr
ip -n b link set v0 up
ip -n b link set lo up
ip -n b -br link
ip -n b -br -4 addr
ip -n b -br addr show dev v0
ip -n b link set v1 up
ip -n b -br link show v0
ip -n b -br -4 addr show up
