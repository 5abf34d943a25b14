# title: Moving veth ends between namespaces
# shows: @ifN peer notation, link-netns / link-netnsid, ifindex kept across moves, moving back to the root namespace
ip netns add a
ip netns add b
ip link add v0 type veth peer name v1
ip link show v0
ip link show v1
ip link set v0 netns a
ip link show v1
ip -n a link show v0
ip link set v1 netns b
ip -n b link show v1
ip -n a link set v0 name eth0
ip -n a link show
ip netns exec a ip link set eth0 netns b
ip -n b link
ip -n b -br link
ip link show v0
echo "exit=$?"
