# title: Address labels
# shows: label v0:web and v0:1, ip addr show label, a label must start with the device name
ip link add v0 type veth peer name v1
ip addr add 10.3.0.1/24 dev v0 label v0:web
ip addr add 10.3.0.2/24 dev v0 label v0:1
ip addr add 10.3.1.1/24 dev v0
ip addr show dev v0
ip addr show label v0:web
ip -4 addr show label 'v0:*'
ip addr add 10.3.2.1/24 dev v0 label eth9:x
echo "exit=$?"
ip -j addr show dev v0
