# title: ip -all netns exec and delete, ip netns identify and pids
# shows: -all runs a command in every named namespace (newest first, a "netns: NAME" header before each, status 0 whatever the command returns), identify names the caller's namespace (or prints an empty line), pids and their errors
ip netns add a
ip netns add b
ip -all netns exec ip link show lo; echo "rc=$?"
ip -all netns exec false; echo "rc=$?"
ip -all netns exec sh -c 'exit 3'; echo "rc=$?"
ip -all netns exec nosuch; echo "rc=$?"
ip -all netns exec; echo "rc=$?"
ip -a netns exec true; echo "rc=$?"
ip -all netns delete; echo "rc=$?"
ip netns list
ip -all netns exec true; echo "rc=$?"
ip netns add c
ip netns pids; echo "rc=$?"
ip netns pids c; echo "rc=$?"
ip netns pids c d; echo "rc=$?"
ip netns pids zz; echo "rc=$?"
ip netns identify; echo "rc=$?"
ip netns identify $$; echo "rc=$?"
ip netns identify abc; echo "rc=$?"
ip netns identify 1 2; echo "rc=$?"
ip netns exec c ip netns identify; echo "rc=$?"
ip netns add d
ip netns exec c ip netns identify; echo "rc=$?"
ip -n d netns identify; echo "rc=$?"
ip -all link show lo; echo "rc=$?"
