/**
 * @module kernel/netfilter/core
 * The hook function of a namespace with iptables loaded: for each hook the
 * tables run in priority order (raw -300, conntrack -200, mangle -150, nat
 * DNAT -100, filter 0, security 50, nat SNAT 100, conntrack confirm last),
 * each through its built-in chain with jumps, gotos and RETURN, counting
 * packets and bytes per rule and per policy. NAT chains are consulted only
 * for a flow's first packet; later packets get the flow's binding.
 */
import { describeIp } from "../../net/describe.js";
import { formatIPv4, isMulticast4 } from "../../net/ip.js";
import type { Ipv4Packet, TcpSegment } from "../../net/packet.js";
import {
  conntrackIn,
  conntrackOf,
  IP_CT_IS_REPLY,
  IP_CT_NEW,
  IP_CT_RELATED,
  IP_CT_RELATED_REPLY,
  IPS_DST_NAT,
  IPS_SRC_NAT,
} from "../conntrack/conntrack.js";
import {
  hookManip,
  type NatRange,
  natInitialized,
  natNullBinding,
  natPacket,
  natSetupInfo,
} from "../conntrack/nat.js";
import { RT_TABLE_LOCAL } from "../fib/table.js";
import { inetSelectAddr, isLocalAddr } from "../ipv4/devinet.js";
import { icmpSend } from "../ipv4/icmp.js";
import { ipLocalOut } from "../ipv4/ip.js";
import { routeOutput } from "../ipv4/route.js";
import { ipVsConnOutGet } from "../ipvs/ip-vs-conn.js";
import { type IpVsHook, ipVsHook } from "../ipvs/ip-vs-core.js";
import { ipvsActive } from "../ipvs/ip-vs-ctl.js";
import type { NetNs } from "../netns.js";
import type { NetDevice } from "../types.js";
import { formatRule } from "./format.js";
import { type NfHookName, type NfVerdict, registerNfHooks } from "./hooks.js";
import { ipsetTest } from "./ipset.js";
import {
  type AddrMatch,
  CT_STATE_DNAT,
  CT_STATE_ESTABLISHED,
  CT_STATE_INVALID,
  CT_STATE_NEW,
  CT_STATE_RELATED,
  CT_STATE_SNAT,
  CT_STATE_UNTRACKED,
  countRule,
  type IfaceMatch,
  type InvPorts,
  type Match,
  type Rule,
  ruleOf,
} from "./rule.js";
import { type Skb, skbMove, skbOf } from "./skb.js";
import {
  type Chain,
  chainIndex,
  conntrackNeeded,
  nfState,
  setHookInstaller,
  type Table,
  type TableName,
} from "./tables.js";

type Stage = TableName | "conntrack" | "natDst" | "natSrc" | "confirm" | IpVsStage;

/** IPVS's hooks (ip_vs_ops4) by the stage names below. */
type IpVsStage = "ipvsReply" | "ipvsRequest" | "ipvsLocalReply" | "ipvsLocalRequest";
const IPVS_HOOK: Record<IpVsStage, IpVsHook> = {
  ipvsReply: "reply",
  ipvsRequest: "remoteRequest",
  ipvsLocalReply: "localReply",
  ipvsLocalRequest: "localRequest",
};

// IPVS sits at NF_IP_PRI_NAT_SRC-2/-1 in INPUT, NF_IP_PRI_NAT_DST+1/+2 in OUTPUT and 100 in FORWARD.
const STAGES: Record<NfHookName, Stage[]> = {
  PREROUTING: ["raw", "conntrack", "mangle", "natDst"],
  INPUT: ["mangle", "filter", "security", "ipvsReply", "ipvsRequest", "natSrc", "confirm"],
  FORWARD: ["mangle", "filter", "security", "ipvsReply"],
  OUTPUT: [
    "raw",
    "conntrack",
    "mangle",
    "natDst",
    "ipvsLocalReply",
    "ipvsLocalRequest",
    "filter",
    "security",
  ],
  POSTROUTING: ["mangle", "natSrc", "confirm"],
};

interface Ctx {
  ns: NetNs;
  hook: NfHookName;
  table: Table;
  pkt: Ipv4Packet;
  inDev: NetDevice | null;
  outDev: NetDevice | null;
  skb: Skb;
}

