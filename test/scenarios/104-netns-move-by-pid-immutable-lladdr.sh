# title: moving links between namespaces by name and by PID, and the links that cannot move
# shows: netns takes a name or a PID (PID 1 is the shell the script runs in, so its own namespace; a PID no process has is ESRCH); loopback and bridges are netns-local ("immutable"), a vxlan moves; an address given with a wrong length is refused before the kernel is asked; vxlan without an id fails with status 1
ip netns add x
ip link add br0 type bridge
ip link set br0 netns x
ip link add vx0 type vxlan id 5 dstport 4789
ip link set vx0 netns x
ip link add d0 type veth peer name d1
ip link set d0 netns 99999
ip link set d0 netns 1
ip link set d0 netns nosuch
ip link set lo netns x
ip link set lo netns 1
ip netns exec x ip link set vx0 netns 1
ip -br link show
ip netns exec x ip -br link show
ip link set dev d0 address 02:aa
ip link set dev d0 address 02:aa:bb:cc:dd:ee:ff
ip link set dev d0 address 0x2:aa:bb:cc:dd:e
ip link add v0 address 02:aa type veth peer name v1
ip link add vx3 type vxlan dstport 4789
ip link show d0
