# title: The vxlan FDB: add, append, replace, del and flush, the default entry from `remote`, learning and its limits
# shows: bridge fdb's output for vxlan entries (newest first, one line per remote, port/vni/via only where they differ from the device, static and dynamic states, JSON); append only adds remotes to the all-zeros or a multicast entry; replace refuses them; deleting one remote of several; errors (no dst, duplicates, master on a device without a bridge, a second device with the same VNI and port); learning of the inner source MAC against the outer source address, a static entry that is not migrated, and the dynamic entries a device forgets when it goes down
ip netns add n1
ip netns add n2
ip link add eth0 netns n1 type veth peer name eth0 netns n2
ip netns exec n1 sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns exec n2 sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip -n n1 addr add 172.18.0.2/24 dev eth0
ip -n n1 addr add 172.18.0.12/24 dev eth0
ip -n n2 addr add 172.18.0.3/24 dev eth0
ip -n n1 link set eth0 up
ip -n n2 link set eth0 up
ip -n n1 link add vx0 type vxlan id 42 remote 172.18.0.3 dev eth0 dstport 4789 ttl 10
ip -n n1 link add vx1 type vxlan id 42 dstport 4789
ip -n n1 link add vx1 type vxlan id 43 dstport 0
ip -n n1 -d link show vx0
ip -n n1 -d link show vx1
bridge -n n1 fdb show dev vx0
bridge -n n1 fdb add aa:bb:cc:dd:ee:01 dev vx0 dst 172.18.0.5
bridge -n n1 fdb add aa:bb:cc:dd:ee:02 dev vx0 dst 172.18.0.6 port 4789 vni 42
bridge -n n1 fdb add aa:bb:cc:dd:ee:03 dev vx0 dst 172.18.0.7 port 99 vni 7 via eth0
bridge -n n1 fdb add aa:bb:cc:dd:ee:04 dev vx0 dst 172.18.0.8 static
bridge -n n1 fdb add aa:bb:cc:dd:ee:05 dev vx0 dst 172.18.0.8 dynamic
bridge -n n1 fdb append 00:00:00:00:00:00 dev vx0 dst 172.18.0.20
bridge -n n1 fdb append 00:00:00:00:00:00 dev vx0 dst 172.18.0.20
bridge -n n1 fdb append aa:bb:cc:dd:ee:01 dev vx0 dst 172.18.0.21
bridge -n n1 fdb add 01:00:5e:00:00:05 dev vx0 dst 172.18.0.22
bridge -n n1 fdb show dev vx0
bridge -n n1 -j fdb show dev vx0
bridge -n n1 fdb add aa:bb:cc:dd:ee:06 dev vx0
bridge -n n1 fdb add aa:bb:cc:dd:ee:01 dev vx0 dst 172.18.0.9
bridge -n n1 fdb add aa:bb:cc:dd:ee:07 dev vx0 dst 172.18.0.9 master
bridge -n n1 fdb replace 00:00:00:00:00:00 dev vx0 dst 172.18.0.23
bridge -n n1 fdb replace 01:00:5e:00:00:06 dev vx0 dst 172.18.0.23
bridge -n n1 fdb replace aa:bb:cc:dd:ee:01 dev vx0 dst 172.18.0.10
bridge -n n1 fdb replace aa:bb:cc:dd:ee:08 dev vx0 dst 172.18.0.11
bridge -n n1 fdb del aa:bb:cc:dd:ee:02 dev vx0
bridge -n n1 fdb del aa:bb:cc:dd:ee:02 dev vx0
bridge -n n1 fdb del 00:00:00:00:00:00 dev vx0 dst 172.18.0.20
bridge -n n1 fdb del 00:00:00:00:00:00 dev vx0 dst 172.18.0.99
bridge -n n1 fdb show
ip -n n1 link set vx0 up
ip -n n1 link set vx0 down
bridge -n n1 fdb show dev vx0
bridge -n n1 fdb flush dev vx0 permanent
bridge -n n1 fdb show dev vx0
bridge -n n1 fdb flush dev vx0
bridge -n n1 fdb show dev vx0
ip -n n1 link del vx0
ip -n n1 link add vx0 address 0a:00:00:00:00:01 type vxlan id 42 dev eth0 dstport 4789 nolearning
ip -n n2 link add vx0 type vxlan id 42 local 172.18.0.3 dev eth0 dstport 4789
ip -n n1 addr add 10.0.0.1/24 dev vx0
ip -n n2 addr add 10.0.0.2/24 dev vx0
ip -n n1 link set vx0 up
ip -n n2 link set vx0 up
bridge -n n1 fdb append 00:00:00:00:00:00 dev vx0 dst 172.18.0.3
ip netns exec n1 ping -c 1 -W 1 10.0.0.2
bridge -n n2 fdb show dev vx0
ip -n n1 route add 172.18.0.3/32 dev eth0 src 172.18.0.12
ip netns exec n1 ping -c 1 -W 1 10.0.0.2
bridge -n n2 fdb show dev vx0
bridge -n n2 fdb replace 0a:00:00:00:00:01 dev vx0 dst 172.18.0.2 static
ip netns exec n1 ping -c 1 -W 1 10.0.0.2
ip -n n2 -s link show vx0
bridge -n n2 fdb add 02:4b:54:00:00:99 dev vx0 dst 172.18.0.7 dynamic
ip -n n2 link set vx0 down
bridge -n n2 fdb show dev vx0
