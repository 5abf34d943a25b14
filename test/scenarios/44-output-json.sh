# title: JSON output: ip -j and bridge -j
# shows: ip -j link/addr/route/neigh/rule, -j -p pretty printing, bridge -j fdb and link
ip netns add j
ip link add br0 netns j type bridge
ip link add v0 netns j type veth peer name v1 netns j
ip -n j link set v0 master br0
ip -n j addr add 10.44.0.1/24 dev br0
ip -n j link set br0 up
ip -n j link set v0 up
ip -n j link set v1 up
ip -n j route add 10.45.0.0/16 via 10.44.0.9 metric 10
ip -n j neigh add 10.44.0.9 lladdr 02:00:00:00:44:09 dev br0
ip -n j -j link show v0
ip -n j -j addr show dev br0
ip -n j -j route
ip -n j -j route show table local
ip -n j -j neigh
ip -n j -j rule
ip -n j -j -p route show 10.45.0.0/16
ip -n j -j -4 addr
ip -n j -j link show type veth
bridge -n j -j link
