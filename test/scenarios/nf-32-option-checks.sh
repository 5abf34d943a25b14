# title: iptables option checks
# shows: an option iptables takes once (-s -d -p -i -o -f -n -x --line-numbers -c) given twice is refused, -v may repeat; a backwards tcp port range is refused while udp keeps it (a range no port is in), multiport refuses a backwards range and more than fifteen places (a range takes two); -S -v prints a rule's counters after its matches, before its target
iptables -A INPUT -s 1.2.3.4 -s 1.2.3.5 -j ACCEPT
iptables -L -n -n
iptables -L -v -v
iptables -L -x -x
iptables -A INPUT -p tcp -p udp
iptables -A INPUT -i a -i b
iptables -A INPUT -o a ! -o b
iptables -A INPUT -f -f
iptables -A INPUT -d 1.1.1.1 --dst 2.2.2.2
iptables -L --line-numbers --line-numbers
iptables -A INPUT -c 1 2 -c 3 4 -j ACCEPT
iptables -A INPUT -p tcp --dport 80:70
iptables -A INPUT -p udp --sport 9:8 -j ACCEPT
iptables -A INPUT -p tcp --dport :80 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 5:3 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16
iptables -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14:20 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16 -j ACCEPT
iptables -N FOO
iptables -A INPUT -p tcp --dport 83 -j DROP
iptables -A INPUT -s 1.2.3.4 -m comment --comment x
iptables -A INPUT -g FOO
iptables -A INPUT -j LOG --log-prefix "a b"
iptables -S -v
iptables -S INPUT -v
