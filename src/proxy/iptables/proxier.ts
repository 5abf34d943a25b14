/**
 * @module proxy/iptables/proxier
 * kube-proxy's iptables mode (pkg/proxy/iptables/proxier.go, v1.33) as a pure
 * function: syncProxyRules compiles the service and endpoint maps into the
 * `iptables-restore --noflush` payload kube-proxy writes (`*filter … COMMIT
 * *nat … COMMIT`), and lists the jump rules it ensures in the built-in chains
 * with `iptables -I` on a full sync. A partial sync (updatedServices given)
 * writes KUBE-SERVICES, KUBE-NODEPORTS and the filter table in full but only
 * the per-service chains of the services that changed, as upstream does.
 */
import { inPrefix, parseIPv4 } from "../../net/ip.js";
import type { ProxyState } from "../changes.js";
import type { Endpoint } from "../endpoint.js";
import {
  externallyAccessible,
  type ServicePortInfo,
  usesClusterEndpoints,
  usesLocalEndpoints,
} from "../service-port.js";
import { kubeForwardAcceptRules, masqueradeRules } from "../shared-rules.js";
import { categorizeEndpoints } from "../topology.js";
import type { LocalDetector, NodeInfo, ProxierConfig } from "../types.js";
import {
  isServiceChainName,
  kubeExternalServicesChain,
  kubeForwardChain,
  kubeletFirewallChain,
  kubeMarkMasqChain,
  kubeNodePortsChain,
  kubePostroutingChain,
  kubeProxyFirewallChain,
  kubeServicesChain,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortEndpointChainName,
  servicePortPolicyClusterChain,
  servicePortPolicyLocalChainName,
} from "./chain-names.js";
import { ByteLines, DiscardLines, Lines, type LineWriter, type Words } from "./line-buffer.js";

/** Above this many endpoints, kube-proxy drops per-endpoint comments ("large cluster mode"). */
export const largeClusterEndpointsThreshold = 1000;

/** metrics.IPTablesCTStateInvalidDroppedNFAcctCounter */
export const ctStateInvalidDroppedNFAcctCounter = "ct_state_invalid_dropped_pkts";
/** metrics.LocalhostNodePortAcceptedNFAcctCounter */
export const localhostNodePortAcceptedNFAcctCounter = "localhost_nps_accepted_pkts";

/** A rule kube-proxy ensures (`EnsureChain` of `ensureChain`, then `iptables -I chain` with args) outside the restore. */
export interface JumpRule {
  table: "filter" | "nat";
  chain: string;
  position: "prepend";
  /** The chain EnsureChain creates first (the jump's target). */
  ensureChain: string;
  /** argv after `-I <chain>`: the comment is one argument, unquoted. */
  args: string[];
}

interface JumpChain {
  table: "filter" | "nat";
  dstChain: string;
  srcChain: string;
  comment: string;
  extraArgs: string[];
}

const ctNew = ["-m", "conntrack", "--ctstate", "NEW"];

/** iptablesJumpChains, then iptablesKubeletJumpChains, in upstream's order. */
const iptablesJumpChains: JumpChain[] = [
  {
    table: "filter",
    dstChain: kubeExternalServicesChain,
    srcChain: "INPUT",
    comment: "kubernetes externally-visible service portals",
    extraArgs: ctNew,
  },
  {
    table: "filter",
    dstChain: kubeExternalServicesChain,
    srcChain: "FORWARD",
    comment: "kubernetes externally-visible service portals",
    extraArgs: ctNew,
  },
  {
    table: "filter",
    dstChain: kubeNodePortsChain,
    srcChain: "INPUT",
    comment: "kubernetes health check service ports",
    extraArgs: [],
  },
  {
    table: "filter",
    dstChain: kubeServicesChain,
    srcChain: "FORWARD",
    comment: "kubernetes service portals",
    extraArgs: ctNew,
  },
  {
    table: "filter",
    dstChain: kubeServicesChain,
    srcChain: "OUTPUT",
    comment: "kubernetes service portals",
    extraArgs: ctNew,
  },
  {
    table: "filter",
    dstChain: kubeForwardChain,
    srcChain: "FORWARD",
    comment: "kubernetes forwarding rules",
    extraArgs: [],
  },
  {
    table: "filter",
    dstChain: kubeProxyFirewallChain,
    srcChain: "INPUT",
    comment: "kubernetes load balancer firewall",
    extraArgs: ctNew,
  },
  {
    table: "filter",
    dstChain: kubeProxyFirewallChain,
    srcChain: "OUTPUT",
    comment: "kubernetes load balancer firewall",
    extraArgs: ctNew,
  },
  {
    table: "filter",
    dstChain: kubeProxyFirewallChain,
    srcChain: "FORWARD",
    comment: "kubernetes load balancer firewall",
    extraArgs: ctNew,
  },
  {
    table: "nat",
    dstChain: kubeServicesChain,
    srcChain: "OUTPUT",
    comment: "kubernetes service portals",
    extraArgs: [],
  },
  {
    table: "nat",
    dstChain: kubeServicesChain,
    srcChain: "PREROUTING",
    comment: "kubernetes service portals",
    extraArgs: [],
  },
  {
    table: "nat",
    dstChain: kubePostroutingChain,
    srcChain: "POSTROUTING",
    comment: "kubernetes postrouting rules",
    extraArgs: [],
  },
  // Duplicates of the chains kubelet creates.
  { table: "filter", dstChain: kubeletFirewallChain, srcChain: "INPUT", comment: "", extraArgs: [] },
  { table: "filter", dstChain: kubeletFirewallChain, srcChain: "OUTPUT", comment: "", extraArgs: [] },
];

