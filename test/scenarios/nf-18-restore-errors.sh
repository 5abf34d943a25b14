# title: iptables-restore's errors
# shows: a line it cannot parse (status 2, 'Error occurred at line'), a command the kernel refuses at COMMIT (status 1, 'line N failed'), a missing COMMIT (which wins over a jump to a chain that does not exist: targets are looked up at the commit), and that a failed table changes nothing
printf '*filter\n-A INPUT -j NOPE\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n-A INPUT --bogus\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n-A INPUT -j ACCEPT\n' | iptables-restore; echo rc=$?
printf '*nosuch\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n:FOO - [0:0]\n-A FOO -j ACCEPT\n-A BAR -j ACCEPT\nCOMMIT\n' | iptables-restore; echo rc=$?
printf -- '-A INPUT -j ACCEPT\n' | iptables-restore; echo rc=$?
printf '*filter\n:INPUT BOGUS [0:0]\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n-A INPUT -p tcp --dport abc -j ACCEPT\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n-A INPUT -s 300.1.1.1 -j ACCEPT\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n:FOO - [0:0]\n-A FOO -j NOPE\n' | iptables-restore; echo rc=$?
iptables-save
