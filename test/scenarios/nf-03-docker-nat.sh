# title: Docker's NAT: MASQUERADE for 172.17.0.0/16 and a -p 8080:80 port mapping
# shows: nat table, MASQUERADE with the outgoing interface's address, DNAT in a user chain, addrtype LOCAL, replies de-NATed, conntrack -L of the NAT bindings
# seed: 000_bae6f7f7a09dd690.md
ip netns add c1
ip netns add ext
ip link add docker0 type bridge
sysctl -qw net.ipv6.conf.docker0.disable_ipv6=1
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip link add veth-c1 type veth peer name eth0 netns c1
ip netns exec c1 sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
ip link set veth-c1 master docker0
ip link set veth-c1 up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 link set lo up
ip -n c1 route add default via 172.17.0.1
ip link add eth0 type veth peer name eth0 netns ext
ip netns exec ext sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
ip addr add 192.168.1.1/24 dev eth0
ip link set eth0 up
ip -n ext addr add 192.168.1.2/24 dev eth0
ip -n ext link set eth0 up
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
iptables -t nat -N DOCKER
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A DOCKER -i docker0 -j RETURN
iptables -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
iptables-save -t nat
ip netns exec c1 ping -c 1 -W 1 192.168.1.2
conntrack -L -p icmp
ip netns exec ext ping -c 1 -W 1 172.17.0.2
ip netns exec c1 nc -l -p 80 &
sleep 0.2
ip netns exec ext nc -z -w 1 192.168.1.1 8080; echo "mapped: $?"
conntrack -L -p tcp
conntrack -L -g
conntrack -L -n
ip netns exec c1 conntrack -L
iptables -t nat -L -n -v
iptables -t nat -L
