# title: ip route get connected, ipset swap of unlike sets
# shows: route get with connected (and no from) asks twice and prints the answer twice (with -j, the second as text); ipset swap of sets of different types names them
ip link add v0 type veth peer name v1
ipset create a hash:ip
ipset create b hash:net
ipset swap a b
ip addr add 10.1.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route get 10.1.0.2 connected
ip route get 10.9.0.2 connected
ip -j route get 10.1.0.2 connected
ip route get 10.1.0.2 from 10.1.0.1 connected
ip route get 10.1.0.1 connected
