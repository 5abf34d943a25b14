# title: ping's errors with a deadline, and traceroute's hop numbers past nine
# shows: with -w the first ICMP error ends ping (iputils' main loop), without it every packet is sent; the router's ICMP rate limit per destination; traceroute prints hop numbers in two columns, sends up to -N probes at once (the destination counts sixteen for a one-hop trace), and waits the whole -w for a lost probe unless the factors are given
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns add r
ip netns add h1
ip link add h1a netns h1 type veth peer name ra netns r
ip -n h1 addr add 192.168.1.2/24 dev h1a
ip -n r addr add 192.168.1.1/24 dev ra
ip -n h1 link set h1a up
ip -n r link set ra up
ip -n h1 route add default via 192.168.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec h1 ping -w 2 -c 5 -i 0.3 192.168.9.9; echo "rc=$?"
sleep 2
ip netns exec h1 ping -w 2 -i 0.3 192.168.9.9; echo "rc=$?"
sleep 2
ip netns exec h1 ping -c 3 -i 0.3 192.168.9.9; echo "rc=$?"
sleep 3
ip netns exec h1 ping -q -w 3 -c 2 -i 0.5 192.168.9.9; echo "rc=$?"
ip netns exec h1 traceroute -n -q 1 -w 0.2 -f 8 -m 11 192.168.1.5; echo "rc=$?"
ip netns exec h1 traceroute -n -q 1 -w 0.2 192.168.9.9; echo "rc=$?"
ip netns exec r traceroute -n -q 1 -w 0.2 192.168.9.9; echo "rc=$?"
ip netns exec r iptables -A INPUT -p udp --dport 33434:33600
sleep 6
ip netns exec h1 traceroute -n -q 1 192.168.1.1; echo "rc=$?"
ip netns exec r iptables -L INPUT -n -v -x
sleep 6
ip netns exec h1 traceroute -n -q 2 -N 3 -w 1,3,10 192.168.1.1; echo "rc=$?"
ip netns exec r iptables -L INPUT -n -v -x
# The kernel's reachable time is random (15 to 45 s): after the sleeps above, entries are left out.
ip -n r neigh flush all
ip -n h1 neigh flush all