type ChainResult = { v: "ACCEPT" } | { v: "DROP"; reason: string } | { v: "CONTINUE" };

const MAX_DEPTH = 64;

function maskMatch(a: number, m: AddrMatch): boolean {
  return (((a & m.mask) >>> 0 === m.addr >>> 0) as boolean) !== m.inv;
}

function ifaceMatch(dev: NetDevice | null | string, m: IfaceMatch): boolean {
  const name = typeof dev === "string" ? dev : (dev?.name ?? "");
  const hit = m.name.endsWith("+") ? name.startsWith(m.name.slice(0, -1)) : name === m.name;
  return hit !== m.inv;
}

function portIn(p: number, r: InvPorts | undefined): boolean {
  if (!r) return true;
  return (p >= r.lo && p <= r.hi) !== r.inv;
}

function tcpFlagsByte(s: TcpSegment): number {
  const f = s.flags;
  return (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.rst ? 4 : 0) | (f.psh ? 8 : 0) | (f.ack ? 16 : 0);
}

/** The conntrack state bits xt_state / xt_conntrack test. */
function ctStateBits(skb: Skb): number {
  if (skb.untracked) return CT_STATE_UNTRACKED;
  const c = skb.ct;
  if (!c) return CT_STATE_INVALID;
  const base = skb.ctinfo % IP_CT_IS_REPLY;
  let bits = base === 0 ? CT_STATE_ESTABLISHED : base === 1 ? CT_STATE_RELATED : CT_STATE_NEW;
  if (c.status & IPS_SRC_NAT) bits |= CT_STATE_SNAT;
  if (c.status & IPS_DST_NAT) bits |= CT_STATE_DNAT;
  return bits;
}

/** RTN_* as the bit addrtype tests (1 << type). */
function addrType(ns: NetNs, a: number, dev: NetDevice | null): number {
  if (a === 0 || a === 0xffffffff) return 1 << 3;
  if (isMulticast4(a)) return 1 << 5;
  const local = ns.fib.find(RT_TABLE_LOCAL);
  const r = local?.lookup(a, (x) => x.dstLen === 32 && (dev === null || x.dev === dev));
  if (r && r.dst === a) {
    if (r.type === "local") return 1 << 2;
    if (r.type === "broadcast") return 1 << 3;
  }
  return 1 << 1;
}

