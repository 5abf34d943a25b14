# title: iptables -D with a rule that starts with "!", and SCTP port matches
# shows: after -D CHAIN a word is a rule number unless it starts the rule (a "-" option or "!"); -p sctp loads the sctp match for --dport; -S prints what portmap's DEL reads back
# seed: 004 (CNI plugins: portmap's hostPort chains, torn down rule by rule)
iptables -t nat -N X
iptables -t nat -N D
iptables -t nat -A D ! -s 10.9.9.9/32 -p tcp -m comment --comment 'dnat name: "mynet" id: "c1"' -m multiport --dports 9000,9001 -j X
iptables -t nat -S D
iptables -t nat -D D ! -s 10.9.9.9/32 -p tcp -m comment --comment 'dnat name: "mynet" id: "c1"' -m multiport --dports 9000,9001 -j X; echo rc=$?
iptables -t nat -A D -p sctp --dport 7000 -j X; echo rc=$?
iptables -t nat -A D -p sctp -m sctp --dport 7000 -j X; echo rc=$?
iptables -t nat -A D -p sctp -m multiport --dports 7000,7001 -j X; echo rc=$?
iptables -t nat -S D
iptables -t nat -L D -n
iptables -t nat -D D -p sctp -m sctp --dport 7000 -j X
iptables -t nat -S D
