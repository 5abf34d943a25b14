/**
 * The cluster benchmark: a flannel (vxlan) cluster of N nodes and P pods
 * built from an ordinary definition (kind Cluster, TwinConfig, one
 * Deployment), and one cross-node pod-to-pod connection traced through it.
 */
import { buildCluster } from "../src/k8s/cluster/cluster.js";
import { runControllers } from "../src/k8s/controllers/workloads.js";
import { loadDefinition } from "../src/k8s/manifest/definition.js";
import { probe, resolveEndpoint } from "../src/twin/probe.js";
import { buildTwin, type Twin, type TwinPod } from "../src/twin/twin.js";

export function clusterDefinition(nodes: number, pods: number): string {
  const roles = ["  - role: control-plane", ...Array.from({ length: nodes - 1 }, () => "  - role: worker")];
  return `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
${roles.join("\n")}
---
kind: TwinConfig
apiVersion: kubetwin.dev/v1alpha1
cni: {type: flannel, backend: vxlan}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: ${pods}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{containerPort: 80}]
`;
}

export async function buildClusterTwin(nodes: number, pods: number): Promise<Twin> {
  const def = loadDefinition([{ file: "bench.yaml", text: clusterDefinition(nodes, pods) }]);
  const { cluster, diagnostics } = buildCluster(def.objects);
  const work = runControllers(cluster, def.objects);
  const errors = [...def.diagnostics, ...diagnostics, ...work.diagnostics].filter(
    (d) => d.severity === "error",
  );
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join("; "));
  return buildTwin(cluster, work);
}

/** Two web pods on different nodes (the first and the last scheduled). */
export function crossNodePair(twin: Twin): [TwinPod, TwinPod] {
  const web = [...twin.pods.values()].filter(
    (p) => p.info.namespace === "default" && p.sandbox.netns !== null,
  );
  const a = web[0]!;
  const b = [...web].reverse().find((p) => p.node !== a.node)!;
  return [a, b];
}

export function traceAcross(twin: Twin, a: TwinPod, b: TwinPod): boolean {
  const r = probe(
    twin,
    resolveEndpoint(twin, `pod/default/${a.info.name}`, "source"),
    resolveEndpoint(twin, `pod/default/${b.info.name}`, "destination"),
    "tcp",
    80,
  );
  return r.verdict === "delivered";
}
