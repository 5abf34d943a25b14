/**
 * @module kernel/ipvs/ip-vs-conn
 * ip_vs_conn.c and the protocols' state tables (ip_vs_proto_tcp.c,
 * ip_vs_proto_udp.c): one entry per client connection (client, virtual and
 * real server addresses), found from either direction — ip_vs_conn_in_get
 * by client and virtual address, ip_vs_conn_out_get by real server and
 * client — plus persistence templates (client address, port 0). Entries
 * expire on IPVS's own timeouts in simulated time; each real server counts
 * its active (TCP ESTABLISHED) and inactive connections as ipvsadm shows.
 */
import type { NetNs } from "../netns.js";
import type { IpVsDest, IpVsService } from "./ip-vs-ctl.js";

export type IpVsTcpState =
  | "NONE"
  | "ESTABLISHED"
  | "SYN_SENT"
  | "SYN_RECV"
  | "FIN_WAIT"
  | "TIME_WAIT"
  | "CLOSE"
  | "CLOSE_WAIT"
  | "LAST_ACK"
  | "LISTEN"
  | "SYNACK";

/** tcp_timeouts[] (seconds). */
export const IP_VS_TCP_TIMEOUTS: Record<IpVsTcpState, number> = {
  NONE: 2,
  ESTABLISHED: 15 * 60,
  SYN_SENT: 2 * 60,
  SYN_RECV: 60,
  FIN_WAIT: 2 * 60,
  TIME_WAIT: 2 * 60,
  CLOSE: 10,
  CLOSE_WAIT: 60,
  LAST_ACK: 30,
  LISTEN: 2 * 60,
  SYNACK: 120,
};

/** udp_timeouts[IP_VS_UDP_S_NORMAL] */
export const IP_VS_UDP_TIMEOUT = 5 * 60;

/** IP_VS_CONN_F_* the model uses. */
export const IP_VS_CONN_F_TEMPLATE = 0x1000;
export const IP_VS_CONN_F_INACTIVE = 0x0100;
/** The connection is tracked by netfilter conntrack (net.ipv4.vs.conntrack=1). */
export const IP_VS_CONN_F_NFCT = 0x20000;

/** struct ip_vs_conn */
export interface IpVsConn {
  proto: number;
  caddr: number;
  cport: number;
  vaddr: number;
  vport: number;
  daddr: number;
  dport: number;
  dest: IpVsDest | null;
  /** The service it was scheduled by (its stats count the packets too). */
  svc: IpVsService | null;
  flags: number;
  /** "UDP" for UDP, a TCP state name otherwise ("NONE" for templates). */
  state: IpVsTcpState | "UDP";
  /** Absolute expiry in simulated ms. */
  expires: number;
  /** Seconds this entry lives from its last packet. */
  timeout: number;
}

/** sTCP state table of ip_vs_proto_tcp.c, rows syn/fin/ack/rst, for INPUT (client side) and OUTPUT. */
const S: IpVsTcpState[] = [
  "NONE",
  "ESTABLISHED",
  "SYN_SENT",
  "SYN_RECV",
  "FIN_WAIT",
  "TIME_WAIT",
  "CLOSE",
  "CLOSE_WAIT",
  "LAST_ACK",
  "LISTEN",
  "SYNACK",
];
const [sNO, sES, sSS, sSR, sFW, sTW, sCL, sCW, sLA, sLI, sSA] = S as [
  IpVsTcpState,
  IpVsTcpState,
  IpVsTcpState,
  IpVsTcpState,
  IpVsTcpState,
  IpVsTcpState,
  IpVsTcpState,
  IpVsTcpState,
  IpVsTcpState,
  IpVsTcpState,
  IpVsTcpState,
];
void sNO;
const INPUT: IpVsTcpState[][] = [
  /*syn*/ [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR],
  /*fin*/ [sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW],
  /*ack*/ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES],
  /*rst*/ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR],
];
const OUTPUT: IpVsTcpState[][] = [
  /*syn*/ [sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR],
  /*fin*/ [sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW],
  /*ack*/ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES],
  /*rst*/ [sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL],
];
void sSA;

/** tcp_state_idx: rst, then syn, then fin, then ack decide the row. */
function stateIdx(f: { syn?: boolean; fin?: boolean; ack?: boolean; rst?: boolean }): number {
  if (f.rst) return 3;
  if (f.syn) return 0;
  if (f.fin) return 1;
  if (f.ack) return 2;
  return -1;
}

/** The per-namespace connection table. */
export interface IpVsConnTable {
  in: Map<string, IpVsConn>;
  out: Map<string, IpVsConn>;
  /** Every entry, oldest first (what /proc/net/ip_vs_conn lists). */
  all: Set<IpVsConn>;
}

const tables = new WeakMap<NetNs, IpVsConnTable>();

export function ipVsConnTable(ns: NetNs): IpVsConnTable {
  let t = tables.get(ns);
  if (!t) tables.set(ns, (t = { in: new Map(), out: new Map(), all: new Set() }));
  return t;
}

const inKey = (p: number, ca: number, cp: number, va: number, vp: number): string =>
  `${p}|${ca >>> 0}:${cp}|${va >>> 0}:${vp}`;
const outKey = (p: number, da: number, dp: number, ca: number, cp: number): string =>
  `${p}|${da >>> 0}:${dp}|${ca >>> 0}:${cp}`;

