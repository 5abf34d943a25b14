# title: local traffic while lo is down
# shows: ping, TCP and UDP to the namespace's own addresses go out through lo, which drops them while it is down (counted as its tx dropped); with lo up the same connect is refused at once
ip netns add c
ip link add vc netns c type veth peer name vs
ip -n c addr add 10.4.0.2/24 dev vc
ip -n c link set vc up
ip netns exec c ping -c 1 -W 1 10.4.0.2; echo "rc=$?"
ip netns exec c ping -c 1 -W 1 127.0.0.1; echo "rc=$?"
ip netns exec c nc -z -w 1 10.4.0.2 7000; echo "rc=$?"
ip netns exec c nc -z -w 1 127.0.0.1 7000; echo "rc=$?"
echo hi | ip netns exec c nc -u -w 1 10.4.0.2 7000; echo "rc=$?"
ip -n c -s link show lo
ip -n c link set lo up
ip netns exec c nc -z -w 1 10.4.0.2 7000; echo "rc=$?"
ip -n c link set lo down
ip netns exec c nc -z -w 1 10.4.0.2 7000; echo "rc=$?"
