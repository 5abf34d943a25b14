/**
 * @module proxy/ipvs/proxier
 * kube-proxy's ipvs mode (pkg/proxy/ipvs/proxier.go syncProxyRules and
 * writeIptablesRules) as a pure compiler from the shared change-tracking
 * state to what the node must hold: the IPVS virtual servers with their real
 * servers (weight 1, masquerading), the addresses bound to kube-ipvs0, the
 * entries of each ipset, the iptables-restore payload (natChains, natRules,
 * filterChains, filterRules, in that order) and the jump rules ensured in
 * the built-in chains. sync.ts applies it through the host interface.
 */

import type { IpvsDestSpec, IpvsServiceSpec } from "../../host/host.js";
import { inPrefix, parseIPv4 } from "../../net/ip.js";
import { categorizeEndpoints, type ProxyState, type ServicePortInfo } from "../changes.js";
import {
  kubeForwardChain,
  kubeMarkMasqChain,
  kubePostroutingChain,
  kubeProxyFirewallChain,
  kubeServicesChain,
} from "../iptables/chain-names.js";
import { masqueradeMarkOf } from "../iptables/proxier.js";
import { kubeForwardAcceptRules, masqueradeRules } from "../shared-rules.js";
import type { LocalDetector, NodeInfo, ProxierConfig } from "../types.js";
import {
  IPSET_BY_NAME,
  IPSET_INFO,
  ipPortEntry,
  ipPortIpEntry,
  kubeClusterIPSet,
  kubeExternalIPLocalSet,
  kubeExternalIPSet,
  kubeHealthCheckNodePortSet,
  kubeIPVSSet,
  kubeLoadBalancerFWSet,
  kubeLoadBalancerLocalSet,
  kubeLoadBalancerSet,
  kubeLoadBalancerSourceCIDRSet,
  kubeLoadBalancerSourceIPSet,
  kubeLoopBackIPSet,
  kubeNodePortLocalSetSCTP,
  kubeNodePortLocalSetTCP,
  kubeNodePortLocalSetUDP,
  kubeNodePortSetSCTP,
  kubeNodePortSetTCP,
  kubeNodePortSetUDP,
  setComment,
} from "./ipsets.js";

// The chains the ipvs mode shares with the iptables mode carry the same names (chain-names.ts).
export const kubeSourceRangesFirewallChain = "KUBE-SOURCE-RANGES-FIREWALL";
export const kubeNodePortChain = "KUBE-NODE-PORT";
export const kubeLoadBalancerChain = "KUBE-LOAD-BALANCER";
export const kubeIPVSFilterChain = "KUBE-IPVS-FILTER";
export const kubeIPVSOutFilterChain = "KUBE-IPVS-OUT-FILTER";
export const defaultScheduler = "rr";
export const defaultDummyDevice = "kube-ipvs0";

/** The ipvs-mode settings of KubeProxyConfiguration beside the common ones. */
export interface IpvsProxierConfig extends ProxierConfig {
  /** ipvs.scheduler; "" means rr. */
  scheduler?: string;
  /** ipvs.strictARP: arp_ignore=1, arp_announce=2. */
  strictARP?: boolean;
}

/** The sysctls NewProxier ensures (proxyutil.EnsureSysctl: written only when different). */
export function ipvsSysctls(cfg: IpvsProxierConfig): [string, string][] {
  // conn_reuse_mode is left as it is on kernels from 5.9 (IPVSConnReuseModeFixedKernelVersion), as the model's.
  const s: [string, string][] = [
    ["net.ipv4.vs.conntrack", "1"],
    ["net.ipv4.vs.expire_nodest_conn", "1"],
    ["net.ipv4.vs.expire_quiescent_template", "1"],
    ["net.ipv4.ip_forward", "1"],
  ];
  if (cfg.strictARP) s.push(["net.ipv4.conf.all.arp_ignore", "1"], ["net.ipv4.conf.all.arp_announce", "2"]);
  return s;
}

