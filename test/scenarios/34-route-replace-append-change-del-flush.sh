# title: Changing routes: replace, append, change, prepend, del, flush
# shows: replace creates or overwrites, append adds a second route to the same prefix, change needs an existing route, del of a missing route, flush by prefix, by device and by protocol
ip link add v0 type veth peer name v1
ip link add w0 type veth peer name w1
for d in v0 v1 w0 w1; do ip link set $d up; done
ip addr add 10.100.0.1/24 dev v0
ip addr add 10.101.0.1/24 dev w0
ip route replace 172.30.0.0/16 via 10.100.0.2
ip route replace 172.30.0.0/16 via 10.101.0.2
ip route
ip route append 172.30.0.0/16 via 10.100.0.2
ip route
ip route change 172.30.0.0/16 via 10.100.0.3
ip route
ip route change 172.31.0.0/16 via 10.100.0.3
echo "exit=$?"
ip route prepend 172.30.0.0/16 via 10.101.0.9 metric 5
ip route
ip route add 172.32.0.0/16 dev w0 proto static
ip route add 172.33.0.0/16 dev w0 proto 99
ip route
ip route flush proto static
ip route
ip route flush dev w0
ip route
ip route del 172.30.0.0/16
ip route
ip route del 172.30.0.0/16 via 10.100.0.77
echo "exit=$?"
ip route flush 172.30.0.0/16
ip route
ip route flush
echo "exit=$?"
ip route flush table main
ip route
