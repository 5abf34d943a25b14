# title: Per-device forwarding: the input device decides
# shows: net.ipv4.conf.DEV.forwarding on only one side lets traffic in one direction be forwarded; writing ip_forward sets every device; ip route get iif shows the difference
ip netns add left
ip netns add router
ip netns add right
ip link add eth0 netns left type veth peer name l0 netns router
ip link add eth0 netns right type veth peer name r0 netns router
ip -n left addr add 10.1.0.2/24 dev eth0
ip -n router addr add 10.1.0.1/24 dev l0
ip -n router addr add 10.2.0.1/24 dev r0
ip -n right addr add 10.2.0.2/24 dev eth0
for ns in left router right; do ip -n $ns link set lo up; done
ip -n left link set eth0 up
ip -n right link set eth0 up
ip -n router link set l0 up
sleep 1.5
ip -n router link set r0 up
ip -n left route add default via 10.1.0.1
ip -n right route add default via 10.2.0.1
ip netns exec router sysctl -w net.ipv4.conf.l0.forwarding=1
ip netns exec router sysctl net.ipv4.ip_forward net.ipv4.conf.r0.forwarding
ip -n router route get 10.2.0.2 from 10.1.0.2 iif l0
ip -n router route get 10.1.0.2 from 10.2.0.2 iif r0
echo "exit=$?"
ip netns exec left ping -c 1 -W 1 10.2.0.2
echo "exit=$?"
ip netns exec router sysctl -w net.ipv4.conf.r0.forwarding=1
ip netns exec left ping -c 1 -W 1 10.2.0.2
ip netns exec router sysctl -w net.ipv4.ip_forward=0
ip netns exec router sysctl net.ipv4.conf.l0.forwarding net.ipv4.conf.r0.forwarding
ip netns exec router sysctl -w net.ipv4.conf.all.forwarding=1
ip netns exec router sysctl net.ipv4.ip_forward
