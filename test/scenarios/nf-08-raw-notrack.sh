# title: the raw table: NOTRACK and CT --notrack keep packets out of conntrack
# shows: -t raw PREROUTING/OUTPUT, NOTRACK, CT --notrack, -m state --state UNTRACKED and --ctstate UNTRACKED, no conntrack entries for the untracked flow, iptables-save -t raw
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns add c
ip link add v0 type veth peer name v1 netns c
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip -n c addr add 10.0.0.2/24 dev v1
ip -n c link set v1 up
iptables -t raw -A PREROUTING -p icmp -j NOTRACK
iptables -t raw -A OUTPUT -p icmp -j CT --notrack
iptables -A INPUT -m state --state UNTRACKED -j ACCEPT
iptables -A INPUT -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT
iptables -A OUTPUT -m conntrack --ctstate UNTRACKED
iptables-save -t raw
ip netns exec c ping -c 2 -W 1 10.0.0.1 | grep -c "bytes from"
ip netns exec c nc -l -p 80 > /dev/null &
sleep 0.2
nc -z -w 1 10.0.0.2 80; echo "tcp: $?"
conntrack -L
iptables -L -n -v -x
iptables -t raw -L -n -v
