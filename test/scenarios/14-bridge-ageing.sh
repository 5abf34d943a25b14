# title: Learned FDB entries age out after ageing_time
# shows: ageing_time in centiseconds on the command line, learned entries disappear after it expires (simulated sleep), permanent ones stay
ip link add br0 type bridge ageing_time 300
ip -d link show br0 | grep -o "ageing_time [0-9]*"
ip link set br0 up
ip netns add h1
ip netns add h2
ip link add p1 type veth peer name eth0 netns h1
ip link add p2 type veth peer name eth0 netns h2
ip link set p1 master br0
ip link set p2 master br0
ip link set p1 up
ip link set p2 up
ip -n h1 link set eth0 address 02:00:00:00:00:01
ip -n h2 link set eth0 address 02:00:00:00:00:02
ip -n h1 addr add 10.7.0.1/24 dev eth0
ip -n h2 addr add 10.7.0.2/24 dev eth0
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip netns exec h1 ping -c 1 -W 1 10.7.0.2
bridge fdb show br br0 | grep 02:00:00:00:00 | sort
sleep 6
bridge fdb show br br0 | grep -c 02:00:00:00:00
bridge fdb show br br0 | grep -c permanent
ip link set br0 type bridge ageing_time 30000
ip -d link show br0 | grep -o "ageing_time [0-9]*"
