# title: the ipsets kube-proxy's ipvs mode creates, and three-part --match-set
# shows: hash:ip,port,ip and hash:ip,port,net created as utilipset does; list/save/test; a hairpin packet (dst,dst,src) and a source range (dst,dst,src against a net) counted by -m set rules
ipset create KUBE-LOOP-BACK hash:ip,port,ip family inet hashsize 1024 maxelem 65536 -exist
ipset create KUBE-LOAD-BALANCER-SOURCE-CIDR hash:ip,port,net family inet hashsize 1024 maxelem 65536 -exist
ipset create KUBE-NODE-PORT-TCP bitmap:port range 0-65535 -exist
ipset create KUBE-IPVS-IPS hash:ip family inet hashsize 1024 maxelem 65536 -exist
ipset add KUBE-LOOP-BACK 10.9.0.2,tcp:80,10.9.0.2 -exist
ipset add KUBE-LOOP-BACK 10.9.0.2,udp:53,10.9.0.2
ipset add KUBE-LOAD-BALANCER-SOURCE-CIDR 10.9.0.1,tcp:80,10.9.0.0/25
ipset add KUBE-NODE-PORT-TCP 30080
ipset add KUBE-IPVS-IPS 10.96.0.10
ipset add KUBE-LOOP-BACK 10.9.0.2,tcp:80; echo rc=$?
ipset test KUBE-LOOP-BACK 10.9.0.2,tcp:80,10.9.0.2; echo rc=$?
ipset test KUBE-LOAD-BALANCER-SOURCE-CIDR 10.9.0.1,tcp:80,10.9.0.77; echo rc=$?
ipset test KUBE-LOAD-BALANCER-SOURCE-CIDR 10.9.0.1,tcp:80,10.9.0.200; echo rc=$?
ipset list
ipset save
ip netns add a
ip link add va type veth peer name eth0 netns a
ip addr add 10.9.0.1/24 dev va
ip link set va up
ip -n a addr add 10.9.0.2/24 dev eth0
ip -n a link set eth0 up
ip -n a link set lo up
iptables -A INPUT -p tcp -m set --match-set KUBE-LOAD-BALANCER-SOURCE-CIDR dst,dst,src -j ACCEPT
iptables -A OUTPUT -p tcp -m set --match-set KUBE-LOOP-BACK dst,dst,dst -j ACCEPT
iptables -A OUTPUT -p tcp -m set --match-set KUBE-NODE-PORT-TCP dst -j ACCEPT
ip netns exec a nc -l -p 80 &
sleep 1
nc -w 1 -zv 10.9.0.2 80
ip netns exec a nc -w 1 -zv 10.9.0.1 80
iptables -L -n -v -x
iptables-save
