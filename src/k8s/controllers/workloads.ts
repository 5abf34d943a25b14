/**
 * @module k8s/controllers/workloads
 * The controllers that turn a definition into Pods and Service addresses,
 * as a fresh kind cluster would have them: the system pods kind runs, the
 * workload controllers (Deployment → ReplicaSet → Pods, StatefulSet,
 * DaemonSet), the scheduler (nodeName, nodeSelector, taints and
 * tolerations, spreading), host-local's pod IP order per node, and the
 * EndpointSlice controller; Services are services.ts's.
 */
import { formatIPv4, maskOf, parseIPv4 } from "../../net/ip.js";
import { createRng, type Rng } from "../../net/rand.js";
import type { ClusterSpec, NodeSpec } from "../cluster/cluster.js";
import type { Diagnostic } from "../manifest/diagnostic.js";
import { diagAt, type SourcedObject } from "../manifest/load.js";
import { clusterNamespaces } from "../objects/cluster-objects.js";
import { meta } from "./meta.js";
import { podTemplateHash, randString } from "./names.js";
import { allocateServices, type ServiceInfo } from "./services.js";
import { mirroredEndpointSlices, userEndpointSlices } from "./user-slices.js";

export type { ServiceInfo, ServicePortInfo } from "./services.js";

type Obj = Record<string, unknown>;

export interface PodInfo {
  namespace: string;
  name: string;
  node: string;
  ip: string;
  /** status.hostIP: the node's address. */
  hostIP: string;
  hostNetwork: boolean;
  containers: number;
  labels: Record<string, string>;
  ports: Array<{
    name?: string;
    containerPort: number;
    protocol: string;
    hostPort?: number;
    hostIP?: string;
  }>;
  owner: string | null;
  /** A pod no node can take stays Pending: no node, no IP. */
  pending?: true;
  /** spec.hostname and spec.subdomain: a StatefulSet sets them to the pod's name and its serviceName. */
  hostname?: string;
  subdomain?: string;
  /** spec.dnsPolicy (the API server defaults it to ClusterFirst), spec.dnsConfig, spec.hostAliases. */
  dns?: PodDnsFields;
}

export interface PodDnsFields {
  dnsPolicy?: "ClusterFirst" | "ClusterFirstWithHostNet" | "Default" | "None";
  dnsConfig?: {
    nameservers?: string[];
    searches?: string[];
    options?: Array<{ name: string; value?: string }>;
  };
  hostAliases?: Array<{ ip: string; hostnames: string[] }>;
}

/** Kinds without a namespace: the Namespace itself and the cluster's configurations. */
const NOT_NAMESPACED = new Set(["Namespace", "Cluster", "TwinConfig", "KubeProxyConfiguration"]);

export interface EndpointSliceInfo {
  namespace: string;
  name: string;
  service: string;
  /** The controller's labels: the Service's own, service.kubernetes.io/headless when it has no ClusterIP, and its two. */
  labels: Record<string, string>;
  ports: Array<{ name?: string; port: number; protocol: string }>;
  /**
   * node and pod are absent on the API server's own slice, whose endpoints are bare addresses;
   * conditions only on a slice a definition wrote (or mirrored from Endpoints), as written.
   */
  endpoints: Array<{
    ip: string;
    node?: string;
    pod?: string;
    hostname?: string;
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  }>;
}

export interface Workloads {
  pods: PodInfo[];
  services: ServiceInfo[];
  endpointSlices: EndpointSliceInfo[];
  diagnostics: Diagnostic[];
}

interface PodTemplate {
  labels: Record<string, string>;
  nodeName?: string;
  nodeSelector: Record<string, string>;
  tolerations: Array<{ key?: string; operator?: string; effect?: string }>;
  hostNetwork: boolean;
  containers: number;
  ports: PodInfo["ports"];
  hostname?: string;
  subdomain?: string;
  dns?: PodDnsFields;
}

