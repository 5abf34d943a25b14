# title: the match extensions, counted: multiport, icmp-type, addrtype, statistic nth, mark, comment, iprange of ports
# shows: iptables -L -n -v and iptables-save canonical forms of -m multiport/--icmp-type/-m addrtype/-m statistic/-m comment/-m tcp ranges and their counters after real traffic
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns add c
ip link add v0 type veth peer name v1 netns c
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip -n c addr add 10.0.0.2/24 dev v1
ip -n c link set v1 up
iptables -N IN
iptables -A INPUT -i v0 -j IN
iptables -A IN -p tcp -m multiport --dports 22,80,8000:8080 -m comment --comment "web and ssh" -j ACCEPT
iptables -A IN -p tcp -m multiport ! --dports 1:1000
iptables -A IN -p udp -m multiport --ports 53,5353
iptables -A IN -p icmp --icmp-type echo-request -m statistic --mode nth --every 3 --packet 2 -j DROP
iptables -A IN -p icmp --icmp-type 8/0
iptables -A IN -p icmp -m icmp ! --icmp-type echo-reply
iptables -A IN -m addrtype --dst-type LOCAL -m addrtype ! --src-type LOCAL
iptables -A IN -m addrtype --dst-type LOCAL --limit-iface-in
iptables -A IN -p tcp --sport 1024:65535 --dport 0:1023
iptables -A IN -p tcp --tcp-flags SYN,ACK SYN
iptables -A IN -m mark --mark 0
iptables -A IN -m comment --comment 'a "quoted" comment'
iptables -A IN -d 10.0.0.1 -p tcp ! --dport 22 -j RETURN
iptables -A IN -s 10.0.0.0/8 -j ACCEPT
iptables-save -t filter
iptables -L IN -n -v --line-numbers
for i in 1 2 3 4 5 6; do ip netns exec c ping -c 1 -W 1 10.0.0.1 > /dev/null; echo "ping $i: $?"; done
ip netns exec c nc -z -w 1 10.0.0.1 80; echo "80: $?"
ip netns exec c nc -z -w 1 10.0.0.1 8080; echo "8080: $?"
ip netns exec c nc -z -w 1 10.0.0.1 5000; echo "5000: $?"
echo x | ip netns exec c nc -u -w 1 10.0.0.1 5353
iptables -L IN -n -v -x --line-numbers
iptables -L INPUT -v
iptables -S IN 1
iptables -Z IN
iptables -L IN 2 -n -v
