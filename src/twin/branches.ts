/**
 * @module twin/branches
 * `trace --all-endpoints`: kube-proxy sends a Service's connections to its
 * endpoints by `-m statistic --mode random` draws, each endpoint equally
 * likely. The model's draws are seeded; tracing fresh connections until each
 * endpoint has answered shows every branch the rules can take.
 */
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
  const ips = new Set<string>();
  for (const s of twin.work.endpointSlices)
    if (s.namespace === m[1] && s.service === m[2]) for (const e of s.endpoints) ips.add(e.ip);
  return Math.max(1, ips.size);
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
    const r = probe(twin, src, dst, proto, port);
    const key = r.delivered ? `${r.delivered.ip}:${r.delivered.port ?? ""}` : `(${r.verdict})`;
    if (!seen.has(key)) seen.set(key, { endpoint: r.delivered ? key : null, chance: `1/${n}`, trace: r });
    // Session affinity (or no endpoints) keeps every try on one branch: more tries show nothing new.
    if (i >= 2 && seen.size === 1) break;
  }
  return [...seen.values()].sort((a, b) => String(a.endpoint).localeCompare(String(b.endpoint)));
}
