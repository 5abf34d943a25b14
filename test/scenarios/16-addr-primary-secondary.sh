# title: Primary and secondary addresses
# shows: a second address in the same subnet becomes secondary, another subnet is a new primary, ip addr show order, the routes each one brings
ip link add v0 type veth peer name v1
ip link set v0 up
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.2/24 dev v0
ip addr add 10.0.0.3/24 dev v0
ip addr add 10.0.1.1/24 dev v0
ip addr add 192.168.0.1/16 dev v0
ip addr show dev v0
ip -4 addr show dev v0
ip route
ip route show table local
ip -4 -o addr show dev v0
ip addr show dev v0 secondary
ip addr show dev v0 primary
