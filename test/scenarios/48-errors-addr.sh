# title: ip addr errors
# shows: duplicate addresses, invalid prefixes, missing device, missing local, deleting what is not there
ip link add v0 type veth peer name v1
ip addr add 10.48.0.1/24 dev v0
ip addr add 10.48.0.1/24 dev v0
echo "exit=$?"
ip addr add 10.48.0.1/33 dev v0
echo "exit=$?"
ip addr add 10.48.0.300/24 dev v0
echo "exit=$?"
ip addr add 10.48.0.2/24
echo "exit=$?"
ip addr add 10.48.0.2/24 dev nosuch
echo "exit=$?"
ip addr add dev v0
echo "exit=$?"
ip addr del 10.48.0.9/24 dev v0
echo "exit=$?"
ip addr add 10.48.0.1/16 dev v0
echo "exit=$?"
ip addr add 10.48.0.5/24 dev v0 scope bogus
echo "exit=$?"
ip addr add 2001:db8::1/129 dev v0
echo "exit=$?"
ip addr show dev nosuch
echo "exit=$?"
ip addr frob
echo "exit=$?"
ip -4 addr show dev v0
