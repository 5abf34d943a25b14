/**
 * @module kernel/conntrack/conntrack
 * nf_conntrack_core.c: one table of flows per namespace, keyed by both the
 * original and the reply tuple; nf_conntrack_in at PREROUTING/OUTPUT
 * (lookup or create, per-protocol state, the packet's ctinfo), and
 * __nf_conntrack_confirm at the end of POSTROUTING/INPUT, which makes a new
 * flow visible. Entries expire on Linux's default timeouts, in simulated
 * time; expiry is applied whenever the table is looked at.
 */
import type { Ipv4Packet } from "../../net/packet.js";
import type { NetNs } from "../netns.js";
import { TCP_TIMEOUT_KEYS, type TcpCtState, tcpTransition } from "./tcp-state.js";
import {
  ICMP_ERROR_TYPES,
  ICMP_QUERY_TYPES,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  invertTuple,
  type Tuple,
  tupleKey,
  tupleOf,
} from "./tuple.js";

/** enum ip_conntrack_status bits */
export const IPS_EXPECTED = 1 << 0;
export const IPS_SEEN_REPLY = 1 << 1;
export const IPS_ASSURED = 1 << 2;
export const IPS_CONFIRMED = 1 << 3;
export const IPS_SRC_NAT = 1 << 4;
export const IPS_DST_NAT = 1 << 5;
export const IPS_SRC_NAT_DONE = 1 << 7;
export const IPS_DST_NAT_DONE = 1 << 8;

/** enum ip_conntrack_info */
export const IP_CT_ESTABLISHED = 0;
export const IP_CT_RELATED = 1;
export const IP_CT_NEW = 2;
export const IP_CT_IS_REPLY = 3;
export const IP_CT_ESTABLISHED_REPLY = 3;
export const IP_CT_RELATED_REPLY = 4;

export type CtDir = 0 | 1;

export interface Conn {
  readonly id: number;
  /** [ORIGINAL, REPLY]; the reply tuple changes when NAT is set up. */
  tuple: [Tuple, Tuple];
  status: number;
  tcp: TcpCtState | null;
  /** Absolute expiry (ms) once confirmed; before that, the timeout relative to confirmation. */
  expires: number;
  mark: number;
  /** UDP: after this time a replied flow counts as a stream (ASSURED, 120 s). */
  streamTs: number;
  zone: number;
}

export type CtEvent = { type: "NEW" | "UPDATE" | "DESTROY"; conn: Conn };

export class Conntrack {
  private readonly hash = new Map<string, { conn: Conn; dir: CtDir }>();
  /** Confirmed flows in insertion order. */
  readonly conns = new Set<Conn>();
  private serial = 0;
  readonly listeners = new Set<(e: CtEvent) => void>();

  readonly ns: NetNs;

  constructor(ns: NetNs) {
    this.ns = ns;
  }

  get now(): number {
    return this.ns.kernel.clock.now;
  }

  /** A timeout of this namespace (net.netfilter.nf_conntrack_*_timeout*, per namespace as in Linux), in seconds. */
  timeout(key: string | number): number {
    return typeof key === "number" ? key : this.ns.sysctl.ctTimeout(key);
  }

  /** nf_conntrack_max: global and read from the initial namespace, as in Linux. */
  get max(): number {
    return Number(this.ns.kernel.initNs.sysctl.get("net.netfilter.nf_conntrack_max") ?? "262144");
  }

  emit(type: CtEvent["type"], conn: Conn): void {
    for (const l of this.listeners) l({ type, conn });
  }

  /** Drops flows whose timeout has passed (the gc worker and per-lookup expiry in one). */
  gc(): void {
    const now = this.now;
    for (const c of this.conns) if (c.expires <= now) this.remove(c);
  }

  get count(): number {
    this.gc();
    return this.conns.size;
  }

  lookup(t: Tuple): { conn: Conn; dir: CtDir } | null {
    const h = this.hash.get(tupleKey(t));
    if (!h) return null;
    if (h.conn.expires <= this.now) {
      this.remove(h.conn);
      return null;
    }
    return h;
  }

  /** nf_conntrack_tuple_taken: whether a confirmed flow other than `ignore` uses this tuple. */
  taken(t: Tuple, ignore: Conn): boolean {
    const h = this.lookup(t);
    return h !== null && h.conn !== ignore;
  }

