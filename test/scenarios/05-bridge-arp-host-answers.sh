# title: ARP for the bridge address is answered by the host
# shows: a container asks who has 172.17.0.1; the host kernel answers with the bridge's MAC; the host learns the container too
# seed: 000_bae6f7f7a09dd690.md (is it bridge that responds to arp or host?)
ip link add docker0 address 02:42:ac:11:00:01 type bridge
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip netns add c1
ip link add veth1 type veth peer name eth0 netns c1
ip link set veth1 master docker0
ip link set veth1 up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 neigh
ip netns exec c1 ping -c 1 -W 1 172.17.0.1
ip -n c1 neigh show 172.17.0.1
ip neigh show dev docker0
ip link show docker0
bridge fdb show br docker0 | grep -v permanent | wc -l
