# title: veth pairs created directly in namespaces
# shows: ip link add X netns A type veth peer name Y netns B; ifindex allocation per namespace; link-netns
ip netns add A
ip netns add B
ip link add x netns A type veth peer name y netns B
ip -n A link
ip -n B link
ip link add eth0 type veth peer name host0 netns A
ip link show eth0
ip -n A link show host0
ip link add q type veth peer q2
ip -br link
ip link add r type veth peer name r2 netns nosuch
echo "exit=$?"
