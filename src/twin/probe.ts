/**
 * @module twin/probe
 * `kubetwin trace`: one connection attempt from a source (a pod, a node, a
 * client on the underlay) to a destination, walked through the machines of
 * the twin. The hops up to the destination's socket are the forward path;
 * what comes back until the source's socket has its answer is the reply.
 */

import { encodeQuery } from "../dns/resolver/index.js";
import type { ServiceInfo } from "../k8s/controllers/workloads.js";
import { type Errno, STRERROR } from "../kernel/errno.js";
import { ipSend } from "../kernel/ipv4/ip.js";
import { ephemeralPort, tcpClose, tcpConnect } from "../kernel/ipv4/tcp.js";
import type { Kernel } from "../kernel/kernel.js";
import type { NetNs } from "../kernel/netns.js";
import { formatIPv4, parseIPv4 } from "../net/ip.js";
import type { Hop } from "../trace/hop.js";
import { bytesToPayload } from "./dns-transport.js";
import { podKey, type Twin, type TwinNode, type TwinPod } from "./twin.js";

export interface Endpoint {
  /** What the user named: "pod/shop/api-…", "node/kind-worker", "external", an IP. */
  label: string;
  kernel: Kernel;
  ns: NetNs;
  ip: string;
}

export type Verdict = "delivered" | "dropped" | "rejected" | "unreachable" | "no-route";

export interface TraceResult {
  src: string;
  dst: string;
  proto: "tcp" | "udp" | "icmp";
  port: number | null;
  verdict: Verdict;
  reason: string;
  delivered: { pod: string | null; node: string; ip: string; port: number | null } | null;
  hops: Hop[];
  reply: Hop[];
}

export class ProbeError extends Error {}

