/**
 * Every Service type end to end, as kube-proxy's iptables rules deliver it:
 * ClusterIP, NodePort and LoadBalancer traced from a pod, a node and a client
 * on the underlay, with the source address the backend sees under each
 * traffic policy and the Service address the reply comes back from; session
 * affinity, internalTrafficPolicy Local, externalIPs, a Service without
 * endpoints (REJECT), hairpin traffic, and headless and ExternalName Services
 * (no rules at all).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runGet } from "../../src/cli/commands/get.js";
import { loadCluster } from "../../src/cli/commands/load.js";
import { SimHost } from "../../src/host/sim/sim-host.js";
import type { ServiceInfo } from "../../src/k8s/controllers/workloads.js";
import type { Hop } from "../../src/trace/hop.js";
import { ProbeError, probe, resolveEndpoint, type TraceResult } from "../../src/twin/probe.js";
import { buildTwin, type Twin, type TwinPod } from "../../src/twin/twin.js";

/** web: one pod on kind-worker; multi: four pods spread over both workers. */
const DEFINITION = `apiVersion: apps/v1
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
metadata: {name: multi}
spec:
  replicas: 4
  selector: {matchLabels: {app: multi}}
  template:
    metadata: {labels: {app: multi}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
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
apiVersion: v1
kind: Service
metadata: {name: np-local}
spec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, nodePort: 30081}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb-local}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  loadBalancerIP: 172.18.255.210
  selector: {app: web}
  ports: [{port: 80}]
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
metadata: {name: itp-local}
spec: {selector: {app: web}, internalTrafficPolicy: Local, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: eip}
spec: {selector: {app: web}, externalIPs: [172.18.100.10], ports: [{port: 8080, targetPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec: {selector: {app: nothing}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: headless}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec: {type: ExternalName, externalName: example.com}
`;

let dir: string;
let twin: Twin;
let web: TwinPod;
let multiOn2: TwinPod;

function svc(name: string): ServiceInfo {
  return twin.work.services.find((s) => s.namespace === "default" && s.name === name)!;
}

function trace(src: string, dst: string, port: number, proto: "tcp" | "udp" = "tcp"): TraceResult {
  const r = probe(
    twin,
    resolveEndpoint(twin, src, "source"),
    resolveEndpoint(twin, dst, "destination"),
    proto,
    port,
  );
  if (r.verdict === "dropped") {
    // The client gave up, but its SYN retransmissions are still on the timer wheel: let them run out
    // here so that they do not show up in the next trace.
    const start = twin.trace.hops.length;
    twin.underlay.advance(200_000);
    twin.trace.hops.length = start;
  }
  return r;
}

/** The SYN a backend pod's socket took: its packet line ("IP SRC.SPORT > DST.DPORT: …") and where. */
function serverSyn(r: TraceResult): Hop | undefined {
  return [...r.hops, ...r.reply].find(
    (h) => h.kind === "socket" && /SYN to listener/.test(h.detail) && h.netns.startsWith("cni-"),
  );
}

function sourceOf(h: Hop | undefined): string | undefined {
  return /^IP (\d+\.\d+\.\d+\.\d+)\./.exec(h?.packet ?? "")?.[1];
}

function podAt(h: Hop | undefined): string | undefined {
  return [...twin.pods.values()].find((p) => p.sandbox.netns === h?.netns && p.node.name === h?.host)?.info
    .name;
}

/** The SYN-ACK as the client's own socket got it: its source is the address the client connected to. */
function replyToClient(r: TraceResult): string | undefined {
  const h = [...r.hops, ...r.reply].find(
    (x) => x.kind === "socket" && /connection established/.test(x.detail),
  );
  return /^IP (\d+\.\d+\.\d+\.\d+\.\d+) > /.exec(h?.packet ?? "")?.[1];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kt-svc-"));
  writeFileSync(join(dir, "cluster.yaml"), DEFINITION);
  const { cluster, work } = loadCluster({ file: [dir] });
  twin = await buildTwin(cluster, work);
  web = [...twin.pods.values()].find((p) => p.info.name.startsWith("web-"))!;
  multiOn2 = [...twin.pods.values()].find(
    (p) => p.info.name.startsWith("multi-") && p.node.name === "kind-worker2",
  )!;
  expect(web.node.name).toBe("kind-worker");
  expect(multiOn2).toBeDefined();
});

