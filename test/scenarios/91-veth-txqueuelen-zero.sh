# title: A veth pair with no transmit queue, as the CNI plugins create it
# shows: txqueuelen 0 on both ends; ip leaves "qlen" out when it is 0, in text and JSON
# seed: 004 (CNI plugins: the veth a bridge or ptp plugin makes for a pod)
ip netns add pod
ip link add eth0 txqueuelen 0 netns pod type veth peer name veth1 txqueuelen 0
ip link set veth1 up
ip -n pod link set eth0 up
ip link show veth1
ip -n pod link show eth0
ip -j link show veth1
ip -n pod addr show eth0
ip -6 -n pod addr show eth0
ip link set veth1 txqueuelen 1000
ip link show veth1
ip -j link show veth1
ip -6 addr show veth1
ip -4 -n pod addr show eth0
