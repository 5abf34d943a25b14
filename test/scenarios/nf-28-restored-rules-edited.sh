# title: rules written by iptables-restore, then edited one command at a time
# shows: restored rules checked (-C), deleted by specification and by number, replaced, inserted before, counted, zeroed and renamed as rules added with iptables -A are
printf '*filter\n:WEB - [0:0]\n:LOG1 - [0:0]\n-A INPUT -p icmp -j WEB\n-A WEB -s 127.0.0.1/32 -p icmp -m icmp --icmp-type 8 -j LOG1\n-A WEB -d 127.0.0.1/32 -p icmp -j ACCEPT\n-A WEB -s 10.0.0.0/8 -j DROP\n-A WEB -m comment --comment "keep me" -j RETURN\n-A LOG1 -j RETURN\nCOMMIT\n' | iptables-restore; echo rc=$?
ip link set lo up
ping -c 2 -W 1 127.0.0.1 >/dev/null
iptables -L WEB -v -n -x --line-numbers
iptables -C WEB -s 10.0.0.0/8 -j DROP; echo rc=$?
iptables -C WEB -s 10.0.0.0/16 -j DROP; echo rc=$?
iptables -D WEB -s 10.0.0.0/8 -j DROP; echo rc=$?
iptables -R WEB 2 -d 127.0.0.1/32 -p icmp -j LOG1; echo rc=$?
iptables -I WEB 1 -s 192.0.2.1/32 -j DROP
ping -c 1 -W 1 127.0.0.1 >/dev/null
iptables -L -v -n -x | grep -A6 '^Chain WEB\|^Chain LOG1'
iptables -Z WEB
iptables -E LOG1 SEEN; echo rc=$?
iptables -S
iptables -D WEB 3; echo rc=$?
iptables -X SEEN; echo rc=$?
iptables -D WEB 2; echo rc=$?
iptables -X SEEN; echo rc=$?
iptables-save | grep -v '^#'
