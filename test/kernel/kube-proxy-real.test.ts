/**
 * Our kube-proxy's iptables ruleset carries real connections. One node,
 * wired as kindnet wires a kind node: the sandbox's root namespace is the
 * node, its eth0 a veth to an "ext" namespace standing for the docker host
 * (172.18.0.1, the node's default gateway), and two pods made by our ptp
 * plugin with host-local addresses. Routed /32s instead of a bridge: a pod
 * reaching a ClusterIP whose backend shares its bridge would need
 * br_netfilter, which a network namespace may not have.
 *
 * The payload is what `syncProxyRules` generates for a NodePort Service with
 * the backend pod as its one endpoint, loaded as the agent loads it (canary
 * chains and route_localnet, each jump rule checked then inserted, one
 * `iptables-restore --noflush`). Four connections carry data to a netcat in
 * the backend pod: pod → ClusterIP (DNAT only: pod traffic), node →
 * ClusterIP (locally generated, marked and masqueraded), ext → NodePort
 * (marked and masqueraded) and the backend → its own ClusterIP (hairpin,
 * masqueraded). The node's conntrack table and the backend's own (what the
 * backend saw) prove the translations.
 *
 * The same script then runs in the model (`kubetwin sh`, our ptp plugin as
 * its `cni-plugin`), and must print the same — the rules' packet counters
 * included — ephemeral ports, conntrack's hash order and timeouts aside.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kernelAvailable } from "../../src/oracle/index.js";
import { alignCounters, alignTimeouts } from "../../src/oracle/normalize.js";
import { runReal } from "../../src/oracle/real.js";
import { conntrackSysctls } from "../../src/proxy/agent.js";
import { buildProxyState } from "../../src/proxy/changes.js";
import { makeTestEndpointSlice, makeTestService } from "../../src/proxy/iptables/fixtures.js";
import { syncProxyRules } from "../../src/proxy/iptables/proxier.js";
import type { NodeInfo, ProxierConfig } from "../../src/proxy/types.js";
import { ShellSession, shellQuote } from "../../src/shell/session.js";
import { cniPluginCommand } from "../../src/twin/shell-cni.js";

const ROOT = join(import.meta.dirname, "..", "..");
const OURS = `${join(ROOT, "node_modules", ".bin", "tsx")} ${join(ROOT, "src", "cli", "run.ts")} cni-plugin`;
const avail = kernelAvailable();
const required = process.env.KUBETWIN_REQUIRE_KERNEL === "1";

const NODE_NAME = "kind-worker";
const NODE_IP = "172.18.0.2";
const DOCKER_HOST_IP = "172.18.0.1";
const POD_CIDR = "10.244.1.0/24";
/** host-local's first address is the gateway (the ptp host end); pods get the next ones in order. */
const GATEWAY_IP = "10.244.1.1";
const CLIENT_IP = "10.244.1.2";
const BACKEND_IP = "10.244.1.3";
const CLUSTER_IP = "10.96.0.10";
const NODE_PORT = 30080;
const TARGET_PORT = 8080;

/** kind's kube-proxy as the twin configures it: clusterCIDR the pod subnet, --random-fully, no nfacct. */
const CONFIG: ProxierConfig = { clusterCIDR: "10.244.0.0/16", hasRandomFully: true, hasNfacct: false };
const NODE: NodeInfo = { name: NODE_NAME, ips: [NODE_IP] };

