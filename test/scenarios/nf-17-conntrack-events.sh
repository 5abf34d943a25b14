# title: conntrack -E: flow events while traffic passes
# shows: events written to a file by a background conntrack -E ([NEW] on the first packet, [UPDATE] when the reply makes the flow seen in both directions), and the count it prints when killed
ip link set lo up
iptables -A INPUT -m conntrack --ctstate NEW -j ACCEPT
conntrack -E > ev.txt &
sleep 0.5
ping -c 1 127.0.0.1 > /dev/null
sleep 0.5
kill %1; sleep 0.5
sed "s/id=[0-9]*/id=N/g" ev.txt
