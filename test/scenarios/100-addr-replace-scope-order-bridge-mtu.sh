# title: ip addr replace and change, primary order by scope, a bridge's MTU following its ports
# shows: replace/change of an existing address succeeds and changes only its metric (the prefix route follows), change creates a missing one, add still refuses; a new primary goes after the primaries of wider scope; a bridge takes its ports' smallest MTU as ports come, go and change, until an MTU is set on it
ip link add rv0 type veth peer name rv1
ip link set rv0 up
ip link set rv1 up
ip addr add 10.18.0.1/24 dev rv0
ip addr replace 10.18.0.1/24 dev rv0
ip addr replace 10.18.0.1/24 dev rv0 metric 7 label rv0:x scope link
ip addr show dev rv0
ip route show dev rv0
ip addr change 10.19.0.1/24 dev rv0
ip addr change 10.18.0.1/24 dev rv0 metric 9
ip addr add 10.18.0.1/24 dev rv0
ip -4 -o addr show dev rv0
ip route show table all dev rv0
ip -6 addr add 2001:db8::1/64 dev rv0 nodad
ip -6 addr replace 2001:db8::1/64 dev rv0 nodad
ip -6 addr add 2001:db8::1/64 dev rv0 nodad
ip addr add 10.2.0.1/16 dev rv1
ip addr add 192.168.5.5/32 dev rv1 scope link
ip addr add 172.16.0.1/12 dev rv1 scope host
ip addr add 10.3.0.1/16 dev rv1 scope link
ip addr add 10.2.0.2/16 dev rv1
ip -4 -o addr show dev rv1
ip -br addr show dev rv1
ip link add bmbr type bridge
ip link add bv0 type veth peer name bv1
ip link add bv2 type veth peer name bv3
ip link set bv0 mtu 1400
ip link set bv0 master bmbr
ip link show bmbr
ip link set bv2 mtu 1450
ip link set bv2 master bmbr
ip link show bmbr
ip link set bv0 mtu 1460
ip link show bmbr
ip link set bv2 mtu 1300
ip link show bmbr
ip link set bv2 nomaster
ip link show bmbr
ip link set bv0 nomaster
ip link show bmbr
ip link add br2 mtu 9000 type bridge
ip link set bv2 master br2
ip link show br2
ip link set br2 mtu 1200
ip link set bv0 master br2
ip link set bv0 mtu 1100
ip link show br2
