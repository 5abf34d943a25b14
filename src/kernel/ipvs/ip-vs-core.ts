/**
 * @module kernel/ipvs/ip-vs-core
 * ip_vs_core.c: the netfilter hooks IPVS registers (ip_vs_ops4) and what
 * they do to a packet.
 *
 *   LOCAL_IN  NF_IP_PRI_NAT_SRC-2 (98)  ip_vs_reply4           replies from a real server → source = VIP
 *   LOCAL_IN  NF_IP_PRI_NAT_SRC-1 (99)  ip_vs_remote_request4  requests to a VIP → schedule, DNAT, send
 *   LOCAL_OUT NF_IP_PRI_NAT_DST+1 (-99) ip_vs_local_reply4     replies of a local real server
 *   LOCAL_OUT NF_IP_PRI_NAT_DST+2 (-98) ip_vs_local_request4   local clients' requests
 *   FORWARD   100                       ip_vs_reply4           forwarded replies → source = VIP
 *
 * Only masquerading (VS/NAT, what kube-proxy uses) is modelled. A request
 * for a non-local real server leaves through LOCAL_OUT again (NF_HOOK in
 * ip_vs_nat_send_or_cont) and the hook returns STOLEN; one for a local real
 * server continues up the stack. With net.ipv4.vs.conntrack=1 the conntrack
 * entry's reply tuple is altered to the real server (ip_vs_update_conntrack),
 * so POSTROUTING's MASQUERADE and the replies' de-NAT work; otherwise the
 * packet is made untracked (ip_vs_notrack).
 */
import { describeIp } from "../../net/describe.js";
import { formatIPv4 } from "../../net/ip.js";
import type { Ipv4Packet } from "../../net/packet.js";
import { IP_CT_IS_REPLY, IPS_CONFIRMED } from "../conntrack/conntrack.js";
import { icmpSend } from "../ipv4/icmp.js";
import { ipLocalOut } from "../ipv4/ip.js";
import { routeOutput } from "../ipv4/route.js";
import type { NfVerdict } from "../netfilter/hooks.js";
import { type Skb, skbMove } from "../netfilter/skb.js";
import type { NetNs } from "../netns.js";
import {
  IP_VS_CONN_F_NFCT,
  IP_VS_CONN_F_TEMPLATE,
  type IpVsConn,
  ipVsConnExpireNow,
  ipVsConnFlushService,
  ipVsConnInGet,
  ipVsConnNew,
  ipVsConnOutGet,
  ipVsConnRefresh,
  ipVsStateTransition,
} from "./ip-vs-conn.js";
import { IP_VS_SVC_F_PERSISTENT, type IpVsDest, type IpVsService, ipVsFindService } from "./ip-vs-ctl.js";
import { ipVsSchedule } from "./ip-vs-sched.js";

export type IpVsHook = "reply" | "remoteRequest" | "localReply" | "localRequest";

const PROTO_NAME: Record<number, string> = { 6: "TCP", 17: "UDP", 132: "SCTP" };

function protoNum(pkt: Ipv4Packet): number | null {
  return pkt.l4.proto === "tcp" ? 6 : pkt.l4.proto === "udp" ? 17 : null;
}

function ports(pkt: Ipv4Packet): { sport: number; dport: number } {
  const l4 = pkt.l4;
  return l4.proto === "icmp" ? { sport: 0, dport: 0 } : { sport: l4.sport, dport: l4.dport };
}

function tcpFlags(pkt: Ipv4Packet) {
  return pkt.l4.proto === "tcp" ? pkt.l4.flags : null;
}

const ap = (a: number, p: number): string => `${formatIPv4(a)}:${p}`;

function hop(ns: NetNs, detail: string, pkt: Ipv4Packet): void {
  if (ns.kernel.trace) ns.kernel.hop(ns, "ipvs", detail, describeIp(pkt));
}

/** Rewrites one side of the packet (the NAT handlers of ip_vs_proto_tcp.c / _udp.c). */
function rewrite(pkt: Ipv4Packet, side: "src" | "dst", addr: number, port: number): Ipv4Packet {
  const l4 = pkt.l4;
  if (l4.proto === "icmp") return { ...pkt, [side]: addr };
  return side === "src"
    ? { ...pkt, src: addr, l4: { ...l4, sport: port } }
    : { ...pkt, dst: addr, l4: { ...l4, dport: port } };
}

