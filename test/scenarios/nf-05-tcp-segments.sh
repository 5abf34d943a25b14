# title: the segments of a TCP connection, counted by --tcp-flags rules in both namespaces
# shows: -p tcp --tcp-flags ALL …, --syn, nc -z (SYN, ACK, FIN, ACK; whether the listener ACKs our FIN alone is a race, so its lone ACKs are not counted), data with -N, a RST without options from a closed port, -Z starting policy counters, silent refusal without -v
ip netns add a
ip netns add b
ip link add v0 netns a type veth peer name v1 netns b
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
for f in SYN ACK FIN,ACK RST RST,ACK PSH,ACK FIN,PSH,ACK; do ip netns exec a iptables -A OUTPUT -p tcp --tcp-flags ALL $f; done
for f in SYN,ACK FIN,ACK RST,ACK; do ip netns exec b iptables -A OUTPUT -p tcp --tcp-flags ALL $f; done
ip netns exec b iptables -A INPUT -p tcp --syn
ip netns exec b iptables -A INPUT -p tcp ! --syn
ip netns exec b nc -l -p 80 &
sleep 0.2
ip netns exec a nc -z -w 1 10.0.0.2 80; echo "z: $?"
sleep 1
ip netns exec a iptables -L OUTPUT -n -v -x
ip netns exec b iptables -L -n -v -x
ip netns exec a iptables -Z
ip netns exec b iptables -Z
ip netns exec b nc -l -p 81 &
sleep 0.2
echo hello | ip netns exec a nc -w 1 -N 10.0.0.2 81; echo "d: $?"
sleep 1
ip netns exec a iptables -L OUTPUT -n -v -x
ip netns exec b iptables -L -n -v -x
ip netns exec a iptables -Z
ip netns exec b iptables -Z
ip netns exec a nc -z -w 1 10.0.0.2 82; echo "r: $?"
ip netns exec a iptables -L OUTPUT -n -v -x
ip netns exec b iptables -S
ip netns exec b iptables-save -c