function matchOne(ctx: Ctx, m: Match): boolean {
  const pkt = ctx.pkt;
  const l4 = pkt.l4;
  switch (m.kind) {
    case "tcp":
      if (l4.proto !== "tcp") return false;
      if (!portIn(l4.sport, m.sport) || !portIn(l4.dport, m.dport)) return false;
      if (m.flags && ((tcpFlagsByte(l4) & m.flags.mask) === m.flags.cmp) === m.flags.inv) return false;
      return true;
    case "udp":
      return l4.proto === "udp" && portIn(l4.sport, m.sport) && portIn(l4.dport, m.dport);
    case "sctp":
      return false;
    case "icmp": {
      if (l4.proto !== "icmp") return false;
      const hit = m.type === 255 || (l4.type === m.type && l4.code >= m.codeLo && l4.code <= m.codeHi);
      return hit !== m.inv;
    }
    case "state":
      return ((ctStateBits(ctx.skb) & m.states) !== 0) !== m.inv;
    case "conntrack": {
      const c = ctx.skb.ct;
      if (m.ctstate && ((ctStateBits(ctx.skb) & m.ctstate.states) !== 0) === m.ctstate.inv) return false;
      const others =
        m.ctproto ||
        m.ctorigsrc ||
        m.ctorigdst ||
        m.ctreplsrc ||
        m.ctrepldst ||
        m.ctorigsrcport ||
        m.ctorigdstport ||
        m.ctreplsrcport ||
        m.ctrepldstport ||
        m.ctstatus ||
        m.ctdir;
      if (!others) return true;
      if (!c) return false;
      const [o, r] = c.tuple;
      if (m.ctproto && (o.proto === m.ctproto.proto) === m.ctproto.inv) return false;
      if (m.ctorigsrc && !maskMatch(o.src, m.ctorigsrc)) return false;
      if (m.ctorigdst && !maskMatch(o.dst, m.ctorigdst)) return false;
      if (m.ctreplsrc && !maskMatch(r.src, m.ctreplsrc)) return false;
      if (m.ctrepldst && !maskMatch(r.dst, m.ctrepldst)) return false;
      if (m.ctorigsrcport && !portIn(o.sport, m.ctorigsrcport)) return false;
      if (m.ctorigdstport && !portIn(o.dport, m.ctorigdstport)) return false;
      if (m.ctreplsrcport && !portIn(r.sport, m.ctreplsrcport)) return false;
      if (m.ctrepldstport && !portIn(r.dport, m.ctrepldstport)) return false;
      if (m.ctstatus && ((c.status & m.ctstatus.status) !== 0) === m.ctstatus.inv) return false;
      if (m.ctdir && (ctx.skb.ctinfo >= IP_CT_IS_REPLY ? "REPLY" : "ORIGINAL") !== m.ctdir) return false;
      return true;
    }
    case "comment":
      return true;
    case "mark":
      return (((ctx.skb.mark & m.mask) >>> 0 === m.value >>> 0) as boolean) !== m.inv;
    case "connmark": {
      const c = ctx.skb.ct;
      if (!c) return false;
      return (((c.mark & m.mask) >>> 0 === m.value >>> 0) as boolean) !== m.inv;
    }
    case "multiport": {
      if (l4.proto !== "tcp" && l4.proto !== "udp") return false;
      const hit = m.ports.some(
        (r) =>
          ((m.dir === "sports" || m.dir === "ports") && l4.sport >= r.lo && l4.sport <= r.hi) ||
          ((m.dir === "dports" || m.dir === "ports") && l4.dport >= r.lo && l4.dport <= r.hi),
      );
      return hit !== m.inv;
    }
    case "addrtype": {
      if (m.src) {
        const dev = m.limitIn ? ctx.inDev : m.limitOut ? ctx.outDev : null;
        if (((addrType(ctx.ns, pkt.src, dev) & m.src.types) !== 0) === m.src.inv) return false;
      }
      if (m.dst) {
        const dev = m.limitIn ? ctx.inDev : m.limitOut ? ctx.outDev : null;
        if (((addrType(ctx.ns, pkt.dst, dev) & m.dst.types) !== 0) === m.dst.inv) return false;
      }
      return true;
    }
    case "statistic":
      if (m.mode === "random") {
        // xt_statistic: (get_random_u32() & 0x7FFFFFFF) < probability * 2^31
        const draw = ctx.ns.kernel.rng.nextInt(0x80000000);
        return draw < Math.round(m.probability * 0x80000000) !== m.inv;
      } else {
        const o = m.counter.n;
        const n = o === m.every - 1 ? 0 : o + 1;
        m.counter.n = n;
        return (n === 0) !== m.inv;
      }
    case "recent":
      return recentMatch(ctx, m);
    case "physdev": {
      // physdev_mt: a packet that is not bridged matches only tests that are all inverted.
      const s = ctx.skb;
      if (!s.bridged) {
        if (m.isBridged === true || m.isIn === true || m.isOut === true) return false;
        if ((m.in && !m.in.inv) || (m.out && !m.out.inv)) return false;
        return true;
      }
      if (m.isBridged !== undefined && (s.physOut !== null) !== m.isBridged) return false;
      if (m.isIn !== undefined && (s.physIn !== null) !== m.isIn) return false;
      if (m.isOut !== undefined && (s.physOut !== null) !== m.isOut) return false;
      // An unknown port (no physdev-out before FORWARD) passes the name test, as in the kernel.
      if (m.in && s.physIn !== null && !ifaceMatch(s.physIn, m.in)) return false;
      if (m.out && s.physOut !== null && !ifaceMatch(s.physOut, m.out)) return false;
      return true;
    }
    case "set": {
      const set = nfState(ctx.ns).sets.get(m.name);
      if (!set) return m.inv;
      return ipsetTest(set, pkt, m.flags) !== m.inv;
    }
    case "limit":
      return limitMatch(ctx, m);
    case "mac":
      // Only meaningful where a received frame has a source MAC (PREROUTING, INPUT, FORWARD).
      if (ctx.skb.macSrc === null) return false;
      return (ctx.skb.macSrc === m.mac) !== m.inv;
    case "iprange": {
      const inRange = (a: number, r: { lo: number; hi: number }): boolean =>
        a >>> 0 >= r.lo >>> 0 && a >>> 0 <= r.hi >>> 0;
      if (m.src && inRange(pkt.src, m.src) === m.src.inv) return false;
      if (m.dst && inRange(pkt.dst, m.dst) === m.dst.inv) return false;
      return true;
    }
    case "length":
      return (pkt.len >= m.lo && pkt.len <= m.hi) !== m.inv;
    case "ttl":
      return m.mode === "eq"
        ? pkt.ttl === m.value
        : m.mode === "ne"
          ? pkt.ttl !== m.value
          : m.mode === "lt"
            ? pkt.ttl < m.value
            : pkt.ttl > m.value;
    case "ipvs":
      return ipvsMatch(ctx, m);
    case "pkttype": {
      const t = ctx.skb.pktType ?? "HOST";
      const name = t === "HOST" ? "unicast" : t === "BROADCAST" ? "broadcast" : "multicast";
      return (name === m.type) !== m.inv;
    }
  }
}