/** The jump rules a full sync ensures, each prepended (so the last one ensured ends up first). */
export function jumpRules(): JumpRule[] {
  return iptablesJumpChains.map((j) => ({
    table: j.table,
    chain: j.srcChain,
    position: "prepend",
    ensureChain: j.dstChain,
    args: [
      ...j.extraArgs,
      ...(j.comment !== "" ? ["-m", "comment", "--comment", j.comment] : []),
      "-j",
      j.dstChain,
    ],
  }));
}

/** computeProbability: fmt.Sprintf("%0.10f", 1.0/float64(n)). */
export function computeProbability(n: number): string {
  return (1 / n).toFixed(10);
}

/** kube-proxy's masqueradeMark: fmt.Sprintf("%#08x", 1<<bit); Go pads the digits, then adds "0x". */
export function masqueradeMarkOf(bit: number): string {
  return `0x${(2 ** bit).toString(16).padStart(8, "0")}`;
}

/** utiliptables.MakeChainLine. */
function makeChainLine(chain: string): string {
  return `:${chain} - [0:0]`;
}

/** utiliptables.GetChainsFromTable over iptables-save or restore text: the `:CHAIN` lines of one table, minus `-X`. */
export function getChainsFromTable(text: string, table: string): Set<string> {
  const chains = new Set<string>();
  let current = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("*")) current = line.slice(1).trim();
    else if (current !== table) continue;
    else if (line.startsWith(":")) chains.add(line.slice(1).split(" ")[0]!);
    else if (line.startsWith("-X ")) chains.delete(line.slice(3).trim());
  }
  return chains;
}

function detectorArgs(d: LocalDetector | undefined, local: boolean): string[] | null {
  if (!d) return null;
  const not = local ? [] : ["!"];
  switch (d.mode) {
    case "ClusterCIDR":
      return [...not, "-s", d.cidr];
    case "BridgeInterface":
      return [...not, "-i", d.bridge];
    case "InterfaceNamePrefix":
      return [...not, "-i", `${d.prefix}+`];
  }
}

function cidrContains(cidr: string, ip: string): boolean {
  const [a, l] = cidr.split("/");
  const net = parseIPv4(a ?? "");
  const addr = parseIPv4(ip);
  return net !== null && addr !== null && inPrefix(addr, net, Number(l ?? "32"));
}

/** proxyutil.NodePortAddresses for IPv4: which CIDRs, whether they match all, whether they hold loopback. */
function nodePortAddresses(cidrs: readonly string[]): {
  matchAll: boolean;
  cidrs: string[];
  containsIPv4Loopback: boolean;
} {
  const v4 = cidrs.map((c) => c.trim()).filter((c) => parseIPv4(c.split("/")[0] ?? "") !== null);
  const matchAll = v4.length === 0 || v4.some((c) => c.endsWith("/0"));
  const containsIPv4Loopback =
    v4.length === 0 ||
    v4.some((c) => {
      const ip = parseIPv4(c.split("/")[0] ?? "");
      return (ip !== null && ip >>> 24 === 127) || cidrContains(c, "127.0.0.0");
    });
  return { matchAll, cidrs: v4, containsIPv4Loopback };
}

