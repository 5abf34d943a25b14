# title: conntrack flows for ping, TCP and UDP, and the state match
# shows: conntrack -L/-C/-D/-F, [UNREPLIED]/[ASSURED], TIME_WAIT, -m state ESTABLISHED,RELATED, -m conntrack --ctstate NEW
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
conntrack -L
iptables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -m conntrack --ctstate NEW -p icmp -j ACCEPT
ping -c 1 -W 1 127.0.0.1
conntrack -L
nc -l -p 8080 > /dev/null &
sleep 0.2
nc -z -w 1 127.0.0.1 8080
nc -u -l -p 5353 > /dev/null &
sleep 0.2
echo hi | nc -u -w 1 127.0.0.1 5354
conntrack -L -p udp
conntrack -L -p tcp
conntrack -L -p icmp -s 127.0.0.1
conntrack -C
iptables -L INPUT -n
conntrack -D -p udp
conntrack -D -p udp
conntrack -F
conntrack -L
