# title: ip addr flush
# shows: flushing all IPv4 addresses of a device, flushing by prefix, by label, routes that go with them
ip link add v0 type veth peer name v1
ip link set v0 up
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.2/24 dev v0
ip addr add 10.1.0.1/24 dev v0 label v0:x
ip addr add 172.16.0.1/12 dev v0
ip addr flush dev v0 to 10.0.0.0/8
ip -4 addr show dev v0
ip addr flush label v0:x
ip -4 addr show dev v0
ip -4 addr flush dev v0
ip -4 addr show dev v0
ip route
ip addr flush dev nosuch
echo "exit=$?"
ip addr flush
echo "exit=$?"
