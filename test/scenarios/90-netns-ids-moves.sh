# title: Namespace ids when a veth end moves, and when both ends are created away from the caller
# shows: moving a pod's end that is up (`ip link set eth0 netns …`) drops the node end's carrier, and linkwatch's message about the node end, built after the move, gives the node an id for the namespace the pod end went to (linkwatch may take up to a second: the scenario waits); moved while already down, the node learns nothing; the namespace the end left learns the new one's id (IFLA_NEW_NETNSID), the one it arrives in learns the node's; a pair created with both ends in other namespaces gives only the first end's namespace an id; a moved device loses the qdisc it had while up (dev_shutdown: `qdisc noop`)
ip netns add node
ip netns add p1
ip netns add q1
ip -n p1 link add eth0 type veth peer name veth1 netns node
ip -n p1 link set eth0 up
ip -n node link set veth1 up
sleep 1
ip -n node netns list-id
ip -n p1 link set eth0 netns q1
sleep 1.5
ip -n node netns list-id
ip -n q1 netns list-id
ip -n q1 link show eth0
ip -n p1 netns list-id
ip netns add p2
ip netns add q2
ip -n p2 link add eth0 type veth peer name veth2 netns node
ip -n node link set veth2 up
ip -n node netns list-id
ip -n p2 link set eth0 netns q2
sleep 1.5
ip -n node netns list-id
ip -n q2 netns list-id
ip -n p2 netns list-id
sleep 1
ip -n node -j link show
ip netns add x
ip netns add y
ip link add e0 netns x type veth peer name e1 netns y
ip netns list-id
ip -n x netns list-id
ip -n y netns list-id
