# title: ip -n runs a command inside a namespace
# shows: ip -n NS is ip netns exec NS ip; -netns spelled out; a missing namespace; -n without a name
ip netns add red
ip -n red link
ip -netns red addr
ip -n red link set lo up
ip -n red -br link
ip -n red -4 addr
ip -n nosuch link
echo "exit=$?"
ip -n red route show table local
ip netns exec red ip -br addr
