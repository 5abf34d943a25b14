# title: Policy routing rules: fwmark, from, iif, tables
# shows: the default rules, adding rules with priorities, their order and output, lookups that follow them, deleting rules
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 10.95.0.1/24 dev v0
ip rule
ip route add default via 10.95.0.10 table 10
ip route add default via 10.95.0.20 table 20
ip route add default via 10.95.0.30 table 30
ip rule add from 192.168.9.0/24 table 10
ip rule add fwmark 0x20/0xff table 20 priority 100
ip rule add iif v1 table 30 pref 200
ip rule add to 10.96.0.0/16 lookup main prio 300
ip rule add not from 10.95.0.1 table 10 prio 400
ip rule show
ip -j rule
ip route get 8.8.8.8 from 192.168.9.5
ip route get 8.8.8.8 mark 0x120
ip route get 8.8.8.8 mark 0x121
ip route show table 20
ip route show table all | grep -c default
ip rule del priority 100
ip rule del fwmark 0x20/0xff table 20
echo "exit=$?"
ip rule del table 30
ip rule list
ip rule add table 55 unreachable
echo "exit=$?"
ip rule add blackhole prio 50 from 10.99.0.0/16
ip rule show prio 50
ip route get 8.8.8.8 from 10.99.1.1
echo "exit=$?"
