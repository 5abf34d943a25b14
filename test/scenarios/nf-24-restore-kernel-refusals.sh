# title: iptables-restore: what the kernel refuses in the batch
# shows: a non-empty chain cannot be deleted, a target in the wrong chain is refused: exit 4, "line N: OP failed (errno): …", and the table is left as it was
iptables -N C
iptables -A C -j ACCEPT
printf "*filter\n-X C\nCOMMIT\n" | iptables-restore -n; echo rc=$?
printf "*filter\n-A INPUT -p udp -j REJECT --reject-with tcp-reset\nCOMMIT\n" | iptables-restore -n; echo rc=$?
printf "*nat\n-A INPUT -j DNAT --to-destination 1.2.3.4\nCOMMIT\n" | iptables-restore -n; echo rc=$?
printf "*filter\n-A INPUT -j ACCEPT\n-X C\n-A OUTPUT -j ACCEPT\nCOMMIT\n" | iptables-restore -n; echo rc=$?
iptables-save | grep -v "^#"
