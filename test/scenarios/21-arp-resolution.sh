# title: ARP resolution fills the neighbour table
# shows: an empty table, the first ping triggers an ARP request/reply, both sides learn each other (REACHABLE on the sender; the target learns from the request), ip neigh show filters
ip netns add a1
ip netns add a2
ip link add eth0 netns a1 address 02:00:00:00:01:01 type veth peer name eth0 netns a2 address 02:00:00:00:01:02
ip -n a1 addr add 192.168.1.1/24 dev eth0
ip -n a2 addr add 192.168.1.2/24 dev eth0
ip -n a1 link set eth0 up
ip -n a2 link set eth0 up
ip -n a1 neigh
ip netns exec a1 ping -c 1 -W 1 192.168.1.2
ip -n a1 neigh
ip -n a1 neigh show 192.168.1.2
ip -n a1 neigh show dev eth0
ip -n a1 neigh show nud reachable
ip -n a1 -j neigh
ip -n a2 neigh show 192.168.1.1
ip -n a1 neigh show 192.168.1.77
sleep 1