function findPod(twin: Twin, ref: string): TwinPod {
  const parts = ref.split("/");
  const [ns, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : ["default", parts[0]!];
  const p = twin.pods.get(podKey(ns, name));
  if (p) return p;
  // kubectl accepts a unique pod name in the namespace; kubetwin also finds it across namespaces when unambiguous.
  if (parts.length === 1) {
    const all = twin.podsByName.get(name) ?? [];
    if (all.length === 1) return all[0]!;
  }
  throw new ProbeError(`pod "${ref}" not found (kubetwin get pods -A lists them)`);
}

function findService(twin: Twin, ref: string): ServiceInfo {
  const parts = ref.split("/");
  const [ns, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : ["default", parts[0]!];
  const s = twin.work.services.find((x) => x.namespace === ns && x.name === name);
  if (s) return s;
  if (parts.length === 1) {
    const all = twin.work.services.filter((x) => x.name === name);
    if (all.length === 1) return all[0]!;
  }
  throw new ProbeError(`service "${ref}" not found (kubetwin get svc -A lists them)`);
}

/**
 * The destination port: a number, or for a Service the name of one of its ports; without one, a
 * Service's only port. Returns null for a name that resolves to nothing.
 */
/**
 * The port --port names and, for a Service's port, its protocol: a name (or the only port) is the
 * Service port's own; a number is taken as given, with the protocol the Service's ports of that
 * number all have, if they agree.
 */
export function resolveServicePort(
  twin: Twin,
  dst: string,
  port: string | undefined,
): { port: number; protocol: string | null } | null {
  const numeric = port !== undefined && /^\d+$/.test(port);
  if (!dst.startsWith("svc/")) return numeric ? { port: Number(port), protocol: null } : null;
  const svc = findService(twin, dst.slice(4));
  if (numeric) {
    const protos = new Set(svc.ports.filter((p) => p.port === Number(port)).map((p) => p.protocol));
    return { port: Number(port), protocol: protos.size === 1 ? [...protos][0]! : null };
  }
  const p =
    port === undefined
      ? svc.ports.length === 1
        ? svc.ports[0]
        : undefined
      : svc.ports.find((x) => x.name === port);
  return p ? { port: p.port, protocol: p.protocol } : null;
}

/** Resolves SRC or DST as design.md defines them. */
export function resolveEndpoint(twin: Twin, spec: string, role: "source" | "destination"): Endpoint {
  if (spec.startsWith("pod/")) {
    const p = findPod(twin, spec.slice(4));
    return {
      label: `pod/${p.info.namespace}/${p.info.name}`,
      kernel: p.node.kernel,
      ns: p.ns,
      ip: p.sandbox.ip,
    };
  }
  if (spec.startsWith("node/")) {
    const n = twin.nodes.get(spec.slice(5));
    if (!n)
      throw new ProbeError(`node "${spec.slice(5)}" not found (nodes: ${[...twin.nodes.keys()].join(", ")})`);
    return { label: spec, kernel: n.kernel, ns: n.kernel.initNs, ip: n.address };
  }
  if (spec === "external")
    return {
      label: spec,
      kernel: twin.underlay,
      ns: twin.underlay.initNs,
      ip: twin.cluster.underlay.gateway,
    };
  if (spec.startsWith("svc/")) {
    const svc = findService(twin, spec.slice(4));
    if (role === "source") throw new ProbeError(`${spec}: a Service is not a source (use one of its pods)`);
    if (!svc.clusterIP || svc.clusterIP === "None")
      throw new ProbeError(
        `${spec}: a${svc.type === "ExternalName" ? "n ExternalName" : " headless"} Service has no cluster IP to connect to`,
      );
    return {
      label: `svc/${svc.namespace}/${svc.name}`,
      kernel: twin.underlay,
      ns: twin.underlay.initNs,
      ip: svc.clusterIP,
    };
  }
  if (parseIPv4(spec) !== null) {
    if (role === "destination") {
      const pod = [...twin.pods.values()].find((p) => p.sandbox.ip === spec && p.sandbox.netns !== null);
      return {
        label: spec,
        kernel: pod?.node.kernel ?? twin.underlay,
        ns: pod?.ns ?? twin.underlay.initNs,
        ip: spec,
      };
    }
    const pod = [...twin.pods.values()].find((p) => p.sandbox.ip === spec && p.sandbox.netns !== null);
    if (pod) return { label: spec, kernel: pod.node.kernel, ns: pod.ns, ip: spec };
    let node: TwinNode | undefined;
    for (const n of twin.nodes.values()) if (n.address === spec) node = n;
    if (node) return { label: spec, kernel: node.kernel, ns: node.kernel.initNs, ip: spec };
    throw new ProbeError(`source ${spec} is no pod's or node's address`);
  }
  throw new ProbeError(
    `cannot resolve ${role} "${spec}": expected pod/[NS/]NAME, node/NAME, external or an IPv4 address`,
  );
}

/** Which pod (or node) a socket hop was in, and the address and port the packet had there (after DNAT). */
function whereDelivered(twin: Twin, hop: Hop, proto: string): TraceResult["delivered"] {
  // The hop's packet line is tcpdump's: "IP SRC.SPORT > DST.DPORT: …" (no ports for ICMP).
  const m =
    proto === "icmp"
      ? /^IP \S+ > (\d+\.\d+\.\d+\.\d+):/.exec(hop.packet)
      : /^IP \S+ > (\d+\.\d+\.\d+\.\d+)\.(\d+):/.exec(hop.packet);
  const ip = m?.[1] ?? "";
  const port = m?.[2] !== undefined ? Number(m[2]) : null;
  const p = twin.podsByIp.get(ip);
  const pod = p && p.node.name === hop.host && p.sandbox.netns === hop.netns ? p : null;
  return { pod: pod ? `${pod.info.namespace}/${pod.info.name}` : null, node: hop.host, ip, port };
}

const WAIT_MS = 900;

export function probe(
  twin: Twin,
  src: Endpoint,
  dst: Endpoint,
  proto: "tcp" | "udp" | "icmp",
  port: number | null,
): TraceResult {
  const rec = twin.trace;
  const start = rec.hops.length;
  const dstIp = parseIPv4(dst.ip)!;
  let outcome: { verdict: Verdict; reason: string } | null = null;
  const k = src.kernel;
  const base: Omit<TraceResult, "verdict" | "reason" | "delivered" | "hops" | "reply"> = {
    src: src.label,
    dst: dst.label,
    proto,
    port,
  };
  const fail = (errno: Errno): TraceResult => ({
    ...base,
    verdict: errno === "ENETUNREACH" || errno === "EHOSTUNREACH" ? "no-route" : "unreachable",
    reason: `connect: ${STRERROR[errno]}`,
    delivered: null,
    hops: rec.hops.slice(start),
    reply: [],
  });
  if (proto === "tcp") {
    const r = tcpConnect(src.ns, dstIp, port ?? 80, {}, (ev) => {
      if (outcome) return;
      if (ev.kind === "connected") outcome = { verdict: "delivered", reason: "connection established" };
      else if (ev.kind === "refused") outcome = { verdict: "rejected", reason: "connection refused (RST)" };
      else if (ev.kind === "error")
        outcome = {
          verdict: "unreachable",
          reason: `ICMP type ${ev.icmpType} code ${ev.icmpCode} from ${formatIPv4(ev.from)}`,
        };
    });
    if (!r.ok) return fail(r.err.errno);
    k.advance(0);
    for (let t = 0; t < WAIT_MS && !outcome; t += 100) k.advance(100);
    // The client closes as `nc -z` does (its FIN ends the server's side too); nothing is left half-open.
    const conn = r.value;
    if (conn.state === "ESTABLISHED") {
      const mark = rec.hops.length;
      tcpClose(src.ns, conn);
      k.advance(0);
      rec.hops.length = mark;
    }
    // Given up (tcp_close in SYN_SENT): the retransmit timer finds the socket closed and stops.
    if (conn.state === "SYN_SENT") conn.state = "CLOSED";
    src.ns.sockets.tcpConns.delete(`${conn.laddr}:${conn.lport}>${conn.raddr}:${conn.rport}`);
  } else if (proto === "udp") {
    const sport = ephemeralPort(src.ns, "udp");
    const sock = {
      addr: 0,
      port: sport,
      onDatagram: () => {
        outcome ??= { verdict: "delivered" as Verdict, reason: "the server answered" };
      },
      onError: () => {
        outcome ??= { verdict: "unreachable" as Verdict, reason: "ICMP error" };
      },
    };
    src.ns.sockets.udp.push(sock);
    const r = ipSend(src.ns, {
      dst: dstIp,
      l4: { proto: "udp", sport, dport: port ?? 53, payload: udpProbePayload(port ?? 53) },
    });
    if (!r.ok) {
      src.ns.sockets.removeUdp(sock);
      return fail(r.err.errno);
    }
    for (let t = 0; t < WAIT_MS && !outcome; t += 100) k.advance(100);
    src.ns.sockets.removeUdp(sock);
  } else {
    const id = 0x6b74;
    src.ns.sockets.ping.set(id, {
      id,
      onPacket: (p) => {
        if (p.l4.proto !== "icmp" || outcome) return;
        outcome =
          p.l4.type === 0
            ? { verdict: "delivered", reason: "echo reply" }
            : {
                verdict: "unreachable",
                reason: `ICMP type ${p.l4.type} code ${p.l4.code} from ${formatIPv4(p.src)}`,
              };
      },
    });
    const r = ipSend(src.ns, { dst: dstIp, l4: { proto: "icmp", type: 8, code: 0, id, seq: 1 } });
    if (!r.ok) {
      src.ns.sockets.ping.delete(id);
      return fail(r.err.errno);
    }
    for (let t = 0; t < WAIT_MS && !outcome; t += 100) k.advance(100);
    src.ns.sockets.ping.delete(id);
  }
  const all = rec.hops.slice(start);
  rec.hops.length = start;
  const final = outcome ?? { verdict: "dropped" as Verdict, reason: lastDrop(all) ?? "no answer" };
  // The forward path ends where the destination answered: its listener (or the RST for no listener),
  // its UDP socket, its ICMP echo — wherever that is, the source's own namespace included (hairpin).
  const turn = all.findIndex((h) => isAnswer(h, proto));
  const hops = turn >= 0 ? all.slice(0, turn + 1) : all;
  const back = turn >= 0 ? all.slice(turn + 1) : [];
  // The reply ends when the source's socket has its answer (the ACK that follows is not part of it).
  const home = back.findIndex(
    (h) => h.kind === "socket" && h.host === src.kernel.hostname && h.netns === src.ns.label,
  );
  const reply = home >= 0 ? back.slice(0, home + 1) : back;
  const delivered =
    final.verdict === "delivered" && turn >= 0 ? whereDelivered(twin, all[turn]!, proto) : null;
  return { ...base, verdict: final.verdict, reason: final.reason, delivered, hops, reply };
}

/**
 * What a UDP probe carries: to port 53 a DNS query (for kubernetes.default,
 * as the seed's first check asks), which a DNS server answers; elsewhere a
 * line of text, which the model's container servers echo.
 */
function udpProbePayload(port: number): string {
  if (port !== 53) return "kubetwin-trace";
  return bytesToPayload(
    encodeQuery({
      id: 0x6b74,
      name: "kubernetes.default.svc.cluster.local",
      type: "A",
      recursionDesired: true,
    }),
  );
}

/** The hop where the destination answers the probe. */
function isAnswer(h: Hop, proto: "tcp" | "udp" | "icmp"): boolean {
  if (proto === "tcp") return h.kind === "socket" && /^tcp: (SYN to listener|nothing listens)/.test(h.detail);
  if (proto === "udp") return h.kind === "socket" && h.detail.startsWith("udp: delivered to socket");
  return h.kind === "icmp" && h.detail === "echo request: reply";
}

function lastDrop(hops: Hop[]): string | null {
  for (let i = hops.length - 1; i >= 0; i--) if (hops[i]!.kind === "drop") return hops[i]!.detail;
  return null;
}
