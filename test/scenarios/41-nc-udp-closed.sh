# title: UDP to a closed port with nc
# shows: nc -u -z writes a few probes; the ICMP port unreachable they provoke makes a later write fail, so nc exits 1 without a word, also with -v
ip netns add srv
ip netns add cli
ip link add eth0 netns srv type veth peer name eth0 netns cli
ip -n srv addr add 10.201.0.1/24 dev eth0
ip -n cli addr add 10.201.0.2/24 dev eth0
ip -n srv link set eth0 up
ip -n cli link set eth0 up
ip netns exec cli nc -u -z -v -w 1 10.201.0.1 5354
echo "exit=$?"
sleep 1