export interface SyncProxyRulesInput {
  state: ProxyState;
  node: NodeInfo;
  config?: ProxierConfig;
  /**
   * The nat table's chains before this sync (iptables-save, or getChainsFromTable of
   * the last payload): service chains among them that are no longer used get `-X`.
   */
  existingNatChains?: Iterable<string>;
  /** A partial sync: only these services' ("ns/name") per-service chains are written. */
  updatedServices?: ReadonlySet<string>;
  /** Lines of the last sync, reused for service ports whose info and endpoints did not change. */
  cache?: ProxierCache;
}

export interface SyncProxyRulesResult {
  /** The iptables-restore input (restored with --noflush). */
  payload: string;
  fullSync: boolean;
  /** What a full sync ensures with `iptables -I` before the restore; empty on a partial sync. */
  jumpRules: JumpRule[];
  /** The per-service chains in use after this sync, in the order services wrote them. */
  activeNatChains: string[];
}

interface SyncContext {
  masqueradeMark: string;
  masqueradeAll: boolean;
  localDetector: LocalDetector | undefined;
  nodeIP: string;
  localhostNodePorts: boolean;
  nfacct: boolean;
  largeClusterMode: boolean;
}

/** appendServiceCommentLocked: the endpoint comment, unless in large cluster mode. */
function serviceComment(ctx: SyncContext, comment: string): string[] {
  return ctx.largeClusterMode ? [] : ["-m", "comment", "--comment", comment];
}

