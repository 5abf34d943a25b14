# title: iptables-restore: whole tables from a file and a heredoc, --noflush and counters
# shows: iptables-restore replacing whole tables, -c with [p:b] counters, -n keeping other rules, user chains declared in the file
cat > /tmp/rules.v4 <<'R'
*filter
:INPUT DROP [10:600]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:LOGDROP - [0:0]
[3:180] -A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -j LOGDROP
-A LOGDROP -j DROP
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 10.0.0.0/8 -j MASQUERADE
COMMIT
R
iptables -A OUTPUT -d 1.2.3.4 -j DROP
iptables-restore < /tmp/rules.v4
iptables-save
iptables-restore -c < /tmp/rules.v4
iptables-save -c -t filter
iptables-restore -n <<'R'
*filter
-A OUTPUT -d 5.6.7.8 -j DROP
COMMIT
R
iptables -S
iptables -S INPUT
iptables-save -t nat
