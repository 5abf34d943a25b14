# title: Namespace ids as the kernel allocates them
# shows: which namespace learns an id for which, when veths are created and moved (ip netns list-id)
ip netns add ns1
ip netns add ns2
ip link add v1 type veth peer name v2
echo "after create"; ip netns list-id; ip -n ns1 netns list-id
ip link set v1 netns ns1
echo "after move v1"; ip netns list-id; echo "-ns1:"; ip -n ns1 netns list-id; echo "-ns2:"; ip -n ns2 netns list-id
ip link set v2 netns ns2
echo "after move v2"; ip netns list-id; echo "-ns1:"; ip -n ns1 netns list-id; echo "-ns2:"; ip -n ns2 netns list-id
ip netns add a; ip netns add r
ip link add va type veth peer name ra netns r
echo "after create va/ra"; ip netns list-id; echo "-r:"; ip -n r netns list-id
ip link set va netns a
echo "after move va"; ip netns list-id; echo "-r:"; ip -n r netns list-id; echo "-a:"; ip -n a netns list-id
