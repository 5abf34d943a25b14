# title: A bridge learns MAC addresses from the frames it sees
# shows: bridge fdb show before and after traffic, learned entries per port, permanent entries for the ports' own MACs, bridge fdb add/del of a static entry
ip link add br0 type bridge
ip link set br0 up
ip netns add h1
ip netns add h2
ip link add p1 type veth peer name eth0 netns h1
ip link add p2 type veth peer name eth0 netns h2
ip link set p1 master br0
ip link set p2 master br0
ip -n h1 link set eth0 address 02:00:00:00:00:01
ip -n h2 link set eth0 address 02:00:00:00:00:02
ip -n h1 addr add 192.168.50.1/24 dev eth0
ip -n h2 addr add 192.168.50.2/24 dev eth0
bridge fdb show br br0 | grep -c permanent
ip link set p1 up
ip link set p2 up
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip netns exec h1 ping -c 1 -W 1 192.168.50.2
bridge fdb show dev p1 | grep 02:00:00:00:00
bridge fdb show dev p2 | grep 02:00:00:00:00
bridge fdb add 02:00:00:00:00:99 dev p1 master static
bridge fdb show dev p1 | grep 02:00:00:00:00:99
bridge fdb add 02:00:00:00:00:99 dev p1 master static
echo "exit=$?"
bridge fdb del 02:00:00:00:00:99 dev p1 master
bridge fdb show dev p1 | grep -c 02:00:00:00:00:99
bridge fdb del 02:00:00:00:00:99 dev p1 master
echo "exit=$?"
