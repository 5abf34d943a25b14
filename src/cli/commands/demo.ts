/**
 * @module cli/commands/demo
 * `kubetwin demo`: the seed exercise "connect network namespaces using a
 * Linux bridge", narrated. Each step prints its commands and what the real
 * tools print, and one ping is traced hop by hop through the model.
 */
import { ShellSession } from "../../shell/session.js";
import { renderHops } from "../../trace/render.js";

interface Step {
  say: string;
  run: string[];
  trace?: boolean;
}

export const DEMO_STEPS: Step[] = [
  {
    say: "Two network namespaces: each has its own links, addresses, routes and neighbour table — and only a loopback that is down.",
    run: ["ip netns add ns1", "ip netns add ns2", "ip -n ns1 link"],
  },
  {
    say: "A Linux bridge on the host: a software switch that learns where each MAC address lives.",
    run: ["ip link add br0 type bridge", "ip link set br0 up"],
  },
  {
    say: "Two veth pairs, virtual cables: one end goes into each namespace, the other end is plugged into the bridge.",
    run: [
      "ip link add veth1 type veth peer name br-veth1",
      "ip link add veth2 type veth peer name br-veth2",
      "ip link set veth1 netns ns1",
      "ip link set veth2 netns ns2",
      "ip link set br-veth1 master br0",
      "ip link set br-veth2 master br0",
      "ip link set br-veth1 up",
      "ip link set br-veth2 up",
      "bridge link",
    ],
  },
  {
    say: "Addresses in one subnet; adding an address also adds the kernel's connected route.",
    run: [
      "ip -n ns1 addr add 10.1.1.1/24 dev veth1",
      "ip -n ns2 addr add 10.1.1.2/24 dev veth2",
      "ip -n ns1 link set veth1 up",
      "ip -n ns2 link set veth2 up",
      "ip -n ns1 addr show veth1",
      "ip -n ns1 route",
    ],
  },
  {
    say: "ns1 pings ns2. Follow the packet: ARP first (broadcast, flooded by the bridge), then the echo request crosses veth → bridge → veth.",
    run: ["ip netns exec ns1 ping -c 1 10.1.1.2"],
    trace: true,
  },
  {
    say: "The bridge learned both MAC addresses from those frames, and ns1 keeps ns2's in its neighbour table.",
    run: ["bridge fdb show br br0 | grep -v self", "ip -n ns1 neigh"],
  },
  {
    say: "The host joins the segment by giving the bridge itself an address; ARP for it is answered by the host.",
    run: ["ip addr add 10.1.1.254/24 dev br0", "ip netns exec ns2 ping -c 1 10.1.1.254", "ip -n ns2 neigh"],
  },
  {
    say: "Routing decides before anything is sent: `ip route get` shows the choice for a destination.",
    run: ["ip -n ns1 route get 10.1.1.254", "ip -n ns1 route get 8.8.8.8"],
  },
];

export async function runDemo(write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const s = new ShellSession({ seed: 1, hostname: "host" });
  const script = DEMO_STEPS.flatMap((st) => st.run).join("\n");
  const r = await s.run(`${script}\n`);
  write("kubetwin demo — connect network namespaces using a Linux bridge\n");
  write(
    "Every command below ran against kubetwin's simulated Linux kernel; the output is what the real tools print.\n",
  );
  let u = 0;
  DEMO_STEPS.forEach((st, i) => {
    write(`\n── Step ${i + 1}. ${st.say}\n`);
    for (const cmd of st.run) {
      const res = r.units[u++];
      write(`$ ${cmd}\n`);
      if (!res) continue;
      write(res.stdout);
      write(res.stderr);
      if (st.trace && res.hops.length > 0) write(renderHops(res.hops, cmd));
    }
  });
  write(
    "\nTry it yourself: save commands to a file and run `kubetwin sh FILE --trace`, or check them against your kernel with `kubetwin oracle FILE` (root).\n",
  );
  // The last step shows a failing lookup on purpose; the demo itself succeeded.
  return 0;
}
