# title: sysctl writes echo what was given, the local port range is checked, -r/--pattern filter -a
# shows: sysctl -w prints the value as written (spaces kept); ip_local_port_range takes two ports from 1 to 65535 in order, anything else is an invalid argument; -a with -r or --pattern lists only the keys the expression finds
sysctl -w net.ipv4.ip_local_port_range="30000 40000"
sysctl net.ipv4.ip_local_port_range
sysctl -w net.ipv4.ip_local_port_range="40000 30000"
sysctl -w net.ipv4.ip_local_port_range="0 30000"
sysctl -w net.ipv4.ip_local_port_range="1024 65536"
sysctl -w net.ipv4.ip_local_port_range="2000"
sysctl -n net.ipv4.ip_local_port_range
sysctl -w net.ipv4.ip_forward=1
sysctl -w net.ipv4.conf.all.rp_filter="2"
ip link add sv0 type veth peer name sv1
sysctl -a --pattern 'net.ipv4.conf.sv0.(rp_filter|proxy_arp)$'
sysctl -a -r 'ipv4.ip_local'
sysctl -a -r '^net.ipv4.conf.sv1.forwarding'
sysctl -N -a -r 'conf.sv0.arp_'
