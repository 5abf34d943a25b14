/**
 * @module cli/commands/demo
 * `kubetwin demo`: first the seed exercise "connect network namespaces
 * using a Linux bridge", then the bundled shop cluster (examples/shop) on
 * kind's default CNI and on flannel's VXLAN overlay. Each step prints its
 * commands and what the real tools print, and packets are traced hop by hop.
 */
import { join } from "node:path";
import { ShellSession } from "../../shell/session.js";
import { renderHops } from "../../trace/render.js";
import { probe, resolveEndpoint, type TraceResult } from "../../twin/probe.js";
import { buildTwin, type Twin } from "../../twin/twin.js";
import { runExec } from "./exec.js";
import { runGet } from "./get.js";
import { loadCluster } from "./load.js";
import { renderTrace, runTrace } from "./trace.js";

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

/** The repository's examples/ (the same relative place from src/ and from dist/). */
export const EXAMPLES = join(import.meta.dirname, "..", "..", "..", "examples");

async function onNode(twin: Twin, target: string, cmd: string): Promise<string> {
  const ep = resolveEndpoint(twin, target, "source");
  // A shell session records its own trace; the twin's is given back afterwards.
  const sink = ep.kernel.trace;
  try {
    const r = await new ShellSession({ kernel: ep.kernel, ns: ep.ns }).run(cmd);
    return r.stdout + r.stderr;
  } finally {
    ep.kernel.trace = sink;
  }
}

async function clusterPart(write: (s: string) => void): Promise<void> {
  const shop = join(EXAMPLES, "shop");
  write("\n══ Part 2. The same building blocks in a Kubernetes cluster (examples/shop)\n");
  const say = (t: string): void => write(`\n── ${t}\n`);
  say("A kind cluster: one control-plane and two workers, each a machine on docker's 172.18.0.0/16 network.");
  write("$ kubetwin get nodes -o wide -f examples/shop\n");
  write(runGet("nodes", undefined, { output: "wide", file: [shop] }).stdout);
  say(
    "The shop's frontend, api and db pods, spread over the workers; each got its IP from CNI (ptp + host-local).",
  );
  write("$ kubetwin get pods -n shop -o wide -f examples/shop\n");
  write(runGet("pods", undefined, { output: "wide", namespace: "shop", file: [shop] }).stdout);
  const { cluster, work } = loadCluster({ file: [shop] });
  const twin = await buildTwin(cluster, work);
  const pods = [...twin.pods.values()].filter((p) => p.info.namespace === "shop");
  const front = pods.find((p) => p.info.name.startsWith("frontend"))!;
  const db = pods.find((p) => p.info.name.startsWith("db"))!;
  say(
    `kindnetd routes each other node's podCIDR via that node; the kubelet's CNI call added a /32 route per pod to its veth.`,
  );
  write(`$ kubetwin exec node/${front.node.name} -- ip route\n`);
  write(await onNode(twin, `node/${front.node.name}`, "ip route"));
  say(
    "Inside a pod: eth0 with the pod's address, and every destination reached through the gateway on its veth.",
  );
  write(`$ kubetwin exec pod/shop/${front.info.name} -- ip route\n`);
  write(await onNode(twin, `pod/shop/${front.info.name}`, "ip route"));
  say(
    `The frontend opens a TCP connection to the db on another node: pod → veth → node routing → docker's bridge → the other node → veth → the db's socket, and back. No NAT: the db sees the frontend's own address.`,
  );
  write(`$ kubetwin trace pod/shop/${front.info.name} pod/shop/${db.info.name} --port 5432\n`);
  const r = probe(
    twin,
    resolveEndpoint(twin, `pod/shop/${front.info.name}`, "source"),
    resolveEndpoint(twin, `pod/shop/${db.info.name}`, "destination"),
    "tcp",
    5432,
  );
  write(renderTrace(r));
  say(
    "The frontend calls the api Service by its ClusterIP: in PREROUTING, kube-proxy's rules pick an endpoint (KUBE-SERVICES → KUBE-SVC → KUBE-SEP) and conntrack DNATs the connection; the reply comes back from the Service address. The netfilter and NAT hops:",
  );
  write(`$ kubetwin trace pod/shop/${front.info.name} svc/shop/api --port http\n`);
  const r3 = probe(
    twin,
    resolveEndpoint(twin, `pod/shop/${front.info.name}`, "source"),
    resolveEndpoint(twin, "svc/shop/api", "destination"),
    "tcp",
    80,
  );
  write(
    renderHops(
      r3.hops.filter((h) => (h.kind === "netfilter" && /KUBE-/.test(h.detail)) || h.kind === "nat"),
      "request",
    ),
  );
  write(
    renderHops(
      r3.reply.filter((h) => h.kind === "nat" || h.kind === "socket"),
      "reply",
    ),
  );
  write(
    `verdict: ${r3.verdict}${r3.delivered ? ` — delivered to pod/${r3.delivered.pod} (${r3.delivered.ip}:${r3.delivered.port})` : ""}\n`,
  );
  say(
    "With flannel's VXLAN backend (TwinConfig cni: {type: flannel, backend: vxlan}) the packet is wrapped in UDP 8472 between the nodes: the encapsulation hops of the same trace.",
  );
  const vx = await buildTwin(
    { ...cluster, cni: { type: "flannel", backend: "vxlan" } },
    loadCluster({ file: [shop] }).work,
  );
  const r2 = probe(
    vx,
    resolveEndpoint(vx, `pod/shop/${front.info.name}`, "source"),
    resolveEndpoint(vx, `pod/shop/${db.info.name}`, "destination"),
    "tcp",
    5432,
  );
  write(
    renderHops(
      r2.hops.filter(
        (h) => h.kind === "encap" || h.kind === "decap" || (h.kind === "route" && h.netns === "(root)"),
      ),
      "flannel.1 on both nodes",
    ),
  );
  write(`verdict: ${r2.verdict}\n`);
}

