/**
 * @module kernel/conntrack/nat
 * nf_nat_core.c: a NAT binding is set up once per flow and manipulation
 * type (source or destination) by changing the flow's reply tuple; every
 * packet of the flow, in either direction, is then rewritten from the
 * tuples (nf_nat_packet). get_unique_tuple keeps the original port when it
 * is free and otherwise picks another, so that no two flows share a reply
 * tuple (the SNAT/MASQUERADE port clash). ICMP errors about a flow have
 * their quoted datagram translated too.
 */
import type { IPv4 } from "../../net/ip.js";
import type { Ipv4Packet } from "../../net/packet.js";
import type { NetNs } from "../netns.js";
import {
  type Conn,
  type Conntrack,
  IP_CT_IS_REPLY,
  IPS_DST_NAT,
  IPS_DST_NAT_DONE,
  IPS_SRC_NAT,
  IPS_SRC_NAT_DONE,
} from "./conntrack.js";
import { IPPROTO_ICMP, invertTuple, type Tuple, tupleEqual } from "./tuple.js";

export type ManipType = "SRC" | "DST";

/** struct nf_nat_range2 */
export interface NatRange {
  minAddr: IPv4;
  maxAddr: IPv4;
  /** NF_NAT_RANGE_MAP_IPS: addresses are given (else only ports change). */
  mapIps: boolean;
  /** NF_NAT_RANGE_PROTO_SPECIFIED */
  minPort: number | null;
  maxPort: number | null;
  random: boolean;
  randomFully: boolean;
  persistent: boolean;
}

/** HOOK2MANIP: destination NAT before routing (PREROUTING, OUTPUT), source NAT after (POSTROUTING, INPUT). */
export function hookManip(hook: string): ManipType {
  return hook === "PREROUTING" || hook === "OUTPUT" ? "DST" : "SRC";
}

export function natInitialized(c: Conn, m: ManipType): boolean {
  return (c.status & (m === "SRC" ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE)) !== 0;
}

function inRange(t: Tuple, m: ManipType, r: NatRange): boolean {
  const a = m === "SRC" ? t.src : t.dst;
  if (r.mapIps && (a >>> 0 < r.minAddr >>> 0 || a >>> 0 > r.maxAddr >>> 0)) return false;
  return protoInRange(t, m, r);
}

function protoInRange(t: Tuple, m: ManipType, r: NatRange): boolean {
  if (r.minPort === null || r.maxPort === null) return true;
  const p = key(t, m);
  return p >= r.minPort && p <= r.maxPort;
}

/** The port (or ICMP id) a manipulation changes. */
function key(t: Tuple, m: ManipType): number {
  if (t.proto === IPPROTO_ICMP) return t.sport;
  return m === "SRC" ? t.sport : t.dport;
}

function withKey(t: Tuple, m: ManipType, v: number): Tuple {
  if (t.proto === IPPROTO_ICMP || m === "SRC") return { ...t, sport: v };
  return { ...t, dport: v };
}

function withAddr(t: Tuple, m: ManipType, a: IPv4): Tuple {
  return m === "SRC" ? { ...t, src: a } : { ...t, dst: a };
}

/** nf_nat_used_tuple: would a flow with this original tuple clash with a confirmed one? */
function usedTuple(ct: Conntrack, t: Tuple, self: Conn): boolean {
  const reply = invertTuple(t);
  return reply !== null && ct.taken(reply, self);
}

/** find_best_ips_proto: one address of the range, chosen by a hash of the flow (stable per flow). */
function bestIp(t: Tuple, m: ManipType, r: NatRange): Tuple {
  if (!r.mapIps) return t;
  const span = (r.maxAddr >>> 0) - (r.minAddr >>> 0) + 1;
  if (span <= 1) return withAddr(t, m, r.minAddr);
  const h = (Math.imul(t.src ^ 0x9e3779b9, 0x85ebca6b) ^ (m === "DST" ? t.dst : 0)) >>> 0;
  return withAddr(t, m, ((r.minAddr >>> 0) + (h % span)) >>> 0);
}

/** nf_nat_l4proto_unique_tuple */
function uniqueProto(ct: Conntrack, t0: Tuple, r: NatRange, m: ManipType, self: Conn): Tuple {
  let min: number;
  let size: number;
  const cur = key(t0, m);
  if (t0.proto === IPPROTO_ICMP) {
    if (r.minPort === null || r.maxPort === null) {
      min = 0;
      size = 65536;
    } else {
      min = r.minPort;
      size = r.maxPort - r.minPort + 1;
    }
  } else if (r.minPort === null || r.maxPort === null) {
    if (m === "DST") return t0;
    if (cur < 1024) {
      if (cur < 512) {
        min = 1;
        size = 511;
      } else {
        min = 600;
        size = 1023 - 600 + 1;
      }
    } else {
      min = 1024;
      size = 65535 - 1024 + 1;
    }
  } else {
    const lo = Math.min(r.minPort, r.maxPort);
    const hi = Math.max(r.minPort, r.maxPort);
    min = lo;
    size = hi - lo + 1;
  }
  const rng = ct.ns.kernel.rng;
  let off = r.random || r.randomFully || m !== "DST" ? rng.nextInt(65536) : 0;
  let attempts = Math.min(size, 128);
  let t = t0;
  for (;;) {
    for (let i = 0; i < attempts; i++, off++) {
      t = withKey(t0, m, min + (off % size));
      if (!usedTuple(ct, t, self)) return t;
    }
    if (attempts >= size || attempts < 16) return t;
    attempts = Math.floor(attempts / 2);
    off = rng.nextInt(65536);
  }
}