  create(orig: Tuple, reply: Tuple): Conn {
    return {
      id: ++this.serial,
      tuple: [orig, reply],
      status: 0,
      tcp: null,
      expires: 0,
      mark: 0,
      streamTs: this.now + 2000,
      zone: 0,
    };
  }

  /** __nf_conntrack_confirm; false on a clash with an already confirmed flow. */
  confirm(c: Conn): boolean {
    if (c.status & IPS_CONFIRMED) return true;
    const k0 = tupleKey(c.tuple[0]);
    const k1 = tupleKey(c.tuple[1]);
    if (this.lookup(c.tuple[0]) || this.lookup(c.tuple[1])) return false;
    this.hash.set(k0, { conn: c, dir: 0 });
    this.hash.set(k1, { conn: c, dir: 1 });
    c.status |= IPS_CONFIRMED;
    c.expires = this.now + c.expires;
    this.conns.add(c);
    this.emit("NEW", c);
    return true;
  }

  remove(c: Conn): void {
    if (!this.conns.delete(c)) return;
    for (const d of [0, 1] as const) {
      const k = tupleKey(c.tuple[d]);
      if (this.hash.get(k)?.conn === c) this.hash.delete(k);
    }
    this.emit("DESTROY", c);
  }

  flush(): void {
    for (const c of [...this.conns]) this.remove(c);
  }

  /** nf_ct_refresh: a confirmed flow's timeout restarts; an unconfirmed one keeps it relative. */
  refresh(c: Conn, seconds: number): void {
    c.expires = c.status & IPS_CONFIRMED ? this.now + seconds * 1000 : seconds * 1000;
  }

  /** Seconds left, as /proc and ctnetlink report them (floor of the remaining time). */
  remaining(c: Conn): number {
    if (!(c.status & IPS_CONFIRMED)) return Math.floor(c.expires / 1000);
    return Math.max(0, Math.floor((c.expires - this.now - 1) / 1000));
  }
}

const tables = new WeakMap<NetNs, Conntrack>();

export function conntrackOf(ns: NetNs): Conntrack {
  let t = tables.get(ns);
  if (!t) tables.set(ns, (t = new Conntrack(ns)));
  return t;
}

export function hasConntrack(ns: NetNs): Conntrack | undefined {
  return tables.get(ns);
}

export type CtResult =
  | { kind: "tracked"; conn: Conn; ctinfo: number; created: boolean }
  | { kind: "invalid"; reason: string }
  | { kind: "drop"; reason: string };

