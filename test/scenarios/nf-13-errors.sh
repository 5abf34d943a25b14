# title: iptables error messages and exit codes
# shows: unknown option, unknown target, missing chain, -X of a chain in use and of a non-empty chain, -N of an existing chain, bad policy, index too big, -D of a missing rule, -C, bad table, bad address, bad port
iptables -A INPUT --frobnicate; echo "exit: $?"
iptables -A INPUT -j FROB; echo "exit: $?"
iptables -A NOSUCH -j ACCEPT; echo "exit: $?"
iptables -L NOSUCH; echo "exit: $?"
iptables -N MY
iptables -N MY; echo "exit: $?"
iptables -A MY -j RETURN
iptables -A INPUT -j MY
iptables -X MY; echo "exit: $?"
iptables -D INPUT -j MY
iptables -X MY; echo "exit: $?"
iptables -F MY
iptables -X MY; echo "exit: $?"
iptables -X MY; echo "exit: $?"
iptables -P INPUT REJECT; echo "exit: $?"
iptables -P NOSUCH DROP; echo "exit: $?"
iptables -I INPUT 5 -j ACCEPT; echo "exit: $?"
iptables -D INPUT 3; echo "exit: $?"
iptables -D INPUT -s 1.1.1.1 -j DROP; echo "exit: $?"
iptables -C INPUT -s 1.1.1.1 -j DROP; echo "exit: $?"
iptables -A INPUT -s 1.1.1.1 -j DROP
iptables -C INPUT -s 1.1.1.1/32 -j DROP; echo "exit: $?"
iptables -t nosuch -L; echo "exit: $?"
iptables -A INPUT -s 300.1.1.1 -j DROP; echo "exit: $?"
iptables -A INPUT -p tcp --dport 99999 -j DROP; echo "exit: $?"
iptables -A INPUT --dport 80 -j DROP; echo "exit: $?"
iptables -t filter -A INPUT -j DNAT --to-destination 1.2.3.4; echo "exit: $?"
iptables -N VERYLONGCHAINNAMEMORETHAN28CHARS; echo "exit: $?"
iptables -A INPUT -j; echo "exit: $?"
iptables; echo "exit: $?"
iptables -S