/** get_unique_tuple */
function uniqueTuple(ct: Conntrack, orig: Tuple, r: NatRange, m: ManipType, self: Conn): Tuple {
  if (m === "SRC" && !r.random && !r.randomFully) {
    if (inRange(orig, m, r) && !usedTuple(ct, orig, self)) return orig;
    if (!inRange(orig, m, r)) {
      // find_appropriate_src: reuse the mapping another flow from the same source already has.
      for (const c of ct.conns) {
        if (!(c.status & IPS_SRC_NAT)) continue;
        const o = c.tuple[0];
        if (o.proto !== orig.proto || o.src !== orig.src || o.sport !== orig.sport) continue;
        const mapped = invertTuple(c.tuple[1]);
        if (!mapped) continue;
        const cand = { ...orig, src: mapped.src, sport: mapped.sport };
        if (inRange(cand, m, r) && !usedTuple(ct, cand, self)) return cand;
      }
    }
  }
  const t = bestIp(orig, m, r);
  if (!r.random && !r.randomFully) {
    if (r.minPort !== null && r.maxPort !== null) {
      if (protoInRange(t, m, r) && (r.minPort === r.maxPort || !usedTuple(ct, t, self))) return t;
    } else if (!usedTuple(ct, t, self)) return t;
  }
  return uniqueProto(ct, t, r, m, self);
}

/** nf_nat_setup_info: binds the flow; the reply tuple becomes the inverse of the translated original. */
export function natSetupInfo(ct: Conntrack, c: Conn, r: NatRange, m: ManipType): void {
  if (natInitialized(c, m)) return;
  const curr = invertTuple(c.tuple[1]);
  if (curr) {
    const next = uniqueTuple(ct, curr, r, m, c);
    if (!tupleEqual(next, curr)) {
      const reply = invertTuple(next);
      if (reply) {
        c.tuple[1] = reply;
        c.status |= m === "SRC" ? IPS_SRC_NAT : IPS_DST_NAT;
      }
    }
  }
  c.status |= m === "SRC" ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE;
}

/** nf_nat_alloc_null_binding: no rule translated the flow; it still must not clash (the port may change). */
export function natNullBinding(ct: Conntrack, c: Conn, hook: string): void {
  const m = hookManip(hook);
  const a = m === "SRC" ? c.tuple[1].dst : c.tuple[1].src;
  natSetupInfo(
    ct,
    c,
    {
      minAddr: a,
      maxAddr: a,
      mapIps: true,
      minPort: null,
      maxPort: null,
      random: false,
      randomFully: false,
      persistent: false,
    },
    m,
  );
}

function manipPkt(pkt: Ipv4Packet, target: Tuple, m: ManipType, ports = true): Ipv4Packet {
  const l4 = pkt.l4;
  const addr = m === "SRC" ? { src: target.src } : { dst: target.dst };
  if (!ports) return { ...pkt, ...addr };
  switch (l4.proto) {
    case "tcp":
    case "udp":
      return {
        ...pkt,
        ...addr,
        l4: m === "SRC" ? { ...l4, sport: target.sport } : { ...l4, dport: target.dport },
      };
    case "icmp":
      if (l4.inner) return { ...pkt, ...addr };
      return { ...pkt, ...addr, l4: { ...l4, id: target.sport } };
  }
}

/** nf_nat_packet: rewrites a packet of the flow per its binding, at a hook of this manipulation type. */
export function natPacket(c: Conn, ctinfo: number, hook: string, pkt: Ipv4Packet): Ipv4Packet {
  const m = hookManip(hook);
  const dir = ctinfo >= IP_CT_IS_REPLY ? 1 : 0;
  let bit = m === "SRC" ? IPS_SRC_NAT : IPS_DST_NAT;
  if (dir === 1) bit = bit === IPS_SRC_NAT ? IPS_DST_NAT : IPS_SRC_NAT;
  if (!(c.status & bit)) return pkt;
  const l4 = pkt.l4;
  const other = c.tuple[dir === 1 ? 0 : 1];
  if (l4.proto === "icmp" && l4.inner) {
    // nf_nat_icmp_reply_translation: the quoted datagram back as it was sent, then the outer header.
    const inverse: ManipType = m === "SRC" ? "DST" : "SRC";
    const inner = manipPkt(l4.inner, other, inverse);
    const target = invertTuple(other);
    if (!target) return pkt;
    return manipPkt({ ...pkt, l4: { ...l4, inner } }, target, m, false);
  }
  const target = invertTuple(other);
  return target ? manipPkt(pkt, target, m) : pkt;
}

/** Whether the NAT hooks run in a namespace (a nat table is loaded there). */
export type NatPresence = (ns: NetNs) => boolean;
