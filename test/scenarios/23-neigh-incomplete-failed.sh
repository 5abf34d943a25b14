# title: An address nobody answers: INCOMPLETE, then FAILED
# shows: ping to an absent host gets "Destination Host Unreachable"; the entry is INCOMPLETE while ARP retries (3 probes, 1 s apart) and FAILED afterwards
ip netns add lone
ip link add eth0 netns lone type veth peer name peer0
ip link set peer0 up
ip -n lone addr add 10.30.0.1/24 dev eth0
ip -n lone link set eth0 up
ip netns exec lone ping -c 1 -W 1 10.30.0.9
echo "exit=$?"
ip -n lone neigh
sleep 4
ip -n lone neigh
ip netns exec lone ping -c 3 -i 0.5 10.30.0.9
echo "exit=$?"
ip -n lone -j neigh
