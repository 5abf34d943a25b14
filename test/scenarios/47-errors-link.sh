# title: ip link errors
# shows: missing devices, duplicate names, bad names, unknown types, bad MTU, bad options, enslaving a bridge to itself — messages and exit codes as iproute2 prints them
ip link add v0 type veth peer name v1
ip link add v0 type veth peer name v2
echo "exit=$?"
ip link set nosuch up
echo "exit=$?"
ip link show nosuch
echo "exit=$?"
ip link del nosuch
echo "exit=$?"
ip link add thisnameiswaytoolong type veth
echo "exit=$?"
ip link add x0 type nosuchtype
echo "exit=$?"
ip link set v0 mtu 40
echo "exit=$?"
ip link set v0 mtu abc
echo "exit=$?"
ip link set v0 frobnicate
echo "exit=$?"
ip link set v0 up down
ip link show v0
ip link add br0 type bridge
ip link set br0 master br0
echo "exit=$?"
ip link set v0 master nosuch
echo "exit=$?"
ip link set v0 address 01:00:00:00:00:01
echo "exit=$?"
ip link set v0 address zz
echo "exit=$?"
ip link del lo
echo "exit=$?"
ip link frob
echo "exit=$?"
ip link set dev
echo "exit=$?"
ip -z link
echo "exit=$?"
ip foo
echo "exit=$?"
ip link set v0 name v1
echo "exit=$?"
ip link set v0 up
ip link set v0 name v9
echo "exit=$?"