/** syncProxyRules: the whole ruleset for this node's state. */
export function syncProxyRules(input: SyncProxyRulesInput): SyncProxyRulesResult {
  const cfg = input.config ?? {};
  const { svcPortMap, endpointsMap } = input.state;
  const npa = nodePortAddresses(cfg.nodePortAddresses ?? []);
  const fullSync = input.updatedServices === undefined;

  let totalEndpoints = 0;
  for (const k of svcPortMap.keys()) totalEndpoints += endpointsMap.get(k)?.length ?? 0;
  const ctx: SyncContext = {
    masqueradeMark: cfg.masqueradeMark ?? masqueradeMarkOf(cfg.masqueradeBit ?? 14),
    masqueradeAll: cfg.masqueradeAll ?? false,
    localDetector:
      cfg.localDetector ?? (cfg.clusterCIDR ? { mode: "ClusterCIDR", cidr: cfg.clusterCIDR } : undefined),
    nodeIP: input.node.ips[0] ?? "",
    // NewProxier: localhost NodePorts only if nodePortAddresses allows loopback.
    localhostNodePorts: (cfg.localhostNodePorts ?? true) && npa.containsIPv4Loopback,
    nfacct: cfg.hasNfacct ?? false,
    largeClusterMode: totalEndpoints > largeClusterEndpointsThreshold,
  };
  const mark = ctx.masqueradeMark;

  const filterChains = new Lines();
  const filterRules = new Lines();
  const natChains = natScratch.chains;
  const natRules = natScratch.rules;
  natChains.reset();
  natRules.reset(natScratch.gap);
  const skipped = new DiscardLines();

  for (const c of [
    kubeServicesChain,
    kubeExternalServicesChain,
    kubeForwardChain,
    kubeNodePortsChain,
    kubeProxyFirewallChain,
  ])
    filterChains.write(makeChainLine(c));
  for (const c of [kubeServicesChain, kubeNodePortsChain, kubePostroutingChain, kubeMarkMasqChain])
    natChains.write(makeChainLine(c));

  for (const words of masqueradeRules(mark, cfg.hasRandomFully ?? false)) natRules.write(words);

  if (ctx.localhostNodePorts) {
    // route_localnet opens NodePorts on 127/8 to the outside (issue 90259); kubelet has the same rule.
    filterChains.write(makeChainLine(kubeletFirewallChain));
    filterRules.write(
      "-A",
      kubeletFirewallChain,
      "-m",
      "comment",
      "--comment",
      `"block incoming localnet connections"`,
      "-d",
      "127.0.0.0/8",
      "!",
      "-s",
      "127.0.0.0/8",
      "-m",
      "conntrack",
      "!",
      "--ctstate",
      "RELATED,ESTABLISHED,DNAT",
      "-j",
      "DROP",
    );
  }

  // Which chains the services use, to find stale ones among those the table had. With a cache,
  // a chain goes stale when its service port's output is replaced or removed, so the full set
  // of active chains (a hundred thousand in a large cluster) is built only when asked for.
  const cache = input.cache;
  let existing = input.existingNatChains;
  const ctxKey = cache ? JSON.stringify([ctx, npa, input.node.ips]) : "";
  if (cache && cache.ctxKey !== ctxKey) {
    // Another context regenerates everything: what the old outputs used is checked like a table's chains.
    const old: string[] = [...(existing ?? [])];
    for (const out of cache.ports.values()) pushAll(old, out.activeNATChains);
    existing = old;
    cache.ports.clear();
    cache.ctxKey = ctxKey;
  }
  const trackActive = !cache || existing !== undefined;
  const activeNATChains = new Set<string>();
  const stale = new Set<string>();
  for (const [key, svcInfo] of svcPortMap) {
    const eps = endpointsMap.get(key) ?? noEndpoints;
    let writeToNat = fullSync || input.updatedServices!.has(svcInfo.serviceName);
    if (!cache) {
      writeServicePort(ctx, svcInfo, eps, {
        filterRules,
        natChains: writeToNat ? natChains : skipped,
        natRules: writeToNat ? natRules : skipped,
        kubeServicesNat: natRules,
        activeNATChains,
      });
      continue;
    }
    let out = cache.ports.get(key);
    if (!out || out.info !== svcInfo || out.endpoints !== eps) {
      const next = servicePortOutput(ctx, svcInfo, eps);
      if (out) {
        for (const c of out.activeNATChains) if (!next.activeNATChains.includes(c)) stale.add(c);
        // Its old chains are deleted below, so whatever jumped to them is rewritten.
        writeToNat = true;
      }
      out = next;
      cache.ports.set(key, out);
    }
    filterRules.writeLines(out.filterRules);
    if (writeToNat) {
      // Kept only until written: a later sync that needs them again (a sibling port changed) makes them anew.
      const full = out.natRules && out.natChains ? out : servicePortOutput(ctx, svcInfo, eps);
      natChains.writeLines(full.natChains!);
      natRules.writeLines(full.natRules!);
      out.natChains = null;
      out.natRules = null;
    } else natRules.writeLines(out.kubeServicesNat);
    if (trackActive) for (const c of out.activeNATChains) activeNATChains.add(c);
  }
  if (cache && cache.ports.size > svcPortMap.size)
    for (const [k, out] of [...cache.ports])
      if (!svcPortMap.has(k)) {
        for (const c of out.activeNATChains) stale.add(c);
        cache.ports.delete(k);
      }
  for (const chain of existing ?? [])
    if (!activeNATChains.has(chain) && isServiceChainName(chain)) stale.add(chain);
  // Delete chains no longer in use (upstream skips this on most syncs in large clusters).
  for (const chain of [...stale].sort()) {
    natChains.write(makeChainLine(chain));
    natRules.write("-X", chain);
  }

  // The tail call to KUBE-NODEPORTS must stay last in KUBE-SERVICES.
  const lastRuleComment = `"kubernetes service nodeports; NOTE: this must be the last rule in this chain"`;
  if (npa.matchAll) {
    const destinations = ["-m", "addrtype", "--dst-type", "LOCAL"];
    if (!ctx.localhostNodePorts) destinations.push("!", "-d", "127.0.0.0/8");
    natRules.write(
      "-A",
      kubeServicesChain,
      "-m",
      "comment",
      "--comment",
      lastRuleComment,
      destinations,
      "-j",
      kubeNodePortsChain,
    );
  } else {
    const addrs = [...new Set(["127.0.0.1", ...input.node.ips])];
    for (const ip of addrs.filter((a) => npa.cidrs.some((c) => cidrContains(c, a)))) {
      if (ip.startsWith("127.") && !ctx.localhostNodePorts) continue;
      natRules.write(
        "-A",
        kubeServicesChain,
        "-m",
        "comment",
        "--comment",
        lastRuleComment,
        "-d",
        ip,
        "-j",
        kubeNodePortsChain,
      );
    }
  }

  if (!cfg.conntrackTCPBeLiberal) {
    filterRules.write(
      "-A",
      kubeForwardChain,
      "-m",
      "conntrack",
      "--ctstate",
      "INVALID",
      ctx.nfacct ? ["-m", "nfacct", "--nfacct-name", ctStateInvalidDroppedNFAcctCounter] : [],
      "-j",
      "DROP",
    );
  }
  for (const words of kubeForwardAcceptRules(mark)) filterRules.write(words);

  // The filter table and the nat table's chain lines go in front of its rules, in the gap left for them.
  const head = ["*filter", ...filterChains.lines, ...filterRules.lines, "COMMIT", "*nat", ""].join("\n");
  const payload = natRules.text(head, natChains, "COMMIT\n");
  natScratch.gap = Math.ceil((Buffer.byteLength(head) + natChains.byteLength) * 1.25);
  return {
    payload,
    fullSync,
    jumpRules: fullSync ? jumpRules() : [],
    get activeNatChains(): string[] {
      if (trackActive) return [...activeNATChains];
      const all: string[] = [];
      for (const out of cache!.ports.values()) pushAll(all, out.activeNATChains);
      return all;
    },
  };
}

