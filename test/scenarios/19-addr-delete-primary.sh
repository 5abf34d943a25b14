# title: Deleting a primary address
# shows: without promote_secondaries, deleting the primary takes its secondaries with it; with promote_secondaries a secondary becomes primary; deleting a missing address fails
ip link add v0 type veth peer name v1
ip link set v0 up
sysctl net.ipv4.conf.v0.promote_secondaries
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.2/24 dev v0
ip addr add 10.0.0.3/24 dev v0
ip addr del 10.0.0.1/24 dev v0
ip -4 addr show dev v0
ip route
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.2/24 dev v0
sysctl -w net.ipv4.conf.v0.promote_secondaries=1
ip addr del 10.0.0.1/24 dev v0
ip -4 addr show dev v0
ip route
ip route show table local
ip addr del 10.0.0.9/24 dev v0
echo "exit=$?"
ip addr del 10.0.0.2 dev v0
echo "exit=$?"
ip -4 addr show dev v0
