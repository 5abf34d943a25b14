# title: veth carrier follows the peer: M-DOWN, LOWERLAYERDOWN, NO-CARRIER
# shows: one end up while the other is down shows NO-CARRIER / LOWERLAYERDOWN; the peer shows M-DOWN; both up gives LOWER_UP
ip link add v0 type veth peer name v1
ip link show v0
ip link set v0 up
ip link show v0
ip link show v1
ip -br link
ip link set v1 up
ip link show v0
ip link show v1
ip -br link show v1
ip addr add 192.168.5.1/24 dev v0
ip route
ip link set v1 down
ip link show v0
ip route
ip -br addr
ip link set v1 up
ip route
