# title: the seed's firewall: default DROP, SSH/HTTP, loopback, ESTABLISHED,RELATED
# shows: iptables -F/-P/-A, iptables -L/-S/iptables-save, DROP policy on INPUT, per-rule counters
# seed: 000_bae6f7f7a09dd690.md
iptables -F
iptables -P INPUT DROP
iptables -P FORWARD DROP
iptables -P OUTPUT ACCEPT
iptables -A INPUT -p tcp --dport 22 -j ACCEPT
iptables -A INPUT -p tcp --dport 80 -j ACCEPT
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
iptables -L
iptables -L -n -v
iptables -S
iptables-save
ip netns add client
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip link add veth0 type veth peer name veth1 netns client
ip netns exec client sysctl -qw net.ipv6.conf.veth1.disable_ipv6=1
ip addr add 10.0.0.1/24 dev veth0
ip link set veth0 up
ip -n client addr add 10.0.0.2/24 dev veth1
ip -n client link set veth1 up
ip -n client link set lo up
ping -c 1 -W 1 127.0.0.1
ping -c 1 -W 1 10.0.0.2
ip netns exec client ping -c 1 -W 1 10.0.0.1
iptables -L INPUT -v -n -x --line-numbers
iptables -L INPUT -v
iptables-save -c
nc -l -p 80 > /dev/null &
sleep 0.2
ip netns exec client nc -z -w 1 10.0.0.1 80; echo "http: $?"
ip netns exec client nc -z -w 2 10.0.0.1 8080; echo "other: $?"
