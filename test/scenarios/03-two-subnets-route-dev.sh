# title: Two subnets on one veth pair, joined with device routes
# shows: each namespace only has its connected route, ip route add … dev veth0 adds the other subnet, ip route get confirms it, ping then works
# seed: 000_bae6f7f7a09dd690.md (add-dns-record-for-pod: ip route add 10.0.2.0/24 dev veth0)
ip netns add ns1
ip netns add ns2
ip link add veth0 netns ns1 type veth peer name veth1 netns ns2
ip -n ns1 addr add 10.0.1.0/24 dev veth0
ip -n ns2 addr add 10.0.2.0/24 dev veth1
ip -n ns1 link set veth0 up
ip -n ns2 link set veth1 up
ip -n ns1 route
ip -n ns2 route
ip netns exec ns1 ping -c 1 -W 1 10.0.2.0
ip -n ns1 route add 10.0.2.0/24 dev veth0
ip -n ns1 route get 10.0.2.0
ip -n ns2 route add 10.0.1.0/24 dev veth1
ip -n ns2 route get 10.0.1.0
ip netns exec ns1 ping -c 2 -i 0.2 10.0.2.0
ip -n ns1 route
ip -n ns1 neigh
