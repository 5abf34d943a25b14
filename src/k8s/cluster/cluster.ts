/**
 * @module k8s/cluster
 * The cluster a definition describes: kind's Cluster config (defaults as kind
 * sets them, pkg/apis/config/v1alpha4/default.go) and kubetwin's TwinConfig,
 * turned into nodes with names, roles, underlay addresses and podCIDRs.
 *
 * Without a Cluster config kubetwin builds one control-plane and two workers
 * (design.md); a Cluster config without nodes is kind's single control-plane.
 */
import { formatIPv4, isIPv4Cidr, maskOf, parseIPv4 } from "../../net/ip.js";
import type { Diagnostic } from "../manifest/diagnostic.js";
import { diagAt, positionIn, type SourcedObject } from "../manifest/load.js";
import { type KubeProxySettings, readKubeProxyConfig } from "./kube-proxy-config.js";

export type CniType = "kindnet" | "bridge" | "flannel" | "routed";

export interface NodeSpec {
  name: string;
  role: "control-plane" | "worker";
  /** The node's address on the underlay (kind's docker network). */
  address: string;
  podCIDR: string;
  taints: Array<{ key: string; effect: string }>;
}

export interface ClusterSpec {
  name: string;
  nodes: NodeSpec[];
  podSubnet: string;
  serviceSubnet: string;
  kubeProxyMode: "iptables" | "ipvs" | "nftables" | "none";
  /** What kube-proxy runs with (the KubeProxyConfiguration, or kind's). */
  kubeProxy: KubeProxySettings;
  ipFamily: "ipv4" | "ipv6" | "dual";
  disableDefaultCNI: boolean;
  cni: { type: CniType; backend: "vxlan" | "host-gw" | null };
  seed: number;
  underlay: { subnet: string; gateway: string };
  /** The LoadBalancer address pool (TwinConfig `loadBalancer.pool`), first and last address inclusive. */
  loadBalancer: { pool: { first: string; last: string } };
  dns: DnsSettings;
}

/** Where a piece of configuration text came from, so errors inside it name the file's own line. */
export interface SourcedText {
  text: string;
  file: string;
  /** The file's line that holds the text's first line. */
  line: number;
}

export interface DnsSettings {
  /** data.Corefile of the kube-system `coredns` ConfigMap, when the definition has one (else kind's). */
  corefile: SourcedText | null;
  /**
   * TwinConfig `dns.upstream`: zone-file lines the Internet's resolver answers
   * from (else a default set), or "unreachable": nothing answers CoreDNS's
   * forward (an egress firewall, no route out).
   */
  upstream: { records: string[]; file: string; line: number } | "unreachable" | null;
}

const KIND_API = "kind.x-k8s.io/v1alpha4";
const TWIN_API = "kubetwin.dev/v1alpha1";
const UNDERLAY = { subnet: "172.18.0.0/16", gateway: "172.18.0.1" };

type Obj = Record<string, unknown>;

/** kind names nodes <cluster>-control-plane, <cluster>-control-plane2 …, <cluster>-worker, <cluster>-worker2 … */
export function kindNodeNames(cluster: string, roles: Array<"control-plane" | "worker">): string[] {
  const count = { "control-plane": 0, worker: 0 };
  return roles.map((r) => {
    count[r]++;
    return `${cluster}-${r}${count[r] === 1 ? "" : count[r]}`;
  });
}

