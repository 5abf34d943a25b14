# title: NAT targets with ports
# shows: a port in DNAT/SNAT/MASQUERADE/REDIRECT needs a protocol given before it (-p all is none; icmp is enough), each port is checked and a backwards range is funky, and DNAT/SNAT without their address fail the final check with xtables' empty line
iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE --to-ports 1000-2000
iptables -t nat -A PREROUTING -j REDIRECT --to-ports 80
iptables -t nat -A PREROUTING -j DNAT --to-destination 10.0.0.2:80
iptables -t nat -A PREROUTING -p icmp -j DNAT --to-destination 10.0.0.2:80
iptables -t nat -A PREROUTING ! -p tcp -j DNAT --to-destination 10.0.0.2:80
iptables -t nat -A PREROUTING -j DNAT --to-destination 10.0.0.2:80 -p tcp
iptables -t nat -A PREROUTING -p udp -j DNAT --to-destination 10.0.0.2:80
iptables -t nat -A PREROUTING -p sctp -j REDIRECT --to-ports 81
iptables -t nat -A PREROUTING -p dccp -j REDIRECT --to-ports 82
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.1.1.1:99999
iptables -t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.1.1.1:99999
iptables -t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.1.1.1:0
iptables -t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.1.1.1:90-80
iptables -t nat -A PREROUTING -j DNAT
iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports 70000
iptables -t nat -S
