# title: bridge-nf-call-iptables: frames bridged between ports traverse PREROUTING, FORWARD and POSTROUTING
# shows: br_netfilter's default, FORWARD with in = out = the bridge, -m physdev --physdev-in/--physdev-out/--physdev-is-bridged, counters, conntrack entries of bridged flows, turning the sysctl off
# seed: 000_bae6f7f7a09dd690.md
sysctl net.bridge.bridge-nf-call-iptables
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip link add br0 type bridge
ip link set br0 up
ip addr add 10.9.0.254/24 dev br0
for i in 1 2 3; do
  ip netns add h$i
  ip link add p$i type veth peer name eth0 netns h$i
  ip link set p$i master br0
  ip link set p$i up
  ip -n h$i addr add 10.9.0.$i/24 dev eth0
  ip -n h$i link set eth0 up
done
iptables -A FORWARD -m physdev --physdev-in p1 --physdev-out p3 -j DROP
iptables -A FORWARD -m physdev --physdev-is-bridged -j ACCEPT
iptables -A FORWARD -i br0 -o br0 -j ACCEPT
iptables -A INPUT -m physdev --physdev-in p2 -p icmp -j ACCEPT
iptables -t nat -A POSTROUTING -m physdev --physdev-is-bridged -j RETURN
iptables -t mangle -A PREROUTING -i br0 -m physdev --physdev-in p1 -j MARK --set-mark 1
iptables -A FORWARD -m state --state ESTABLISHED -j ACCEPT
iptables -S
ip netns exec h1 ping -c 2 -W 1 10.9.0.2
ip netns exec h1 ping -c 1 -W 1 10.9.0.3; echo "h1->h3: $?"
ip netns exec h2 ping -c 1 -W 1 10.9.0.254
iptables -L -n -v -x
iptables -t nat -L POSTROUTING -n -v
iptables -t mangle -L PREROUTING -n -v
conntrack -L -p icmp
sysctl -w net.bridge.bridge-nf-call-iptables=0
ip netns exec h1 ping -c 1 -W 1 10.9.0.3; echo "h1->h3: $?"
iptables -L FORWARD -n -v
