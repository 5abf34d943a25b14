# title: iptables-restore --noflush rewriting a chain with mostly the same lines
# shows: what kube-proxy does on every sync — a chain flushed by its ":CHAIN" line and written again, one line changed — leaves the rules, their references and counters as a fresh write would; a chain no rule jumps to any more can then be deleted, in the same restore or after
printf '*filter\n:SVC - [0:0]\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\n-A INPUT -j SVC\n-A SVC -s 127.0.0.1/32 -j A\n-A SVC -d 10.0.0.2/32 -j B\n-A SVC -d 10.0.0.3/32 -j C\nCOMMIT\n' | iptables-restore; echo rc=$?
ip link set lo up
ping -c 1 -W 1 127.0.0.1 >/dev/null
iptables -L SVC -v -n -x
printf '*filter\n:SVC - [0:0]\n-A SVC -s 127.0.0.1/32 -j A\n-A SVC -d 10.0.0.2/32 -j C\n-A SVC -d 10.0.0.3/32 -j C\nCOMMIT\n' | iptables-restore -n; echo rc=$?
iptables -L SVC -v -n -x
iptables -X B; echo rc=$?
iptables -X C; echo rc=$?
printf '*filter\n:SVC - [0:0]\n:C - [0:0]\n-A SVC -s 127.0.0.1/32 -j A\n-X C\nCOMMIT\n' | iptables-restore -n; echo rc=$?
printf '*filter\n:SVC - [0:0]\n-A SVC -s 127.0.0.1/32 -j A\n-A SVC -s 127.0.0.1/32 -j A\n-X A\nCOMMIT\n' | iptables-restore -n; echo rc=$?
iptables -E A AA
iptables -L -n | grep '^Chain'
iptables-save | grep -v '^#'
