# title: iptables-restore --noflush against chains that jump to each other
# shows: a referenced chain cannot be deleted (CHAIN_DEL busy) until every jump to it is gone — by -D, -R, -F, a chain line that flushes its referrer, or a rename; a --noflush table that fails part-way or runs with --test leaves every chain as it was
iptables -N A
iptables -N B
iptables -N C
iptables -A A -j B
iptables -A A -j B
iptables -A INPUT -j A
iptables -A B -j ACCEPT
iptables -X B; echo rc=$?
iptables -L -n | grep '^Chain'
printf '*filter\n:A - [0:0]\n-A A -j DROP\n-A B -j DROP\n-X C\n-A B -j NOPE\nCOMMIT\n' | iptables-restore -n; echo rc=$?
printf '*filter\n:A - [0:0]\n-X B\nCOMMIT\n' | iptables-restore -n --test; echo rc=$?
iptables-save | grep -v '^#'
printf '*filter\n-A A -j C\n-X C\nCOMMIT\n' | iptables-restore -n; echo rc=$?
printf '*filter\n:A - [0:0]\n-A A -j C\n-X B\nCOMMIT\n' | iptables-restore -n; echo rc=$?
iptables-save | grep -v '^#'
iptables -X C; echo rc=$?
iptables -R A 1 -j ACCEPT
iptables -X C; echo rc=$?
iptables -E A AA
iptables -L -n | grep '^Chain'
iptables -X AA; echo rc=$?
iptables -D INPUT 1
iptables -X AA; echo rc=$?
iptables -N D
iptables -A INPUT -j D
iptables -A OUTPUT -j D
iptables -F INPUT
iptables -X D; echo rc=$?
iptables -F
iptables -X D; echo rc=$?
iptables-save | grep -v '^#'