/** What one service port contributes to a sync: reused while its info and endpoints are the same objects. */
interface ServicePortOutput {
  info: ServicePortInfo;
  endpoints: readonly Endpoint[];
  filterRules: string[];
  /**
   * The per-service chains and all nat rules (each as one chunk of lines), until a sync has written
   * them (then null: they would only fill memory).
   */
  natChains: string[] | null;
  /** Every nat rule of the service port, in the order written (one chunk). */
  natRules: string[] | null;
  /** The subset a partial sync writes for a service it does not rewrite (KUBE-SERVICES, KUBE-NODEPORTS …). */
  kubeServicesNat: string[];
  activeNATChains: string[];
}

/**
 * The proxier's memory between syncs (the agent keeps one): each service
 * port's lines, valid while the sync context (node, configuration, large
 * cluster mode) stays the same.
 */
export interface ProxierCache {
  ctxKey: string;
  ports: Map<string, ServicePortOutput>;
}

export function newProxierCache(): ProxierCache {
  return { ctxKey: "", ports: new Map() };
}

const noEndpoints: readonly Endpoint[] = [];

/** Appends without spreading (a spread of a long array can exceed the argument limit). */
function pushAll(to: string[], from: readonly string[]): void {
  for (const x of from) to.push(x);
}

/**
 * The nat table's chain and rule lines of the sync in progress, in buffers every sync reuses (syncs
 * run one at a time), and the room to leave in front of the rules for what precedes them.
 */
const natScratch = { chains: new ByteLines(), rules: new ByteLines(), gap: 0 };

/** A nat buffer that also keeps aside the lines a partial sync always writes. */
class TeeLines extends Lines {
  private readonly all: Lines;
  constructor(all: Lines) {
    super();
    this.all = all;
  }
  override write(...words: Words): void {
    super.write(...words);
    this.all.lines.push(this.lines[this.lines.length - 1]!);
  }
}

/**
 * A service port's lines as one string (still one line of the payload per line): what a sync keeps
 * until the payload is joined is then one string per service, not forty.
 */
function chunk(lines: string[]): string[] {
  return lines.length === 0 ? lines : [lines.join("\n")];
}

function servicePortOutput(
  ctx: SyncContext,
  info: ServicePortInfo,
  endpoints: readonly Endpoint[],
): ServicePortOutput {
  const filterRules = new Lines();
  const natChains = new Lines();
  const natRules = new Lines();
  const kubeServicesNat = new TeeLines(natRules);
  const active = new Set<string>();
  writeServicePort(ctx, info, endpoints, {
    filterRules,
    natChains,
    natRules,
    kubeServicesNat,
    activeNATChains: active,
  });
  return {
    info,
    endpoints,
    filterRules: filterRules.lines,
    natChains: chunk(natChains.lines),
    natRules: chunk(natRules.lines),
    kubeServicesNat: kubeServicesNat.lines,
    activeNATChains: [...active],
  };
}

interface Buffers {
  filterRules: LineWriter;
  /** Per-service chains and rules: the real buffers, or a discard buffer for unchanged services in a partial sync. */
  natChains: LineWriter;
  natRules: LineWriter;
  /** KUBE-SERVICES / KUBE-NODEPORTS rules are always written. */
  kubeServicesNat: LineWriter;
  activeNATChains: Set<string>;
}

