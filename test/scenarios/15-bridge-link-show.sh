# title: bridge link and ip link show master
# shows: the ports of a bridge with their state (disabled, forwarding), priority and cost, nomaster to release a port
ip link add br0 type bridge
ip link add pa type veth peer name pa2
ip link add pb type veth peer name pb2
ip link set pa master br0
ip link set pb master br0
bridge link
ip link set br0 up
ip link set pa up
ip link set pa2 up
bridge link show
bridge link show dev pa
ip link show master br0
ip -br link show master br0
ip link show type bridge
ip link show type veth
ip link set pb nomaster
bridge link
ip link show pb
bridge -j link show