export function buildCluster(objects: SourcedObject[]): { cluster: ClusterSpec; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const kinds = objects.filter((o) => o.obj.kind === "Cluster");
  const twins = objects.filter((o) => o.obj.kind === "TwinConfig");
  for (const extra of [...kinds.slice(1), ...twins.slice(1)]) {
    diagnostics.push(
      diagAt(extra, ["kind"], {
        code: "DUPLICATE",
        severity: "error",
        message: `only one ${String(extra.obj.kind)} may be given`,
      }),
    );
  }
  const kc = kinds[0];
  const tc = twins[0];
  if (kc && kc.obj.apiVersion !== KIND_API) {
    diagnostics.push(
      diagAt(kc, ["apiVersion"], {
        code: "INVALID_FIELD",
        severity: "error",
        message: `kind Cluster config must use apiVersion ${KIND_API}`,
      }),
    );
  }
  if (tc && tc.obj.apiVersion !== TWIN_API) {
    diagnostics.push(
      diagAt(tc, ["apiVersion"], {
        code: "INVALID_FIELD",
        severity: "error",
        message: `TwinConfig must use apiVersion ${TWIN_API}`,
      }),
    );
  }
  const net = ((kc?.obj.networking as Obj | undefined) ?? {}) as Obj;
  const fieldErr = (src: SourcedObject, path: PropertyKey[], message: string): void => {
    diagnostics.push(diagAt(src, path, { code: "INVALID_FIELD", severity: "error", message }));
  };
  const podSubnet = (net.podSubnet as string | undefined) ?? "10.244.0.0/16";
  const serviceSubnet = (net.serviceSubnet as string | undefined) ?? "10.96.0.0/16";
  if (kc && net.podSubnet !== undefined && !isIPv4Cidr(net.podSubnet))
    fieldErr(kc, ["networking", "podSubnet"], `invalid CIDR "${String(net.podSubnet)}"`);
  if (kc && net.serviceSubnet !== undefined && !isIPv4Cidr(net.serviceSubnet))
    fieldErr(kc, ["networking", "serviceSubnet"], `invalid CIDR "${String(net.serviceSubnet)}"`);
  const mode = (net.kubeProxyMode as string | undefined) ?? "iptables";
  if (kc && !["iptables", "ipvs", "nftables", "none"].includes(mode))
    fieldErr(
      kc,
      ["networking", "kubeProxyMode"],
      `kubeProxyMode must be iptables, ipvs, nftables or none, not "${mode}"`,
    );
  const family = (net.ipFamily as string | undefined) ?? "ipv4";
  if (kc && !["ipv4", "ipv6", "dual"].includes(family))
    fieldErr(kc, ["networking", "ipFamily"], `ipFamily must be ipv4, ipv6 or dual, not "${family}"`);

  let roles: Array<"control-plane" | "worker">;
  if (!kc) roles = ["control-plane", "worker", "worker"];
  else {
    const nodes = (kc.obj.nodes as unknown[] | undefined) ?? [{ role: "control-plane" }];
    roles = nodes.map((n, i) => {
      const r = ((n as Obj | null)?.role as string | undefined) ?? "control-plane";
      if (r !== "control-plane" && r !== "worker")
        fieldErr(kc, ["nodes", i, "role"], `role must be control-plane or worker, not "${r}"`);
      return r === "worker" ? "worker" : "control-plane";
    });
  }
  const name = (kc?.obj.name as string | undefined) ?? "kind";
  const names = kindNodeNames(name, roles);
  const twinNodes = ((tc?.obj.nodes as unknown[] | undefined) ?? []) as Obj[];
  const cniObj = ((tc?.obj.cni as Obj | undefined) ?? {}) as Obj;
  const cniType = (cniObj.type as string | undefined) ?? "kindnet";
  if (tc && !["kindnet", "bridge", "flannel", "routed"].includes(cniType))
    fieldErr(tc, ["cni", "type"], `cni.type must be kindnet, bridge, flannel or routed, not "${cniType}"`);
  const backend = cniType === "flannel" ? ((cniObj.backend as string | undefined) ?? "vxlan") : null;
  if (tc && backend !== null && backend !== "vxlan" && backend !== "host-gw")
    fieldErr(tc, ["cni", "backend"], `flannel backend must be vxlan or host-gw, not "${backend}"`);

  // Node IPAM: /24s of the pod subnet in node order; kind's network hands out .2, .3 … in the same order.
  const [podNet, podLenText] = podSubnet.split("/");
  const podBase = parseIPv4(podNet ?? "") ?? 0;
  const podLen = Number(podLenText ?? 16);
  const capacity = podLen <= 24 ? 2 ** (24 - podLen) : 0;
  if (kc && isIPv4Cidr(podSubnet) && roles.length > capacity) {
    fieldErr(
      kc,
      ["networking", "podSubnet"],
      `podSubnet ${podSubnet} has room for ${capacity} node /24s, not ${roles.length}`,
    );
  }
  const used = new Set<string>();
  const nodes: NodeSpec[] = roles.map((role, i) => {
    const t = twinNodes[i] ?? {};
    const nodeName = (t.name as string | undefined) ?? names[i]!;
    if (used.has(nodeName) && tc) fieldErr(tc, ["nodes", i, "name"], `node name "${nodeName}" is used twice`);
    used.add(nodeName);
    const address =
      (t.address as string | undefined) ?? formatIPv4((parseIPv4(UNDERLAY.gateway)! + 1 + i) >>> 0);
    if (tc && t.address !== undefined && parseIPv4(String(t.address)) === null)
      fieldErr(tc, ["nodes", i, "address"], `invalid address "${String(t.address)}"`);
    const podCIDR = `${formatIPv4(((podBase & maskOf(podLen)) + i * 256) >>> 0)}/24`;
    const taints =
      role === "control-plane" && roles.includes("worker")
        ? [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]
        : [];
    return { name: nodeName, role, address, podCIDR, taints };
  });
  const seed = typeof tc?.obj.seed === "number" ? tc.obj.seed : 1;
  const loadBalancer = loadBalancerConfig(tc, nodes, fieldErr);
  const dns = dnsSettings(objects, tc, fieldErr);
  const kp = readKubeProxyConfig(objects, mode as ClusterSpec["kubeProxyMode"], podSubnet);
  diagnostics.push(...kp.diagnostics);
  return {
    cluster: {
      name,
      nodes,
      podSubnet,
      serviceSubnet,
      kubeProxyMode: kp.settings.mode,
      kubeProxy: kp.settings,
      ipFamily: family as ClusterSpec["ipFamily"],
      disableDefaultCNI: net.disableDefaultCNI === true,
      cni: { type: cniType as CniType, backend: backend as ClusterSpec["cni"]["backend"] },
      seed,
      underlay: UNDERLAY,
      loadBalancer,
      dns,
    },
    diagnostics,
  };
}

