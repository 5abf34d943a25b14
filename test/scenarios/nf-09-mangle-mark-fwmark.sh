# title: mangle MARK and CONNMARK with policy routing by fwmark
# shows: MARK --set-mark in mangle OUTPUT rerouting a packet through ip rule fwmark table 100, CONNMARK --save-mark/--restore-mark, -m mark and -m connmark, conntrack -L mark=
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns add a
ip netns add b
ip link add va type veth peer name eth0 netns a
ip link add vb type veth peer name eth0 netns b
ip addr add 10.0.1.1/24 dev va
ip addr add 10.0.2.1/24 dev vb
ip link set va up
ip link set vb up
ip -n a addr add 10.0.1.2/24 dev eth0
ip -n a addr add 192.0.2.9/32 dev eth0
ip -n b addr add 10.0.2.2/24 dev eth0
ip -n b addr add 192.0.2.9/32 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
ip route add 192.0.2.9/32 via 10.0.1.2
ip route add 192.0.2.9/32 via 10.0.2.2 table 100
ip rule add fwmark 0x2 table 100
iptables -t mangle -A OUTPUT -p icmp --icmp-type echo-request -m statistic --mode nth --every 2 --packet 1 -j MARK --set-mark 0x2
iptables -t mangle -A OUTPUT -j CONNMARK --save-mark
iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark
iptables -A INPUT -m mark --mark 0x2 -p icmp
iptables -A INPUT -m connmark --mark 0x2/0xff
iptables -A OUTPUT -m mark ! --mark 0x2
ping -c 1 -W 1 192.0.2.9 | grep -c "bytes from"
ping -c 1 -W 1 192.0.2.9 | grep -c "bytes from"
conntrack -L -p icmp
iptables -t mangle -S
iptables -L -n -v
iptables -t mangle -L -n -v
