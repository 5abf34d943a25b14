# title: sysctl: read, write, -w, -n, -q, -a filtered, errors
# shows: reading and writing net.ipv4 keys with dots and slashes, -n prints the value only, -q suppresses the echo, unknown keys and bad values fail as procps fails
ip netns add s
ip netns exec s sysctl net.ipv4.ip_forward
ip netns exec s sysctl -n net.ipv4.ip_forward
ip netns exec s sysctl -w net.ipv4.ip_forward=1
ip netns exec s sysctl net/ipv4/ip_forward
ip netns exec s sysctl -q -w net.ipv4.ip_forward=0
ip netns exec s sysctl net.ipv4.ip_forward net.ipv4.conf.lo.forwarding
ip netns exec s sysctl -w net.ipv4.conf.all.rp_filter=2
ip netns exec s sysctl net.ipv4.conf.all.rp_filter
ip netns exec s sysctl net.ipv4.no_such_key
echo "exit=$?"
ip netns exec s sysctl -w net.ipv4.no_such_key=1
echo "exit=$?"
ip netns exec s sysctl -w net.ipv4.ip_forward
echo "exit=$?"
ip netns exec s sysctl net.ipv4.ip_default_ttl net.ipv4.neigh.default.base_reachable_time_ms
ip netns exec s sysctl net.ipv4.conf.default.proxy_arp
ip netns exec s sysctl -n net.ipv4.ip_local_port_range
