# title: Reachable entries go STALE after the reachable time
# shows: base_reachable_time_ms per device, REACHABLE after a ping, STALE once the randomised reachable time (between half and one and a half times the base) has passed, and REACHABLE again after new traffic
ip netns add n1
ip netns add n2
ip link add eth0 netns n1 type veth peer name eth0 netns n2
ip -n n1 addr add 10.40.0.1/24 dev eth0
ip -n n2 addr add 10.40.0.2/24 dev eth0
ip netns exec n1 sysctl -w net.ipv4.neigh.eth0.base_reachable_time_ms=1000
ip netns exec n1 sysctl net.ipv4.neigh.eth0.base_reachable_time_ms net.ipv4.neigh.eth0.gc_stale_time
ip -n n1 link set eth0 up
ip -n n2 link set eth0 up
ip netns exec n1 ping -c 1 -W 1 10.40.0.2
ip -n n1 neigh
sleep 2
ip -n n1 neigh
ip netns exec n1 sysctl net.ipv4.neigh.default.base_reachable_time_ms
sleep 2
