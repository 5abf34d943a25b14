# title: flannel's vxlan backend by hand: two nodes on a bridged underlay, a pod on each, pod-to-pod through flannel.1
# shows: what flanneld programs for each remote node (a permanent neighbour for the remote VTEP's address, a `self permanent` FDB entry naming the remote node, an onlink route for the remote podCIDR via flannel.1); the pod's packets are forwarded into the tunnel, encapsulated to the remote node's underlay address and decapsulated there; flannel.1's MTU is 50 bytes below the underlay's; without the FDB entry the frames are dropped on flannel.1
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip link add kind type bridge
ip link set kind up
for n in 1 2; do
  ip netns add node$n
  ip netns exec node$n sysctl -qw net.ipv6.conf.default.disable_ipv6=1
  ip netns exec node$n sysctl -qw net.ipv4.ip_forward=1
done
for n in 1 2; do
  ip netns add pod$n
  ip netns exec pod$n sysctl -qw net.ipv6.conf.default.disable_ipv6=1
  ip -n node$n link add cni0 type bridge
  ip -n node$n addr add 10.244.$((n - 1)).1/24 dev cni0
  ip -n node$n link set cni0 up
  ip -n node$n link add veth$n type veth peer name eth0 netns pod$n
  ip -n node$n link set veth$n master cni0
  ip -n node$n link set veth$n up
  ip -n pod$n addr add 10.244.$((n - 1)).2/24 dev eth0
  ip -n pod$n link set eth0 up
  ip -n pod$n route add default via 10.244.$((n - 1)).1
done
for n in 1 2; do
  ip link add veth-node$n type veth peer name eth0 netns node$n
  ip link set veth-node$n master kind
  ip link set veth-node$n up
  ip -n node$n addr add 172.18.0.$((n + 1))/16 dev eth0
  ip -n node$n link set eth0 up
done
ip -n node1 link add flannel.1 address 0a:00:00:00:00:01 type vxlan id 1 local 172.18.0.2 dev eth0 dstport 8472 nolearning
ip -n node2 link add flannel.1 address 0a:00:00:00:00:02 type vxlan id 1 local 172.18.0.3 dev eth0 dstport 8472 nolearning
ip -n node1 addr add 10.244.0.0/32 dev flannel.1
ip -n node2 addr add 10.244.1.0/32 dev flannel.1
ip -n node1 link set flannel.1 up
ip -n node2 link set flannel.1 up
ip -n node1 neigh add 10.244.1.0 lladdr 0a:00:00:00:00:02 dev flannel.1 nud permanent
ip -n node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink
ip -n node2 neigh add 10.244.0.0 lladdr 0a:00:00:00:00:01 dev flannel.1 nud permanent
ip -n node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink
ip netns exec pod1 ping -c 1 -W 1 10.244.1.2
ip -n node1 -s link show flannel.1
bridge -n node1 fdb add 0a:00:00:00:00:02 dev flannel.1 dst 172.18.0.3 self permanent
bridge -n node2 fdb add 0a:00:00:00:00:01 dev flannel.1 dst 172.18.0.2 self permanent
ip netns exec pod1 ping -c 3 -i 0.2 -W 1 10.244.1.2
ip netns exec pod2 ping -c 1 -W 1 10.244.0.0
ip -n node1 route get 10.244.1.2
ip -n node1 route show
ip -n node1 neigh show dev flannel.1
bridge -n node1 fdb show dev flannel.1
bridge -n node2 fdb show dev flannel.1
ip -n node1 -s link show flannel.1
ip -n node2 -s link show flannel.1
ip -n node1 -d link show flannel.1
ip -n node2 link show
