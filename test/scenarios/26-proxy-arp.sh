# title: Proxy ARP: a router answers ARP for addresses it can route
# shows: a host with a /16 on a /24 world asks for an address on the other side; without proxy_arp nobody answers; with proxy_arp on the router's interface the router answers with its own MAC and forwards
ip netns add h1
ip netns add r
ip netns add h2
ip link add eth0 netns h1 type veth peer name in0 netns r
ip link add eth0 netns h2 type veth peer name out0 netns r
ip -n h1 addr add 10.50.1.10/16 dev eth0
ip -n r addr add 10.50.1.1/24 dev in0
ip -n r addr add 10.50.2.1/24 dev out0
ip -n h2 addr add 10.50.2.20/24 dev eth0
ip -n h2 route add default via 10.50.2.1
for ns in h1 r h2; do ip -n $ns link set lo up; done
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n r link set in0 up
sleep 1.5
ip -n r link set out0 up
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec h1 ping -c 1 -W 1 10.50.2.20
echo "exit=$?"
ip netns exec r sysctl -w net.ipv4.conf.in0.proxy_arp=1
ip -n h1 neigh flush dev eth0
ip netns exec h1 ping -c 1 -W 1 10.50.2.20
echo "exit=$?"
ip -n h1 neigh show 10.50.2.20
ip -n r link show in0 | tail -1
ip netns exec r cat /proc/sys/net/ipv4/conf/in0/proxy_arp
ip -n r neigh add proxy 10.50.1.99 dev out0
ip -n r neigh show proxy
ip -n r neigh del proxy 10.50.1.99 dev out0
ip -n r neigh show proxy