interface JumpChainDef {
  table: "nat" | "filter";
  from: string;
  to: string;
  comment: string;
}

/** iptablesJumpChain, in upstream's order (each EnsureRule(Prepend)). */
export const iptablesJumpChain: readonly JumpChainDef[] = [
  { table: "nat", from: "OUTPUT", to: kubeServicesChain, comment: "kubernetes service portals" },
  { table: "nat", from: "PREROUTING", to: kubeServicesChain, comment: "kubernetes service portals" },
  { table: "nat", from: "POSTROUTING", to: kubePostroutingChain, comment: "kubernetes postrouting rules" },
  { table: "filter", from: "FORWARD", to: kubeForwardChain, comment: "kubernetes forwarding rules" },
  { table: "filter", from: "INPUT", to: kubeNodePortChain, comment: "kubernetes health check rules" },
  { table: "filter", from: "INPUT", to: kubeProxyFirewallChain, comment: "kube-proxy firewall rules" },
  { table: "filter", from: "FORWARD", to: kubeProxyFirewallChain, comment: "kube-proxy firewall rules" },
  { table: "filter", from: "INPUT", to: kubeIPVSFilterChain, comment: "kubernetes ipvs access filter" },
  { table: "filter", from: "OUTPUT", to: kubeIPVSOutFilterChain, comment: "kubernetes ipvs access filter" },
];

/** iptablesChains: the chains createAndLinkKubeChain ensures and declares in the payload. */
export const iptablesChains: readonly { table: "nat" | "filter"; chain: string }[] = [
  { table: "nat", chain: kubeServicesChain },
  { table: "nat", chain: kubePostroutingChain },
  { table: "nat", chain: kubeNodePortChain },
  { table: "nat", chain: kubeLoadBalancerChain },
  { table: "nat", chain: kubeMarkMasqChain },
  { table: "filter", chain: kubeForwardChain },
  { table: "filter", chain: kubeNodePortChain },
  { table: "filter", chain: kubeProxyFirewallChain },
  { table: "filter", chain: kubeSourceRangesFirewallChain },
  { table: "filter", chain: kubeIPVSFilterChain },
  { table: "filter", chain: kubeIPVSOutFilterChain },
];

/** ipsetWithIptablesChain: `-A <from> [-p proto] -m comment … -m set --match-set <set> <match> -j <to>` for non-empty sets. */
const ipsetWithIptablesChain: readonly {
  name: string;
  table: "nat" | "filter";
  from: string;
  to: string;
  matchType: string;
  protocolMatch: string;
}[] = [
  {
    name: kubeLoopBackIPSet,
    table: "nat",
    from: kubePostroutingChain,
    to: "MASQUERADE",
    matchType: "dst,dst,src",
    protocolMatch: "",
  },
  {
    name: kubeLoadBalancerSet,
    table: "nat",
    from: kubeServicesChain,
    to: kubeLoadBalancerChain,
    matchType: "dst,dst",
    protocolMatch: "",
  },
  {
    name: kubeLoadBalancerLocalSet,
    table: "nat",
    from: kubeLoadBalancerChain,
    to: "RETURN",
    matchType: "dst,dst",
    protocolMatch: "",
  },
  {
    name: kubeNodePortLocalSetTCP,
    table: "nat",
    from: kubeNodePortChain,
    to: "RETURN",
    matchType: "dst",
    protocolMatch: "tcp",
  },
  {
    name: kubeNodePortSetTCP,
    table: "nat",
    from: kubeNodePortChain,
    to: kubeMarkMasqChain,
    matchType: "dst",
    protocolMatch: "tcp",
  },
  {
    name: kubeNodePortLocalSetUDP,
    table: "nat",
    from: kubeNodePortChain,
    to: "RETURN",
    matchType: "dst",
    protocolMatch: "udp",
  },
  {
    name: kubeNodePortSetUDP,
    table: "nat",
    from: kubeNodePortChain,
    to: kubeMarkMasqChain,
    matchType: "dst",
    protocolMatch: "udp",
  },
  {
    name: kubeNodePortLocalSetSCTP,
    table: "nat",
    from: kubeNodePortChain,
    to: "RETURN",
    matchType: "dst,dst",
    protocolMatch: "sctp",
  },
  {
    name: kubeNodePortSetSCTP,
    table: "nat",
    from: kubeNodePortChain,
    to: kubeMarkMasqChain,
    matchType: "dst,dst",
    protocolMatch: "sctp",
  },
  {
    name: kubeLoadBalancerFWSet,
    table: "filter",
    from: kubeProxyFirewallChain,
    to: kubeSourceRangesFirewallChain,
    matchType: "dst,dst",
    protocolMatch: "",
  },
  {
    name: kubeLoadBalancerSourceCIDRSet,
    table: "filter",
    from: kubeSourceRangesFirewallChain,
    to: "RETURN",
    matchType: "dst,dst,src",
    protocolMatch: "",
  },
  {
    name: kubeLoadBalancerSourceIPSet,
    table: "filter",
    from: kubeSourceRangesFirewallChain,
    to: "RETURN",
    matchType: "dst,dst,src",
    protocolMatch: "",
  },
];

