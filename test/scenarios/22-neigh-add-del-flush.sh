# title: Static neighbour entries: add, replace, change, delete, flush
# shows: ip neigh add … lladdr … nud permanent/noarp/stale/reachable, duplicates, missing entries, flush leaves permanent ones, errors
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 10.20.0.1/24 dev v0
ip neigh add 10.20.0.5 lladdr 02:00:00:00:00:05 dev v0
ip neigh add 10.20.0.6 lladdr 02:00:00:00:00:06 dev v0 nud stale
ip neigh add 10.20.0.7 lladdr 02:00:00:00:00:07 dev v0 nud reachable
ip neigh add 10.20.0.8 dev v0 nud noarp lladdr 02:00:00:00:00:08
ip neigh show dev v0 | sort
ip -4 neigh show nud all | sort
ip neigh add 10.20.0.5 lladdr 02:00:00:00:00:55 dev v0
echo "exit=$?"
ip neigh replace 10.20.0.5 lladdr 02:00:00:00:00:55 dev v0
ip neigh change 10.20.0.6 lladdr 02:00:00:00:00:66 dev v0
ip neigh show 10.20.0.5
ip neigh show 10.20.0.6
ip neigh change 10.20.0.9 lladdr 02:00:00:00:00:09 dev v0
echo "exit=$?"
ip neigh del 10.20.0.7 dev v0
ip neigh del 10.20.0.7 dev v0
echo "exit=$?"
ip neigh flush dev v0
ip neigh show dev v0 | sort
ip neigh flush all
ip neigh show nud permanent
ip neigh del 10.20.0.5 dev v0
ip neigh add 10.20.0.10 lladdr zz:00 dev v0
echo "exit=$?"
ip neigh add 10.20.0.10 lladdr 02:00:00:00:00:10
echo "exit=$?"
ip neigh add 10.20.0.10 lladdr 02:00:00:00:00:10 dev nosuch
echo "exit=$?"
ip neigh flush
echo "exit=$?"
