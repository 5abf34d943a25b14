# title: ipset sets of every type, and iptables matching against them
# shows: ipset create/add/del/test/list/save/flush/destroy and their messages; -m set --match-set; a set in use cannot be destroyed
ipset create myset hash:ip
ipset add myset 10.0.0.1
ipset add myset 10.0.0.2
ipset add myset 10.0.0.1; echo rc=$?
ipset -exist add myset 10.0.0.1; echo rc=$?
ipset list
ipset create ports bitmap:port range 1000-2000
ipset add ports 1024
ipset add ports 80; echo rc=$?
ipset create nets hash:net
ipset add nets 10.1.0.0/16
ipset add nets 192.168.1.5
ipset create ipp hash:ip,port
ipset add ipp 10.0.0.1,tcp:80
ipset add ipp 10.0.0.2,udp:53
ipset add ipp 10.0.0.3,8080
ipset list -n
ipset list ipp
ipset list nets
ipset list ports
ipset test myset 10.0.0.1; echo rc=$?
ipset test myset 10.0.0.9; echo rc=$?
ipset del myset 10.0.0.9; echo rc=$?
ipset del myset 10.0.0.2
ipset save
ipset list nosuch; echo rc=$?
ipset create myset hash:ip; echo rc=$?
ipset create bad hash:foo; echo rc=$?
ipset add myset 300.1.1.1; echo rc=$?
iptables -A INPUT -m set --match-set myset src -j DROP
ipset destroy myset; echo rc=$?
ipset flush nets
ipset list nets | tail -3
ipset destroy ports
ipset list -t
ipset version
