# title: What a route filter leaves out of the listing
# shows: ip route show with dev, proto, scope, via, src, type and table filters (iproute2 omits the fields the filter fixes, in text and JSON), and ip route get's argument parsing
ip link add ra type veth peer name hb
ip addr add 172.16.0.1/30 dev ra
ip link set ra up
ip link set hb up
ip route add 10.10.0.0/16 dev ra scope link src 172.16.0.1
ip route add 10.11.0.0/16 dev ra proto static
ip route add 10.1.0.0/16 via 172.16.0.2 dev ra table 5
ip route add 10.2.0.0/16 via 172.16.0.2 metric 20
ip route add blackhole 10.3.0.0/16
ip route add unreachable 10.4.0.0/16 proto static
ip route show dev ra
ip route show oif ra
ip route show proto static
ip route show proto kernel
ip route show scope link
ip route show via 172.16.0.2
ip route show via 172.16.0.2 table all
ip route show src 172.16.0.1
ip route show type blackhole
ip route show table 5
ip route show table local dev ra
ip route show dev ra scope link proto kernel
ip -j route show dev ra
ip -j route show proto static
ip route get to 172.16.0.2 src 172.16.0.1
ip route get 172.16.0.2 10.1.1.1
ip route get 10.2.3.4 from 172.16.0.1
