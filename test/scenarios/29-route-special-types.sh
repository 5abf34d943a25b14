# title: blackhole, unreachable and prohibit routes
# shows: how ip route shows them, what ip route get says, and what ping prints for each
ip netns add t
ip -n t link set lo up
ip -n t route add blackhole 10.70.1.0/24
ip -n t route add unreachable 10.70.2.0/24
ip -n t route add prohibit 10.70.3.0/24
ip -n t route add throw 10.70.4.0/24
ip -n t route
ip -n t route get 10.70.1.1
echo "exit=$?"
ip -n t route get 10.70.2.1
echo "exit=$?"
ip -n t route get 10.70.3.1
echo "exit=$?"
ip -n t route get 10.70.4.1
echo "exit=$?"
ip netns exec t ping -c 1 -W 1 10.70.1.1
echo "exit=$?"
ip netns exec t ping -c 1 -W 1 10.70.2.1
echo "exit=$?"
ip netns exec t ping -c 1 -W 1 10.70.3.1
echo "exit=$?"
ip netns exec t ping -c 1 -W 1 10.70.9.1
echo "exit=$?"
ip -n t -j route
ip -n t route del unreachable 10.70.2.0/24
ip -n t route show type prohibit
