# title: ip route get with from, iif, oif and mark
# shows: source selection, a lookup as if received on an interface (forwarding needed), forcing the output device, marks and policy routing, fibmatch (the FIB entry itself), and the no-op flush of the IPv4 route cache
ip link add v0 type veth peer name v1
ip link add w0 type veth peer name w1
for d in v0 v1 w0 w1; do ip link set $d up; done
ip addr add 10.90.0.1/24 dev v0
ip addr add 10.90.0.2/24 dev v0
ip addr add 10.91.0.1/24 dev w0
ip route add default via 10.90.0.254
ip route get 1.1.1.1
ip route get 1.1.1.1 from 10.90.0.2
ip route get 1.1.1.1 oif w0
ip route get 10.91.0.9 from 10.90.0.1
ip route get 1.1.1.1 from 10.91.0.7 iif w1
echo "exit=$?"
sysctl -w net.ipv4.ip_forward=1
ip route get 1.1.1.1 from 10.91.0.7 iif w1
ip route get 10.90.0.1 from 10.91.0.7 iif w1
ip route get 1.1.1.1 mark 7
ip route add default via 10.91.0.254 table 100
ip rule add fwmark 7 table 100
ip route get 1.1.1.1 mark 7
ip route get 1.1.1.1 mark 0x7
ip -j route get 1.1.1.1 mark 7
ip route get 10.90.0.1
ip route get 127.0.0.1
ip route get 10.90.0.255
ip route get to 10.90.0.5 from 10.90.0.99
echo "exit=$?"
ip route add 10.92.0.0/16 via 10.90.0.7 proto static metric 50
ip route get fibmatch 10.92.3.4
ip route get fibmatch 1.1.1.1 mark 7
ip route get fibmatch 10.90.0.1
ip -j route get fibmatch 10.92.3.4
ip route flush cache
echo "exit=$?"
