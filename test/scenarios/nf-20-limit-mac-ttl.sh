# title: limit, mac, pkttype, ttl, length and iprange matches on real traffic
# shows: a token-bucket ping limit (burst 3, 2/s) dropping the excess and refilling after a pause; counters of the mac/pkttype/ttl/length/iprange matches on a TCP SYN and on locally sent replies
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns add c
ip link add v0 type veth peer name v1 netns c
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip -n c addr add 10.0.0.2/24 dev v1
ip -n c link set v1 up
iptables -A INPUT -i v0 -p icmp --icmp-type echo-request -m limit --limit 2/s --limit-burst 3 -j ACCEPT
iptables -A INPUT -i v0 -p icmp --icmp-type echo-request -j DROP
iptables -A INPUT -i v0 -m mac --mac-source 02:4b:54:00:00:01 -j ACCEPT
iptables -A INPUT -i v0 -m mac ! --mac-source 02:4b:54:00:00:01
iptables -A INPUT -i v0 -m pkttype --pkt-type unicast
iptables -A INPUT -i v0 -m pkttype --pkt-type broadcast
iptables -A INPUT -i v0 -m ttl --ttl-eq 64
iptables -A INPUT -i v0 -m length --length 0:100
iptables -A INPUT -i v0 -m iprange --src-range 10.0.0.2-10.0.0.9
iptables -A OUTPUT -o v0 -m pkttype --pkt-type unicast
iptables -A OUTPUT -o v0 -m ttl --ttl-gt 63
ip netns exec c ping -c 8 -i 0.1 -W 1 10.0.0.1 | tail -2
sleep 2
ip netns exec c ping -c 3 -i 0.2 -W 1 10.0.0.1 | tail -2
ip netns exec c nc -z -w 1 10.0.0.1 80; echo $?
iptables-save -c
iptables -L INPUT -v -n
