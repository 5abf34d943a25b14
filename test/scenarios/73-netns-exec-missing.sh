# title: ip netns exec of a program that does not exist
# shows: ip itself execs the command, so the error is its own
ip netns add x
ip netns exec x nosuchcmd; echo rc=$?