/** The agent's first sync for one NodePort Service backed by the backend pod, as shell commands. */
function kubeProxyCommands(): string {
  const svc = makeTestService("default", "web", (s) => {
    s.spec = {
      type: "NodePort",
      clusterIP: CLUSTER_IP,
      clusterIPs: [CLUSTER_IP],
      ports: [{ name: "http", port: 80, targetPort: TARGET_PORT, protocol: "TCP", nodePort: NODE_PORT }],
    };
  });
  const slice = makeTestEndpointSlice("default", "web", 1, (e) => {
    e.endpoints = [{ addresses: [BACKEND_IP], nodeName: NODE_NAME, conditions: { ready: true } }];
    e.ports = [{ name: "http", port: TARGET_PORT, protocol: "TCP" }];
  });
  const r = syncProxyRules({ state: buildProxyState([svc], [slice], NODE_NAME), node: NODE, config: CONFIG });
  const lines = [
    // KubeProxy.start(): conntrack's timeouts, route_localnet for localhost NodePorts, the canary chains.
    ...conntrackSysctls(undefined).map(([k, v]) => `sysctl -q -w ${k}=${v}`),
    "sysctl -q -w net.ipv4.conf.all.route_localnet=1",
    ...["mangle", "nat", "filter"].map((t) => `ensure ${t} KUBE-PROXY-CANARY`),
  ];
  // KubeProxy.sync(): EnsureChain, then EnsureRule (check, else insert at the top).
  for (const j of r.jumpRules) {
    const args = j.args.map(shellQuote).join(" ");
    lines.push(`ensure ${j.table} ${j.ensureChain}`);
    lines.push(
      `iptables -t ${j.table} -C ${j.chain} ${args} 2>/dev/null || iptables -t ${j.table} -I ${j.chain} ${args}`,
    );
  }
  lines.push(`iptables-restore --noflush <<'PAYLOAD'\n${r.payload}PAYLOAD`, 'echo "restore rc=$?"');
  return lines.join("\n");
}

const SCRIPT = `
DATA=$PWD/data
ensure() { iptables -t $1 -S $2 >/dev/null 2>&1 || iptables -t $1 -N $2; }
cni() {
  CNI_COMMAND=$1 CNI_CONTAINERID=$3 CNI_NETNS=/run/netns/$2 CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni $PLUGIN < ptp.json > $2.json
  echo "cni ADD $2 rc=$? ip=$(grep -o '"address": *"[0-9./]*"' $2.json | grep -o '[0-9][0-9./]*')"
}
echo "## underlay"
ip netns add ext
ip link add eth0 type veth peer name ext0
ip link set ext0 netns ext
ip addr add ${NODE_IP}/16 dev eth0
ip link set eth0 up
ip -n ext addr add ${DOCKER_HOST_IP}/16 dev ext0
ip -n ext link set ext0 up
ip -n ext link set lo up
ip route add default via ${DOCKER_HOST_IP}
echo "## pods"
ip netns add client
ip netns add backend
cat > ptp.json <<EOF
{"cniVersion":"0.3.1","name":"kindnet","type":"ptp","ipMasq":false,"mtu":1500,"ipam":{"type":"host-local","dataDir":"$DATA","routes":[{"dst":"0.0.0.0/0"}],"ranges":[[{"subnet":"${POD_CIDR}"}]]}}
EOF
cni ADD client c1
cni ADD backend c2
ip -n backend link set lo up
# ptp turns forwarding on, as the node needs.
sysctl -n net.ipv4.ip_forward
echo "## kube-proxy"
${kubeProxyCommands()}
echo "## backend"
# A rule that needs conntrack, so that the backend's own table records what it saw.
ip netns exec backend iptables -A INPUT -p tcp --dport ${TARGET_PORT} -m conntrack --ctstate NEW -j ACCEPT
ip netns exec backend nc -l -k -p ${TARGET_PORT} > backend.out &
# Time for the real listener to bind (the model's binds at once; its sleep only advances the clock).
sleep 1
echo "## connections"
echo pod-to-clusterip | ip netns exec client nc -N -w 2 ${CLUSTER_IP} 80; echo "pod -> clusterip rc=$?"
echo node-to-clusterip | nc -N -w 2 ${CLUSTER_IP} 80; echo "node -> clusterip rc=$?"
echo ext-to-nodeport | ip netns exec ext nc -N -w 2 ${NODE_IP} ${NODE_PORT}; echo "ext -> nodeport rc=$?"
echo hairpin | ip netns exec backend nc -N -w 2 ${CLUSTER_IP} 80; echo "backend -> clusterip (itself) rc=$?"
# The last segments in flight, then the listener's output flushed.
sleep 0.5
echo "## received"
cat backend.out
echo "## node conntrack"
conntrack -L -p tcp 2>/dev/null
echo "## backend conntrack"
ip netns exec backend conntrack -L -p tcp 2>/dev/null
echo "## nat counters"
iptables-save -c -t nat | grep -v '^#'
echo "## filter counters"
iptables-save -c -t filter | grep -v '^#'
kill %1
`;

