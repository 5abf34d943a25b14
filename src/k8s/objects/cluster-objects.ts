/**
 * @module k8s/objects/cluster-objects
 * The objects a kind cluster has before anything is applied: its Nodes (as
 * the kubelet registers them, with the podCIDR node IPAM gave) and its
 * Namespaces.
 */
import type { ClusterSpec, NodeSpec } from "../cluster/cluster.js";

/** kind v0.29's node image. */
export const KUBELET_VERSION = "v1.33.1";
export const NODE_INFO = {
  osImage: "Debian GNU/Linux 12 (bookworm)",
  kernelVersion: "6.1.0-kubetwin",
  containerRuntimeVersion: "containerd://2.1.1",
  kubeletVersion: KUBELET_VERSION,
  kubeProxyVersion: "",
  operatingSystem: "linux",
  architecture: "amd64",
};

export const SYSTEM_NAMESPACES = [
  "default",
  "kube-node-lease",
  "kube-public",
  "kube-system",
  "local-path-storage",
];

/** The namespaces a cluster has before anything is applied (flannel's manifest adds kube-flannel). */
export function systemNamespaces(cluster: ClusterSpec): string[] {
  return cluster.cni.type === "flannel" ? [...SYSTEM_NAMESPACES, "kube-flannel"] : SYSTEM_NAMESPACES;
}

/** Every namespace of the cluster: the system ones and those the definition creates, sorted. */
export function clusterNamespaces(
  cluster: ClusterSpec,
  objects: ReadonlyArray<{ obj: Record<string, unknown> }>,
): string[] {
  const user = objects
    .filter((o) => o.obj.kind === "Namespace")
    .map((o) => String((o.obj.metadata as Record<string, unknown>).name));
  return [...new Set([...systemNamespaces(cluster), ...user])].sort();
}

export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
};

export function nodeObject(n: NodeSpec, cluster: ClusterSpec): K8sObject {
  const labels: Record<string, string> = {
    "beta.kubernetes.io/arch": "amd64",
    "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/hostname": n.name,
    "kubernetes.io/os": "linux",
  };
  if (n.role === "control-plane") {
    labels["node-role.kubernetes.io/control-plane"] = "";
    labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
  }
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: n.name, labels, creationTimestamp: "2025-01-01T00:00:00Z" },
    spec: {
      podCIDR: n.podCIDR,
      podCIDRs: [n.podCIDR],
      providerID: `kind://docker/${cluster.name}/${n.name}`,
      ...(n.taints.length ? { taints: n.taints } : {}),
    },
    status: {
      addresses: [
        { type: "InternalIP", address: n.address },
        { type: "Hostname", address: n.name },
      ],
      allocatable: { pods: "110" },
      capacity: { pods: "110" },
      conditions: [
        { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
      ],
      nodeInfo: NODE_INFO,
    },
  };
}

export function namespaceObject(name: string): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: { "kubernetes.io/metadata.name": name },
      creationTimestamp: "2025-01-01T00:00:00Z",
    },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}
