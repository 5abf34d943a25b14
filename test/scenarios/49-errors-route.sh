# title: ip route errors
# shows: duplicate routes (File exists), invalid prefixes, gateways that are not reachable, missing devices, deleting missing routes, bad tables and metrics
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 10.49.0.1/24 dev v0
ip route add 10.50.0.0/16 via 10.49.0.2
ip route add 10.50.0.0/16 via 10.49.0.3
echo "exit=$?"
ip route add 10.50.0.1/16 via 10.49.0.2
echo "exit=$?"
ip route add 10.51.0.0/16 via 10.52.0.1
echo "exit=$?"
ip route add 10.51.0.0/16 dev nosuch
echo "exit=$?"
ip route add 10.51.0.0/40 dev v0
echo "exit=$?"
ip route add 300.1.0.0/16 dev v0
echo "exit=$?"
ip route del 10.53.0.0/16
echo "exit=$?"
ip route add 10.54.0.0/16 dev v0 table nosuchtable
echo "exit=$?"
ip route add 10.54.0.0/16 dev v0 metric abc
echo "exit=$?"
ip route add 10.54.0.0/16
echo "exit=$?"
ip route get
echo "exit=$?"
ip route get 10.49.0.300
echo "exit=$?"
ip route frob
echo "exit=$?"
ip route show table 12345
echo "exit=$?"
ip link set v1 down
ip route add 10.55.0.0/16 via 10.49.0.2 dev v1
echo "exit=$?"
ip route
