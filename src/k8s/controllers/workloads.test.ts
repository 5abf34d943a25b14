import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCluster } from "../cluster/cluster.js";
import { loadDefinition } from "../manifest/definition.js";
import { formatDiagnostic } from "../manifest/diagnostic.js";
import { runControllers } from "./workloads.js";

function run(text: string) {
  const def = loadDefinition([{ file: "w.yaml", text }]);
  const { cluster } = buildCluster(def.objects);
  return runControllers(cluster, def.objects);
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80, name: http}]}]}
`;

describe("controllers", () => {
  it("fill each node up to the kubelet's 110 pods and leave the rest Pending, out of every Service", () => {
    const w = run(
      `${DEPLOY.replace("replicas: 3", "replicas: 250")}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n`,
    );
    const perNode = new Map<string, number>();
    for (const p of w.pods) if (!p.pending) perNode.set(p.node, (perNode.get(p.node) ?? 0) + 1);
    expect(perNode.get("kind-worker")).toBe(110);
    expect(perNode.get("kind-worker2")).toBe(110);
    const pending = w.pods.filter((p) => p.pending);
    // Each worker also runs kindnet and kube-proxy: 2 × (110 − 2) web pods fit.
    expect(pending).toHaveLength(250 - 216);
    expect(pending.every((p) => p.ip === "" && p.node === "")).toBe(true);
    expect(w.diagnostics.filter((d) => d.message.includes("stays Pending"))).toHaveLength(34);
    const slice = w.endpointSlices.filter((e) => e.service === "web");
    expect(slice.flatMap((e) => e.endpoints)).toHaveLength(216);
  });

  it("give kind's system pods the control-plane's first pod IPs", () => {
    const w = run("");
    const coredns = w.pods.filter((p) => p.name.startsWith("coredns-"));
    expect(coredns.map((p) => [p.node, p.ip])).toEqual([
      ["kind-control-plane", "10.244.0.2"],
      ["kind-control-plane", "10.244.0.3"],
    ]);
    expect(w.pods.find((p) => p.name === "etcd-kind-control-plane")?.ip).toBe("172.18.0.2");
    expect(w.pods.filter((p) => p.name.startsWith("kube-proxy-")).map((p) => p.node)).toEqual([
      "kind-control-plane",
      "kind-worker",
      "kind-worker2",
    ]);
  });

  it("spread a Deployment's pods over the untainted workers, named with its pod-template-hash", () => {
    const w = run(DEPLOY);
    const web = w.pods.filter((p) => p.owner === "Deployment/web");
    expect(web.map((p) => p.node)).toEqual(["kind-worker", "kind-worker2", "kind-worker"]);
    expect(web.map((p) => p.ip)).toEqual(["10.244.1.2", "10.244.2.2", "10.244.1.3"]);
    const hashes = new Set(web.map((p) => p.name.split("-")[1]));
    expect(hashes.size).toBe(1);
    for (const p of web)
      expect(p.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("are deterministic: the same definition gives the same names and addresses", () => {
    expect(run(DEPLOY)).toEqual(run(DEPLOY));
  });

  it("number StatefulSet pods and put one DaemonSet pod on each node that tolerates it", () => {
    const w = run(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec: {replicas: 2, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    metadata: {labels: {app: agent}}
    spec:
      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
      containers: [{name: c}]
`);
    expect(w.pods.filter((p) => p.owner === "StatefulSet/db").map((p) => p.name)).toEqual(["db-0", "db-1"]);
    expect(w.pods.filter((p) => p.owner === "DaemonSet/agent").map((p) => p.node)).toEqual([
      "kind-control-plane",
      "kind-worker",
      "kind-worker2",
    ]);
  });

  it("allocate Service addresses and NodePorts, and refuse conflicts as the API server does", () => {
    const w = run(`apiVersion: v1
kind: Service
metadata: {name: a}
spec: {clusterIP: 10.96.5.5, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec: {clusterIP: 10.96.5.5, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: c}
spec: {type: NodePort, ports: [{port: 80, nodePort: 40000}]}
`);
    expect(w.services.slice(0, 2).map((s) => s.clusterIP)).toEqual(["10.96.0.1", "10.96.0.10"]);
    expect(w.services.find((s) => s.name === "a")?.clusterIP).toBe("10.96.5.5");
    expect(w.diagnostics.map(formatDiagnostic)).toEqual([
      'w.yaml:9:19: spec.clusterIP: Invalid value: "10.96.5.5": provided IP is already allocated (field spec.clusterIP)',
      "w.yaml:14:53: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767 (field spec.ports[0].nodePort)",
    ]);
  });
});

