# title: Network namespaces: add, list, exec, delete, and their errors
# shows: ip netns add/list/del/exec, a new namespace has only lo (down), duplicate and missing names fail as iproute2 fails
ip netns add alpha
ip netns add beta
ip netns list
ip netns
ip netns add alpha
echo "exit=$?"
ip netns exec alpha ip link
ip netns exec alpha ip addr
ip netns exec alpha ip route
ip netns exec alpha ping -c 1 -W 1 127.0.0.1
echo "exit=$?"
ip netns exec alpha ip link set lo up
ip netns exec alpha ping -c 1 -W 1 127.0.0.1
ip netns exec alpha ip route show table local
ip netns del beta
ip netns list
ip netns del beta
echo "exit=$?"
ip netns exec beta true
echo "exit=$?"
ip netns delete alpha
ip netns list