/** ip_vs_in_stats / ip_vs_out_stats: the real server's and the service's counters. */
function countPacket(cp: IpVsConn, dir: "in" | "out", pkt: Ipv4Packet): void {
  for (const st of [cp.dest?.stats, cp.svc?.stats]) {
    if (!st) continue;
    if (dir === "in") {
      st.inpkts++;
      st.inbytes += pkt.len;
    } else {
      st.outpkts++;
      st.outbytes += pkt.len;
    }
  }
}

/** ip_vs_update_conntrack: an unconfirmed flow's reply tuple now comes from (outin) or goes to the real server. */
function updateConntrack(skb: Skb, cp: IpVsConn, outin: boolean): void {
  const ct = skb.ct;
  if (!ct || ct.status & IPS_CONFIRMED) return;
  if (skb.ctinfo >= IP_CT_IS_REPLY) return;
  const r = ct.tuple[1];
  ct.tuple[1] = outin ? { ...r, src: cp.daddr, sport: cp.dport } : { ...r, dst: cp.vaddr, dport: cp.vport };
}

/** ip_vs_sched_persist: the client's template picks the real server while it lives. */
function schedPersist(
  ns: NetNs,
  svc: IpVsService,
  caddr: number,
  sport: number,
  daddr: number,
): IpVsDest | null {
  const client = (caddr & svc.netmask) >>> 0;
  const tmpl = ipVsConnInGet(ns, svc.proto, client, 0, svc.addr, svc.port);
  // A template whose real server was quiesced (weight 0) or removed expires first with
  // expire_quiescent_template (ip_vs_check_template); otherwise the client stays where it was.
  const d = tmpl?.dest;
  const stale =
    !d?.available || (d.weight === 0 && ns.sysctl.get("net.ipv4.vs.expire_quiescent_template") === "1");
  if (tmpl && d && !stale) {
    ipVsConnRefresh(ns, tmpl, svc.timeout);
    return d;
  }
  if (tmpl) ipVsConnExpireNow(ns, tmpl);
  const dest = ipVsSchedule(svc, { saddr: caddr, sport, daddr });
  if (!dest) return null;
  ipVsConnNew(
    ns,
    {
      proto: svc.proto,
      caddr: client,
      cport: 0,
      vaddr: svc.addr,
      vport: svc.port,
      daddr: dest.addr,
      dport: dest.port,
      dest,
      svc,
      flags: IP_VS_CONN_F_TEMPLATE,
    },
    svc.timeout,
  );
  return dest;
}

/** ip_vs_schedule: a real server and a new connection entry, or null (no destination available). */
function schedule(ns: NetNs, svc: IpVsService, pkt: Ipv4Packet, proto: number): IpVsConn | null {
  const { sport, dport } = ports(pkt);
  const dest =
    svc.flags & IP_VS_SVC_F_PERSISTENT
      ? schedPersist(ns, svc, pkt.src, sport, pkt.dst)
      : ipVsSchedule(svc, { saddr: pkt.src, sport, daddr: pkt.dst });
  if (!dest) {
    // ip_vs_scheduler_err
    ns.kernel.log(
      `IPVS: ${svc.scheduler}: ${PROTO_NAME[proto]} ${ap(svc.addr, svc.port)} - no destination available`,
    );
    return null;
  }
  // ip_vs_conn_stats
  svc.stats.conns++;
  dest.stats.conns++;
  const nfct = ns.sysctl.get("net.ipv4.vs.conntrack") === "1" ? IP_VS_CONN_F_NFCT : 0;
  return ipVsConnNew(
    ns,
    {
      proto,
      caddr: pkt.src,
      cport: sport,
      vaddr: pkt.dst,
      vport: dport,
      daddr: dest.addr,
      dport: dest.port,
      dest,
      svc,
      flags: nfct,
    },
    2,
  );
}

/**
 * ip_vs_in: a packet towards a virtual service. Existing connections are
 * found first; otherwise a TCP SYN or any UDP datagram is scheduled.
 */
