/**
 * kube-proxy in ipvs mode end to end: a kind cluster with kubeProxyMode ipvs,
 * where a pod reaches a ClusterIP and a client on the underlay a NodePort,
 * each delivered to an endpoint through IPVS (ip_vs_in at LOCAL_IN, masquerade
 * in KUBE-POSTROUTING for the NodePort), and the reply comes back from the
 * Service address (ip_vs_out). Also what the node holds: kube-ipvs0 with the
 * ClusterIPs, `ipvsadm -Ln`, the ipsets and the iptables rules.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCluster } from "../../src/cli/commands/load.js";
import type { ServiceInfo } from "../../src/k8s/controllers/workloads.js";
import { ShellSession } from "../../src/shell/session.js";
import type { Hop } from "../../src/trace/hop.js";
import { probe, resolveEndpoint, type TraceResult } from "../../src/twin/probe.js";
import { buildTwin, type Twin, type TwinPod } from "../../src/twin/twin.js";

const DEFINITION = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {kubeProxyMode: ipvs}
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeName: kind-worker
      containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client}
spec:
  replicas: 1
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec:
      nodeName: kind-worker2
      containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Service
metadata: {name: cip}
spec: {selector: {app: web}, ports: [{port: 8080, targetPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: np}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: 30080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: multi}
spec:
  replicas: 3
  selector: {matchLabels: {app: multi}}
  template:
    metadata: {labels: {app: multi}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: sticky}
spec: {selector: {app: multi}, sessionAffinity: ClientIP, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: spread}
spec: {selector: {app: multi}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: udp-closed}
spec: {selector: {app: web}, ports: [{port: 5353, protocol: UDP}]}
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec: {selector: {app: nothing}, ports: [{port: 80}]}
`;

let twin: Twin;
let web: TwinPod;
let client: TwinPod;

function svc(name: string): ServiceInfo {
  return twin.work.services.find((s) => s.namespace === "default" && s.name === name)!;
}

function trace(src: string, dst: string, port: number, proto: "tcp" | "udp" = "tcp"): TraceResult {
  return probe(
    twin,
    resolveEndpoint(twin, src, "source"),
    resolveEndpoint(twin, dst, "destination"),
    proto,
    port,
  );
}

function serverSyn(r: TraceResult): Hop | undefined {
  return [...r.hops, ...r.reply].find(
    (h) => h.kind === "socket" && /SYN to listener/.test(h.detail) && h.netns.startsWith("cni-"),
  );
}

const sourceOf = (h: Hop | undefined): string | undefined =>
  /^IP (\d+\.\d+\.\d+\.\d+)\./.exec(h?.packet ?? "")?.[1];

function replyToClient(r: TraceResult): string | undefined {
  const h = [...r.hops, ...r.reply].find(
    (x) => x.kind === "socket" && /connection established/.test(x.detail),
  );
  return /^IP (\d+\.\d+\.\d+\.\d+\.\d+) > /.exec(h?.packet ?? "")?.[1];
}

async function onNode(node: string, cmd: string): Promise<string> {
  const n = twin.nodes.get(node)!;
  // A shell session records into its own trace; the twin's comes back afterwards.
  const saved = n.kernel.trace;
  const s = new ShellSession({ kernel: n.kernel });
  const r = await s.run(`${cmd}\n`);
  n.kernel.trace = saved;
  return r.stdout + r.stderr;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "kt-ipvs-"));
  writeFileSync(join(dir, "cluster.yaml"), DEFINITION);
  const { cluster, work } = loadCluster({ file: [dir] });
  twin = await buildTwin(cluster, work);
  web = [...twin.pods.values()].find((p) => p.info.name.startsWith("web-"))!;
  client = [...twin.pods.values()].find((p) => p.info.name.startsWith("client-"))!;
});

describe("ipvs mode: ClusterIP", () => {
  it("a pod reaches the endpoint through IPVS with its own address; the reply comes from the ClusterIP", () => {
    const r = trace(`pod/default/${client.info.name}`, "svc/default/cip", 8080);
    expect(r.verdict).toBe("delivered");
    expect(r.delivered?.ip).toBe(web.sandbox.ip);
    expect(sourceOf(serverSyn(r))).toBe(client.sandbox.ip);
    expect(replyToClient(r)).toBe(`${svc("cip").clusterIP}.8080`);
    const ipvs = [...r.hops, ...r.reply].filter((h) => h.kind === "ipvs");
    expect(ipvs[0]?.host).toBe("kind-worker2");
    expect(ipvs[0]?.detail).toBe(
      `ip_vs_in: TCP ${svc("cip").clusterIP}:8080 rr: new connection to ${web.sandbox.ip}:80 (Masq)`,
    );
    expect(ipvs.some((h) => h.detail.startsWith(`ip_vs_out: reply of ${web.sandbox.ip}:80`))).toBe(true);
  });

  it("a node reaches it too (LOCAL_OUT), masqueraded to the node's address", () => {
    const r = trace("node/kind-worker2", "svc/default/cip", 8080);
    expect(r.verdict).toBe("delivered");
    expect(r.delivered?.ip).toBe(web.sandbox.ip);
    expect(sourceOf(serverSyn(r))).toBe("172.18.0.4");
    expect(replyToClient(r)).toBe(`${svc("cip").clusterIP}.8080`);
  });

  it("hairpin: the endpoint reaching itself through the Service is masqueraded (KUBE-LOOP-BACK)", () => {
    const r = trace(`pod/default/${web.info.name}`, "svc/default/cip", 8080);
    expect(r.verdict).toBe("delivered");
    expect(sourceOf(serverSyn(r))).not.toBe(web.sandbox.ip);
    expect(r.hops.some((h) => /--match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE/.test(h.detail))).toBe(
      true,
    );
    expect(replyToClient(r)).toBe(`${svc("cip").clusterIP}.8080`);
  });

  it("an endpoint's ICMP error reaches the client as if the ClusterIP sent it (ip_vs_out_icmp)", () => {
    const r = trace(`pod/default/${client.info.name}`, "svc/default/udp-closed", 5353, "udp");
    expect(r.verdict).toBe("unreachable");
    const h = [...r.hops, ...r.reply].find((x) => x.kind === "ipvs" && x.detail.startsWith("ip_vs_out_icmp"));
    expect(h?.detail).toBe(
      `ip_vs_out_icmp: ICMP type 3 code 3 about ${web.sandbox.ip}:5353: now from ${svc("udp-closed").clusterIP}:5353`,
    );
  });

  it("a Service without endpoints is refused by IPVS (ICMP port unreachable)", () => {
    const r = trace(`pod/default/${client.info.name}`, "svc/default/empty", 80);
    expect(r.verdict).toBe("unreachable");
    expect(r.hops.some((h) => h.kind === "ipvs" && /no destination available/.test(h.detail))).toBe(true);
  });
});

describe("ipvs mode: scheduling", () => {
  it("rr spreads one client's connections over every endpoint; ClientIP affinity keeps it on one (a persistence template)", async () => {
    const spread = new Set<string | undefined>();
    const sticky = new Set<string | undefined>();
    for (let i = 0; i < 6; i++) {
      spread.add(trace(`pod/default/${client.info.name}`, "svc/default/spread", 80).delivered?.ip);
      sticky.add(trace(`pod/default/${client.info.name}`, "svc/default/sticky", 80).delivered?.ip);
    }
    expect(spread.size).toBe(3);
    expect(sticky.size).toBe(1);
    const conns = await onNode("kind-worker2", "ipvsadm -Lnc");
    // The template: the client's address with port 0, for the affinity timeout (10800 s = 180:00).
    expect(conns).toMatch(
      new RegExp(
        `\\nTCP 180:00 NONE        ${client.sandbox.ip.replace(/\./g, "\\.")}:0 +${svc("sticky").clusterIP.replace(/\./g, "\\.")}:80 `,
      ),
    );
    expect(await onNode("kind-worker2", "ipvsadm -Ln")).toContain(
      `TCP  ${svc("sticky").clusterIP}:80 rr persistent 10800\n`,
    );
  });
});

describe("ipvs mode: NodePort", () => {
  it("an external client reaches the endpoint via another node, SNATed to that node; the reply comes from node:nodePort", () => {
    const r = trace("external", "172.18.0.4", 30080);
    expect(r.verdict).toBe("delivered");
    expect(r.delivered?.ip).toBe(web.sandbox.ip);
    expect(sourceOf(serverSyn(r))).toBe("172.18.0.4");
    expect(replyToClient(r)).toBe("172.18.0.4.30080");
    expect(
      r.hops.some((h) =>
        /KUBE-NODE-PORT .*--match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ/.test(h.detail),
      ),
    ).toBe(true);
  });
});

describe("ipvs mode: what the node holds", () => {
  it("kube-ipvs0 (down) carries every ClusterIP as /32", async () => {
    const out = await onNode("kind-worker2", "ip -4 addr show dev kube-ipvs0");
    expect(out).toContain("kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN");
    expect(out).toContain(`inet ${svc("cip").clusterIP}/32 scope global kube-ipvs0`);
    expect(out).toContain(`inet ${svc("np").clusterIP}/32 scope global kube-ipvs0`);
  });

  it("ipvsadm -Ln lists the virtual servers with their real servers", async () => {
    const out = await onNode("kind-worker2", "ipvsadm -Ln");
    expect(out).toContain(
      `TCP  ${svc("cip").clusterIP}:8080 rr\n  -> ${`${web.sandbox.ip}:80`.padEnd(28)} Masq    1      `,
    );
    expect(out).toContain("TCP  172.18.0.4:30080 rr\n");
    expect(out).toContain(`TCP  ${svc("empty").clusterIP}:80 rr\n`);
  });

  it("a VIP answers only on its Service ports: KUBE-IPVS-FILTER rejects the others", () => {
    const r = trace(`pod/default/${client.info.name}`, svc("cip").clusterIP, 22);
    expect(r.verdict).toBe("unreachable");
    expect(
      r.hops.some((h) => /KUBE-IPVS-FILTER .*--match-set KUBE-IPVS-IPS dst -j REJECT/.test(h.detail)),
    ).toBe(true);
  });

  it("the ipsets and the KUBE-SERVICES rules are kube-proxy's", async () => {
    const sets = await onNode("kind-worker2", "ipset list -n");
    expect(sets.split("\n").filter((l) => l !== "")).toEqual([
      "KUBE-LOOP-BACK",
      "KUBE-CLUSTER-IP",
      "KUBE-EXTERNAL-IP",
      "KUBE-EXTERNAL-IP-LOCAL",
      "KUBE-LOAD-BALANCER",
      "KUBE-LOAD-BALANCER-FW",
      "KUBE-LOAD-BALANCER-LOCAL",
      "KUBE-LOAD-BALANCER-SOURCE-IP",
      "KUBE-LOAD-BALANCER-SOURCE-CIDR",
      "KUBE-NODE-PORT-TCP",
      "KUBE-NODE-PORT-LOCAL-TCP",
      "KUBE-NODE-PORT-UDP",
      "KUBE-NODE-PORT-LOCAL-UDP",
      "KUBE-NODE-PORT-SCTP-HASH",
      "KUBE-NODE-PORT-LOCAL-SCTP-HASH",
      "KUBE-HEALTH-CHECK-NODE-PORT",
      "KUBE-IPVS-IPS",
    ]);
    expect(await onNode("kind-worker2", "ipset list KUBE-NODE-PORT-TCP")).toContain("Members:\n30080\n");
    const nat = await onNode("kind-worker2", "iptables-save -t nat");
    expect(nat).toContain(
      // iptables-save puts the address match first, as the kernel stores it.
      '-A KUBE-SERVICES ! -s 10.244.0.0/16 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ\n',
    );
    expect(nat).toContain("-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT\n");
    expect(nat).toContain(
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n',
    );
  });
});
