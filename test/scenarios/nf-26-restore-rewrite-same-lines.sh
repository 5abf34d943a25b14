# title: iptables-restore --noflush rewriting a long chain with mostly the same lines
# shows: what kube-proxy does on every sync — a chain of 40 rules flushed by its ":CHAIN" line and written again with one line changed — leaves rules, references and counters as a fresh write would, and a rewrite that fails leaves the old counters; a chain no rule jumps to any more can then be deleted
svc() {
  printf '*filter\n:SVC - [0:0]\n%b' "$1"
  printf -- '-A SVC -s 127.0.0.1/32 -j A\n'
  for i in $(seq 1 40); do printf -- '-A SVC -d 10.0.1.%d/32 -j %s\n' "$i" "$2"; done
  printf -- '-A SVC -d 10.0.0.3/32 -j C\n%bCOMMIT\n' "$3"
}
svc ':A - [0:0]\n:B - [0:0]\n:C - [0:0]\n-A INPUT -j SVC\n' B '' | iptables-restore; echo rc=$?
ip link set lo up
ping -c 1 -W 1 127.0.0.1 >/dev/null
iptables -L SVC -v -n -x | head -4
svc '' B '-A SVC -j NOPE\n' | iptables-restore -n; echo rc=$?
iptables -L SVC -v -n -x | head -4
svc '' B '' | iptables-restore -n; echo rc=$?
iptables -L SVC -v -n -x | head -4
iptables -X B; echo rc=$?
svc '' C '' | iptables-restore -n; echo rc=$?
iptables -X B; echo rc=$?
iptables -X C; echo rc=$?
svc '' C '-X C\n' | iptables-restore -n; echo rc=$?
printf '*filter\n:SVC - [0:0]\n-A SVC -s 127.0.0.1/32 -j A\n-X C\nCOMMIT\n' | iptables-restore -n; echo rc=$?
iptables -E A AA
iptables -L -n | grep '^Chain'
iptables-save | grep -v '^#'
