# title: link flags, alias, groups, MTU limits and names
# shows: promisc, arp, multicast and allmulticast on and off (NOARP, ALLMULTI, PROMISC in the flags, allmulti in -d), an alias under ip link, txqueuelen, link groups (set, show, and a group as the selector of ip link set), MTU bounds, invalid MACs and names, and a veth whose peer has its own name still using up an ifindex
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip link add v0 type veth peer name v1
ip link set v0 promisc on
ip link set v0 arp off
ip link set v0 multicast off
ip link set v0 allmulticast on
ip link set v0 txqueuelen 500
ip link set v0 alias "uplink to v1"
ip link show v0
ip -d link show v0
ip link set v0 promisc off arp on multicast on allmulticast off
ip link show v0
ip link show up
ip link set v0 up
ip link set v1 up
ip link show up
ip -o link show v0
ip link set v0 group 5
ip link show group 5
ip link set v0 mtu 70000; echo "rc=$?"
ip link set v0 mtu 60; echo "rc=$?"
ip link set v0 mtu 68; echo "rc=$?"
ip link show v0
ip link set v0 address ff:ff:ff:ff:ff:ff; echo "rc=$?"
ip link set v0 address 01:00:00:00:00:01; echo "rc=$?"
ip link set v0 name lo; echo "rc=$?"
ip link set v0 name "a b"; echo "rc=$?"
ip link set v0 name 0123456789abcdef; echo "rc=$?"
ip link set v0 name 0123456789abcde; echo "rc=$?"
ip link show
ip link add v2 type veth peer name v2; echo "rc=$?"
ip link add v0 type veth peer name v9; echo "rc=$?"
ip link del v1
ip link show
ip link set group 5 down
ip link show group 5
ip link show group default
ip link set v0 group nope; echo "rc=$?"
ip link show group nope; echo "rc=$?"
ip link set 0123456789abcde group default
ip link show group 5