async function dnsPart(write: (s: string) => void): Promise<void> {
  const ex = join(EXAMPLES, "dns");
  write("\n══ Part 3. Names: CoreDNS and the pod resolver (examples/dns)\n");
  const say = (t: string): void => write(`\n── ${t}\n`);
  const exec = async (target: string, cmd: string): Promise<void> => {
    write(`$ kubetwin exec ${target} -f examples/dns -- ${cmd}\n`);
    const r = await runExec(target, [cmd], { file: [ex] });
    write(r.run.stdout + r.run.stderr);
  };
  say(
    "The kubelet wrote the pod's resolver: the kube-dns Service as nameserver, the namespace's search list, ndots:5.",
  );
  await exec("pod/client", "cat /etc/resolv.conf");
  say(
    "The seed's first DNS check: kubernetes.default is expanded with the search list and answered by CoreDNS, across the datapath.",
  );
  await exec("pod/client", "nslookup kubernetes.default");
  say(
    "A headless Service answers with each pod; a StatefulSet's pods have names of their own; SRV names the ports.",
  );
  await exec("pod/client", "dig +short db.apps.svc.cluster.local");
  await exec("pod/client", "dig +short db-0.db.apps.svc.cluster.local");
  await exec("pod/client", "dig +short SRV _http._tcp.web.apps.svc.cluster.local");
  say(
    "The query itself, traced: kube-proxy DNATs it from 10.96.0.10 to a CoreDNS pod, and the answer comes back from the Service address.",
  );
  write("$ kubetwin trace pod/client svc/kube-system/kube-dns --proto udp --port 53 -f examples/dns\n");
  const t = await runTrace("pod/client", "svc/kube-system/kube-dns", {
    file: [ex],
    proto: "udp",
    port: "53",
    output: "json",
  });
  const r = JSON.parse(t.stdout) as TraceResult;
  write(
    renderHops(
      r.hops.filter((h) => h.kind === "nat" || h.kind === "socket"),
      "request",
    ),
  );
  write(
    renderHops(
      r.reply.filter((h) => h.kind === "nat" || h.kind === "socket"),
      "reply",
    ),
  );
  write(`verdict: ${r.verdict}${r.delivered ? ` — answered by pod/${r.delivered.pod}` : ""}\n`);
}

export async function runDemo(write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const s = new ShellSession({ seed: 1, hostname: "host" });
  const script = DEMO_STEPS.flatMap((st) => st.run).join("\n");
  const r = await s.run(`${script}\n`);
  write("kubetwin demo\n\n══ Part 1. Connect network namespaces using a Linux bridge\n");
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
  await clusterPart(write);
  await dnsPart(write);
  write(
    "\nTry it yourself: save commands to a file and run `kubetwin sh FILE --trace`, or check them against your kernel with `kubetwin oracle FILE` (root); trace and explore a cluster with `kubetwin trace` and `kubetwin exec -f examples/shop`.\n",
  );
  // The last step shows a failing lookup on purpose; the demo itself succeeded.
  return 0;
}