/** The body of syncProxyRules' per-service-port loop. */
function writeServicePort(
  ctx: SyncContext,
  svcInfo: ServicePortInfo,
  allEndpoints: readonly Endpoint[],
  b: Buffers,
): void {
  const protocol = svcInfo.protocol.toLowerCase();
  const svcPortNameString = svcInfo.nameString;
  const port = String(svcInfo.port);
  const {
    clusterEndpoints,
    localEndpoints,
    allReachableEndpoints,
    hasAnyEndpoints: hasEndpoints,
  } = categorizeEndpoints(allEndpoints, svcInfo);

  const clusterPolicyChain = servicePortPolicyClusterChain(svcPortNameString, protocol);
  const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(svcInfo);
  const localPolicyChain = servicePortPolicyLocalChainName(svcPortNameString, protocol);
  const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(svcInfo);

  let internalTrafficChain = clusterPolicyChain;
  let hasInternalEndpoints = hasEndpoints;
  if (svcInfo.internalPolicyLocal) {
    internalTrafficChain = localPolicyChain;
    if (localEndpoints.length === 0) hasInternalEndpoints = false;
  }
  let externalPolicyChain = clusterPolicyChain;
  let hasExternalEndpoints = hasEndpoints;
  if (svcInfo.externalPolicyLocal) {
    externalPolicyChain = localPolicyChain;
    if (localEndpoints.length === 0) hasExternalEndpoints = false;
  }
  const externalTrafficChain = serviceExternalChainName(svcPortNameString, protocol);
  // Based on hasEndpoints, not hasExternalEndpoints: the short-circuit rules for local traffic are needed anyway.
  const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svcInfo);

  const fwChain = serviceFirewallChainName(svcPortNameString, protocol);
  const usesFWChain =
    hasEndpoints && svcInfo.loadBalancerVIPs.length > 0 && svcInfo.loadBalancerSourceRanges.length > 0;
  const loadBalancerTrafficChain = usesFWChain ? fwChain : externalTrafficChain;

  let internalTrafficFilterTarget = "";
  let internalTrafficFilterComment = "";
  let externalTrafficFilterTarget = "";
  let externalTrafficFilterComment = "";
  if (!hasEndpoints) {
    internalTrafficFilterTarget = externalTrafficFilterTarget = "REJECT";
    internalTrafficFilterComment = externalTrafficFilterComment = `"${svcPortNameString} has no endpoints"`;
  } else {
    if (!hasInternalEndpoints) {
      internalTrafficFilterTarget = "DROP";
      internalTrafficFilterComment = `"${svcPortNameString} has no local endpoints"`;
    }
    if (!hasExternalEndpoints) {
      externalTrafficFilterTarget = "DROP";
      externalTrafficFilterComment = `"${svcPortNameString} has no local endpoints"`;
    }
  }

  const { filterRules, natChains, natRules, kubeServicesNat } = b;
  const proto = ["-m", protocol, "-p", protocol];

  // Capture the clusterIP.
  if (hasInternalEndpoints) {
    kubeServicesNat.write(
      "-A",
      kubeServicesChain,
      "-m",
      "comment",
      "--comment",
      `"${svcPortNameString} cluster IP"`,
      proto,
      "-d",
      svcInfo.clusterIP,
      "--dport",
      port,
      "-j",
      internalTrafficChain,
    );
  } else {
    filterRules.write(
      "-A",
      kubeServicesChain,
      "-m",
      "comment",
      "--comment",
      internalTrafficFilterComment,
      proto,
      "-d",
      svcInfo.clusterIP,
      "--dport",
      port,
      "-j",
      internalTrafficFilterTarget,
    );
  }

  // Capture externalIPs.
  for (const externalIP of svcInfo.externalIPs) {
    if (hasEndpoints) {
      kubeServicesNat.write(
        "-A",
        kubeServicesChain,
        "-m",
        "comment",
        "--comment",
        `"${svcPortNameString} external IP"`,
        proto,
        "-d",
        externalIP,
        "--dport",
        port,
        "-j",
        externalTrafficChain,
      );
    }
    if (!hasExternalEndpoints) {
      filterRules.write(
        "-A",
        kubeExternalServicesChain,
        "-m",
        "comment",
        "--comment",
        externalTrafficFilterComment,
        proto,
        "-d",
        externalIP,
        "--dport",
        port,
        "-j",
        externalTrafficFilterTarget,
      );
    }
  }

  // Capture load-balancer ingress.
  for (const lbip of svcInfo.loadBalancerVIPs) {
    if (hasEndpoints) {
      kubeServicesNat.write(
        "-A",
        kubeServicesChain,
        "-m",
        "comment",
        "--comment",
        `"${svcPortNameString} loadbalancer IP"`,
        proto,
        "-d",
        lbip,
        "--dport",
        port,
        "-j",
        loadBalancerTrafficChain,
      );
    }
    if (usesFWChain) {
      filterRules.write(
        "-A",
        kubeProxyFirewallChain,
        "-m",
        "comment",
        "--comment",
        `"${svcPortNameString} traffic not accepted by ${fwChain}"`,
        proto,
        "-d",
        lbip,
        "--dport",
        port,
        "-j",
        "DROP",
      );
    }
  }
  if (!hasExternalEndpoints) {
    for (const lbip of svcInfo.loadBalancerVIPs) {
      filterRules.write(
        "-A",
        kubeExternalServicesChain,
        "-m",
        "comment",
        "--comment",
        externalTrafficFilterComment,
        proto,
        "-d",
        lbip,
        "--dport",
        port,
        "-j",
        externalTrafficFilterTarget,
      );
    }
  }

  // Capture nodeports. NodePorts are not subject to loadBalancerSourceRanges.
  if (svcInfo.nodePort !== 0) {
    const nodePort = String(svcInfo.nodePort);
    if (hasEndpoints) {
      if (ctx.localhostNodePorts && ctx.nfacct) {
        kubeServicesNat.write(
          "-A",
          kubeNodePortsChain,
          "-m",
          "comment",
          "--comment",
          svcPortNameString,
          proto,
          "-d",
          "127.0.0.0/8",
          "--dport",
          nodePort,
          "-m",
          "nfacct",
          "--nfacct-name",
          localhostNodePortAcceptedNFAcctCounter,
          "-j",
          externalTrafficChain,
        );
      }
      kubeServicesNat.write(
        "-A",
        kubeNodePortsChain,
        "-m",
        "comment",
        "--comment",
        svcPortNameString,
        proto,
        "--dport",
        nodePort,
        "-j",
        externalTrafficChain,
      );
    }
    if (!hasExternalEndpoints) {
      filterRules.write(
        "-A",
        kubeExternalServicesChain,
        "-m",
        "comment",
        "--comment",
        externalTrafficFilterComment,
        "-m",
        "addrtype",
        "--dst-type",
        "LOCAL",
        proto,
        "--dport",
        nodePort,
        "-j",
        externalTrafficFilterTarget,
      );
    }
  }

  // Capture healthCheckNodePorts, whether or not this node has local endpoints.
  if (svcInfo.healthCheckNodePort !== 0) {
    filterRules.write(
      "-A",
      kubeNodePortsChain,
      "-m",
      "comment",
      "--comment",
      `"${svcPortNameString} health check node port"`,
      "-m",
      "tcp",
      "-p",
      "tcp",
      "--dport",
      String(svcInfo.healthCheckNodePort),
      "-j",
      "ACCEPT",
    );
  }

  // Internal traffic: masquerade what does not come from a pod (or everything with masqueradeAll).
  if (hasInternalEndpoints) {
    const args = [
      "-m",
      "comment",
      "--comment",
      `"${svcPortNameString} cluster IP"`,
      ...proto,
      "-d",
      svcInfo.clusterIP,
      "--dport",
      port,
    ];
    if (ctx.masqueradeAll) {
      natRules.write("-A", internalTrafficChain, args, "-j", kubeMarkMasqChain);
    } else if (ctx.localDetector) {
      natRules.write(
        "-A",
        internalTrafficChain,
        args,
        detectorArgs(ctx.localDetector, false)!,
        "-j",
        kubeMarkMasqChain,
      );
    }
  }

  // External traffic: everything captured for external destinations enters externalTrafficChain.
  if (usesExternalTrafficChain) {
    natChains.write(makeChainLine(externalTrafficChain));
    b.activeNATChains.add(externalTrafficChain);
    if (!svcInfo.externalPolicyLocal) {
      // Non-local endpoints: masquerade, in case the packet crosses nodes.
      natRules.write(
        "-A",
        externalTrafficChain,
        "-m",
        "comment",
        "--comment",
        `"masquerade traffic for ${svcPortNameString} external destinations"`,
        "-j",
        kubeMarkMasqChain,
      );
    } else {
      if (ctx.localDetector) {
        // Pod → external destination is subject to neither policy (as if it went out to the LB and back).
        natRules.write(
          "-A",
          externalTrafficChain,
          "-m",
          "comment",
          "--comment",
          `"pod traffic for ${svcPortNameString} external destinations"`,
          detectorArgs(ctx.localDetector, true)!,
          "-j",
          clusterPolicyChain,
        );
      }
      // The node itself: its source is the (local) LB IP, so it still needs masquerading.
      natRules.write(
        "-A",
        externalTrafficChain,
        "-m",
        "comment",
        "--comment",
        `"masquerade LOCAL traffic for ${svcPortNameString} external destinations"`,
        "-m",
        "addrtype",
        "--src-type",
        "LOCAL",
        "-j",
        kubeMarkMasqChain,
      );
      natRules.write(
        "-A",
        externalTrafficChain,
        "-m",
        "comment",
        "--comment",
        `"route LOCAL traffic for ${svcPortNameString} external destinations"`,
        "-m",
        "addrtype",
        "--src-type",
        "LOCAL",
        "-j",
        clusterPolicyChain,
      );
    }
    if (hasExternalEndpoints) natRules.write("-A", externalTrafficChain, "-j", externalPolicyChain);
  }

  // The firewall chain for loadBalancerSourceRanges (VIP-like load balancers that keep the source IP).
  if (usesFWChain) {
    natChains.write(makeChainLine(fwChain));
    b.activeNATChains.add(fwChain);
    const args = ["-A", fwChain, "-m", "comment", "--comment", `"${svcPortNameString} loadbalancer IP"`];
    let allowFromNode = false;
    for (const cidr of svcInfo.loadBalancerSourceRanges) {
      natRules.write(args, "-s", cidr, "-j", externalTrafficChain);
      if (cidrContains(cidr, ctx.nodeIP)) allowFromNode = true;
    }
    // A node reaching its own VIP loops back with the VIP as source.
    if (allowFromNode) {
      for (const lbip of svcInfo.loadBalancerVIPs)
        natRules.write(args, "-s", lbip, "-j", externalTrafficChain);
    }
    // What falls through was not DNATed, and KUBE-PROXY-FIREWALL drops it.
    natRules.write(
      "-A",
      fwChain,
      "-m",
      "comment",
      "--comment",
      `"other traffic to ${svcPortNameString} will be dropped by KUBE-PROXY-FIREWALL"`,
    );
  }

  if (usesClusterPolicyChain) {
    natChains.write(makeChainLine(clusterPolicyChain));
    b.activeNATChains.add(clusterPolicyChain);
    writeServiceToEndpointRules(ctx, natRules, svcInfo, clusterPolicyChain, clusterEndpoints);
  }
  if (usesLocalPolicyChain) {
    natChains.write(makeChainLine(localPolicyChain));
    b.activeNATChains.add(localPolicyChain);
    writeServiceToEndpointRules(ctx, natRules, svcInfo, localPolicyChain, localEndpoints);
  }

  // The per-endpoint chains.
  for (const ep of allReachableEndpoints) {
    const endpointChain = servicePortEndpointChainName(svcPortNameString, protocol, ep.endpoint);
    natChains.write(makeChainLine(endpointChain));
    b.activeNATChains.add(endpointChain);
    const args = ["-A", endpointChain, ...serviceComment(ctx, svcPortNameString)];
    // Hairpin: traffic that loops back to its originator is SNATed.
    natRules.write(args, "-s", ep.ip, "-j", kubeMarkMasqChain);
    const affinity =
      svcInfo.sessionAffinityType === "ClientIP" ? ["-m", "recent", "--name", endpointChain, "--set"] : [];
    natRules.write(args, affinity, proto, "-j", "DNAT", "--to-destination", ep.endpoint);
  }
}

