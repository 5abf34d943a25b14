/**
 * @module bench/proxy
 * kube-proxy (iptables mode) at the scale: 10,000 Services with 10
 * endpoints each, synced into a simulated node by the agent (the payload
 * generated, then iptables-restore --noflush), a partial sync after one
 * endpoint changes, and a traced SYN from a pod on the node to the ClusterIP
 * of the service whose rule is last in KUBE-SERVICES.
 */
import { SimHost } from "../src/host/sim/sim-host.js";
import { ipSend } from "../src/kernel/ipv4/ip.js";
import { Kernel } from "../src/kernel/kernel.js";
import type { NetNs } from "../src/kernel/netns.js";
import { parseIPv4 } from "../src/net/ip.js";
import { KubeProxy } from "../src/proxy/agent.js";
import { buildProxyState } from "../src/proxy/changes.js";
import { clearChainNameCache } from "../src/proxy/iptables/chain-names.js";
import { makeTestEndpointSlice, makeTestService } from "../src/proxy/iptables/fixtures.js";
import { syncProxyRules } from "../src/proxy/iptables/proxier.js";
import type { EndpointSlice, NodeInfo, ProxierConfig, Service } from "../src/proxy/types.js";
import type { Hop, TraceSink } from "../src/trace/hop.js";

export const proxyNode: NodeInfo = { name: "node-0", ips: ["172.18.0.2"] };
export const proxyConfig: ProxierConfig = {
  clusterCIDR: "10.244.0.0/16",
  hasRandomFully: true,
  hasNfacct: false,
};

/** Pods per node: node k's podCIDR is 10.244.k.0/24, its pods .2 to .241 (.250 is the bench's client). */
const podsPerNode = 240;
const pods = 250 * podsPerNode;
const endpointsPerService = 10;

function ip4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** Service i's ClusterIP: 10.96.0.0/12 from 10.96.0.10 up (distinct for i < 1,048,000). */
export function clusterIPOf(i: number): string {
  return ip4(((10 << 24) | (96 << 16)) + 10 + i);
}

function pod(p: number): { ip: string; nodeName: string } {
  const node = Math.floor(p / podsPerNode);
  return { ip: `10.244.${node}.${(p % podsPerNode) + 2}`, nodeName: `node-${node}` };
}

export interface ProxyWorkload {
  services: Service[];
  slices: EndpointSlice[];
}

function sliceOf(i: number, endpoints: { ip: string; nodeName: string }[]): EndpointSlice {
  return makeTestEndpointSlice("default", `svc${i}`, 1, (e) => {
    e.endpoints = endpoints.map((p) => ({ addresses: [p.ip], nodeName: p.nodeName }));
    e.ports = [{ name: "http", port: 8080, protocol: "TCP" }];
  });
}

/**
 * `n` ClusterIP Services (port 80 → 8080), each with one EndpointSlice of 10
 * endpoints: consecutive pods of 250 nodes' podCIDRs, so distinct within a
 * service, spread over 10.244.0.0/16, and some on this node (node-0).
 */
export function proxyWorkload(n: number): ProxyWorkload {
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (let i = 0; i < n; i++) {
    services.push(
      makeTestService("default", `svc${i}`, (s) => {
        s.spec = {
          type: "ClusterIP",
          clusterIP: clusterIPOf(i),
          clusterIPs: [clusterIPOf(i)],
          ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }],
        };
      }),
    );
    slices.push(
      sliceOf(
        i,
        Array.from({ length: endpointsPerService }, (_, j) => pod((i * endpointsPerService + j) % pods)),
      ),
    );
  }
  return { services, slices };
}

/**
 * One endpoint of service i replaced (by a pod on another node, toggled by `flip`), delivered
 * as kube-proxy's EndpointSlice informer delivers it — OnEndpointSliceUpdate(old, new) — and
 * synced.
 */
export async function endpointChanged(
  n: ProxiedNode,
  w: ProxyWorkload,
  i: number,
  flip: boolean,
): Promise<Awaited<ReturnType<KubeProxy["syncProxyRules"]>>> {
  const next = withOneEndpointReplaced(w, i, flip);
  n.proxy.tracker.onEndpointSliceUpdate(w.slices[i]!, next[i]!);
  w.slices[i] = next[i]!;
  return n.proxy.syncProxyRules();
}

/** The slices with service i's first endpoint replaced (by a pod on another node, toggled by `flip`). */
export function withOneEndpointReplaced(w: ProxyWorkload, i: number, flip: boolean): EndpointSlice[] {
  const old = w.slices[i]!;
  const eps = old.endpoints.map((e) => ({ ip: e.addresses[0]!, nodeName: e.nodeName ?? "" }));
  eps[0] = flip ? { ip: "10.244.255.200", nodeName: "node-255" } : pod((i * endpointsPerService) % pods);
  const out = w.slices.slice();
  out[i] = sliceOf(i, eps);
  return out;
}

