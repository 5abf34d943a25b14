# title: DNAT in OUTPUT reroutes a locally generated packet; REDIRECT to a local port
# shows: -t nat -A OUTPUT -j DNAT (ip_route_me_harder), REDIRECT --to-ports in PREROUTING, DNAT with a port range, conntrack -L with the translated reply tuple, --ctorigdst / --ctorigdstport matches
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns add c
ip link add v0 type veth peer name v1 netns c
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip -n c addr add 10.0.0.2/24 dev v1
ip -n c link set v1 up
sleep 1
ip route add default via 10.0.0.2
iptables -t nat -A OUTPUT -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080
ip netns exec c nc -l -p 8080 > /dev/null &
sleep 0.2
nc -z -w 1 10.96.0.10 80; echo "clusterip: $?"
conntrack -L -p tcp
ip netns exec c iptables -t nat -A PREROUTING -p tcp --dport 81 -j REDIRECT --to-ports 9090
ip netns exec c iptables -A INPUT -m conntrack --ctorigdstport 81 --ctstate DNAT
ip netns exec c iptables -A INPUT -m conntrack --ctorigdst 10.0.0.2
ip netns exec c nc -l -p 9090 > /dev/null &
sleep 0.2
nc -z -w 1 10.0.0.2 81; echo "redirect: $?"
ip netns exec c conntrack -L
ip netns exec c iptables -L INPUT -n -v
ip netns exec c iptables-save -t nat
iptables -t nat -L OUTPUT -n -v
