# title: a ClusterIP between two pods on one bridge: DNAT in PREROUTING of a bridged packet, reply de-NATed
# shows: a pod reaching a service IP via the bridge's address as gateway, DNAT to the other pod on the same bridge, KUBE-SERVICES-style chains, conntrack -L showing the bridged flow, physdev-is-bridged in FORWARD
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip link add cni0 type bridge
ip addr add 10.244.0.1/24 dev cni0
ip link set cni0 up
for i in 2 3; do
  ip netns add pod$i
  ip link add veth$i type veth peer name eth0 netns pod$i
  ip link set veth$i master cni0
  ip link set veth$i up
  ip -n pod$i addr add 10.244.0.$i/24 dev eth0
  ip -n pod$i link set eth0 up
  ip -n pod$i route add default via 10.244.0.1
done
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -N KUBE-SERVICES
iptables -t nat -N KUBE-SVC-WEB
iptables -t nat -N KUBE-SEP-POD3
iptables -t nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
iptables -t nat -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
iptables -t nat -A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-WEB
iptables -t nat -A KUBE-SVC-WEB -m comment --comment "default/web -> 10.244.0.3:8080" -j KUBE-SEP-POD3
iptables -t nat -A KUBE-SEP-POD3 -s 10.244.0.3/32 -j MARK --set-xmark 0x4000/0x4000
iptables -t nat -A KUBE-SEP-POD3 -p tcp -m tcp -j DNAT --to-destination 10.244.0.3:8080
iptables -t nat -A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
iptables -A FORWARD -m physdev --physdev-is-bridged -m conntrack --ctstate DNAT
iptables -A FORWARD -m conntrack --ctstate DNAT
ip netns exec pod3 nc -l -p 8080 > /dev/null &
sleep 0.2
ip netns exec pod2 nc -z -w 1 10.96.0.20 80; echo "pod2 -> svc: $?"
conntrack -L -p tcp
iptables -L FORWARD -n -v
iptables -t nat -L PREROUTING -n -v
iptables -t nat -L KUBE-SEP-POD3 -n -v
