# title: Namespaces joined by a Linux bridge with the host on it
# shows: a bridge in the root namespace, veth ends enslaved with master, the bridge address as the host's port, pings between all three
# seed: 001_e748fdd701bc088d.md (Connect Network Namespaces Using a Linux Bridge)
ip netns add red
ip netns add blue
ip link add br0 type bridge
ip link set br0 up
ip addr add 10.1.1.254/24 dev br0
ip link add veth-red type veth peer name veth-red-br
ip link add veth-blue type veth peer name veth-blue-br
ip link set veth-red netns red
ip link set veth-blue netns blue
ip link set veth-red-br master br0
ip link set veth-blue-br master br0
ip link set veth-red-br up
ip link set veth-blue-br up
ip -n red addr add 10.1.1.1/24 dev veth-red
ip -n blue addr add 10.1.1.2/24 dev veth-blue
ip -n red link set veth-red up
ip -n blue link set veth-blue up
ip netns exec red ping -c 2 -i 0.2 10.1.1.2
ip netns exec blue ping -c 1 -W 1 10.1.1.1
ping -c 1 -W 1 10.1.1.1
ip netns exec red ping -c 1 -W 1 10.1.1.254
ip link show master br0
ip addr show br0
ip route
ip neigh show dev br0
ip -n red neigh