/** The DNS fields of a pod spec, when it has any. */
function dnsFields(s: Obj): PodDnsFields | undefined {
  const out: PodDnsFields = {};
  if (typeof s.dnsPolicy === "string") out.dnsPolicy = s.dnsPolicy as PodDnsFields["dnsPolicy"];
  if (s.dnsConfig && typeof s.dnsConfig === "object")
    out.dnsConfig = s.dnsConfig as PodDnsFields["dnsConfig"];
  if (Array.isArray(s.hostAliases)) out.hostAliases = s.hostAliases as PodDnsFields["hostAliases"];
  return Object.keys(out).length > 0 ? out : undefined;
}

function template(spec: Obj | undefined): PodTemplate {
  const s = (spec ?? {}) as Obj;
  const containers = (s.containers ?? []) as Obj[];
  return {
    labels: {},
    ...(typeof s.nodeName === "string" ? { nodeName: s.nodeName } : {}),
    nodeSelector: (s.nodeSelector ?? {}) as Record<string, string>,
    tolerations: (s.tolerations ?? []) as PodTemplate["tolerations"],
    hostNetwork: s.hostNetwork === true,
    ...(typeof s.hostname === "string" ? { hostname: s.hostname } : {}),
    ...(typeof s.subdomain === "string" ? { subdomain: s.subdomain } : {}),
    ...(dnsFields(s) ? { dns: dnsFields(s)! } : {}),
    containers: Math.max(1, containers.length),
    ports: containers.flatMap((c) =>
      ((c.ports ?? []) as Obj[]).map((p) => ({
        ...(typeof p.name === "string" ? { name: p.name } : {}),
        containerPort: Number(p.containerPort),
        protocol: String(p.protocol ?? "TCP"),
        ...(typeof p.hostPort === "number" ? { hostPort: p.hostPort } : {}),
        ...(typeof p.hostIP === "string" ? { hostIP: p.hostIP } : {}),
      })),
    ),
  };
}

/** A workload's spec.template: the pod spec with the template's labels. */
function podTemplate(workloadSpec: Obj): PodTemplate {
  const tpl = (workloadSpec.template ?? {}) as Obj;
  const labels = (((tpl.metadata ?? {}) as Obj).labels ?? {}) as Record<string, string>;
  return { ...template(tpl.spec as Obj | undefined), labels };
}

function nodeLabels(n: NodeSpec): Record<string, string> {
  const l: Record<string, string> = {
    "kubernetes.io/hostname": n.name,
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
  };
  if (n.role === "control-plane") l["node-role.kubernetes.io/control-plane"] = "";
  return l;
}

function tolerates(t: PodTemplate, taint: { key: string; effect: string }): boolean {
  return t.tolerations.some(
    (x) =>
      (x.operator === "Exists" && (x.key === undefined || x.key === taint.key)) ||
      (x.key === taint.key && (!x.effect || x.effect === taint.effect)),
  );
}

/** host-local over a node's podCIDR: .1 is the gateway, addresses go out in order from .2. */
class NodeIpam {
  private next = new Map<string, number>();
  alloc(n: NodeSpec): string {
    const [net, len] = n.podCIDR.split("/");
    const base = (parseIPv4(net ?? "") ?? 0) & maskOf(Number(len));
    const i = this.next.get(n.name) ?? 2;
    this.next.set(n.name, i + 1);
    return formatIPv4((base + i) >>> 0);
  }
}

/** The kubelet's --max-pods default: each node's allocatable pods. */
export const MAX_PODS = 110;

/** kube-scheduler, reduced to its filters and a spreading score: the feasible node with the fewest pods, in node order. */
function schedule(nodes: NodeSpec[], load: Map<string, number>, t: PodTemplate): NodeSpec | null {
  if (t.nodeName) return nodes.find((n) => n.name === t.nodeName) ?? null;
  const feasible = nodes.filter(
    (n) =>
      (load.get(n.name) ?? 0) < MAX_PODS &&
      Object.entries(t.nodeSelector).every(([k, v]) => nodeLabels(n)[k] === v) &&
      n.taints.every((taint) => taint.effect !== "NoSchedule" || tolerates(t, taint)),
  );
  let best: NodeSpec | null = null;
  for (const n of feasible) if (!best || (load.get(n.name) ?? 0) < (load.get(best.name) ?? 0)) best = n;
  return best;
}

