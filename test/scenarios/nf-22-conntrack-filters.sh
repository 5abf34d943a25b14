# title: conntrack filters and errors: --state, reply tuple, mark, -G, port options need -p
# shows: conntrack -L with -p/-s/-d/--sport/--orig-port-dst/--reply-src/--state/-m filters, -G for a missing flow, -D twice, an unknown protocol and a port option before -p
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns add c
ip link add v0 type veth peer name v1 netns c
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip -n c addr add 10.0.0.2/24 dev v1
ip -n c link set v1 up
iptables -A INPUT -m conntrack --ctstate NEW -j ACCEPT
ip netns exec c ping -c 1 -W 1 10.0.0.1 > /dev/null
echo hi | ip netns exec c nc -u -w 1 -p 5000 10.0.0.1 53
ip netns exec c nc -z -w 1 10.0.0.1 22
conntrack -L -p icmp
conntrack -L -p udp --sport 5000
conntrack -L -p udp --orig-port-dst 53
conntrack -L --src 10.0.0.2 -p tcp
conntrack -L -d 10.0.0.1 -p icmp
conntrack -L -p tcp --state CLOSE
conntrack -L -f ipv4 -p udp
conntrack -L -o extended -p icmp
conntrack -L -p sctp
conntrack -L --dport 53
conntrack -L -p udp --reply-src 10.0.0.1
conntrack -G -p udp -s 10.0.0.2 -d 10.0.0.1 --sport 5001 --dport 53; echo $?
conntrack -D -p icmp
conntrack -D -p icmp; echo $?
conntrack -L -p frob; echo $?
conntrack -L --foo; echo $?
conntrack -L -p udp
conntrack -L -m 5
conntrack -F
conntrack -L
