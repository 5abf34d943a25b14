# title: Gateways must be on-link unless onlink says so
# shows: a gateway outside every connected subnet is refused (Nexthop has invalid gateway); onlink accepts it and ip route shows the flag
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 10.80.0.1/24 dev v0
ip route add 10.81.0.0/24 via 10.99.0.1
echo "exit=$?"
ip route add 10.81.0.0/24 via 10.99.0.1 dev v0
echo "exit=$?"
ip route add 10.81.0.0/24 via 10.99.0.1 dev v0 onlink
ip route
ip route get 10.81.0.5
ip route add default via 10.80.0.254 dev v0
ip route add 10.82.0.0/24 via 10.80.0.1
echo "exit=$?"
ip route add 10.83.0.0/24 via 10.80.0.7 dev nosuch
echo "exit=$?"
ip -d route