/**
 * xt_ipvs (ipvs_mt): `--ipvs` alone tests skb->ipvs_property; any other
 * option needs a translated packet of an IPVS connection, found from the
 * packet in either direction, whose virtual address, protocol and port are
 * then compared.
 */
function ipvsMatch(ctx: Ctx, m: Extract<Match, { kind: "ipvs" }>): boolean {
  const skb = ctx.skb;
  if (m.ipvs && !m.vproto && !m.vaddr && !m.vport && !m.vdir) return skb.ipvsProperty !== m.ipvs.inv;
  if (!skb.ipvsProperty) return false;
  const pkt = ctx.pkt;
  const l4 = pkt.l4;
  const proto = l4.proto === "tcp" ? 6 : l4.proto === "udp" ? 17 : 1;
  if (m.vproto && (proto === m.vproto.proto) === m.vproto.inv) return false;
  if (l4.proto === "icmp") return false;
  const cp =
    ipVsConnOutGet(ctx.ns, proto, pkt.dst, l4.dport, pkt.src, l4.sport) ??
    ipVsConnOutGet(ctx.ns, proto, pkt.src, l4.sport, pkt.dst, l4.dport);
  if (!cp) return false;
  if (m.vport && (cp.vport === m.vport.port) === m.vport.inv) return false;
  if (m.vdir) {
    if (!skb.ct) return false;
    const wantReply = (m.vdir.dir === "REPLY") !== m.vdir.inv;
    if (skb.ctinfo >= IP_CT_IS_REPLY !== wantReply) return false;
  }
  if (m.vaddr && !maskMatch(cp.vaddr, m.vaddr)) return false;
  return true;
}

const HZ = 250;
/** POW2_BELOW32(0xFFFFFFFF / (HZ*60*60*24)) */
const CREDITS_PER_JIFFY = 128;

function user2credits(user: number): number {
  if (user > Math.floor(0xffffffff / (HZ * CREDITS_PER_JIFFY)))
    return Math.floor(user / 10000) * HZ * CREDITS_PER_JIFFY;
  return Math.floor((user * HZ * CREDITS_PER_JIFFY) / 10000);
}

/** xt_limit's token bucket on the jiffies clock. */
function limitMatch(ctx: Ctx, m: Extract<Match, { kind: "limit" }>): boolean {
  const now = Math.floor(ctx.ns.kernel.clock.now / (1000 / HZ));
  const st = m.state;
  const cap = user2credits(m.avg * m.burst);
  if (st.prev === null) {
    st.prev = now;
    st.credit = cap;
  }
  st.credit += (now - st.prev) * CREDITS_PER_JIFFY;
  st.prev = now;
  if (st.credit > cap) st.credit = cap;
  const cost = user2credits(m.avg);
  if (st.credit >= cost) {
    st.credit -= cost;
    return true;
  }
  return false;
}