/**
 * The cluster's DNS configuration: CoreDNS's Corefile from the kube-system
 * `coredns` ConfigMap (as kubeadm installs it), and the TwinConfig's
 * `dns.upstream` record set for the Internet behind forward.
 */
function dnsSettings(
  objects: SourcedObject[],
  tc: SourcedObject | undefined,
  fieldErr: (src: SourcedObject, path: PropertyKey[], message: string) => void,
): DnsSettings {
  let corefile: SourcedText | null = null;
  const cm = objects.find((o) => {
    const m = (o.obj.metadata ?? {}) as Obj;
    return o.obj.kind === "ConfigMap" && m.namespace === "kube-system" && m.name === "coredns";
  });
  if (cm) {
    const text = ((cm.obj.data ?? {}) as Obj).Corefile;
    if (typeof text !== "string")
      fieldErr(cm, ["data", "Corefile"], "the coredns ConfigMap needs data.Corefile");
    else {
      const node = cm.doc.getIn([...cm.base, "data", "Corefile"], true) as { type?: string } | undefined;
      // A block scalar's text starts on the line after its `|` or `>` indicator.
      const block = node?.type === "BLOCK_LITERAL" || node?.type === "BLOCK_FOLDED";
      corefile = { text, file: cm.file, line: positionIn(cm, ["data", "Corefile"]).line + (block ? 1 : 0) };
    }
  }
  let upstream: DnsSettings["upstream"] = null;
  const d = tc?.obj.dns as Obj | undefined;
  if (tc && d !== undefined && d.upstream !== undefined) {
    const u = d.upstream;
    if (u === "unreachable") upstream = "unreachable";
    else if (!Array.isArray(u) || !u.every((x) => typeof x === "string"))
      fieldErr(
        tc,
        ["dns", "upstream"],
        'dns.upstream must be a list of zone-file lines ("google.com. 300 IN A 142.250.185.78")',
      );
    else upstream = { records: u, file: tc.file, line: positionIn(tc, ["dns", "upstream"]).line };
  }
  return { corefile, upstream };
}

/** What MetalLB is usually given on kind: the top of the docker network, clear of the nodes docker numbers from .2. */
const DEFAULT_LB_POOL = { first: "172.18.255.200", last: "172.18.255.250" };

/**
 * TwinConfig `loadBalancer: {pool: "A-B" | CIDR}`: the addresses the load-balancer
 * controller hands to LoadBalancer Services (MetalLB's IPAddressPool syntax).
 * A CIDR gives every address in it, as MetalLB does without avoidBuggyIPs.
 */
function loadBalancerConfig(
  tc: SourcedObject | undefined,
  nodes: NodeSpec[],
  fieldErr: (src: SourcedObject, path: PropertyKey[], message: string) => void,
): ClusterSpec["loadBalancer"] {
  const lb = tc?.obj.loadBalancer as Obj | undefined;
  if (!tc || lb === undefined || lb.pool === undefined) return { pool: DEFAULT_LB_POOL };
  const text = String(lb.pool).trim();
  let first: number | null = null;
  let last: number | null = null;
  if (text.includes("-")) {
    const [a, b] = text.split("-").map((x) => x.trim());
    first = parseIPv4(a ?? "");
    last = parseIPv4(b ?? "");
  } else if (isIPv4Cidr(text)) {
    const [a, l] = text.split("/");
    const len = Number(l);
    const net = (parseIPv4(a!)! & maskOf(len)) >>> 0;
    first = net;
    last = net + 2 ** (32 - len) - 1;
  }
  if (first === null || last === null || first > last) {
    fieldErr(
      tc,
      ["loadBalancer", "pool"],
      `loadBalancer.pool must be FIRST-LAST (e.g. 172.18.255.200-172.18.255.250) or a CIDR, not "${text}"`,
    );
    return { pool: DEFAULT_LB_POOL };
  }
  const taken = nodes.find((n) => {
    const a = parseIPv4(n.address);
    return a !== null && a >= first && a <= last;
  });
  if (taken)
    fieldErr(
      tc,
      ["loadBalancer", "pool"],
      `loadBalancer.pool ${text} holds node ${taken.name}'s address ${taken.address}`,
    );
  return { pool: { first: formatIPv4(first), last: formatIPv4(last) } };
}
