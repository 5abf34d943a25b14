# title: ip netns and ping errors
# shows: invalid namespace names, exec without a command, ping to an unknown host, an unreachable network, bad ping options, ping -I with a missing device
ip netns add ok
ip netns add ok
echo "exit=$?"
ip netns add bad/name
echo "exit=$?"
ip netns del nosuch
echo "exit=$?"
ip netns exec ok
echo "exit=$?"
ip netns exec ok ping -c 1 -W 1 10.0.0.1
echo "exit=$?"
ip netns exec ok ping -c 0 127.0.0.1
echo "exit=$?"
ip netns exec ok ping -c 1 -I nosuch 127.0.0.1
echo "exit=$?"
ip netns exec ok ping -c 1 -W 1 127.0.0.1
echo "exit=$?"
ip -n ok link set lo up
ip netns exec ok ping -c 1 -W 1 127.0.0.1
ip netns exec ok ping -c 1 -W 1 -t 0 127.0.0.1
echo "exit=$?"
ip netns exec ok ping -Q 1 -c 1 127.0.0.1 -W 1
echo "exit=$?"