describe("ClusterIP", () => {
  it("reaches the backend from a pod with the pod's own address, and answers from the ClusterIP", () => {
    const r = trace(`pod/default/${multiOn2.info.name}`, "svc/default/cip", 8080);
    expect(r.verdict).toBe("delivered");
    expect(podAt(serverSyn(r))).toBe(web.info.name);
    expect(sourceOf(serverSyn(r))).toBe(multiOn2.sandbox.ip);
    expect(replyToClient(r)).toBe(`${svc("cip").clusterIP}.8080`);
  });

  it("reaches the backend from a node, masqueraded (the node is outside the cluster CIDR)", () => {
    const r = trace("node/kind-worker2", "svc/default/cip", 8080);
    expect(r.verdict).toBe("delivered");
    expect(podAt(serverSyn(r))).toBe(web.info.name);
    expect(sourceOf(serverSyn(r))).toBe("172.18.0.4");
    expect(replyToClient(r)).toBe(`${svc("cip").clusterIP}.8080`);
  });

  it("REJECTs a Service without endpoints, naming the rule", () => {
    const r = trace(`pod/default/${multiOn2.info.name}`, "svc/default/empty", 80);
    expect(r.verdict).toBe("unreachable");
    expect(r.reason).toMatch(/ICMP type 3 code 3/);
    expect(r.hops.some((h) => /default\/empty has no endpoints.* -j REJECT/.test(h.detail))).toBe(true);
  });

  it("hairpin: a pod reaching itself through its own Service is masqueraded", () => {
    const r = trace(`pod/default/${web.info.name}`, "svc/default/cip", 8080);
    expect(r.verdict).toBe("delivered");
    const syn = serverSyn(r);
    expect(podAt(syn)).toBe(web.info.name);
    // The SEP chain's "-s <endpoint> -j KUBE-MARK-MASQ": the pod sees its node's gateway, not itself.
    expect(sourceOf(syn)).not.toBe(web.sandbox.ip);
    expect(sourceOf(syn)).toBe("10.244.1.1");
    expect(replyToClient(r)).toBe(`${svc("cip").clusterIP}.8080`);
  });
});

describe("sessionAffinity ClientIP", () => {
  it("sends a client to the same endpoint every time (-m recent), where a plain Service spreads", () => {
    const sticky = new Set<string | undefined>();
    const spread = new Set<string | undefined>();
    for (let i = 0; i < 8; i++) {
      const a = trace("node/kind-worker", "svc/default/sticky", 80);
      expect(a.verdict).toBe("delivered");
      sticky.add(podAt(serverSyn(a)));
      spread.add(podAt(serverSyn(trace("node/kind-worker", "svc/default/spread", 80))));
    }
    expect(sticky.size).toBe(1);
    expect(spread.size).toBeGreaterThan(1);
    const again = trace("node/kind-worker", "svc/default/sticky", 80);
    expect(
      again.hops.some((h) => /-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-/.test(h.detail)),
    ).toBe(true);
  });
});

describe("internalTrafficPolicy Local", () => {
  it("delivers from the node with the endpoint and drops on a node without one", () => {
    expect(trace("node/kind-worker", "svc/default/itp-local", 80).verdict).toBe("delivered");
    const r = trace("node/kind-worker2", "svc/default/itp-local", 80);
    expect(r.verdict).toBe("dropped");
    expect(r.hops.some((h) => /default\/itp-local has no local endpoints.* -j DROP/.test(h.detail))).toBe(
      true,
    );
    const fromPod = trace(`pod/default/${multiOn2.info.name}`, "svc/default/itp-local", 80);
    expect(fromPod.verdict).toBe("dropped");
  });
});

