# title: Hairpin mode sends a frame back out of the port it came in on
# shows: bridge link set hairpin on, bridge -d link shows it, ip -d link shows hairpin on for the port
ip link add br0 type bridge
ip link add p1 type veth peer name eth0
ip link set p1 master br0
ip link set br0 up
ip link set p1 up
ip link set eth0 up
bridge -d link show dev p1 | grep -o "hairpin [a-z]*"
bridge link set dev p1 hairpin on
bridge -d link show dev p1 | grep -o "hairpin [a-z]*"
ip -d link show p1 | grep -o "hairpin [a-z]*"
ip -j -d link show p1 | grep -o '"hairpin":[a-z]*'
bridge link set dev p1 hairpin off
bridge -d link show dev p1 | grep -o "hairpin [a-z]*"
bridge link set dev eth0 hairpin on
echo "exit=$?"
