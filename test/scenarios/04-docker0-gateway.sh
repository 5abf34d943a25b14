# title: A docker0-like bridge as the containers' default gateway
# shows: docker0 with 172.17.0.1/16, two containers with default via 172.17.0.1, container routes, container-to-container and container-to-host pings, a route lookup for an outside address
# seed: 000_bae6f7f7a09dd690.md (The Bridge (Default: docker0); default via 172.17.0.1)
ip link add docker0 type bridge
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip route
for c in c1 c2; do ip netns add $c; done
ip link add veth1 type veth peer name eth0 netns c1
ip link add veth2 type veth peer name eth0 netns c2
ip link set veth1 master docker0
ip link set veth2 master docker0
ip link set veth1 up
ip link set veth2 up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c2 addr add 172.17.0.3/16 dev eth0
ip -n c1 link set eth0 up
ip -n c2 link set eth0 up
ip -n c1 link set lo up
ip -n c1 route add default via 172.17.0.1
ip -n c2 route add default via 172.17.0.1
ip -n c1 route
ip -n c1 route get 8.8.8.8
ip -n c1 route get 172.17.0.3
ip netns exec c1 ping -c 1 -W 1 172.17.0.3
ip netns exec c2 ping -c 1 -W 1 172.17.0.1
ping -c 1 -W 1 172.17.0.2
ip netns exec c1 ping -c 1 -W 1 127.0.0.1
ip -n c1 neigh
bridge link