function ipVsIn(ns: NetNs, hook: IpVsHook, pkt: Ipv4Packet, skb: Skb): NfVerdict {
  const proto = protoNum(pkt);
  if (proto === null) return { verdict: "ACCEPT", pkt };
  const { sport, dport } = ports(pkt);
  const flags = tcpFlags(pkt);
  let cp = ipVsConnInGet(ns, proto, pkt.src, sport, pkt.dst, dport);
  // conn_reuse_mode: a new SYN on a closing connection is scheduled afresh.
  if (
    cp &&
    flags?.syn &&
    !flags.ack &&
    ns.sysctl.get("net.ipv4.vs.conn_reuse_mode") !== "0" &&
    (cp.state === "TIME_WAIT" || cp.state === "CLOSE" || !cp.dest?.available)
  ) {
    ipVsConnExpireNow(ns, cp);
    cp = null;
  }
  if (cp && !cp.dest?.available) {
    // The real server was removed: expire_nodest_conn drops the entry, the packet goes.
    if (ns.sysctl.get("net.ipv4.vs.expire_nodest_conn") === "1") ipVsConnExpireNow(ns, cp);
    hop(ns, `ip_vs_in: ${ap(cp.daddr, cp.dport)} is no longer a destination: dropped`, pkt);
    return { verdict: "DROP", reason: "IPVS: destination removed" };
  }
  if (!cp) {
    const svc = ipVsFindService(ns, proto, pkt.dst, dport);
    if (!svc) return { verdict: "ACCEPT", pkt };
    // tcp_conn_schedule: only a SYN (without RST) starts a connection.
    if (flags && (!flags.syn || flags.rst)) {
      hop(
        ns,
        `ip_vs_in: ${PROTO_NAME[proto]} ${ap(svc.addr, svc.port)}: not a SYN, no connection: passed on`,
        pkt,
      );
      return { verdict: "ACCEPT", pkt };
    }
    cp = schedule(ns, svc, pkt, proto);
    if (!cp) {
      // ip_vs_leave: ICMP port unreachable, whatever the protocol.
      hop(
        ns,
        `ip_vs_in: ${PROTO_NAME[proto]} ${ap(svc.addr, svc.port)} ${svc.scheduler}: no destination available, ICMP port unreachable`,
        pkt,
      );
      icmpSend(ns, pkt, 3, 3, null);
      return { verdict: "DROP", reason: "IPVS: no destination available" };
    }
    hop(
      ns,
      `ip_vs_in: ${PROTO_NAME[proto]} ${ap(svc.addr, svc.port)} ${svc.scheduler}${svc.flags & IP_VS_SVC_F_PERSISTENT ? ` persistent ${svc.timeout}` : ""}: new connection to ${ap(cp.daddr, cp.dport)} (Masq)`,
      pkt,
    );
  } else
    hop(
      ns,
      `ip_vs_in: connection ${ap(cp.caddr, cp.cport)} -> ${ap(cp.vaddr, cp.vport)} -> ${ap(cp.daddr, cp.dport)} ${cp.state}`,
      pkt,
    );
  countPacket(cp, "in", pkt);
  ipVsStateTransition(ns, cp, "in", flags);
  return natXmit(ns, hook, pkt, skb, cp);
}

/** ip_vs_nat_xmit + ip_vs_nat_send_or_cont */
function natXmit(ns: NetNs, hook: IpVsHook, pkt0: Ipv4Packet, skb: Skb, cp: IpVsConn): NfVerdict {
  const rt = routeOutput(ns, cp.daddr, {});
  if (!rt.ok) {
    hop(ns, `ip_vs_nat_xmit: no route to ${formatIPv4(cp.daddr)}`, pkt0);
    return { verdict: "DROP", reason: "IPVS: no route to the real server" };
  }
  const local = rt.rt.type === "local";
  if (local && hook === "remoteRequest" && cp.daddr >>> 24 === 127) {
    hop(ns, "ip_vs_nat_xmit(): stopping DNAT to loopback address", pkt0);
    return { verdict: "DROP", reason: "IPVS: DNAT to loopback" };
  }
  const pkt = rewrite(pkt0, "dst", cp.daddr, cp.dport);
  skbMove(pkt0, pkt);
  skb.ipvsProperty = true;
  if (cp.flags & IP_VS_CONN_F_NFCT) updateConntrack(skb, cp, true);
  else {
    skb.ct = null;
    skb.untracked = true;
  }
  hop(
    ns,
    `ip_vs_nat_xmit: destination rewritten to ${ap(cp.daddr, cp.dport)}${local ? " (local)" : ""}`,
    pkt,
  );
  if (local) return { verdict: "ACCEPT", pkt };
  // Not local: out through LOCAL_OUT and POSTROUTING to the real server; the hook steals the packet.
  ipLocalOut(ns, pkt, rt.rt, skb.mark);
  return { verdict: "STOLEN" };
}