function recentMatch(ctx: Ctx, m: Extract<Match, { kind: "recent" }>): boolean {
  const s = nfState(ctx.ns);
  let list = s.recent.get(m.name);
  if (!list) s.recent.set(m.name, (list = new Map()));
  const a = ((m.side === "source" ? ctx.pkt.src : ctx.pkt.dst) & m.mask) >>> 0;
  const now = ctx.ns.kernel.clock.now;
  let e = list.get(a);
  if (m.cmd === "set") {
    if (!e) list.set(a, (e = { addr: a, stamps: [], ttl: ctx.pkt.ttl }));
    e.stamps.push(now);
    if (e.stamps.length > 20) e.stamps.shift();
    return !m.inv;
  }
  if (!e) return m.inv;
  if (m.cmd === "remove") {
    list.delete(a);
    return !m.inv;
  }
  let hit = true;
  if (m.seconds > 0 || m.hitcount > 0) {
    const since = m.seconds > 0 ? now - m.seconds * 1000 : Number.NEGATIVE_INFINITY;
    const n = e.stamps.filter((t) => t >= since).length;
    hit = n >= Math.max(1, m.hitcount);
    if (m.reap && m.seconds > 0) e.stamps = e.stamps.filter((t) => t >= since);
  }
  if (hit && m.cmd === "update") e.stamps.push(now);
  return hit !== m.inv;
}

function ruleMatches(ctx: Ctx, r: Rule): boolean {
  const pkt = ctx.pkt;
  if (r.src && !maskMatch(pkt.src, r.src)) return false;
  if (r.dst && !maskMatch(pkt.dst, r.dst)) return false;
  if (r.inIface && !ifaceMatch(ctx.inDev, r.inIface)) return false;
  if (r.outIface && !ifaceMatch(ctx.outDev, r.outIface)) return false;
  if (r.proto && r.proto.num !== 0) {
    const p = pkt.l4.proto === "icmp" ? 1 : pkt.l4.proto === "tcp" ? 6 : 17;
    if ((p === r.proto.num) === r.proto.inv) return false;
  }
  // The model has no fragments: `-f` never matches, `! -f` always does.
  if (r.frag === true) return false;
  for (const m of r.matches) if (!matchOne(ctx, m)) return false;
  return true;
}

function logLine(ctx: Ctx, prefix: string): string {
  const p = ctx.pkt;
  const l4 = p.l4;
  let s = `${prefix}IN=${ctx.inDev?.name ?? ""} OUT=${ctx.outDev?.name ?? ""} SRC=${formatIPv4(p.src)} DST=${formatIPv4(p.dst)} LEN=${p.len} TOS=0x${p.tos.toString(16).padStart(2, "0").toUpperCase()} PREC=0x00 TTL=${p.ttl} ID=${p.id}`;
  if (l4.proto === "icmp")
    s += ` PROTO=ICMP TYPE=${l4.type} CODE=${l4.code}${l4.inner ? "" : ` ID=${l4.id} SEQ=${l4.seq}`}`;
  else if (l4.proto === "udp") s += ` PROTO=UDP SPT=${l4.sport} DPT=${l4.dport} LEN=${8 + l4.payload.length}`;
  else {
    const f = l4.flags;
    const fl = [
      f.ack ? "ACK" : "",
      f.psh ? "PSH" : "",
      f.rst ? "RST" : "",
      f.syn ? "SYN" : "",
      f.fin ? "FIN" : "",
    ]
      .filter(Boolean)
      .join(" ");
    s += ` PROTO=TCP SPT=${l4.sport} DPT=${l4.dport} WINDOW=64240 RES=0x00 ${fl} URGP=0`;
  }
  return s;
}

const REJECT_CODES: Record<string, number> = {
  "icmp-net-unreachable": 0,
  "icmp-host-unreachable": 1,
  "icmp-proto-unreachable": 2,
  "icmp-port-unreachable": 3,
  "icmp-net-prohibited": 9,
  "icmp-host-prohibited": 10,
  "icmp-admin-prohibited": 13,
};