/** writeServiceToEndpointRules: session affinity checks, then one probabilistic jump per endpoint. */
function writeServiceToEndpointRules(
  ctx: SyncContext,
  natRules: LineWriter,
  svcInfo: ServicePortInfo,
  svcChain: string,
  endpoints: readonly Endpoint[],
): void {
  const protocol = svcInfo.protocol.toLowerCase();
  const chainOf = (ep: Endpoint) => servicePortEndpointChainName(svcInfo.nameString, protocol, ep.endpoint);
  if (svcInfo.sessionAffinityType === "ClientIP") {
    for (const ep of endpoints) {
      natRules.write(
        "-A",
        svcChain,
        serviceComment(ctx, `"${svcInfo.nameString} -> ${ep.endpoint}"`),
        "-m",
        "recent",
        "--name",
        chainOf(ep),
        "--rcheck",
        "--seconds",
        String(svcInfo.stickyMaxAgeSeconds),
        "--reap",
        "-j",
        chainOf(ep),
      );
    }
  }
  endpoints.forEach((ep, i) => {
    const n = endpoints.length;
    const stat =
      i < n - 1 ? ["-m", "statistic", "--mode", "random", "--probability", computeProbability(n - i)] : [];
    natRules.write(
      "-A",
      svcChain,
      serviceComment(ctx, `"${svcInfo.nameString} -> ${ep.endpoint}"`),
      stat,
      "-j",
      chainOf(ep),
    );
  });
}
