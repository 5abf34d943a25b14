# title: how iptables prints the less common matches, protocols, -f and LOG flags
# shows: -S, -L and -L -n -v forms of limit rates (/sec /min /hour /day, defaults), mac, iprange, length, ttl, pkttype, protocol names from /etc/protocols, ! -f, LOG --log-* flags, and the errors for a bad rate, a too fast rate, an inverted --limit and a bad packet type
iptables -A INPUT -m mac --mac-source 0A:11:22:33:44:55 -j ACCEPT
iptables -A INPUT -m mac ! --mac-source 00:11:22:33:44:55 -j ACCEPT
iptables -A INPUT -m iprange ! --src-range 10.0.0.1-10.0.0.50 --dst-range 10.0.0.3 -j ACCEPT
iptables -A INPUT -m length ! --length 100 -j ACCEPT
iptables -A INPUT -m length --length 200:100 -j ACCEPT
iptables -A INPUT -m ttl ! --ttl-eq 10 -j ACCEPT
iptables -A INPUT -m ttl --ttl-lt 10 -j ACCEPT
iptables -A INPUT -m ttl --ttl-eq 10 -j ACCEPT
iptables -A INPUT -m pkttype ! --pkt-type multicast -j DROP
iptables -A INPUT -m pkttype --pkt-type unicast -j DROP
iptables -A INPUT -m pkttype --pkt-type host -j DROP
iptables -A INPUT -p gre -j ACCEPT
iptables -A INPUT -p esp -j ACCEPT
iptables -A INPUT -p igmp -j ACCEPT
iptables -A INPUT -p 200 -j ACCEPT
iptables -A INPUT -p 47 -j ACCEPT
iptables -A INPUT ! -p sctp -j ACCEPT
iptables -A INPUT -p ah -j ACCEPT
iptables -A INPUT -p udplite -j ACCEPT
iptables -A INPUT -p ipv6-icmp -j ACCEPT
iptables -A INPUT -p icmpv6 -j ACCEPT
iptables -A INPUT -p ospf -j ACCEPT
iptables -A INPUT -p vrrp -j ACCEPT
iptables -A INPUT ! -f -j DROP
iptables -A INPUT -f -j DROP
iptables -A INPUT -m limit --limit 1/hour --limit-burst 5 -j ACCEPT
iptables -A INPUT -m limit --limit 100/min -j ACCEPT
iptables -A INPUT -m limit --limit 7/day -j ACCEPT
iptables -A INPUT -m limit --limit 10000/s -j ACCEPT
iptables -A INPUT -m limit --limit 7/s -j ACCEPT
iptables -A INPUT -m limit --limit 13/minute --limit-burst 20 -j ACCEPT
iptables -A INPUT -m limit -j ACCEPT
iptables -A INPUT -m limit --limit 20000/s -j ACCEPT
iptables -A INPUT -m limit --limit 5/x -j ACCEPT
iptables -A INPUT -m limit ! --limit 5/s -j ACCEPT
iptables -A INPUT -j LOG --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid --log-level debug --log-prefix "X "
iptables -A INPUT -j LOG --log-uid
iptables -A INPUT -j LOG --log-macdecode
iptables -A INPUT -m pkttype --pkt-type foo -j DROP
iptables -S
iptables -L
iptables -L -n -v
iptables -L -n --line-numbers
