# title: -m recent: a port knock and rate limiting by source address
# shows: --set/--rcheck/--update with --seconds and --hitcount, --name, --rsource, a list that forgets after the interval (simulated time), iptables-save form of -m recent
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns add c
ip link add v0 type veth peer name v1 netns c
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip -n c addr add 10.0.0.2/24 dev v1
ip -n c link set v1 up
iptables -A INPUT -p tcp --dport 1234 -m recent --set --name KNOCK --rsource -j DROP
iptables -A INPUT -p tcp --dport 22 -m recent --rcheck --seconds 3 --name KNOCK -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -j DROP
iptables -A INPUT -p icmp -m recent --update --seconds 10 --hitcount 3 --name PING -j DROP
iptables -A INPUT -p icmp -m recent --set --name PING
iptables-save
nc -l -k -p 22 > /dev/null &
sleep 0.2
ip netns exec c nc -z -w 2 10.0.0.1 22; echo "before knock: $?"
ip netns exec c nc -z -w 2 10.0.0.1 1234; echo "knock: $?"
ip netns exec c nc -z -w 1 10.0.0.1 22; echo "after knock: $?"
sleep 4
ip netns exec c nc -z -w 2 10.0.0.1 22; echo "knock expired: $?"
for i in 1 2 3 4 5; do ip netns exec c ping -c 1 -W 1 10.0.0.1 > /dev/null; echo "ping $i: $?"; done
iptables -L INPUT -n -v