/** nf_conntrack_in for a packet without a flow attached yet. */
export function conntrackIn(ns: NetNs, pkt: Ipv4Packet): CtResult {
  const ct = conntrackOf(ns);
  const l4 = pkt.l4;
  if (l4.proto === "icmp" && ICMP_ERROR_TYPES.has(l4.type)) {
    // icmp_error_message: the error belongs to the flow of the datagram it quotes.
    if (!l4.inner) return { kind: "invalid", reason: "ICMP error without the quoted datagram" };
    const inv = invertTuple(tupleOf(l4.inner));
    const h = inv ? ct.lookup(inv) : null;
    if (!h) return { kind: "invalid", reason: "ICMP error about no known flow" };
    return {
      kind: "tracked",
      conn: h.conn,
      ctinfo: h.dir === 1 ? IP_CT_RELATED_REPLY : IP_CT_RELATED,
      created: false,
    };
  }
  const t = tupleOf(pkt);
  let h = ct.lookup(t);
  if (h && l4.proto === "tcp" && h.dir === 0 && l4.flags.syn && !l4.flags.ack) {
    // A new SYN on a closed or TIME_WAIT flow: the old flow is killed and the SYN starts a new one.
    if (h.conn.tcp === "TIME_WAIT" || h.conn.tcp === "CLOSE") {
      ct.remove(h.conn);
      h = null;
    }
  }
  let conn: Conn;
  let dir: CtDir;
  let created = false;
  if (h) {
    conn = h.conn;
    dir = h.dir;
  } else {
    if (l4.proto === "icmp" && !ICMP_QUERY_TYPES.has(l4.type))
      return { kind: "invalid", reason: `ICMP type ${l4.type} cannot start a flow` };
    if (l4.proto === "tcp") {
      // tcp_new: SYN opens; a bare ACK picks up a flow (nf_conntrack_tcp_loose=1); others are invalid.
      const f = l4.flags;
      if (f.rst || (f.syn && f.ack) || (!f.syn && !f.ack) || (f.fin && !f.syn))
        return { kind: "invalid", reason: "TCP segment cannot start a flow" };
    }
    // Expired flows are only swept when the table looks full (early_drop's moment), not per packet.
    if (ct.conns.size >= ct.max && ct.count >= ct.max) {
      ns.kernel.log("nf_conntrack: nf_conntrack: table full, dropping packet");
      return { kind: "drop", reason: "nf_conntrack: table full" };
    }
    const reply = invertTuple(t);
    if (!reply) return { kind: "invalid", reason: "no inverse tuple" };
    conn = ct.create(t, reply);
    dir = 0;
    created = true;
  }
  const verdict = protoPacket(ct, conn, dir, pkt);
  if (verdict === KILL) {
    ct.remove(conn);
    conn.expires = 0;
  } else if (verdict !== null) return { kind: "invalid", reason: verdict };
  let ctinfo: number;
  if (dir === 1) {
    ctinfo = IP_CT_ESTABLISHED_REPLY;
    if (!(conn.status & IPS_SEEN_REPLY)) {
      conn.status |= IPS_SEEN_REPLY;
      ct.emit("UPDATE", conn);
    }
  } else ctinfo = conn.status & IPS_SEEN_REPLY ? IP_CT_ESTABLISHED : IP_CT_NEW;
  return { kind: "tracked", conn, ctinfo, created };
}

/** The per-protocol packet handler: state and timeout; returns why a packet is invalid, or null. */
const KILL = "\0kill";

function protoPacket(ct: Conntrack, c: Conn, dir: CtDir, pkt: Ipv4Packet): string | null {
  const l4 = pkt.l4;
  switch (c.tuple[0].proto) {
    case IPPROTO_TCP: {
      if (l4.proto !== "tcp") return null;
      const old = c.tcp ?? "NONE";
      const next = tcpTransition(dir, old, l4.flags);
      if (next === "IV") return `TCP ${old}: invalid segment`;
      if (next === "IG") return null;
      const before = c.tcp;
      c.tcp = next;
      // A RST as the only answer: the flow never existed, it is removed at once (tcp_packet).
      if (!(c.status & IPS_SEEN_REPLY) && l4.flags.rst) return KILL;
      if (
        c.status & IPS_SEEN_REPLY &&
        !(c.status & IPS_ASSURED) &&
        (old === "SYN_RECV" || old === "ESTABLISHED") &&
        next === "ESTABLISHED"
      ) {
        c.status |= IPS_ASSURED;
        if (c.status & IPS_CONFIRMED) ct.emit("UPDATE", c);
      } else if (before !== next && c.status & IPS_CONFIRMED) ct.emit("UPDATE", c);
      ct.refresh(c, ct.timeout(TCP_TIMEOUT_KEYS[l4.flags.rst ? "CLOSE" : next]));
      return null;
    }
    case IPPROTO_UDP: {
      if (c.status & IPS_SEEN_REPLY || dir === 1) {
        // Replied flows still active two seconds after creation become streams (udp_packet).
        if (ct.now > c.streamTs) {
          const stream = !(c.status & IPS_ASSURED);
          ct.refresh(c, ct.timeout("net.netfilter.nf_conntrack_udp_timeout_stream"));
          if (stream) {
            c.status |= IPS_ASSURED;
            ct.emit("UPDATE", c);
          }
        } else ct.refresh(c, ct.timeout("net.netfilter.nf_conntrack_udp_timeout"));
      } else ct.refresh(c, ct.timeout("net.netfilter.nf_conntrack_udp_timeout"));
      return null;
    }
    case IPPROTO_ICMP:
      ct.refresh(c, ct.timeout("net.netfilter.nf_conntrack_icmp_timeout"));
      return null;
    default:
      ct.refresh(c, ct.timeout("net.netfilter.nf_conntrack_generic_timeout"));
      return null;
  }
}