/** One virtual server as syncService/syncEndpoint leave it. */
export interface VirtualServer {
  spec: IpvsServiceSpec;
  /** Its address goes on kube-ipvs0. */
  bind: boolean;
  /** The real servers, sorted by "ip:port". */
  dests: IpvsDestSpec[];
  /** The service port it serves ("ns/name:port"). */
  servicePort: string;
}

export interface IpvsSyncInput {
  state: ProxyState;
  node: NodeInfo;
  config: IpvsProxierConfig;
  /** Every local IPv4 address except kube-ipvs0's and loopback (GetAllLocalAddressesExcept). */
  nodeAddresses: readonly string[];
}

export interface IpvsSyncPlan {
  virtualServers: VirtualServer[];
  /** activeBindAddrs, sorted. */
  bindAddrs: string[];
  /** Each ipset's activeEntries, sorted (sets.List()). */
  ipsets: Map<string, string[]>;
  payload: string;
  jumpRules: { table: "nat" | "filter"; chain: string; ensureChain: string; args: string[] }[];
}

function detectorArgs(d: LocalDetector): string[] {
  switch (d.mode) {
    case "ClusterCIDR":
      return ["!", "-s", d.cidr];
    case "BridgeInterface":
      return ["!", "-i", d.bridge];
    case "InterfaceNamePrefix":
      return ["!", "-i", `${d.prefix}+`];
  }
}

function cidrContains(cidr: string, ip: string): boolean {
  const [a, l] = cidr.split("/");
  const net = parseIPv4(a ?? "");
  const addr = parseIPv4(ip);
  return net !== null && addr !== null && inPrefix(addr, net, Number(l ?? 32));
}

/** The node IPs NodePort virtual servers go on: all node addresses, or those in nodePortAddresses. */
export function nodePortIPs(
  nodeAddresses: readonly string[],
  nodePortAddresses: readonly string[],
): string[] {
  if (nodePortAddresses.length === 0) return [...nodeAddresses];
  return nodeAddresses.filter((ip) => nodePortAddresses.some((c) => cidrContains(c, ip)));
}

