# title: REJECT with every --reject-with type, seen by ping and nc on the other side
# shows: icmp-net/host/port/proto-unreachable, net/host/admin-prohibited, tcp-reset (nc refused at once), default icmp-port-unreachable, counters
ip netns add c
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip link add v0 type veth peer name v1 netns c
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip -n c addr add 10.0.0.2/24 dev v1
ip -n c link set v1 up
iptables -A INPUT -p icmp --icmp-type echo-request -m statistic --mode nth --every 7 --packet 0 -j REJECT --reject-with icmp-net-unreachable
iptables -A INPUT -p icmp --icmp-type echo-request -m statistic --mode nth --every 6 --packet 0 -j REJECT --reject-with icmp-host-unreachable
iptables -A INPUT -p icmp --icmp-type echo-request -m statistic --mode nth --every 5 --packet 0 -j REJECT --reject-with icmp-proto-unreachable
iptables -A INPUT -p icmp --icmp-type echo-request -m statistic --mode nth --every 4 --packet 0 -j REJECT --reject-with icmp-net-prohibited
iptables -A INPUT -p icmp --icmp-type echo-request -m statistic --mode nth --every 3 --packet 0 -j REJECT --reject-with icmp-host-prohibited
iptables -A INPUT -p icmp --icmp-type echo-request -m statistic --mode nth --every 2 --packet 0 -j REJECT --reject-with icmp-admin-prohibited
iptables -A INPUT -p icmp --icmp-type echo-request -j REJECT
iptables -A INPUT -p tcp --dport 81 -j REJECT --reject-with tcp-reset
iptables -A INPUT -p tcp --dport 82 -j REJECT
iptables -A INPUT -p udp --dport 53 -j REJECT --reject-with icmp-port-unreachable
iptables -S INPUT
for i in 1 2 3 4 5 6 7; do ip netns exec c ping -c 1 -W 1 10.0.0.1 | head -2 | tail -1; done
ip netns exec c nc -z -v -w 1 10.0.0.1 81; echo "81: $?"
ip netns exec c nc -z -v -w 1 10.0.0.1 82; echo "82: $?"
iptables -L INPUT -n -v
iptables -A OUTPUT -p tcp --dport 443 -j REJECT --reject-with tcp-reset
nc -z -v -w 1 10.0.0.2 443; echo "443: $?"
iptables -A FORWARD -j REJECT --reject-with tcp-reset
iptables -A INPUT -p tcp -j REJECT --reject-with tcp-rst
iptables -A INPUT -p udp -j REJECT --reject-with icmp-bogus
iptables -A INPUT -j REJECT --reject-with echo-reply
iptables -t nat -A PREROUTING -j REJECT
