# title: VXLAN between two namespaces over a veth underlay: default FDB entry, encapsulation, decapsulation and counters
# shows: a frame with no FDB entry is dropped (tx dropped); `bridge fdb append 00:00:00:00:00:00 … dst` floods ARP to the remote VTEP and carries unknown unicast; the tunnel's packets are ordinary UDP on the underlay (iptables counts them in OUTPUT with TTL 64 and length 134, and INPUT on the far side); a VXLAN socket answers no port unreachable; ip -s link counts the inner packets without their Ethernet header; ip -d link shows the vxlan options (IPv6 is off on the vxlan devices so that no MLD or DAD frames cross the tunnel)
ip netns add n1
ip netns add n2
ip link add eth0 netns n1 type veth peer name eth0 netns n2
ip netns exec n1 sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns exec n2 sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip -n n1 addr add 172.18.0.2/24 dev eth0
ip -n n2 addr add 172.18.0.3/24 dev eth0
ip -n n1 link set eth0 up
ip -n n2 link set eth0 up
ip -n n1 link add vx0 type vxlan id 1 local 172.18.0.2 dev eth0 dstport 8472 nolearning
ip -n n2 link add vx0 type vxlan id 1 local 172.18.0.3 dev eth0 dstport 8472 nolearning
ip -n n1 addr add 10.0.0.1/24 dev vx0
ip -n n2 addr add 10.0.0.2/24 dev vx0
ip -n n1 link set vx0 up
ip -n n2 link set vx0 up
ip -n n1 neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev vx0 nud permanent
ip netns exec n1 ping -c 1 -W 1 10.0.0.9
ip -n n1 -s link show vx0
bridge -n n1 fdb show dev vx0
bridge -n n1 fdb append 00:00:00:00:00:00 dev vx0 dst 172.18.0.3
bridge -n n2 fdb append 00:00:00:00:00:00 dev vx0 dst 172.18.0.2
bridge -n n1 fdb show dev vx0
ip netns exec n1 iptables -A OUTPUT -p udp --dport 8472 -m ttl --ttl-eq 64 -m length --length 134
ip netns exec n2 iptables -A INPUT -p udp --dport 8472 -s 172.18.0.2
ip netns exec n1 ping -c 2 -i 0.2 -W 1 10.0.0.2
ip -n n1 neigh show dev vx0
ip -n n2 neigh show dev vx0
ip netns exec n1 iptables -nvxL OUTPUT
ip netns exec n2 iptables -nvxL INPUT
ip -n n1 -s link show vx0
ip -n n2 -s link show vx0
echo hello | ip netns exec n1 nc -u -w 1 172.18.0.3 8472
ip netns exec n2 iptables -nvxL INPUT
ip -n n2 -s link show vx0
ip -n n1 -d link show vx0
ip -n n2 -d -j link show vx0
bridge -n n1 fdb show
bridge -n n2 -j fdb show dev vx0