/** The tools the script runs on the kernel's side (iproute2 is checked by kernelAvailable). */
const TOOLS = ["iptables", "iptables-restore", "iptables-save", "conntrack", "nc"];
const missing = TOOLS.filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);

async function runKernel(): Promise<string> {
  const r = await runReal(`PLUGIN="${OURS} ptp"\n${SCRIPT}`, 45_000);
  if (r.timedOut) throw new Error(`the kernel's run timed out:\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}\n--- stderr\n${r.stderr}`;
}

async function runModel(): Promise<string> {
  const session = new ShellSession({ seed: 1 });
  // One command for the plugin, as /usr/lib/cni/ptp would be (the interpreter does not split "$PLUGIN").
  session.register("cni-plugin-ptp", (argv, ctx) => cniPluginCommand(["ptp", ...argv], ctx));
  const r = await session.run(`ip link set lo up\nPLUGIN="cni-plugin-ptp"\n${SCRIPT}`);
  return `${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** The lines under "## NAME" up to the next heading. */
function section(out: string, name: string): string[] {
  const lines = out.split("\n");
  const at = lines.indexOf(`## ${name}`);
  if (at < 0) return [];
  const end = lines.findIndex((l, i) => i > at && (l.startsWith("## ") || l.startsWith("--- ")));
  return lines.slice(at + 1, end < 0 ? undefined : end).filter((l) => l !== "");
}

interface Tuple {
  src: string;
  dst: string;
  sport: number;
  dport: number;
}
interface Flow {
  orig: Tuple;
  reply: Tuple;
}

function parseFlows(lines: string[]): Flow[] {
  return lines.map((line) => {
    const kv = [...line.matchAll(/\b(src|dst|sport|dport)=(\S+)/g)].map((m) => m[2]!);
    if (kv.length !== 8) throw new Error(`not a conntrack tcp entry: ${line}`);
    const t = (i: number): Tuple => ({
      src: kv[i]!,
      dst: kv[i + 1]!,
      sport: Number(kv[i + 2]),
      dport: Number(kv[i + 3]),
    });
    return { orig: t(0), reply: t(4) };
  });
}

/** A flow without its ephemeral ports: who talked to whom, and what the reply direction says NAT made of it. */
const shape = (f: Flow): string =>
  `${f.orig.src} -> ${f.orig.dst}:${f.orig.dport} | reply ${f.reply.src}:${f.reply.sport} -> ${f.reply.dst}`;

/**
 * What kube-proxy's rules must have done to the four connections, read from
 * the node's conntrack table and the backend's: DNAT to the backend, SNAT to
 * the node's address on the backend's link (the ptp gateway) for all but
 * pod traffic, and the backend seeing exactly the translated tuples.
 */
function checkTranslations(out: string, side: string): void {
  const node = parseFlows(section(out, "node conntrack"));
  expect(node.map(shape).sort(), `${side}: the node's conntrack table`).toEqual(
    [
      // Pod traffic: DNAT only (KUBE-SVC masquerades only sources outside the cluster CIDR).
      `${CLIENT_IP} -> ${CLUSTER_IP}:80 | reply ${BACKEND_IP}:${TARGET_PORT} -> ${CLIENT_IP}`,
      // The node itself: KUBE-MARK-MASQ in KUBE-SVC, MASQUERADE to the backend veth's address.
      `${NODE_IP} -> ${CLUSTER_IP}:80 | reply ${BACKEND_IP}:${TARGET_PORT} -> ${GATEWAY_IP}`,
      // From outside to the NodePort: KUBE-EXT marks it for masquerade.
      `${DOCKER_HOST_IP} -> ${NODE_IP}:${NODE_PORT} | reply ${BACKEND_IP}:${TARGET_PORT} -> ${GATEWAY_IP}`,
      // The backend to its own Service: KUBE-SEP's hairpin rule marks it.
      `${BACKEND_IP} -> ${CLUSTER_IP}:80 | reply ${BACKEND_IP}:${TARGET_PORT} -> ${GATEWAY_IP}`,
    ].sort(),
  );
  const pod = node.find((f) => f.orig.src === CLIENT_IP);
  expect(pod?.reply.dport, `${side}: pod traffic keeps its source port`).toBe(pod?.orig.sport);
  // The backend's table holds what reached it: each node flow's reply tuple, reversed.
  const seen = parseFlows(section(out, "backend conntrack"));
  const arrived = seen.filter((f) => f.orig.dst === BACKEND_IP).map((f) => `${f.orig.src}:${f.orig.sport}`);
  expect(arrived.sort(), `${side}: the sources the backend saw`).toEqual(
    node.map((f) => `${f.reply.dst}:${f.reply.dport}`).sort(),
  );
}

/** Ephemeral and --random-fully ports are random on the kernel; conntrack dumps are in hash order. */
function normalize(out: string): string {
  const fixed = new Set([80, TARGET_PORT, NODE_PORT]);
  const ports = (l: string) =>
    l.replace(/\b([sd]port)=(\d+)\b/g, (m, k: string, p: string) =>
      fixed.has(Number(p)) ? m : `${k}=<eph>`,
    );
  const lines = out.split("\n");
  for (const name of ["node conntrack", "backend conntrack"]) {
    const at = lines.indexOf(`## ${name}`);
    const body = section(out, name);
    lines.splice(at + 1, body.length, ...body.map(ports).sort());
  }
  return lines.join("\n");
}

describe.skipIf(!required && (!avail.ok || missing.length > 0))(
  "kube-proxy's ruleset on the real kernel",
  () => {
    it("has the kernel and the tools", () => {
      if (!avail.ok) expect.fail(`KUBETWIN_REQUIRE_KERNEL=1 but ${avail.reason}`);
      if (missing.length > 0)
        expect.fail(
          `KUBETWIN_REQUIRE_KERNEL=1 but ${missing.join(", ")} missing (apt-get install iptables conntrack netcat-openbsd)`,
        );
    });
    it.skipIf(!avail.ok || missing.length > 0)(
      "carries ClusterIP and NodePort connections to a real listener, and the model agrees",
      async () => {
        const [kernel, model] = await Promise.all([runKernel(), runModel()]);
        if (process.env.KUBETWIN_KP_DEBUG) {
          const { writeFileSync } = await import("node:fs");
          writeFileSync(`${process.env.KUBETWIN_KP_DEBUG}/kernel.txt`, kernel);
          writeFileSync(`${process.env.KUBETWIN_KP_DEBUG}/model.txt`, model);
        }
        expect(section(kernel, "pods"), "the pods' addresses").toEqual([
          `cni ADD client rc=0 ip=${CLIENT_IP}/24`,
          `cni ADD backend rc=0 ip=${BACKEND_IP}/24`,
          "1",
        ]);
        expect(section(kernel, "kube-proxy")).toEqual(["restore rc=0"]);
        expect(section(kernel, "connections")).toEqual([
          "pod -> clusterip rc=0",
          "node -> clusterip rc=0",
          "ext -> nodeport rc=0",
          "backend -> clusterip (itself) rc=0",
        ]);
        expect(section(kernel, "received"), "what the backend's listener read").toEqual([
          "pod-to-clusterip",
          "node-to-clusterip",
          "ext-to-nodeport",
          "hairpin",
        ]);
        checkTranslations(kernel, "kernel");
        checkTranslations(model, "model");
        // Everything else, the rules' packet counters included, as the kernel printed it.
        const k = normalize(kernel);
        expect(alignCounters(k, alignTimeouts(k, normalize(model)))).toBe(k);
      },
      60_000,
    );
  },
);
