# title: iptables messages
# shows: a word no option takes is a Bad argument without the version in front (also in iptables-restore, with its line); the state match's bad state and ctstate's are named apart; an ICMP type or code that is not a number up to 255 is unknown; renaming a chain to a name taken (a user chain or a built-in one) is "File exists"
iptables -A INPUT -o ! br0 -j ACCEPT
iptables -L INPUT -v -n 1
iptables -A INPUT x
iptables -A INPUT -m state --state FOO
iptables -A INPUT -m conntrack --ctstate FOO
iptables -A INPUT -p icmp --icmp-type bogus
iptables -A INPUT -p icmp --icmp-type 300
iptables -A INPUT -p icmp --icmp-type 3/300
iptables -A INPUT -p icmp --icmp-type 3/x
iptables -A INPUT -p icmp --icmp-type 3/4 -j ACCEPT
iptables -A INPUT -p icmp --icmp-type 8 -j ACCEPT
printf "*filter\n-A INPUT x\nCOMMIT\n" | iptables-restore
iptables -S INPUT
iptables -N A1
iptables -N B1
iptables -E A1 B1
iptables -E A1 FORWARD
iptables -E A1 INPUT
iptables -N A1
iptables -S
