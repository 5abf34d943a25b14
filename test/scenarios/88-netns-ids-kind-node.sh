# title: Namespace ids on a kind-style node: pods' veths created from inside each pod, peers in the node
# shows: a veth created in a pod with its peer in the node (as the CNI ptp and bridge plugins do) gives the pod an id for the node at once (the new device's RTM_NEWLINK carries IFLA_LINK_NETNSID), while the node learns nothing until a link message about the peer is built in the node: bringing it up, any `ip` command that names it (iproute2 asks the kernel for the device first), or a dump; ids are the lowest free, in the order those messages happen, not in ifindex order; bringing only the pod's end up tells the node nothing
ip netns add node
ip netns add pod1
ip netns add pod2
ip netns add pod3
ip -n pod1 link add eth0 type veth peer name veth1 netns node
ip -n pod2 link add eth0 type veth peer name veth2 netns node
ip -n pod3 link add eth0 type veth peer name veth3 netns node
ip -n pod1 netns list-id
ip -n pod3 netns list-id
ip -n node netns list-id
ip -n pod3 link set eth0 up
ip -n node netns list-id
ip -n node link set veth3 up
ip -n node netns list-id
ip -n pod2 link set eth0 up
ip -n node netns list-id
ip -n node link set veth2 up
ip -n node netns list-id
ip -n node addr add 10.244.0.1/32 dev veth1
ip -n node netns list-id
ip -n pod1 link set eth0 up
ip -n node link set veth1 up
sleep 1
ip -n node link show
ip -n node -j link show
ip -n pod2 -j link show eth0
ip netns exec node ip netns list
ip netns list
ip netns list-id
