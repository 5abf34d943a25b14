# title: a bridge's FDB and ports with IPv6 disabled from the start, static entries, port flags and detaching
# shows: the multicast entries a device keeps with disable_ipv6 set before it was made (all-nodes, the bridge's snooper groups), bridge fdb add/del and their errors, learning and hairpin flags, ageing_time, nomaster, ip link filters by type and master
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip link add br0 type bridge
ip link add p1 type veth peer name q1
ip link add p2 type veth peer name q2
ip link set p1 master br0
ip link set p2 master br0
for d in br0 p1 q1 p2 q2; do ip link set $d up; done
ip addr add 10.3.0.1/24 dev br0
ip addr add 10.3.0.2/24 dev q1
bridge link
bridge link show dev p1
bridge fdb show br br0
bridge fdb show dev p1
bridge -s fdb show br br0 | head -3
bridge fdb add 02:00:00:00:00:aa dev p1 master static
bridge fdb show dev p1
bridge fdb del 02:00:00:00:00:aa dev p1 master
bridge fdb del 02:00:00:00:00:aa dev p1 master; echo "rc=$?"
bridge link set dev p1 learning off
bridge link set dev p2 hairpin on
bridge -d link show dev p1
bridge -d link show dev p2
ip link set br0 type bridge ageing_time 1000
ip -d link show br0 | grep -o "ageing_time [0-9]*"
ip link set p2 nomaster
bridge link
ip link show master br0
ip -br link show type bridge
ip -br link show type veth
ip link del br0
ip link show p1
