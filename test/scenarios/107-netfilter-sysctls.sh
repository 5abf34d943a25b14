# title: net.netfilter sysctls: conntrack's timeouts per namespace, the table's size entries read-only outside the initial namespace
# shows: a namespace starts with the compiled timeouts and its flows take the ones written there; timeouts are checked as jiffies, switches by their range, loggers by name; nf_conntrack_max and nf_conntrack_buckets are the initial namespace's (read-only, but sysctl -w still exits 0), nf_conntrack_count counts the namespace's own flows
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns add ct
ip netns exec ct sysctl -a -r 'nf_conntrack_(tcp_timeout|udp|icmp_|generic|max|buckets|count|tcp_loose|tcp_be)'
ip netns exec ct sysctl -a -r 'nf_log'
ip netns exec ct ip link set lo up
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_icmp_timeout=17
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_udp_timeout=23
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_tcp_timeout_time_wait=41
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_tcp_timeout_established=86400
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_tcp_timeout_close_wait=3600
ip netns exec ct iptables -A INPUT -m conntrack --ctstate NEW -j ACCEPT
ip netns exec ct ping -c 1 -W 1 127.0.0.1 > /dev/null
ip netns exec ct nc -l -p 8080 > /dev/null &
# Time for the real listener to bind under load (the model binds at once; its sleep only advances the clock).
sleep 1
ip netns exec ct nc -z -w 1 127.0.0.1 8080
echo hi | ip netns exec ct nc -u -w 1 127.0.0.1 5354
ip netns exec ct conntrack -L -p icmp
ip netns exec ct conntrack -L -p udp
ip netns exec ct conntrack -L -p tcp
ip netns exec ct sysctl net.netfilter.nf_conntrack_count
sysctl net.netfilter.nf_conntrack_count
sysctl net.netfilter.nf_conntrack_icmp_timeout net.netfilter.nf_conntrack_tcp_timeout_established
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_max=1000; echo "exit $?"
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_buckets=1024; echo "exit $?"
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_count=3; echo "exit $?"
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_tcp_timeout_established=8589934
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_tcp_timeout_established=8589935; echo "exit $?"
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_tcp_timeout_established=-8589934
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_udp_timeout=abc; echo "exit $?"
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_tcp_loose=2; echo "exit $?"
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_tcp_be_liberal=1
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_events=3; echo "exit $?"
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_log_invalid=255
ip netns exec ct sysctl -w net.netfilter.nf_log.2=nf_log_arp; echo "exit $?"
ip netns exec ct sysctl -w net.netfilter.nf_log.2=NONE
ip netns exec ct sysctl -w net.netfilter.nf_log.3=nf_log_arp
ip netns exec ct sysctl net.netfilter.nf_log.2 net.netfilter.nf_log.3 net.netfilter.nf_conntrack_tcp_be_liberal
ip netns exec ct sysctl -w net.netfilter.nf_conntrack_nonexistent=1; echo "exit $?"
ip netns del ct
