/**
 * @module twin/branches
 * `trace --all-endpoints`: kube-proxy sends a Service's connections to its
 * endpoints by `-m statistic --mode random` draws, each endpoint equally
 * likely. The model's draws are seeded; tracing fresh connections until each
 * endpoint has answered shows every branch the rules can take. Each try is the
 * client's first connection: session affinity, which would pin the later ones
 * to the first endpoint, is forgotten between tries.
 */
import { peekNfState } from "../kernel/netfilter/tables.js";
import { parseIPv4 } from "../net/ip.js";
import { type Endpoint, probe, type TraceResult } from "./probe.js";
import type { Twin } from "./twin.js";

export interface Branch {
  /** "ip:port" the connection was DNAT'ed to, or null when it was not delivered. */
  endpoint: string | null;
  /** The chance kube-proxy's rules give this branch: 1/n of n endpoints. */
  chance: string;
  trace: TraceResult;
}

/** The endpoints a Service's slices list (its ready addresses), as kube-proxy balances over them. */
function endpointCount(twin: Twin, dst: Endpoint): number {
  const m = /^svc\/([^/]+)\/(.+)$/.exec(dst.label);
  if (!m) return 1;
  const ready = new Set<string>();
  const serving = new Set<string>();
  for (const s of twin.work.endpointSlices)
    if (s.namespace === m[1] && s.service === m[2])
      for (const e of s.endpoints) {
        // kube-proxy balances over the ready endpoints, else over the serving terminating ones.
        if (e.conditions?.ready !== false) ready.add(e.ip);
        else if (e.conditions.serving !== false && e.conditions.terminating === true) serving.add(e.ip);
      }
  return Math.max(1, ready.size > 0 ? ready.size : serving.size);
}

/**
 * Forgets what session affinity remembers of the client (its address in every node's xt_recent
 * lists): each try is then the client's first connection, free to take any branch.
 */
function forgetAffinity(twin: Twin, src: Endpoint): void {
  const ip = parseIPv4(src.ip);
  if (ip === null) return;
  for (const node of twin.nodes.values())
    for (const ns of node.kernel.all)
      for (const list of peekNfState(ns)?.recent.values() ?? []) list.delete(ip);
}

export function allBranches(
  twin: Twin,
  src: Endpoint,
  dst: Endpoint,
  proto: "tcp" | "udp" | "icmp",
  port: number | null,
): Branch[] {
  const n = endpointCount(twin, dst);
  const seen = new Map<string, Branch>();
  // Draws are uniform: 8n tries see every endpoint with overwhelming probability, and the seed makes it repeatable.
  for (let i = 0; i < 8 * n && seen.size < n; i++) {
    forgetAffinity(twin, src);
    const r = probe(twin, src, dst, proto, port);
    const key = r.delivered ? `${r.delivered.ip}:${r.delivered.port ?? ""}` : `(${r.verdict})`;
    if (!seen.has(key)) seen.set(key, { endpoint: r.delivered ? key : null, chance: `1/${n}`, trace: r });
    // Eight tries on one branch: a drop or a rejection before the draw (every try ends the same), not luck.
    if (i >= 7 && seen.size === 1) break;
  }
  return [...seen.values()].sort((a, b) => String(a.endpoint).localeCompare(String(b.endpoint)));
}
