# title: ip neigh show and flush by prefix and state, ip neigh get
# shows: show/flush take a prefix (to optional) and list the entries in it, a bad one is refused as a prefix; flush leaves PERMANENT entries unless a nud state is given, and wants some argument; get prints one entry with its device (text even with -j), or the kernel's "not found"
ip link add br9 type bridge
ip link set br9 up
ip addr add 10.9.0.1/24 dev br9
ip neigh add 10.9.0.5 lladdr 02:00:00:00:00:05 dev br9
ip neigh add 10.9.0.6 lladdr 02:00:00:00:00:06 dev br9 nud stale
ip neigh add 10.9.0.9 lladdr 02:00:00:00:00:09 dev br9 nud reachable
ip neigh get 10.9.0.5 dev br9
ip neigh get 10.9.0.6 dev br9
ip neigh get 10.9.0.7 dev br9
ip neigh get 10.9.0.7
ip neigh get 10.9.0.7 dev nosuch
ip -j neigh get 10.9.0.5 dev br9
ip neigh show to 10.9.0.0/30
ip neigh show to 10.9.0.4/30
ip neigh show 10.9.0.8/29
ip neigh show to bogus
ip neigh show to 2001:db8::/32
ip neigh flush
ip neigh flush nud permanent
ip neigh show
ip neigh flush to 10.9.0.8/29
ip neigh show
ip neigh flush dev br9
ip neigh show