export interface ProxiedNode {
  host: SimHost;
  proxy: KubeProxy;
}

/**
 * A fresh simulated node, kube-proxy started and one full sync of the workload. Cold: the
 * memoised chain names are forgotten first, so every name is hashed as on kube-proxy's first sync.
 */
export async function fullSync(w: ProxyWorkload): Promise<ProxiedNode> {
  clearChainNameCache();
  const host = new SimHost(new Kernel({ seed: 1 }));
  const proxy = new KubeProxy(host, proxyNode, proxyConfig);
  await proxy.start();
  await proxy.sync(w.services, w.slices);
  return { host, proxy };
}

/** Only the payload of a full sync (buildProxyState + syncProxyRules), cold; returns its length. */
export function generateOnly(w: ProxyWorkload): number {
  clearChainNameCache();
  const state = buildProxyState(w.services, w.slices, proxyNode.name);
  return syncProxyRules({ state, node: proxyNode, config: proxyConfig }).payload.length;
}

/** The index of the service whose ClusterIP rule is the last one in KUBE-SERVICES (of the payload's order). */
export function lastServiceIndex(payload: string): number {
  let last = "";
  for (const line of payload.split("\n")) {
    if (line.startsWith("-A KUBE-SERVICES ") && line.includes(" cluster IP")) last = line;
  }
  const m = / -d (\d+\.\d+\.\d+\.\d+) /.exec(last);
  if (!m) throw new Error("no ClusterIP rule in KUBE-SERVICES");
  const ip = parseIPv4(m[1]!)!;
  return ip - (((10 << 24) | (96 << 16)) + 10);
}

/** Counts hops (what a trace records, without keeping them) and remembers whether a DNAT was traced. */
export class DnatSink implements TraceSink {
  n = 0;
  dnat = false;
  record(hop: Hop): void {
    this.n++;
    if (hop.kind === "nat" && hop.detail.startsWith("destination")) this.dnat = true;
  }
}

export interface TraceSetup {
  client: NetNs;
  sink: DnatSink;
}

/**
 * A client pod on the node, as kindnet's ptp plugin wires one: namespace
 * "client", eth0 10.244.0.250/24 with the default route via 10.244.0.1, the
 * node's end of the veth holding 10.244.0.1/32 and a /32 route to the pod.
 * The rest of the pod network is a blackhole on this node, so a DNATed SYN
 * ends at the routing decision (no ARP for pods that do not exist).
 */
export async function addClient(n: ProxiedNode): Promise<TraceSetup> {
  const h = n.host;
  await h.netnsAdd("client");
  await h.vethAdd(null, { name: "vethclient", peer: "eth0", peerNs: "client" });
  await h.addrAdd("client", "eth0", "10.244.0.250/24");
  await h.linkSet("client", "eth0", { up: true });
  await h.linkSet("client", "lo", { up: true });
  await h.routeAdd("client", { dst: "default", via: "10.244.0.1" });
  await h.addrAdd(null, "vethclient", "10.244.0.1/32");
  await h.linkSet(null, "vethclient", { up: true });
  await h.routeAdd(null, { dst: "10.244.0.250/32", dev: "vethclient", scope: "link" });
  await h.routeAdd(null, { dst: "10.244.0.0/16", type: "blackhole" });
  await h.sysctlSet(null, "net.ipv4.ip_forward", "1");
  const sink = new DnatSink();
  h.kernel.trace = sink;
  const client = h.kernel.named.get("client");
  if (!client) throw new Error("no client namespace");
  return { client, sink };
}

let sport = 10000;

/** A new connection's SYN from the client to ClusterIP:80, traced; true when it was DNATed on the node. */
export function traceToClusterIP(t: TraceSetup, clusterIP: string): boolean {
  sport = sport >= 60000 ? 10000 : sport + 1;
  t.sink.dnat = false;
  const r = ipSend(t.client, {
    dst: parseIPv4(clusterIP)!,
    l4: { proto: "tcp", sport, dport: 80, flags: { syn: true }, seq: 1, ack: 0, payload: "" },
  });
  return r.ok && t.sink.dnat;
}

export interface ProxyBenchResult {
  fullSync: number;
  fullSyncBaseline: number;
  generate: number;
  generateBaseline: number;
  incremental: number;
  incrementalBaseline: number;
  trace: number;
  traceBaseline: number;
}
