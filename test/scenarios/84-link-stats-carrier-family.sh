# title: Carrier changes, operstate of a veth without carrier, and per-family address listings
# shows: ip -s -s link's error lines and transns (veth creation, peer up and down, a bridge's first port), stats64 in JSON, a veth whose peer is elsewhere (DOWN or LOWERLAYERDOWN by the index it names), ip -6 addr's short link lines and ip -4 -s addr keeping statistics
ip link add br0 type bridge
ip link add x type veth peer name y
ip -s -s link show lo
ip -s -s link show x | tail -2
ip -s -s link show br0 | tail -2
ip link set x up
ip -s -s link show x | tail -1
ip link set y up
ip -s -s link show x | tail -1
ip link set br0 up
ip link set x master br0
ip -s -s link show br0 | tail -1
ip link set y down
ip -s -s link show x | tail -1
ip -s -s link show br0 | tail -1
ip -s -s -j link show lo
ip -s -j link show lo
ip netns add a
ip link add va type veth peer name vb netns a
ip link set va up
ip link show va
ip -n a link set vb up
ip -n a link set vb down
ip link show va
ip link add vc type veth peer name vd
ip link set vc up
ip link show vc
ip -6 addr show dev lo
ip -6 -o addr show dev lo
ip addr add 10.0.0.1/24 dev y
ip -4 addr
ip -4 -s addr show dev lo
ip -s addr show dev lo
