# title: Loopback brought up and down again keeps its qdisc
# shows: lo starts with qdisc noop; once up it has noqueue, which stays when it goes down (as the CNI loopback plugin's DEL leaves it)
# seed: 004 (CNI plugins: loopback ADD and DEL)
ip netns add pod
ip -n pod link show lo
ip -n pod link set lo up
ip -n pod link show lo
ip -n pod link set lo down
ip -n pod link show lo
ip -n pod addr show lo
ip link set lo down
ip link show lo