function expire(t: IpVsConnTable, c: IpVsConn): void {
  if (!t.all.delete(c)) return;
  // A newer entry may have taken the key already (a connection scheduled afresh): leave it.
  const ik = inKey(c.proto, c.caddr, c.cport, c.vaddr, c.vport);
  if (t.in.get(ik) === c) t.in.delete(ik);
  const ok = outKey(c.proto, c.daddr, c.dport, c.caddr, c.cport);
  if (!(c.flags & IP_VS_CONN_F_TEMPLATE) && t.out.get(ok) === c) t.out.delete(ok);
  unbindDest(c);
}

/** ip_vs_conn_expire_now: the entry goes at once. */
export function ipVsConnExpireNow(ns: NetNs, c: IpVsConn): void {
  c.expires = 0;
  expire(ipVsConnTable(ns), c);
}

/** Drops entries whose time is up (the per-entry timers, run when the table is looked at). */
export function ipVsConnGc(ns: NetNs): void {
  const t = ipVsConnTable(ns);
  const now = ns.kernel.clock.now;
  for (const c of t.all) if (c.expires <= now) expire(t, c);
}

function live(ns: NetNs, c: IpVsConn | undefined): IpVsConn | null {
  if (!c) return null;
  if (c.expires <= ns.kernel.clock.now) {
    expire(ipVsConnTable(ns), c);
    return null;
  }
  return c;
}

/** ip_vs_conn_in_get: a packet from the client side. */
export function ipVsConnInGet(ns: NetNs, p: number, ca: number, cp: number, va: number, vp: number) {
  return live(ns, ipVsConnTable(ns).in.get(inKey(p, ca, cp, va, vp)));
}

/** ip_vs_conn_out_get: a packet from the real server side. */
export function ipVsConnOutGet(ns: NetNs, p: number, da: number, dp: number, ca: number, cp: number) {
  return live(ns, ipVsConnTable(ns).out.get(outKey(p, da, dp, ca, cp)));
}

function bindDest(c: IpVsConn): void {
  const d = c.dest;
  if (!d) return;
  if (c.flags & IP_VS_CONN_F_TEMPLATE) d.persistconns++;
  else if (c.flags & IP_VS_CONN_F_INACTIVE) d.inactconns++;
  else d.activeconns++;
}

function unbindDest(c: IpVsConn): void {
  const d = c.dest;
  if (!d) return;
  if (c.flags & IP_VS_CONN_F_TEMPLATE) d.persistconns--;
  else if (c.flags & IP_VS_CONN_F_INACTIVE) d.inactconns--;
  else d.activeconns--;
  c.dest = null;
}

/** ip_vs_conn_new: hashed both ways, bound to its destination; new connections start inactive. */
export function ipVsConnNew(
  ns: NetNs,
  c: Omit<IpVsConn, "expires" | "timeout" | "state">,
  timeout: number,
): IpVsConn {
  const t = ipVsConnTable(ns);
  const conn: IpVsConn = {
    ...c,
    state: c.flags & IP_VS_CONN_F_TEMPLATE ? "NONE" : c.proto === 17 ? "UDP" : "NONE",
    timeout,
    expires: ns.kernel.clock.now + timeout * 1000,
  };
  if (!(conn.flags & IP_VS_CONN_F_TEMPLATE)) conn.flags |= IP_VS_CONN_F_INACTIVE;
  t.all.add(conn);
  t.in.set(inKey(conn.proto, conn.caddr, conn.cport, conn.vaddr, conn.vport), conn);
  if (!(conn.flags & IP_VS_CONN_F_TEMPLATE))
    t.out.set(outKey(conn.proto, conn.daddr, conn.dport, conn.caddr, conn.cport), conn);
  bindDest(conn);
  return conn;
}

/** Restarts an entry's timer (ip_vs_conn_put's mod_timer). */
export function ipVsConnRefresh(ns: NetNs, c: IpVsConn, timeout = c.timeout): void {
  c.timeout = timeout;
  c.expires = ns.kernel.clock.now + timeout * 1000;
}

/** set_tcp_state / udp_state_transition: the new state, its timeout, active/inactive counters. */
export function ipVsStateTransition(
  ns: NetNs,
  c: IpVsConn,
  dir: "in" | "out",
  flags: { syn?: boolean; fin?: boolean; ack?: boolean; rst?: boolean } | null,
): void {
  if (c.proto === 17 || flags === null) {
    ipVsConnRefresh(ns, c, IP_VS_UDP_TIMEOUT);
    return;
  }
  const idx = stateIdx(flags);
  if (idx < 0 || c.state === "UDP") return;
  const from = S.indexOf(c.state);
  const next = (dir === "in" ? INPUT : OUTPUT)[idx]![from]!;
  const d = c.dest;
  if (d && next !== c.state) {
    if (!(c.flags & IP_VS_CONN_F_INACTIVE) && next !== "ESTABLISHED") {
      d.activeconns--;
      d.inactconns++;
      c.flags |= IP_VS_CONN_F_INACTIVE;
    } else if (c.flags & IP_VS_CONN_F_INACTIVE && next === "ESTABLISHED") {
      d.activeconns++;
      d.inactconns--;
      c.flags &= ~IP_VS_CONN_F_INACTIVE;
    }
  }
  c.state = next;
  ipVsConnRefresh(ns, c, IP_VS_TCP_TIMEOUTS[next]);
}

/** ipvsadm -C and service removal: connections of a service go. */
export function ipVsConnFlushService(ns: NetNs, svc: IpVsService): void {
  const t = ipVsConnTable(ns);
  for (const c of t.all)
    if (c.vaddr === svc.addr && c.vport === svc.port && c.proto === svc.proto) expire(t, c);
}
