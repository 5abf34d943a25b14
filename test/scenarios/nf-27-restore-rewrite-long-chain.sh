# title: iptables-restore --noflush rewriting a 700-rule chain in pieces, as kube-proxy's syncs do
# shows: a chain first written line by line between other chains' lines (a full sync), then written again whole with one line changed, one line added and one removed (partial syncs), and a rewrite that fails: rules, order, counters and references come out as the kernel has them
full() {
  printf '*filter\n:SVC - [0:0]\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j SVC\n'
  for i in $(seq 1 700); do
    printf -- '-A SVC -d 10.1.%d.%d/32 -j %s\n' $((i / 200)) $((i % 200)) "$([ $((i % 3)) = 0 ] && echo B || echo A)"
    [ $((i % 50)) = 0 ] && printf -- '-A A -s 10.2.0.%d/32 -j RETURN\n' $((i / 50))
  done
  printf -- '-A SVC -d 127.0.0.1/32 -p icmp -j ACCEPT\nCOMMIT\n'
}
# $1: the line that replaces rule 350; $2: a line after rule 600; $3: a line before COMMIT
part() {
  printf '*filter\n:SVC - [0:0]\n'
  for i in $(seq 1 700); do
    if [ "$i" = 350 ]; then printf '%b' "$1"; continue; fi
    [ "$i" = 120 ] && continue
    printf -- '-A SVC -d 10.1.%d.%d/32 -j %s\n' $((i / 200)) $((i % 200)) "$([ $((i % 3)) = 0 ] && echo B || echo A)"
    [ "$i" = 600 ] && printf '%b' "$2"
  done
  printf -- '-A SVC -d 127.0.0.1/32 -p icmp -j ACCEPT\n%bCOMMIT\n' "$3"
}
full | iptables-restore; echo rc=$?
ip link set lo up
ping -c 2 -W 1 127.0.0.1 >/dev/null
iptables -L SVC -v -n -x --line-numbers | sed -n '1,2p;$p'
part '-A SVC -d 10.9.9.9/32 -j B\n' '-A SVC -s 10.3.0.1/32 -j A\n' '' | iptables-restore -n; echo rc=$?
iptables -L SVC -v -n -x --line-numbers | sed -n '1,2p;120,122p;348,351p;600,603p;$p'
ping -c 1 -W 1 127.0.0.1 >/dev/null
part '-A SVC -d 10.9.9.9/32 -j B\n' '-A SVC -s 10.3.0.1/32 -j A\n' '-A SVC -j NOPE\n' | iptables-restore -n; echo rc=$?
iptables -L SVC -v -n -x | sed -n '$p'
part '-A SVC -d 10.9.9.8/32 -j A\n' '' '' | iptables-restore -n; echo rc=$?
iptables -L SVC -v -n -x --line-numbers | sed -n '348,351p;$p'
iptables -X B; echo rc=$?
iptables -S SVC | md5sum
iptables -S SVC | grep -c ' -j B'
iptables-save -t filter | grep -v '^#' | md5sum