/** nf_send_reset: a RST answering the segment, sent from where it was going. */
function sendReset(ns: NetNs, pkt: Ipv4Packet): void {
  const s = pkt.l4;
  if (s.proto !== "tcp" || s.flags.rst) return;
  const l4: TcpSegment = s.flags.ack
    ? { proto: "tcp", sport: s.dport, dport: s.sport, flags: { rst: true }, seq: s.ack, ack: 0, payload: "" }
    : {
        proto: "tcp",
        sport: s.dport,
        dport: s.sport,
        flags: { rst: true, ack: true },
        seq: 0,
        ack: s.seq + s.payload.length + (s.flags.syn ? 1 : 0) + (s.flags.fin ? 1 : 0),
        payload: "",
      };
  const rt = routeOutput(ns, pkt.src, {});
  if (!rt.ok) return;
  const rst: Ipv4Packet = {
    kind: "ipv4",
    src: pkt.dst,
    dst: pkt.src,
    ttl: ns.sysctl.num("net.ipv4.ip_default_ttl"),
    tos: 0,
    id: 0,
    len: 40,
    l4,
  };
  ns.kernel.hop(ns, "send", "REJECT: tcp reset", describeIp(rst));
  ipLocalOut(ns, rst, rt.rt);
}

function natRangeFor(ctx: Ctx, r: Rule): NatRange | null {
  const t = r.target;
  if (t.kind === "DNAT" || t.kind === "SNAT") return t.range;
  if (t.kind === "MASQUERADE") {
    const out = ctx.outDev;
    if (!out) return null;
    // The outgoing interface's address for the route's next hop (inet_select_addr).
    const rt = routeOutput(ctx.ns, ctx.pkt.dst, { oif: out });
    const nh = rt.ok ? rt.rt.nexthop : ctx.pkt.dst;
    const a = inetSelectAddr(out, nh, "global");
    if (!a) return null;
    return { ...t.range, minAddr: a, maxAddr: a, mapIps: true };
  }
  if (t.kind === "REDIRECT") {
    let a: number;
    if (ctx.hook === "OUTPUT") a = 0x7f000001;
    else {
      const first = ctx.inDev?.inet[0];
      if (!first) return null;
      a = first.local;
    }
    return { ...t.range, minAddr: a, maxAddr: a, mapIps: true };
  }
  return null;
}

/** Runs one rule's target; "NEXT" continues with the following rule. */
function runTarget(ctx: Ctx, r: Rule, depth: number): ChainResult | "NEXT" {
  const t = r.target;
  const k = ctx.ns.kernel;
  switch (t.kind) {
    case "none":
      return "NEXT";
    case "ACCEPT":
      return { v: "ACCEPT" };
    case "DROP":
      return { v: "DROP", reason: `${ctx.table.name} rule DROP` };
    case "RETURN":
      return { v: "CONTINUE" };
    case "jump": {
      const sub = ctx.table.chains.get(t.chain);
      if (!sub) return "NEXT";
      const res = runChain(ctx, sub, depth + 1);
      if (t.goto) return res;
      return res.v === "CONTINUE" ? "NEXT" : res;
    }
    case "REJECT": {
      if (t.with === "tcp-reset") sendReset(ctx.ns, ctx.pkt);
      else icmpSend(ctx.ns, ctx.pkt, 3, REJECT_CODES[t.with] ?? 3, ctx.inDev);
      return { v: "DROP", reason: `REJECT --reject-with ${t.with}` };
    }
    case "LOG":
      k.log(logLine(ctx, t.prefix ?? ""));
      return "NEXT";
    case "MARK":
      ctx.skb.mark = ((ctx.skb.mark & ~t.mask) ^ t.value) >>> 0;
      return "NEXT";
    case "CONNMARK": {
      const c = ctx.skb.ct;
      if (!c) return "NEXT";
      if (t.mode === "set") c.mark = ((c.mark & ~t.mask) ^ t.value) >>> 0;
      else if (t.mode === "save") c.mark = ((c.mark & ~t.ctmask) ^ (ctx.skb.mark & t.nfmask)) >>> 0;
      else ctx.skb.mark = ((ctx.skb.mark & ~t.nfmask) ^ (c.mark & t.ctmask)) >>> 0;
      return "NEXT";
    }
    case "NOTRACK":
    case "CT":
      if (t.kind === "NOTRACK" || t.notrack) {
        ctx.skb.untracked = true;
        ctx.skb.ct = null;
      }
      return "NEXT";
    case "TRACE":
      ctx.skb.trace = true;
      return "NEXT";
    case "DNAT":
    case "SNAT":
    case "MASQUERADE":
    case "REDIRECT": {
      const c = ctx.skb.ct;
      if (!c) return { v: "ACCEPT" };
      const range = natRangeFor(ctx, r);
      if (!range) return { v: "DROP", reason: `${t.kind}: no address` };
      const m = hookManip(ctx.hook);
      natSetupInfo(conntrackOf(ctx.ns), c, range, m);
      if (k.trace)
        k.hop(
          ctx.ns,
          "nat",
          `${t.kind}: ${describeTuple(c.tuple[0])} reply ${describeTuple(c.tuple[1])}`,
          describeIp(ctx.pkt),
        );
      return { v: "ACCEPT" };
    }
  }
}

