# title: ip rule selectors tos, ipproto, ports and uidrange, goto, nop and suppress_prefixlength
# shows: the selectors are stored and printed in iproute2's order (JSON with ranges as _start/_end), a goto to a missing priority is unresolved and a backward one refused, an invalid tos refused by the kernel; route get with ipproto and ports follows the rule that selects them, suppress_prefixlength passes over a default route, goto skips rules and nop does nothing
ip link add v0 type veth peer name v1
ip addr add 10.1.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route add default via 10.1.0.254 dev v0
ip route add 10.50.0.0/16 via 10.1.0.253 table 101
ip route add default via 10.1.0.252 table 102
ip route add default via 10.1.0.251 table 103
ip rule add pref 100 tos 0x10 lookup 100
ip rule add pref 101 ipproto tcp dport 80 lookup 101
ip rule add pref 102 ipproto udp sport 1000-2000 dport 53 lookup 102
ip rule add pref 103 from 10.0.0.0/8 goto 32766
ip rule add pref 104 nop
ip rule add pref 105 lookup main suppress_prefixlength 0
ip rule add pref 106 uidrange 1000-2000 lookup 106
ip rule add pref 107 to 1.2.3.4 fwmark 0x10/0xff iif lo ipproto icmp lookup 107
ip rule add pref 108 dsfield 0x20 lookup 108
ip rule add pref 109 sport 5 dport 6-7 lookup 109
ip rule add pref 110 goto 50
ip rule add pref 111 tos 0x300 lookup 5
ip rule add pref 112 ipproto foo lookup 5
ip rule add pref 113 dport 70000 lookup 5
ip rule add pref 114 goto 500
ip rule add pref 115 ipproto 47 lookup 5
ip rule add pref 116 not tos 0x08 lookup 5 suppress_prefixlength 8
ip rule add pref 117 blackhole ipproto tcp dport 25
ip rule add pref 118 lookup 5 proto static
ip rule
ip -d rule show pref 100
ip -j rule show pref 102
ip -j rule show pref 105
ip -j rule show pref 114
ip -j rule show pref 104
ip -j rule show pref 106
ip -j rule show pref 116
ip route get 10.50.1.1
ip route get 10.50.1.1 ipproto tcp dport 80
ip route get 10.50.1.1 ipproto udp sport 1500 dport 53
ip route get 10.50.1.1 ipproto tcp dport 25
ip rule del pref 101 ipproto tcp dport 80
ip rule del tos 0x10
ip rule add pref 500 lookup 103
ip rule show pref 114
ip route get 10.60.1.1
ip rule del pref 103
ip rule del pref 105
ip route get 10.60.1.1
ip rule
