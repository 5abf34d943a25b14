# title: Two namespaces joined by a veth pair ping each other
# shows: ip netns add, a veth pair moved into two namespaces, addresses, ping both ways
# seed: 001_e748fdd701bc088d.md (Network Namespaces: connect with a veth pair)
ip netns add ns1
ip netns add ns2
ip netns list
ip link add veth_ns1 type veth peer name veth_ns2
ip link set veth_ns1 netns ns1
ip link set veth_ns2 netns ns2
ip netns exec ns1 ip link set veth_ns1 up
ip netns exec ns2 ip link set veth_ns2 up
ip netns exec ns1 ip addr add 10.1.1.1/24 dev veth_ns1
ip netns exec ns2 ip addr add 10.1.1.2/24 dev veth_ns2
ip netns exec ns1 ping -c 2 -i 0.2 10.1.1.2
ip netns exec ns2 ping -c 2 -i 0.2 10.1.1.1
ip netns exec ns1 ip link show
ip netns exec ns1 ip addr show
ip -n ns2 route
ip -n ns1 neigh