/** syncProxyRules' IPVS and ipset half, then writeIptablesRules. */
export function syncIpvsProxyRules(input: IpvsSyncInput): IpvsSyncPlan {
  const { state, node, config } = input;
  const scheduler = config.scheduler || defaultScheduler;
  const mark = config.masqueradeMark ?? masqueradeMarkOf(config.masqueradeBit ?? 14);
  const localDetector: LocalDetector | undefined =
    config.localDetector ??
    (config.clusterCIDR ? { mode: "ClusterCIDR", cidr: config.clusterCIDR } : undefined);
  const nodeAddressSet = new Set(input.nodeAddresses);
  const sets = new Map<string, Set<string>>(IPSET_INFO.map((i) => [i.name, new Set<string>()]));
  const add = (set: string, e: string): void => {
    sets.get(set)!.add(e);
  };
  const virtualServers: VirtualServer[] = [];
  const activeBindAddrs = new Set<string>();
  const lbNoNodeAccess: { ip: string; protocol: string; port: number }[] = [];

  const hasNodePort = [...state.svcPortMap.values()].some((s) => s.nodePort !== 0);
  const nodeIPs = hasNodePort ? nodePortIPs(input.nodeAddresses, config.nodePortAddresses ?? []) : [];

  const vsFor = (svc: ServicePortInfo, address: string, port: number): IpvsServiceSpec => ({
    protocol: svc.protocol,
    address,
    port,
    scheduler,
    ...(svc.sessionAffinityType === "ClientIP" ? { persistent: true, timeout: svc.stickyMaxAgeSeconds } : {}),
    ...(scheduler === "mh" ? { sourceHash: true } : {}),
  });

  /** syncEndpoint: Local policy uses the local endpoints when there are any, else the cluster's (kubernetes#97081). */
  const destsFor = (key: string, svc: ServicePortInfo, onlyNodeLocal: boolean): IpvsDestSpec[] => {
    const eps = state.endpointsMap.get(key) ?? [];
    const c = categorizeEndpoints(eps, svc);
    const chosen = onlyNodeLocal && c.localEndpoints.length > 0 ? c.localEndpoints : c.clusterEndpoints;
    const uniq = new Map(chosen.map((e) => [e.endpoint, e]));
    return [...uniq.values()]
      .sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0))
      .map((e) => ({ address: e.ip, port: e.port, weight: 1 }));
  };

  const push = (
    svc: ServicePortInfo,
    key: string,
    spec: IpvsServiceSpec,
    bind: boolean,
    local: boolean,
  ): void => {
    virtualServers.push({ spec, bind, dests: destsFor(key, svc, local), servicePort: svc.nameString });
    if (bind) activeBindAddrs.add(spec.address);
  };

  for (const [key, svc] of [...state.svcPortMap.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const protocol = svc.protocol.toLowerCase();

    // Traffic that loops back to its originator is masqueraded (KUBE-LOOP-BACK).
    for (const ep of state.endpointsMap.get(key) ?? []) {
      if (!ep.isLocal || ep.ip === "" || ep.port === 0) continue;
      add(kubeLoopBackIPSet, ipPortIpEntry(ep.ip, protocol, ep.port, ep.ip));
    }

    add(kubeClusterIPSet, ipPortEntry(svc.clusterIP, protocol, svc.port));
    push(svc, key, vsFor(svc, svc.clusterIP, svc.port), true, svc.internalPolicyLocal);

    for (const eip of svc.externalIPs) {
      add(
        svc.externalPolicyLocal ? kubeExternalIPLocalSet : kubeExternalIPSet,
        ipPortEntry(eip, protocol, svc.port),
      );
      // An address that is already on another interface is not bound to the dummy device.
      push(svc, key, vsFor(svc, eip, svc.port), !nodeAddressSet.has(eip), svc.externalPolicyLocal);
    }

    for (const ingress of svc.loadBalancerVIPs) {
      const entry = ipPortEntry(ingress, protocol, svc.port);
      add(kubeLoadBalancerSet, entry);
      if (svc.externalPolicyLocal) add(kubeLoadBalancerLocalSet, entry);
      if (svc.loadBalancerSourceRanges.length !== 0) {
        add(kubeLoadBalancerFWSet, entry);
        let allowFromNode = false;
        for (const cidr of svc.loadBalancerSourceRanges) {
          add(kubeLoadBalancerSourceCIDRSet, ipPortIpEntry(ingress, protocol, svc.port, cidr));
          if (node.ips[0] !== undefined && cidrContains(cidr, node.ips[0])) allowFromNode = true;
        }
        if (allowFromNode)
          add(kubeLoadBalancerSourceIPSet, ipPortIpEntry(ingress, protocol, svc.port, ingress));
        else lbNoNodeAccess.push({ ip: ingress, protocol, port: svc.port });
      }
      push(svc, key, vsFor(svc, ingress, svc.port), !nodeAddressSet.has(ingress), svc.externalPolicyLocal);
    }

    if (svc.nodePort !== 0 && nodeIPs.length > 0) {
      const entries =
        protocol === "sctp"
          ? nodeIPs.map((ip) => ipPortEntry(ip, protocol, svc.nodePort))
          : [String(svc.nodePort)];
      const set =
        protocol === "tcp"
          ? kubeNodePortSetTCP
          : protocol === "udp"
            ? kubeNodePortSetUDP
            : kubeNodePortSetSCTP;
      for (const e of entries) add(set, e);
      if (svc.externalPolicyLocal) {
        const local =
          protocol === "tcp"
            ? kubeNodePortLocalSetTCP
            : protocol === "udp"
              ? kubeNodePortLocalSetUDP
              : kubeNodePortLocalSetSCTP;
        for (const e of entries) add(local, e);
      }
      for (const ip of nodeIPs) push(svc, key, vsFor(svc, ip, svc.nodePort), false, svc.externalPolicyLocal);
    }

    if (svc.healthCheckNodePort !== 0) add(kubeHealthCheckNodePortSet, String(svc.healthCheckNodePort));
  }

  for (const a of activeBindAddrs) add(kubeIPVSSet, a);

  const ipsets = new Map<string, string[]>();
  for (const [name, entries] of sets) ipsets.set(name, [...entries].sort());
  const empty = (name: string): boolean => (ipsets.get(name)?.length ?? 0) === 0;

  // writeIptablesRules
  const natChains = ["*nat"];
  const filterChains = ["*filter"];
  for (const c of iptablesChains) (c.table === "nat" ? natChains : filterChains).push(`:${c.chain} - [0:0]`);
  const natRules: string[] = [];
  const filterRules: string[] = [];
  const w = (buf: string[], ...args: string[]): void => {
    buf.push(args.join(" "));
  };

  w(natRules, "-A", kubeServicesChain, "-s", "127.0.0.0/8", "-j", "RETURN");
  for (const s of ipsetWithIptablesChain) {
    if (empty(s.name)) continue;
    const args = ["-A", s.from, ...(s.protocolMatch ? ["-p", s.protocolMatch] : [])];
    args.push(
      "-m",
      "comment",
      "--comment",
      setComment(s.name),
      "-m",
      "set",
      "--match-set",
      s.name,
      s.matchType,
    );
    w(s.table === "filter" ? filterRules : natRules, ...args, "-j", s.to);
  }
  if (!empty(kubeClusterIPSet)) {
    const args = ["-A", kubeServicesChain, "-m", "comment", "--comment", setComment(kubeClusterIPSet)];
    args.push("-m", "set", "--match-set", kubeClusterIPSet);
    if (config.masqueradeAll) w(natRules, ...args, "dst,dst", "-j", kubeMarkMasqChain);
    else if (localDetector)
      w(natRules, ...args, "dst,dst", ...detectorArgs(localDetector), "-j", kubeMarkMasqChain);
    // Without a detector: masquerade node-originated traffic whose source is a VIP (kube-ipvs0 holds them all).
    else w(natRules, ...args, "src,dst", "-j", kubeMarkMasqChain);
  }
  const externalIPRules = (args: string[]): void => {
    w(
      natRules,
      ...args,
      "-m",
      "physdev",
      "!",
      "--physdev-is-in",
      "-m",
      "addrtype",
      "!",
      "--src-type",
      "LOCAL",
      "-j",
      "ACCEPT",
    );
    w(natRules, ...args, "-m", "addrtype", "--dst-type", "LOCAL", "-j", "ACCEPT");
  };
  if (!empty(kubeExternalIPSet)) {
    const args = ["-A", kubeServicesChain, "-m", "comment", "--comment", setComment(kubeExternalIPSet)];
    args.push("-m", "set", "--match-set", kubeExternalIPSet, "dst,dst");
    w(natRules, ...args, "-j", kubeMarkMasqChain);
    externalIPRules(args);
  }
  if (!empty(kubeExternalIPLocalSet)) {
    const args = ["-A", kubeServicesChain, "-m", "comment", "--comment", setComment(kubeExternalIPLocalSet)];
    args.push("-m", "set", "--match-set", kubeExternalIPLocalSet, "dst,dst");
    externalIPRules(args);
  }
  w(natRules, "-A", kubeServicesChain, "-m", "addrtype", "--dst-type", "LOCAL", "-j", kubeNodePortChain);
  w(natRules, "-A", kubeLoadBalancerChain, "-j", kubeMarkMasqChain);
  w(filterRules, "-A", kubeSourceRangesFirewallChain, "-j", "DROP");
  // A LoadBalancer whose source ranges leave the node out: the node's own connections (from the
  // LB address, which kube-ipvs0 holds) are dropped after IPVS translated them (kubernetes#119656).
  for (const e of lbNoNodeAccess)
    w(
      filterRules,
      "-A",
      kubeIPVSOutFilterChain,
      "-s",
      e.ip,
      "-m",
      "ipvs",
      "--vaddr",
      e.ip,
      "--vproto",
      e.protocol,
      "--vport",
      String(e.port),
      "-j",
      "DROP",
    );
  // acceptIPVSTraffic: accepted here, so no later rule breaks IPVS.
  for (const set of [kubeClusterIPSet, kubeLoadBalancerSet]) {
    if (empty(set)) continue;
    const matchType = IPSET_BY_NAME.get(set)?.type === "bitmap:port" ? "dst" : "dst,dst";
    w(natRules, "-A", kubeServicesChain, "-m", "set", "--match-set", set, matchType, "-j", "ACCEPT");
  }
  for (const words of kubeForwardAcceptRules(mark)) w(filterRules, ...words);
  w(
    filterRules,
    "-A",
    kubeNodePortChain,
    "-m",
    "comment",
    "--comment",
    setComment(kubeHealthCheckNodePortSet),
    "-m",
    "set",
    "--match-set",
    kubeHealthCheckNodePortSet,
    "dst",
    "-j",
    "ACCEPT",
  );
  // KUBE-IPVS-FILTER: a VIP answers only on its service ports (kubernetes#72236).
  for (const set of [kubeLoadBalancerSet, kubeClusterIPSet, kubeExternalIPSet, kubeExternalIPLocalSet])
    w(filterRules, "-A", kubeIPVSFilterChain, "-m", "set", "--match-set", set, "dst,dst", "-j", "RETURN");
  w(
    filterRules,
    "-A",
    kubeIPVSFilterChain,
    "-m",
    "set",
    "--match-set",
    kubeHealthCheckNodePortSet,
    "dst",
    "-j",
    "RETURN",
  );
  w(
    filterRules,
    "-A",
    kubeIPVSFilterChain,
    "-m",
    "conntrack",
    "--ctstate",
    "NEW",
    "-m",
    "set",
    "--match-set",
    kubeIPVSSet,
    "dst",
    "-j",
    "REJECT",
  );
  for (const words of masqueradeRules(mark, config.hasRandomFully ?? false)) w(natRules, ...words);
  filterRules.push("COMMIT");
  natRules.push("COMMIT");

  const payload = `${[...natChains, ...natRules, ...filterChains, ...filterRules].join("\n")}\n`;
  return {
    virtualServers,
    bindAddrs: [...activeBindAddrs].sort(),
    ipsets,
    payload,
    jumpRules: iptablesJumpChain.map((j) => ({
      table: j.table,
      chain: j.from,
      ensureChain: j.to,
      args: ["-m", "comment", "--comment", j.comment, "-j", j.to],
    })),
  };
}