function describeTuple(t: { src: number; dst: number; sport: number; dport: number }): string {
  return `${formatIPv4(t.src)}:${t.sport} -> ${formatIPv4(t.dst)}:${t.dport}`;
}

function traceLog(ctx: Ctx, chain: Chain, kind: string, n: number): void {
  const line = `TRACE: ${ctx.table.name}:${chain.name}:${kind}:${n} ${logLine(ctx, "")}`;
  ctx.ns.kernel.log(line);
}

/** Candidate rules in chain order: all, or via the destination index for long chains. */
function* candidates(c: Chain, dst: number): Generator<number> {
  const idx = chainIndex(c);
  if (!idx) {
    for (let i = 0; i < c.rules.length; i++) yield i;
    return;
  }
  const a = idx.byDst.get(dst) ?? [];
  const b = idx.rest;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) yield a[i++]!;
    else yield b[j++]!;
  }
}

function runChain(ctx: Ctx, c: Chain, depth: number): ChainResult {
  if (depth > MAX_DEPTH) return { v: "DROP", reason: "chain loop" };
  const len = ctx.pkt.len;
  const rules = c.rules;
  for (const i of candidates(c, ctx.pkt.dst)) {
    // The rule as parsed (what it matches and does); its counters stay on the chain's entry.
    const entry = rules[i]!;
    const r = ruleOf(entry);
    if (!ruleMatches(ctx, r)) continue;
    countRule(entry, len);
    if (ctx.skb.trace) traceLog(ctx, c, "rule", i + 1);
    const before = ctx.skb.trace;
    // Trace strings are built only while someone records the trace (the rule walk is a hot path).
    if (ctx.ns.kernel.trace)
      ctx.ns.kernel.hop(
        ctx.ns,
        "netfilter",
        `${ctx.hook} ${ctx.table.name}/${c.name} rule ${i + 1}: ${formatRule(c.name, r)}`,
        describeIp(ctx.pkt),
      );
    const res = runTarget(ctx, r, depth);
    if (!before && ctx.skb.trace) traceLog(ctx, c, "rule", i + 1);
    if (res === "NEXT") continue;
    if (res.v === "CONTINUE" && r.target.kind === "RETURN" && ctx.skb.trace)
      traceLog(ctx, c, "return", i + 1);
    return res;
  }
  return { v: "CONTINUE" };
}

/** ipt_do_table for one table at one hook: the built-in chain, then its policy. */
function runTable(ctx: Ctx): ChainResult {
  const c = ctx.table.chains.get(ctx.hook);
  if (!c) return { v: "ACCEPT" };
  const res = runChain(ctx, c, 0);
  if (res.v !== "CONTINUE") return res;
  if (c.counting) {
    c.counters.pkts++;
    c.counters.bytes += ctx.pkt.len;
  }
  if (ctx.skb.trace) traceLog(ctx, c, "policy", c.rules.length + 1);
  // Every table a packet passes shows in the trace, with the policy when no rule decided.
  if (ctx.ns.kernel.trace)
    ctx.ns.kernel.hop(
      ctx.ns,
      "netfilter",
      `${ctx.hook} ${ctx.table.name}/${c.name}: policy ${c.policy}`,
      describeIp(ctx.pkt),
    );
  if (c.policy === "DROP") return { v: "DROP", reason: `${ctx.table.name} ${c.name} policy DROP` };
  return { v: "ACCEPT" };
}

