# title: A STALE entry in use goes through DELAY and back to REACHABLE
# shows: sending to a STALE neighbour moves it to DELAY; the reply confirms it (REACHABLE); with the peer gone it would PROBE and fail
ip netns add n1
ip netns add n2
ip link add eth0 netns n1 type veth peer name eth0 netns n2
ip -n n1 addr add 10.41.0.1/24 dev eth0
ip -n n2 addr add 10.41.0.2/24 dev eth0
ip -n n1 link set eth0 up
ip -n n2 link set eth0 up
ip -n n1 neigh add 10.41.0.2 lladdr 02:00:00:00:00:99 dev eth0 nud stale
ip -n n1 neigh
ip netns exec n1 ping -c 1 -W 1 10.41.0.2
echo "exit=$?"
ip -n n1 neigh
sleep 6
ip -n n1 neigh
ip -n n2 neigh