describe("NodePort", () => {
  it("externalTrafficPolicy Cluster: any node forwards, SNATed to that node; the reply comes from node:nodePort", () => {
    const r = trace("external", "172.18.0.4", 30080);
    expect(r.verdict).toBe("delivered");
    expect(podAt(serverSyn(r))).toBe(web.info.name);
    expect(sourceOf(serverSyn(r))).toBe("172.18.0.4");
    expect(replyToClient(r)).toBe("172.18.0.4.30080");
  });

  it("is reachable from a pod and from a node through a node's address", () => {
    const fromPod = trace(`pod/default/${multiOn2.info.name}`, "172.18.0.3", 30080);
    expect(fromPod.verdict).toBe("delivered");
    expect(podAt(serverSyn(fromPod))).toBe(web.info.name);
    expect(replyToClient(fromPod)).toBe("172.18.0.3.30080");
    const fromNode = trace("node/kind-worker2", "172.18.0.4", 30080);
    expect(fromNode.verdict).toBe("delivered");
    expect(podAt(serverSyn(fromNode))).toBe(web.info.name);
  });

  it("externalTrafficPolicy Local: the client's address is kept; a node without endpoints drops", () => {
    const r = trace("external", "172.18.0.3", 30081);
    expect(r.verdict).toBe("delivered");
    expect(sourceOf(serverSyn(r))).toBe("172.18.0.1");
    expect(replyToClient(r)).toBe("172.18.0.3.30081");
    const none = trace("external", "172.18.0.4", 30081);
    expect(none.verdict).not.toBe("delivered");
    expect(none.hops.some((h) => /default\/np-local has no local endpoints.* -j DROP/.test(h.detail))).toBe(
      true,
    );
  });
});

