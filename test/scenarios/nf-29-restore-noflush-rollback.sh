# title: iptables-restore --noflush transactions that create, delete, recreate and rename chains, then fail
# shows: a --noflush table that fails — in iptables at a later line, or in the kernel when the batch is sent (every refused command reported) — leaves every chain as it was: chains it created are gone, chains it flushed, deleted or renamed are back with their rules; the same lines without the failing one commit; a table without COMMIT is reported at the line after the last one read
iptables -N X
iptables -N Y
iptables -A X -s 10.0.0.1 -j ACCEPT
iptables -A X -s 10.0.0.2 -j DROP
iptables -A Y -d 192.0.2.1 -j RETURN
iptables -A INPUT -j X
iptables-save | grep -v '^#' > /tmp/before
printf '*filter\n:NEW1 - [0:0]\n-A NEW1 -j ACCEPT\n-N NEW2\n-A NEW2 -j DROP\n-A NEW2 -j NEW1\n-F X\n-A X -j NEW2\n-F Y\n-X Y\n:Y - [0:0]\n-A Y -j ACCEPT\n-A NOPE -j ACCEPT\nCOMMIT\n' | iptables-restore -n; echo rc=$?
iptables-save | grep -v '^#' | diff /tmp/before - && echo unchanged
printf '*filter\n:NEW1 - [0:0]\n-X Y\n:Y - [0:0]\n-A Y -j ACCEPT\n-X INPUT\nCOMMIT\n' | iptables-restore -n; echo rc=$?
iptables-save | grep -v '^#' | diff /tmp/before - && echo unchanged
printf '*filter\n-N NEW3\n-A NEW3 -j Y\n-X NEW3\n-N NEW3\n-A NEW3 -j DROP\n-A X -j NEW3\n-E Y Y2\n-A X -j NOSUCH\nCOMMIT\n' | iptables-restore -n; echo rc=$?
iptables-save | grep -v '^#' | diff /tmp/before - && echo unchanged
printf '*filter\n:NEW1 - [0:0]\n-A NEW1 -j ACCEPT\n-N NEW2\n-A NEW2 -j DROP\n-A NEW2 -j NEW1\n-F X\n-A X -j NEW2\n-F Y\n-X Y\n:Y - [0:0]\n-A Y -j ACCEPT\nCOMMIT\n' | iptables-restore -n; echo rc=$?
iptables-save | grep -v '^#'
printf '*filter\n-N NEW3\n-A NEW3 -j Y\n-F NEW3\n-X NEW3\n-N NEW3\n-A NEW3 -j DROP\n-A X -j NEW3\n-E Y Y2\nCOMMIT\n' | iptables-restore -n; echo rc=$?
iptables-save | grep -v '^#'
iptables -L -n | grep '^Chain'
printf '*filter\n-A X -j ACCEPT' | iptables-restore -n; echo rc=$?
printf '*filter\n-A X -j NEW9\n\n' | iptables-restore -n; echo rc=$?
