# title: traceroute's options and their errors
# shows: names printed without -n (from /etc/hosts, else the address twice), the packet length argument, -s and -i with bad values (the header line left open), -m, -f and -q limits, unknown options and hosts
ip link add x type veth peer name y
ip link set x up
ip link set y up
ip addr add 10.0.0.1/24 dev x
ip addr add 10.0.0.2/24 dev y
traceroute -q 1 127.0.0.1
traceroute -q 1 localhost
traceroute -q 1 10.0.0.2
traceroute -n -q 1 127.0.0.1 30
traceroute -n -q 1 127.0.0.1 10
traceroute -n -q 1 127.0.0.1 20000000
traceroute -n -q 1 127.0.0.1 abc
traceroute -n -q 1 -s 10.0.0.1 127.0.0.1
traceroute -n -q 1 -s 10.9.9.9 127.0.0.1
traceroute -n -q 1 -i nope 10.0.0.9
traceroute -n -m 0 127.0.0.1
traceroute -n -m 300 127.0.0.1
traceroute -n -q 11 127.0.0.1
traceroute -n -f 5 -m 3 127.0.0.1
traceroute -n -q 1 -N 1 -z 0.1 127.0.0.1
traceroute -n -x 127.0.0.1
traceroute -n -q 1 no-such-host.invalid