describe("LoadBalancer", () => {
  it("gets addresses from the pool (a requested one honoured) and a route on the docker host", async () => {
    expect(svc("lb").loadBalancerIngress).toEqual(["172.18.255.200"]);
    expect(svc("lb-local").loadBalancerIngress).toEqual(["172.18.255.210"]);
    expect(svc("lb-local").healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    const routes = await new SimHost(twin.underlay).routeList(null);
    const lbLocal = routes.find((r) => r.dst === "172.18.255.210/32");
    // Local policy: only a node with an endpoint may announce the address.
    expect(lbLocal?.via).toBe("172.18.0.3");
    expect(routes.some((r) => r.dst === "172.18.255.200/32")).toBe(true);
  });

  it("externalTrafficPolicy Cluster from outside: SNATed to the announcing node, answered from the LB IP", () => {
    const r = trace("external", "172.18.255.200", 80);
    expect(r.verdict).toBe("delivered");
    expect(podAt(serverSyn(r))).toBe(web.info.name);
    expect(sourceOf(serverSyn(r))).not.toBe("172.18.0.1");
    expect(r.hops.some((h) => /default\/lb loadbalancer IP/.test(h.detail))).toBe(true);
    expect(replyToClient(r)).toBe("172.18.255.200.80");
  });

  it("externalTrafficPolicy Local from outside: the client's address reaches the pod", () => {
    const r = trace("external", "172.18.255.210", 80);
    expect(r.verdict).toBe("delivered");
    expect(sourceOf(serverSyn(r))).toBe("172.18.0.1");
    expect(replyToClient(r)).toBe("172.18.255.210.80");
  });

  it("is short-circuited inside the cluster: from a pod and a node on a node without endpoints", () => {
    const fromPod = trace(`pod/default/${multiOn2.info.name}`, "172.18.255.210", 80);
    expect(fromPod.verdict).toBe("delivered");
    expect(podAt(serverSyn(fromPod))).toBe(web.info.name);
    expect(replyToClient(fromPod)).toBe("172.18.255.210.80");
    const fromNode = trace("node/kind-worker2", "172.18.255.200", 80);
    expect(fromNode.verdict).toBe("delivered");
    expect(replyToClient(fromNode)).toBe("172.18.255.200.80");
  });
});

describe("externalIPs", () => {
  it("are served on every node, from pods and nodes, and from outside once routed to a node", async () => {
    const fromPod = trace(`pod/default/${multiOn2.info.name}`, "172.18.100.10", 8080);
    expect(fromPod.verdict).toBe("delivered");
    expect(replyToClient(fromPod)).toBe("172.18.100.10.8080");
    expect(trace("node/kind-worker2", "172.18.100.10", 8080).verdict).toBe("delivered");
    // Kubernetes does not route external IPs: the administrator does.
    await new SimHost(twin.underlay).routeAdd(null, { dst: "172.18.100.10/32", via: "172.18.0.4" });
    const r = trace("external", "172.18.100.10", 8080);
    expect(r.verdict).toBe("delivered");
    expect(sourceOf(serverSyn(r))).toBe("172.18.0.4");
    expect(replyToClient(r)).toBe("172.18.100.10.8080");
  });
});

describe("headless and ExternalName Services", () => {
  it("get no kube-proxy rules and no address to trace to", async () => {
    const save = await twin.nodes.get("kind-worker")!.host.iptables(null, ["-t", "nat", "-S"]);
    expect(save).not.toMatch(/default\/headless/);
    expect(save).not.toMatch(/default\/ext/);
    expect(save).toMatch(/default\/cip cluster IP/);
    expect(() => resolveEndpoint(twin, "svc/default/headless", "destination")).toThrow(ProbeError);
    expect(() => resolveEndpoint(twin, "svc/default/ext", "destination")).toThrow(ProbeError);
  });
});

describe("kubetwin get svc", () => {
  it("prints EXTERNAL-IP and PORT(S) as kubectl does, and status.loadBalancer", () => {
    const out = runGet("svc", undefined, { file: [dir] }).stdout;
    const row = (name: string): string[] =>
      out
        .split("\n")
        .find((l) => l.startsWith(`${name} `))!
        .split(/\s+/);
    expect(row("lb")[3]).toBe("172.18.255.200");
    expect(row("lb")[4]).toMatch(/^80:3\d{4}\/TCP$/);
    expect(row("eip")[3]).toBe("172.18.100.10");
    expect(row("cip")[3]).toBe("<none>");
    expect(row("np")[4]).toBe("80:30080/TCP");
    expect(row("ext")[3]).toBe("example.com");
    const json = JSON.parse(runGet("svc", "lb-local", { file: [dir], output: "json" }).stdout) as {
      spec: Record<string, unknown>;
      status: { loadBalancer: { ingress?: Array<{ ip: string }> } };
    };
    expect(json.status.loadBalancer.ingress).toEqual([{ ip: "172.18.255.210", ipMode: "VIP" }]);
    expect(json.spec.externalTrafficPolicy).toBe("Local");
    expect(json.spec.healthCheckNodePort).toBe(svc("lb-local").healthCheckNodePort);
    const plain = JSON.parse(runGet("svc", "cip", { file: [dir], output: "json" }).stdout) as {
      status: { loadBalancer: object };
    };
    expect(plain.status.loadBalancer).toEqual({});
  });

  it("shows <pending> for a LoadBalancer the pool has no address for", () => {
    const d = mkdtempSync(join(tmpdir(), "kt-svc-pending-"));
    writeFileSync(
      join(d, "c.yaml"),
      `kind: TwinConfig
apiVersion: kubetwin.dev/v1alpha1
loadBalancer: {pool: 172.18.250.1/32}
---
apiVersion: v1
kind: Service
metadata: {name: a}
spec: {type: LoadBalancer, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec: {type: LoadBalancer, ports: [{port: 80}]}
`,
    );
    const out = runGet("svc", undefined, { file: [d] }).stdout;
    expect(out).toMatch(/^a +LoadBalancer +\S+ +172\.18\.250\.1 /m);
    expect(out).toMatch(/^b +LoadBalancer +\S+ +<pending> /m);
  });
});