/** The ICMP error types IPVS relates to a connection (ip_vs_out_icmp). */
const ICMP_ERRORS = new Set([3, 4, 11, 12]);

/**
 * ip_vs_out_icmp: an ICMP error a real server sent about a packet of a
 * connection (the quoted datagram goes client → real server) reaches the
 * client as if the virtual server sent it: outer source and quoted
 * destination become the VIP and port (ip_vs_nat_icmp).
 */
function ipVsOutIcmp(ns: NetNs, pkt0: Ipv4Packet, skb: Skb): NfVerdict {
  const l4 = pkt0.l4;
  if (l4.proto !== "icmp" || !l4.inner || !ICMP_ERRORS.has(l4.type)) return { verdict: "ACCEPT", pkt: pkt0 };
  const inner = l4.inner;
  const proto = protoNum(inner);
  if (proto === null) return { verdict: "ACCEPT", pkt: pkt0 };
  const { sport, dport } = ports(inner);
  // The quoted datagram, read inversely: from the real server (its destination) to the client.
  const cp = ipVsConnOutGet(ns, proto, inner.dst, dport, inner.src, sport);
  if (!cp) return { verdict: "ACCEPT", pkt: pkt0 };
  const pkt: Ipv4Packet = {
    ...pkt0,
    src: cp.vaddr,
    l4: { ...l4, inner: rewrite(inner, "dst", cp.vaddr, cp.vport) },
  };
  skbMove(pkt0, pkt);
  skb.ipvsProperty = true;
  hop(
    ns,
    `ip_vs_out_icmp: ICMP type ${l4.type} code ${l4.code} about ${ap(cp.daddr, cp.dport)}: now from ${ap(cp.vaddr, cp.vport)}`,
    pkt,
  );
  return { verdict: "ACCEPT", pkt };
}

/** ip_vs_out: a packet from a real server of a connection gets the virtual address back as its source. */
function ipVsOut(ns: NetNs, pkt0: Ipv4Packet, skb: Skb): NfVerdict {
  if (pkt0.l4.proto === "icmp") return ipVsOutIcmp(ns, pkt0, skb);
  const proto = protoNum(pkt0);
  if (proto === null) return { verdict: "ACCEPT", pkt: pkt0 };
  const { sport, dport } = ports(pkt0);
  const cp = ipVsConnOutGet(ns, proto, pkt0.src, sport, pkt0.dst, dport);
  if (!cp) return { verdict: "ACCEPT", pkt: pkt0 };
  const pkt = rewrite(pkt0, "src", cp.vaddr, cp.vport);
  skbMove(pkt0, pkt);
  skb.ipvsProperty = true;
  if (cp.flags & IP_VS_CONN_F_NFCT) updateConntrack(skb, cp, false);
  countPacket(cp, "out", pkt0);
  ipVsStateTransition(ns, cp, "out", tcpFlags(pkt0));
  hop(
    ns,
    `ip_vs_out: reply of ${ap(cp.daddr, cp.dport)}: source rewritten to ${ap(cp.vaddr, cp.vport)}`,
    pkt,
  );
  return { verdict: "ACCEPT", pkt };
}

/** One IPVS hook function, as the netfilter core calls it at its priority. */
export function ipVsHook(ns: NetNs, hook: IpVsHook, pkt: Ipv4Packet, skb: Skb): NfVerdict {
  if (skb.ipvsProperty) return { verdict: "ACCEPT", pkt };
  if (hook === "reply" || hook === "localReply") return ipVsOut(ns, pkt, skb);
  // ip_vs_in: only unicast packets for this host (a VIP is local, on kube-ipvs0 or elsewhere).
  if (hook === "remoteRequest" && skb.pktType !== null && skb.pktType !== "HOST")
    return { verdict: "ACCEPT", pkt };
  return ipVsIn(ns, hook, pkt, skb);
}

export { ipVsConnFlushService };
