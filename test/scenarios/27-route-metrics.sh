# title: Route metrics: the same prefix twice, lowest metric wins
# shows: two routes to one prefix with different metrics, ip route get picks the lower, deleting it falls back; default routes with metrics
ip link add v0 type veth peer name v1
ip link add w0 type veth peer name w1
for d in v0 v1 w0 w1; do ip link set $d up; done
ip addr add 10.60.0.1/24 dev v0
ip addr add 10.61.0.1/24 dev w0
ip route add 172.20.0.0/16 via 10.60.0.254 metric 100
ip route add 172.20.0.0/16 via 10.61.0.254 metric 50
ip route add default via 10.60.0.254 metric 200
ip route add default via 10.61.0.254 metric 300
ip route
ip route get 172.20.1.1
ip route get 8.8.8.8
ip route del 172.20.0.0/16 metric 50
ip route get 172.20.1.1
ip route del default metric 200
ip route get 8.8.8.8
ip route add 172.20.0.0/16 via 10.61.0.254 metric 100
echo "exit=$?"
ip route show 172.20.0.0/16
