# title: iptables long options abbreviated
# shows: getopt_long takes a unique prefix of an option it knows (--to for DNAT's --to-destination, --app for --append, --sou for --source); an ambiguous prefix (--log, --ctst, --s) is an unknown option; the protocol's own match counts only once loaded, so -p tcp --des is --destination while --dp is --dport
iptables -t nat -A PREROUTING -p tcp --dp 80 -j DNAT --to 10.0.0.1
iptables -t nat -A PREROUTING -p tcp --dport 81 -j REDIRECT --to-port 8080
iptables -t nat -A POSTROUTING -o eth0 -j SNAT --to 1.2.3.4
iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE --to-p 1000-2000 --random
iptables -A INPUT -j LOG --log
iptables -A INPUT -j LOG --log-p x
iptables -A INPUT --sou 1.2.3.4 -j ACCEPT
iptables -A INPUT --s 1.2.3.4 -j ACCEPT
iptables -A INPUT -p tcp --dport 1 --to 2 -j ACCEPT
iptables --app INPUT -p udp -m multiport --dpo 1,2 -j ACCEPT
iptables --ins INPUT ! --so 10.0.0.0/8 -j DROP
iptables -A INPUT -m comment --comm "hi there" -m state --sta NEW -j ACCEPT
iptables -A INPUT -p tcp --des 10.1.1.1 -j ACCEPT
iptables -A INPUT -p tcp --dest 10.1.1.1 -j ACCEPT
iptables -A INPUT -m conntrack --ctst NEW -j ACCEPT
iptables -A INPUT -m conntrack --ctorig 1.1.1.1 -j ACCEPT
iptables -A INPUT -j MARK --set-x 0x1
iptables -A INPUT --fragment -j DROP
iptables --li INPUT -n
iptables -S
iptables -t nat -S
