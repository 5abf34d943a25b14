import { describe, expect, it } from "vitest";
import { loadDefinition } from "../manifest/definition.js";
import { formatDiagnostic } from "../manifest/diagnostic.js";
import { buildCluster } from "./cluster.js";

function build(text: string) {
  const def = loadDefinition([{ file: "c.yaml", text }]);
  const b = buildCluster(def.objects);
  return { ...b, all: [...def.diagnostics, ...b.diagnostics].map(formatDiagnostic) };
}

describe("cluster definition", () => {
  it("without a Cluster config: one control-plane and two workers on kind's network", () => {
    const { cluster, all } = build("");
    expect(all).toEqual([]);
    expect(cluster.nodes.map((n) => [n.name, n.role, n.address, n.podCIDR, n.taints.length])).toEqual([
      ["kind-control-plane", "control-plane", "172.18.0.2", "10.244.0.0/24", 1],
      ["kind-worker", "worker", "172.18.0.3", "10.244.1.0/24", 0],
      ["kind-worker2", "worker", "172.18.0.4", "10.244.2.0/24", 0],
    ]);
    // kind's own default (pkg/apis/config/v1alpha4/default.go), not kubeadm's /12.
    expect(cluster.serviceSubnet).toBe("10.96.0.0/16");
    expect(cluster.cni.type).toBe("kindnet");
  });

  it("a kind config without nodes is kind's single control-plane, untainted", () => {
    const { cluster } = build("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: dev\n");
    expect(cluster.nodes.map((n) => [n.name, n.taints.length])).toEqual([["dev-control-plane", 0]]);
  });

  it("names nodes as kind does and takes TwinConfig's names and addresses in node order", () => {
    const { cluster, all } = build(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes: [{role: control-plane}, {role: control-plane}, {role: worker}, {role: worker}]
networking: {podSubnet: 10.10.0.0/16}
---
kind: TwinConfig
apiVersion: kubetwin.dev/v1alpha1
cni: {type: flannel}
nodes: [{name: cp1}, {}, {address: 192.168.0.9}]
`);
    expect(all).toEqual([]);
    expect(cluster.nodes.map((n) => `${n.name} ${n.address} ${n.podCIDR}`)).toEqual([
      "cp1 172.18.0.2 10.10.0.0/24",
      "kind-control-plane2 172.18.0.3 10.10.1.0/24",
      "kind-worker 192.168.0.9 10.10.2.0/24",
      "kind-worker2 172.18.0.5 10.10.3.0/24",
    ]);
    expect(cluster.cni).toEqual({ type: "flannel", backend: "vxlan" });
  });

  it("names the file, line and field of every mistake", () => {
    const { all } = build(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  podSubnet: 10.244.0.0/33
  kubeProxyMode: userspace
nodes:
- role: master
---
apiVersion: v1
kind: Service
metadata:
  name: My.Service
---
apiVersion: v1
kind: Gizmo
metadata: {name: g}
---
apiVersion: v1
kind: Pod
metadata: {}
`);
    expect(all).toEqual([
      "c.yaml:12:9: Service \"My.Service\" is invalid: metadata.name: Invalid value: \"My.Service\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?') (field metadata.name)",
      'c.yaml:15:7: no matches for kind "Gizmo" in version "v1" (field kind)',
      "c.yaml:20:11: Required value: name or generateName is required (field metadata.name)",
      'c.yaml:4:14: invalid CIDR "10.244.0.0/33" (field networking.podSubnet)',
      'c.yaml:5:18: kubeProxyMode must be iptables, ipvs, nftables or none, not "userspace" (field networking.kubeProxyMode)',
      'c.yaml:7:9: role must be control-plane or worker, not "master" (field nodes[0].role)',
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    const { all } = build(
      "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: worker\n   bad: [\n",
    );
    expect(all.length).toBeGreaterThan(0);
    expect(all[0]).toMatch(/^c\.yaml:5:\d+: /);
  });

  it("refuses more nodes than the pod subnet has /24s for", () => {
    const { all } = build(
      "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking: {podSubnet: 10.0.0.0/23}\nnodes: [{role: control-plane}, {role: worker}, {role: worker}]\n",
    );
    expect(all).toEqual([
      "c.yaml:3:25: podSubnet 10.0.0.0/23 has room for 2 node /24s, not 3 (field networking.podSubnet)",
    ]);
  });
});