export function runControllers(cluster: ClusterSpec, objects: SourcedObject[]): Workloads {
  const rng: Rng = createRng(cluster.seed * 7919 + 17);
  const diagnostics: Diagnostic[] = [];
  const ipam = new NodeIpam();
  const load = new Map<string, number>();
  const pods: PodInfo[] = [];
  const nodes = cluster.nodes;
  const cp = nodes.find((n) => n.role === "control-plane") ?? nodes[0]!;
  // The API server refuses an object in a namespace that does not exist (the NamespaceLifecycle admission).
  const namespaces = new Set(clusterNamespaces(cluster, objects));
  for (const o of objects) {
    if (NOT_NAMESPACED.has(String(o.obj.kind))) continue;
    const ns = (o.obj.metadata as Obj | undefined)?.namespace;
    if (typeof ns === "string" && !namespaces.has(ns))
      diagnostics.push(
        diagAt(o, ["metadata", "namespace"], {
          code: "NOT_FOUND",
          severity: "error",
          message: `namespaces "${ns}" not found (define a Namespace named ${ns})`,
        }),
      );
  }

  const place = (
    ns: string,
    name: string,
    t: PodTemplate,
    owner: string | null,
    src?: SourcedObject,
  ): void => {
    const node = schedule(nodes, load, t);
    if (!node) {
      if (src)
        diagnostics.push(
          diagAt(src, ["spec"], {
            code: "CONFLICT",
            severity: "warning",
            message: `pod ${ns}/${name} stays Pending: no node fits (nodeName, nodeSelector, taints, ${MAX_PODS} pods per node)`,
          }),
        );
      pods.push({
        namespace: ns,
        name,
        node: "",
        ip: "",
        hostIP: "",
        hostNetwork: t.hostNetwork,
        containers: t.containers,
        labels: t.labels,
        ports: t.ports,
        owner,
        pending: true,
      });
      return;
    }
    load.set(node.name, (load.get(node.name) ?? 0) + 1);
    pods.push({
      namespace: ns,
      name,
      node: node.name,
      ip: t.hostNetwork ? node.address : ipam.alloc(node),
      hostIP: node.address,
      hostNetwork: t.hostNetwork,
      containers: t.containers,
      labels: t.labels,
      ports: t.ports,
      owner,
      ...(t.hostname !== undefined ? { hostname: t.hostname } : {}),
      ...(t.subdomain !== undefined ? { subdomain: t.subdomain } : {}),
      ...(t.dns !== undefined ? { dns: t.dns } : {}),
    });
  };
  const system = (
    ns: string,
    name: string,
    node: NodeSpec,
    hostNetwork: boolean,
    labels: Record<string, string>,
    ports: PodInfo["ports"] = [],
  ): void => {
    load.set(node.name, (load.get(node.name) ?? 0) + 1);
    pods.push({
      namespace: ns,
      name,
      node: node.name,
      ip: hostNetwork ? node.address : ipam.alloc(node),
      hostIP: node.address,
      hostNetwork,
      containers: 1,
      labels,
      ports,
      owner: null,
    });
  };

  // What kind runs before anything is applied: CoreDNS and the local-path provisioner first get pod IPs on the control-plane.
  const dnsHash = podTemplateHash(rng);
  for (let i = 0; i < 2; i++)
    system("kube-system", `coredns-${dnsHash}-${randString(rng, 5)}`, cp, false, { "k8s-app": "kube-dns" }, [
      { name: "dns", containerPort: 53, protocol: "UDP" },
      { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
      { name: "metrics", containerPort: 9153, protocol: "TCP" },
    ]);
  system(
    "local-path-storage",
    `local-path-provisioner-${podTemplateHash(rng)}-${randString(rng, 5)}`,
    cp,
    false,
    { app: "local-path-provisioner" },
  );
  for (const c of ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"])
    system("kube-system", `${c}-${cp.name}`, cp, true, { component: c });
  for (const n of nodes) {
    if (cluster.cni.type === "kindnet" && !cluster.disableDefaultCNI)
      system("kube-system", `kindnet-${randString(rng, 5)}`, n, true, { app: "kindnet" });
    // kube-flannel.yml's DaemonSet: one hostNetwork flanneld per node, in its own namespace.
    if (cluster.cni.type === "flannel")
      system("kube-flannel", `kube-flannel-ds-${randString(rng, 5)}`, n, true, {
        app: "flannel",
        "k8s-app": "flannel",
      });
    if (cluster.kubeProxyMode !== "none")
      system("kube-system", `kube-proxy-${randString(rng, 5)}`, n, true, { "k8s-app": "kube-proxy" });
  }

  for (const src of objects) {
    const o = src.obj;
    const m = meta(o);
    const spec = (o.spec ?? {}) as Obj;
    switch (o.kind) {
      case "Pod":
        place(m.namespace, m.name, { ...template(spec), labels: m.labels }, null, src);
        break;
      case "Deployment":
      case "ReplicaSet": {
        const replicas = spec.replicas === undefined ? 1 : Number(spec.replicas);
        const prefix = o.kind === "Deployment" ? `${m.name}-${podTemplateHash(rng)}` : m.name;
        for (let i = 0; i < replicas; i++)
          place(
            m.namespace,
            `${prefix}-${randString(rng, 5)}`,
            podTemplate(spec),
            `${o.kind}/${m.name}`,
            src,
          );
        break;
      }
      case "StatefulSet": {
        const replicas = spec.replicas === undefined ? 1 : Number(spec.replicas);
        for (let i = 0; i < replicas; i++)
          place(
            m.namespace,
            `${m.name}-${i}`,
            {
              ...podTemplate(spec),
              // The StatefulSet controller gives each pod its identity: hostname and the governing Service.
              hostname: `${m.name}-${i}`,
              ...(typeof spec.serviceName === "string" ? { subdomain: spec.serviceName } : {}),
            },
            `StatefulSet/${m.name}`,
            src,
          );
        break;
      }
      case "DaemonSet": {
        const t = podTemplate(spec);
        for (const n of nodes) {
          if (n.taints.some((taint) => !tolerates(t, taint))) continue;
          if (!Object.entries(t.nodeSelector).every(([k, v]) => nodeLabels(n)[k] === v)) continue;
          place(
            m.namespace,
            `${m.name}-${randString(rng, 5)}`,
            { ...t, nodeName: n.name },
            `DaemonSet/${m.name}`,
            src,
          );
        }
        break;
      }
      default:
        break;
    }
  }
  const services = allocateServices(cluster, objects, rng, diagnostics);
  const endpointSlices = [
    ...sliceEndpoints(services, pods, objects, rng, diagnostics),
    ...userEndpointSlices(objects, diagnostics),
    ...mirroredEndpointSlices(objects, services, rng, diagnostics),
  ];
  return { pods, services, endpointSlices, diagnostics };
}

/** The labels the EndpointSlice controller puts on a Service's slices, sorted as kubectl prints them. */
function sliceLabels(svc: ServiceInfo): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.labels ?? {}) };
  if (svc.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
  labels["kubernetes.io/service-name"] = svc.name;
  labels["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io";
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The EndpointSlice controller: ready pods matching a Service's selector, at most 100 endpoints a slice. */
function sliceEndpoints(
  services: ServiceInfo[],
  pods: PodInfo[],
  objects: SourcedObject[],
  rng: Rng,
  diagnostics: Diagnostic[],
): EndpointSliceInfo[] {
  const out: EndpointSliceInfo[] = [];
  for (const svc of services) {
    if (svc.namespace === "default" && svc.name === "kubernetes") {
      // The API server keeps this one itself: its own address on 6443, under the Service's name.
      const ip = pods.find((p) => p.name.startsWith("kube-apiserver-"));
      if (ip)
        out.push({
          namespace: "default",
          name: "kubernetes",
          service: "kubernetes",
          labels: { "kubernetes.io/service-name": "kubernetes" },
          ports: [{ name: "https", port: 6443, protocol: "TCP" }],
          endpoints: [{ ip: ip.ip }],
        });
      continue;
    }
    if (!svc.selector || svc.type === "ExternalName") continue;
    const sel = svc.selector;
    const members = pods.filter(
      (p) =>
        !p.pending &&
        p.namespace === svc.namespace &&
        Object.entries(sel).every(([k, v]) => p.labels[k] === v),
    );
    const src = objects.find(
      (o) =>
        o.obj.kind === "Service" &&
        (o.obj.metadata as Obj | undefined)?.name === svc.name &&
        ((o.obj.metadata as Obj).namespace ?? "default") === svc.namespace,
    );
    if (members.length === 0 && src) {
      diagnostics.push(
        diagAt(src, ["spec", "selector"], {
          code: "NOT_FOUND",
          severity: "warning",
          message: `Service ${svc.namespace}/${svc.name} selects no pods: it will have no endpoints`,
        }),
      );
    }
    // getEndpointPorts: each pod's own ports — a named targetPort is looked up in its containerPorts
    // (FindPort, name and protocol), and a port it does not have is left out for that pod.
    const portsOf = (m: PodInfo): EndpointSliceInfo["ports"] =>
      svc.ports.flatMap((p) => {
        let port: number | undefined;
        if (typeof p.targetPort === "number") port = p.targetPort;
        else if (/^\d+$/.test(p.targetPort)) port = Number(p.targetPort);
        else
          port = m.ports.find((cp) => cp.name === p.targetPort && cp.protocol === p.protocol)?.containerPort;
        if (port === undefined) return [];
        return [{ ...(p.name !== undefined ? { name: p.name } : {}), port, protocol: p.protocol }];
      });
    // The reconciler keeps one set of slices per distinct port mapping (endpointutil.PortMapKey), in the
    // order the mappings first appear; a Service without pods gets one placeholder slice, without ports.
    const groups = new Map<string, { ports: EndpointSliceInfo["ports"]; pods: PodInfo[] }>();
    for (const m of members) {
      const ports = portsOf(m);
      const key = JSON.stringify(ports);
      const g = groups.get(key);
      if (g) g.pods.push(m);
      else groups.set(key, { ports, pods: [m] });
    }
    // A port no pod resolved is in no mapping: it has no endpoints.
    if (src && members.length > 0)
      svc.ports.forEach((p, i) => {
        const name = p.targetPort;
        if (typeof name !== "string" || /^\d+$/.test(name)) return;
        if (
          ![...groups.values()].some((g) =>
            g.ports.some((gp) => gp.name === p.name && gp.protocol === p.protocol),
          )
        )
          diagnostics.push(
            diagAt(src, ["spec", "ports", i, "targetPort"], {
              code: "NOT_FOUND",
              severity: "warning",
              message: `targetPort "${name}" names no ${p.protocol} containerPort of the selected pods: the port has no endpoints`,
            }),
          );
      });
    if (groups.size === 0) groups.set("", { ports: [], pods: [] });
    for (const g of groups.values())
      for (let i = 0; i < Math.max(1, Math.ceil(g.pods.length / 100)); i++) {
        out.push({
          namespace: svc.namespace,
          name: `${svc.name}-${randString(rng, 5)}`,
          service: svc.name,
          labels: sliceLabels(svc),
          ports: g.ports,
          endpoints: g.pods.slice(i * 100, i * 100 + 100).map((m) => ({
            ip: m.ip,
            node: m.node,
            pod: m.name,
            // Only a pod that names this Service as its subdomain gets a hostname (and so a DNS record).
            ...(m.hostname !== undefined && m.subdomain === svc.name ? { hostname: m.hostname } : {}),
          })),
        });
      }
  }
  return out;
}
