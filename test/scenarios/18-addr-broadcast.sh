# title: Broadcast addresses: brd +, brd explicit, none
# shows: ip addr add … brd + computes the broadcast; an explicit brd is kept; without brd iproute2 6.1 prints none; the local table's broadcast routes
ip link add v0 type veth peer name v1
ip addr add 10.4.0.1/24 brd + dev v0
ip addr add 10.5.0.1/16 broadcast 10.5.255.254 dev v0
ip addr add 10.6.0.1/24 dev v0
ip addr add 10.8.0.1/30 brd - dev v0
ip addr add 10.10.0.1/32 dev v0
ip addr add 10.11.0.1/31 brd + dev v0
ip -4 addr show dev v0
ip route show table local
ip route show table local type broadcast