describe("EndpointSlice controller", () => {
  it("lists the ready pods a Service selects, resolves named target ports, and warns about empty selections", () => {
    const w = run(`${DEPLOY}---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: none}
spec: {selector: {app: nope}, ports: [{port: 81}]}
`);
    const web = w.endpointSlices.find((s) => s.service === "web")!;
    expect(web.ports).toEqual([{ name: "http", port: 80, protocol: "TCP" }]);
    expect(web.endpoints.map((e) => e.ip)).toEqual(["10.244.1.2", "10.244.2.2", "10.244.1.3"]);
    expect(w.endpointSlices.find((s) => s.service === "kubernetes")?.endpoints).toEqual([
      { ip: "172.18.0.2" },
    ]);
    expect(w.diagnostics.map(formatDiagnostic)).toEqual([
      "w.yaml:18:18: warning: Service default/none selects no pods: it will have no endpoints (field spec.selector)",
    ]);
  });

  it("resolve a named targetPort in each pod: one slice per port mapping, a port a pod lacks left out", () => {
    const w = run(`${DEPLOY}---
apiVersion: v1
kind: Pod
metadata: {name: other, labels: {app: web}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 9090, name: http}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: web, port: 80, targetPort: http}, {name: m, port: 81, targetPort: metrics}]}
---
apiVersion: v1
kind: Service
metadata: {name: none}
spec: {selector: {app: nope}, ports: [{port: 81}]}
`);
    const slices = w.endpointSlices.filter((s) => s.service === "web");
    expect(slices.map((s) => [s.ports, s.endpoints.length])).toEqual([
      [[{ name: "web", port: 80, protocol: "TCP" }], 3],
      [[{ name: "web", port: 9090, protocol: "TCP" }], 1],
    ]);
    // A Service selecting no pod has one placeholder slice, without ports.
    expect(w.endpointSlices.filter((s) => s.service === "none").map((s) => [s.ports, s.endpoints])).toEqual([
      [[], []],
    ]);
    expect(w.diagnostics.map(formatDiagnostic)).toContain(
      'w.yaml:18:111: warning: targetPort "metrics" names no TCP containerPort of the selected pods: the port has no endpoints (field spec.ports[1].targetPort)',
    );
  });

  it("keep the EndpointSlices a definition writes, and mirror a selector-less Service's Endpoints", () => {
    const w =
      run(`${readFileSync(join(import.meta.dirname, "../../../test/support/selectorless-service.yaml"), "utf8")}---
apiVersion: v1
kind: Service
metadata: {name: legacy}
spec: {ports: [{port: 5432}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: legacy}
subsets:
  - addresses: [{ip: 192.0.2.20}]
    notReadyAddresses: [{ip: 192.0.2.21}]
    ports: [{port: 5432}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: bad, labels: {kubernetes.io/service-name: ext}}
addressType: IPv4
ports: [{port: 70000}]
endpoints: [{addresses: [not-an-ip]}]
`);
    const ext = w.endpointSlices.find((s) => s.name === "ext-1")!;
    expect(ext).toMatchObject({ service: "ext", ports: [{ name: "http", port: 8080, protocol: "TCP" }] });
    expect(ext.endpoints.map((e) => [e.ip, e.conditions])).toEqual([
      ["192.0.2.10", { ready: true }],
      ["192.0.2.11", { ready: false, serving: true, terminating: true }],
    ]);
    const legacy = w.endpointSlices.filter((s) => s.service === "legacy");
    expect(legacy).toHaveLength(1);
    expect(legacy[0]!.name).toMatch(/^legacy-[a-z0-9]{5}$/);
    expect(legacy[0]!.labels["endpointslice.kubernetes.io/managed-by"]).toBe(
      "endpointslicemirroring-controller.k8s.io",
    );
    expect(legacy[0]!.endpoints.map((e) => [e.ip, e.conditions?.ready])).toEqual([
      ["192.0.2.20", true],
      ["192.0.2.21", false],
    ]);
    expect(w.diagnostics.map(formatDiagnostic)).toEqual([
      "w.yaml:34:16: ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive (field ports[0].port)",
      'w.yaml:35:26: endpoints[0].addresses[0]: Invalid value: "not-an-ip": must be a valid IPv4 address (field endpoints[0].addresses[0])',
    ]);
  });

  it("give StatefulSet pods their identity, and slice hostnames only for the governing headless Service", () => {
    const w = run(`apiVersion: v1
kind: Service
metadata: {name: nginx, labels: {app: nginx}}
spec: {clusterIP: None, selector: {app: nginx}, ports: [{name: web, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: other}
spec: {selector: {app: nginx}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 2
  template:
    metadata: {labels: {app: nginx}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80, name: web}]}]}
`);
    const web0 = w.pods.find((p) => p.name === "web-0");
    expect([web0?.hostname, web0?.subdomain, web0?.hostIP]).toEqual(["web-0", "nginx", "172.18.0.3"]);
    const headless = w.endpointSlices.find((s) => s.service === "nginx");
    expect(headless?.endpoints.map((e) => e.hostname)).toEqual(["web-0", "web-1"]);
    expect(headless?.labels).toEqual({
      app: "nginx",
      "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
      "kubernetes.io/service-name": "nginx",
      "service.kubernetes.io/headless": "",
    });
    const other = w.endpointSlices.find((s) => s.service === "other");
    expect(other?.endpoints.map((e) => e.hostname)).toEqual([undefined, undefined]);
    expect(other?.labels["service.kubernetes.io/headless"]).toBeUndefined();
    // The API server's own slice: bare addresses, its one label.
    const api = w.endpointSlices.find((s) => s.name === "kubernetes");
    expect([api?.labels, api?.endpoints]).toEqual([
      { "kubernetes.io/service-name": "kubernetes" },
      [{ ip: "172.18.0.2" }],
    ]);
  });
});