export function nfHookImpl(
  ns: NetNs,
  hook: NfHookName,
  pkt0: Ipv4Packet,
  inDev: NetDevice | null,
  outDev: NetDevice | null,
): NfVerdict {
  const s = nfState(ns);
  const skb = skbOf(pkt0, ns);
  // ip_sabotage_in: br_netfilter already ran PREROUTING for a frame the bridge passed up.
  if (hook === "PREROUTING" && skb.brPrerouted) return { verdict: "ACCEPT", pkt: pkt0 };
  // IPVS with net.ipv4.vs.conntrack=1 takes a reference on conntrack (ip_vs_register_conntrack).
  const ctOn = conntrackNeeded(s) || (ipvsActive(ns) && ns.sysctl.get("net.ipv4.vs.conntrack") === "1");
  const k = ns.kernel;
  let pkt = pkt0;
  const setPkt = (p: Ipv4Packet): void => {
    if (p !== pkt) {
      skbMove(pkt, p);
      pkt = p;
    }
  };
  for (const st of STAGES[hook]) {
    switch (st) {
      case "conntrack": {
        if (!ctOn || skb.untracked || skb.ct) break;
        const r = conntrackIn(ns, pkt);
        if (r.kind === "drop") return { verdict: "DROP", reason: r.reason };
        if (r.kind === "invalid") {
          if (k.trace) k.hop(ns, "conntrack", `INVALID: ${r.reason}`, describeIp(pkt));
          break;
        }
        skb.ct = r.conn;
        skb.ctinfo = r.ctinfo;
        if (k.trace)
          k.hop(
            ns,
            "conntrack",
            `${ctinfoName(r.ctinfo)}${r.created ? " (new flow)" : ""}: ${describeTuple(r.conn.tuple[0])}`,
            describeIp(pkt),
          );
        break;
      }
      case "natDst":
      case "natSrc": {
        const t = s.tables.get("nat");
        const c = skb.ct;
        if (!t || !c) break;
        const m = hookManip(hook);
        const ci = skb.ctinfo;
        if (ci === IP_CT_NEW || ci === IP_CT_RELATED || ci === IP_CT_RELATED_REPLY) {
          if (!natInitialized(c, m)) {
            const res = runTable({ ns, hook, table: t, pkt, inDev, outDev, skb });
            if (res.v === "DROP") return { verdict: "DROP", reason: res.reason };
            if (!natInitialized(c, m)) natNullBinding(conntrackOf(ns), c, hook);
          }
        }
        const before = pkt;
        setPkt(natPacket(c, ci, hook, pkt));
        if (pkt !== before)
          if (k.trace)
            k.hop(ns, "nat", `${m === "DST" ? "destination" : "source"} rewritten`, describeIp(pkt));
        break;
      }
      case "ipvsReply":
      case "ipvsRequest":
      case "ipvsLocalReply":
      case "ipvsLocalRequest": {
        if (!ipvsActive(ns)) break;
        const v = ipVsHook(ns, IPVS_HOOK[st], pkt, skb);
        if (v.verdict !== "ACCEPT") return v;
        setPkt(v.pkt);
        break;
      }
      case "confirm": {
        const c = skb.ct;
        if (!c) break;
        if (!conntrackOf(ns).confirm(c)) return { verdict: "DROP", reason: "conntrack: clash on confirm" };
        break;
      }
      default: {
        const t = s.tables.get(st);
        if (!t) break;
        const res = runTable({ ns, hook, table: t, pkt, inDev, outDev, skb });
        if (res.v === "DROP") return { verdict: "DROP", reason: res.reason };
      }
    }
  }
  return { verdict: "ACCEPT", pkt };
}

function ctinfoName(ci: number): string {
  return ["ESTABLISHED", "RELATED", "NEW", "ESTABLISHED_REPLY", "RELATED_REPLY"][ci] ?? `ctinfo ${ci}`;
}

/** Whether the address is one of this namespace's (for addrtype callers outside the engine). */
export function isLocal(ns: NetNs, a: number): boolean {
  const lo = ns.byName.get("lo");
  return lo ? isLocalAddr(lo, a) : false;
}

setHookInstaller((ns) => registerNfHooks(ns, nfHookImpl));
