/**
 * @module dns/coredns/plugin
 * The plugin chain contract (coredns plugin/plugin.go): a handler serves a
 * request and either writes a reply or returns an rcode for the server to
 * turn into one; it calls `next` to hand the request down the chain, in
 * plugin.cfg order. Also the shared helpers CoreDNS keeps in plugin/pkg:
 * zone matching (plugin.Zones.Matches) and fallthrough (pkg/fall).
 */
import type { Packet } from "dns-packet";
import type { DnsClusterView } from "../types.js";

/** A query as it travels the chain (rewrite may change `msg`). */
export interface Request {
  msg: Packet;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  transport: "udp" | "tcp";
}

/** What a handler returns: the rcode, the reply when one was written, an error for the errors plugin. */
export interface Result {
  rcode: number;
  reply?: Packet;
  /** The plugin that wrote the reply (for traces). */
  by?: string;
  err?: string;
}

export type Next = (req: Request) => Result;

/** Shared per-query state and the server's services. */
export interface Context {
  view: DnsClusterView;
  /** Seconds since the epoch, for the cache and SOA serials. */
  now: number;
  /** Log lines written by log/errors (CoreDNS's stdout), appended in order. */
  log: string[];
  /** Resolve through the whole server again (plugin/pkg/upstream), e.g. an ExternalName target. */
  lookup(name: string, type: string, req: Request): Packet;
  /** The addresses CoreDNS itself listens on (its pod IPs), for NS records. */
  localIPs: string[];
}

export interface Handler {
  name: string;
  serveDNS(ctx: Context, req: Request, next: Next): Result;
}

export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

export const RCODE_NAMES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"];

export const FLAG = { QR: 0x8000, AA: 0x400, TC: 0x200, RD: 0x100, RA: 0x80, AD: 0x20, CD: 0x10 } as const;

/** Whether an rcode means "nothing was written, the server must reply" (plugin.ClientWrite is the opposite). */
export function clientWrite(rcode: number): boolean {
  return !(
    rcode === RCODE.SERVFAIL ||
    rcode === RCODE.REFUSED ||
    rcode === RCODE.FORMERR ||
    rcode === RCODE.NOTIMP
  );
}

export function rcodeOf(m: Packet): number {
  return (m.flags ?? 0) & 0xf;
}

/** The question's name, fully qualified, case kept. */
export function qname(m: Packet): string {
  const n = m.questions?.[0]?.name ?? ".";
  return n.endsWith(".") ? n : `${n}.`;
}

export function qtype(m: Packet): string {
  return m.questions?.[0]?.type ?? "A";
}

/** dns.Msg.SetReply: id, opcode, RD and CD copied; the question echoed; QR set. */
export function setReply(req: Packet, rcode = 0): Packet {
  const f = req.flags ?? 0;
  return {
    id: req.id ?? 0,
    type: "response",
    flags: FLAG.QR | (f & 0x7800) | (f & FLAG.RD) | (f & FLAG.CD) | rcode,
    questions: (req.questions ?? []).slice(0, 1).map((q) => ({ ...q })),
    answers: [],
    authorities: [],
    additionals: [],
  };
}

export function withFlag(m: Packet, flag: number, on = true): Packet {
  m.flags = on ? (m.flags ?? 0) | flag : (m.flags ?? 0) & ~flag;
  return m;
}

export function setRcode(m: Packet, rcode: number): Packet {
  m.flags = ((m.flags ?? 0) & ~0xf) | rcode;
  return m;
}

/** Lower-cased, fully qualified. */
export function norm(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith(".") ? n : `${n}.`;
}

/** dns.IsSubDomain(parent, child), case-insensitive. */
export function isSubDomain(parent: string, child: string): boolean {
  const p = norm(parent);
  const c = norm(child);
  return p === "." || c === p || c.endsWith(`.${p}`);
}

/** plugin.Zones.Matches: the longest zone that qname falls in, or "". */
export function matchZone(zones: readonly string[], name: string): string {
  let best = "";
  for (const z of zones) if (isSubDomain(z, name) && z.length > best.length) best = z;
  return best;
}

/** pkg/fall: no zones means "fall through for everything". */
export interface Fall {
  zones: string[] | null;
}

export function fallThrough(f: Fall, name: string): boolean {
  if (!f.zones) return false;
  return matchZone(f.zones, name) !== "";
}

/** plugin.NextOrFailure. */
export function nextOrFailure(name: string, next: Next | undefined, req: Request): Result {
  if (next) return next(req);
  return { rcode: RCODE.SERVFAIL, err: `plugin/${name}: no next plugin found` };
}
