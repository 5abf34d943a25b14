# title: /proc/sys/net via cat and echo
# shows: cat /proc/sys/net/ipv4/ip_forward, echo 1 > … inside a namespace, per-device conf files, a device's files disappear with it
ip netns add p
ip link add v0 netns p type veth peer name v1 netns p
ip netns exec p cat /proc/sys/net/ipv4/ip_forward
ip netns exec p sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
ip netns exec p cat /proc/sys/net/ipv4/ip_forward
ip netns exec p sysctl net.ipv4.ip_forward
ip netns exec p cat /proc/sys/net/ipv4/conf/v0/proxy_arp
ip netns exec p sh -c 'echo 1 > /proc/sys/net/ipv4/conf/v0/proxy_arp'
ip netns exec p sysctl net.ipv4.conf.v0.proxy_arp
ip netns exec p cat /proc/sys/net/ipv4/neigh/v0/base_reachable_time_ms
ip -n p link del v0
ip netns exec p cat /proc/sys/net/ipv4/conf/v0/proxy_arp
echo "exit=$?"
cat /proc/sys/net/ipv4/ip_forward
