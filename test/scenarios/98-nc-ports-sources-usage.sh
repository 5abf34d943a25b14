# title: netcat: several ports, source options, failures and usage
# shows: nc -N sending a line to a listener, -z over a range and over a list of ports (status 0 if any connected), -s and -p for the source, an address not ours, UDP probes, unreachable and unanswered hosts, service names, and what nc prints without a destination or with a bad port
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns add s
ip netns add c
ip link add vs netns s type veth peer name vc netns c
ip -n s addr add 10.4.0.1/24 dev vs
ip -n c addr add 10.4.0.2/24 dev vc
ip -n s link set vs up
ip -n c link set vc up
ip -n s link set lo up
ip netns exec s nc -l 10.4.0.1 7000 > /tmp/kubetwin-scenario-98.txt &
sleep 0.3
echo "hello there" | ip netns exec c nc -N -w 1 10.4.0.2 7000; echo "rc=$?"
echo "hello there" | ip netns exec c nc -N -w 1 10.4.0.1 7000; echo "rc=$?"
sleep 0.2
cat /tmp/kubetwin-scenario-98.txt
ip netns exec c nc -zv 10.4.0.1 7000-7002; echo "rc=$?"
ip netns exec s nc -l -k -p 7100 > /dev/null &
sleep 0.3
ip netns exec c nc -zv -w 1 10.4.0.1 7100 7101; echo "rc=$?"
ip netns exec c nc -z -s 10.4.0.2 -p 40000 10.4.0.1 7100; echo "rc=$?"
ip netns exec c nc -z -s 10.4.0.9 10.4.0.1 7100; echo "rc=$?"
ip netns exec c nc -u -z -v -w 1 10.4.0.1 5000; echo "rc=$?"
ip netns exec c nc -z -v -w 1 10.4.0.3 80; echo "rc=$?"
ip netns exec c nc -z -v 10.9.0.1 80; echo "rc=$?"
ip netns exec c nc -zvn 10.4.0.1 http; echo "rc=$?"
ip netns exec c nc; echo "rc=$?"
ip netns exec c nc -z 10.4.0.1; echo "rc=$?"
ip netns exec c nc -z 10.4.0.1 99999; echo "rc=$?"
ip netns exec c nc -zv -w 1 10.4.0.1 7100 7100 7101-7102 7100; echo "rc=$?"
kill %2
rm -f /tmp/kubetwin-scenario-98.txt
