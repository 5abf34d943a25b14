# title: SNAT and MASQUERADE reallocate the source port when two flows would clash
# shows: two clients using the same source port behind one SNAT address, the second flow gets another port, --to-source ranges, conntrack -L of both, MASQUERADE --to-ports
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns add c1
ip netns add c2
ip netns add srv
ip link add br0 type bridge
ip addr add 10.1.0.1/24 dev br0
ip link set br0 up
for c in c1 c2; do
  ip link add v-$c type veth peer name eth0 netns $c
  ip link set v-$c master br0
  ip link set v-$c up
done
ip -n c1 addr add 10.1.0.11/24 dev eth0
ip -n c2 addr add 10.1.0.12/24 dev eth0
for c in c1 c2; do ip -n $c link set eth0 up; ip -n $c route add default via 10.1.0.1; done
ip link add v-srv type veth peer name eth0 netns srv
ip addr add 203.0.113.1/24 dev v-srv
ip link set v-srv up
ip -n srv addr add 203.0.113.2/24 dev eth0
ip -n srv link set eth0 up
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 10.1.0.0/24 -o v-srv -p tcp -j SNAT --to-source 203.0.113.1
iptables -t nat -A POSTROUTING -s 10.1.0.0/24 -o v-srv -p udp -j MASQUERADE --to-ports 40000-40010
iptables-save -t nat
ip netns exec srv nc -k -l -p 80 > /dev/null &
sleep 0.2
ip netns exec c1 nc -z -p 5555 -w 1 203.0.113.2 80; echo "c1: $?"
ip netns exec c2 nc -z -p 5555 -w 1 203.0.113.2 80; echo "c2: $?"
conntrack -L -p tcp -s 10.1.0.11
conntrack -L -p tcp -s 10.1.0.12 2>&1 | grep -c "sport=80 dport=5555 "
conntrack -L -p tcp --sport 5555 2>/dev/null | grep -c .
echo a | ip netns exec c1 nc -u -p 6000 -w 1 203.0.113.2 53
echo b | ip netns exec c2 nc -u -p 6000 -w 1 203.0.113.2 53
conntrack -L -p udp
conntrack -F
