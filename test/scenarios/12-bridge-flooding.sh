# title: Unknown unicast and broadcast frames are flooded to every port
# shows: three hosts on a bridge; ARP broadcasts reach everyone; after flushing the learned entries, a frame to an unknown MAC still arrives because the bridge floods it; flood off on a port stops it
ip link add br0 type bridge
ip link set br0 up
for i in 1 2 3; do
  ip netns add h$i
  ip link add p$i type veth peer name eth0 netns h$i
  ip link set p$i master br0
  ip link set p$i up
  ip -n h$i link set eth0 address 02:00:00:00:00:0$i
  ip -n h$i addr add 10.9.0.$i/24 dev eth0
  ip -n h$i link set eth0 up
done
ip netns exec h1 ping -c 1 -W 1 10.9.0.2
ip netns exec h1 ping -c 1 -W 1 10.9.0.3
bridge fdb show br br0 | grep 02:00:00:00:00 | sort
ip link set br0 type bridge ageing_time 0
bridge fdb show br br0 | grep -c 02:00:00:00:00
ip -n h1 neigh replace 10.9.0.3 lladdr 02:00:00:00:00:03 dev eth0 nud permanent
ip -n h3 neigh replace 10.9.0.1 lladdr 02:00:00:00:00:01 dev eth0 nud permanent
ip netns exec h1 ping -c 1 -W 1 10.9.0.3
bridge link set dev p3 flood off
bridge -d link show dev p3 | grep -o "flood [a-z]*"
ip netns exec h1 ping -c 1 -W 1 10.9.0.3
echo "exit=$?"
sleep 3
