/**
 * @module kernel/ipv4/icmp
 * net/ipv4/icmp.c: echo replies, error messages (never about an error, a
 * broadcast or a fragment-less nothing), their rate limit per destination
 * (a token bucket of icmp_ratelimit with a burst of 6), and delivery of
 * replies and errors to the sockets they concern.
 */
import { describeIp } from "../../net/describe.js";
import { type IPv4, isMulticast4 } from "../../net/ip.js";
import type { IcmpMessage, Ipv4Packet } from "../../net/packet.js";
import type { NetNs } from "../netns.js";
import type { NetDevice } from "../types.js";
import { isLocalAddr } from "./devinet.js";
import { ipSend } from "./ip.js";
import { tcpIcmpError } from "./tcp.js";

const XRLIM_BURST_FACTOR = 6;
/** ip_rt_error_cost and ip_rt_error_burst: one second, five seconds. */
const RT_ERROR_COST = 1000;
const RT_ERROR_BURST = 5000;

/** inet_peer: one token bucket per remote address, shared by ip_error and icmp_send. */
const peers = new WeakMap<NetNs, Map<IPv4, { tokens: number; last: number }>>();

function peer(ns: NetNs, addr: IPv4, cap: number): { tokens: number; last: number } {
  let m = peers.get(ns);
  if (!m) peers.set(ns, (m = new Map()));
  const now = ns.kernel.clock.now;
  let p = m.get(addr);
  if (!p) {
    // A new peer starts with a full bucket.
    p = { tokens: cap, last: now };
    m.set(addr, p);
  }
  p.tokens = Math.min(cap, p.tokens + (now - p.last));
  p.last = now;
  return p;
}

/** ip_error's own limit on route errors (net/host unreachable, prohibited), before icmp_send's. */
export function ipErrorAllow(ns: NetNs, src: IPv4): boolean {
  const p = peer(ns, src, RT_ERROR_BURST);
  if (p.tokens < RT_ERROR_COST) return false;
  p.tokens -= RT_ERROR_COST;
  return true;
}

/** icmpv4_xrlim_allow */
function rateAllow(ns: NetNs, dst: IPv4, type: number): boolean {
  // Only these types are limited (icmp_ratemask 6168), and never towards ourselves.
  if (![3, 4, 11, 12].includes(type)) return true;
  if (isLocalAddr(ns.byName.get("lo") ?? [...ns.devices.values()][0]!, dst)) return true;
  const limit = ns.sysctl.num("net.ipv4.icmp_ratelimit");
  if (limit === 0) return true;
  const p = peer(ns, dst, XRLIM_BURST_FACTOR * limit);
  if (p.tokens < limit) return false;
  p.tokens -= limit;
  return true;
}

/** icmp_send: an error about `about`, from this namespace to its sender. */
export function icmpSend(
  ns: NetNs,
  about: Ipv4Packet,
  type: number,
  code: number,
  inDev: NetDevice | null,
  gateway?: IPv4,
): void {
  const k = ns.kernel;
  if (about.l4.proto === "icmp" && ![0, 8, 13, 15, 17].includes(about.l4.type)) return;
  if (about.dst === 0xffffffff || isMulticast4(about.dst) || about.src === 0 || isMulticast4(about.src))
    return;
  if (!rateAllow(ns, about.src, type)) {
    if (k.trace) k.hop(ns, "icmp", `icmp_send type ${type} code ${code}: rate limited`, describeIp(about));
    return;
  }
  const lo = ns.byName.get("lo");
  const src = lo && isLocalAddr(lo, about.dst) ? about.dst : undefined;
  const msg: IcmpMessage = {
    proto: "icmp",
    type,
    code,
    id: 0,
    seq: 0,
    inner: about,
    ...(gateway !== undefined ? { gateway } : {}),
  };
  if (k.trace)
    k.hop(
      ns,
      "icmp",
      `icmp_send type ${type} code ${code}${inDev ? ` (arrived on ${inDev.name})` : ""}`,
      describeIp(about),
    );
  ipSend(ns, { dst: about.src, ...(src !== undefined ? { src } : {}), l4: msg, tos: 0xc0 });
}

/** icmp_rcv */
export function icmpRcv(ns: NetNs, pkt: Ipv4Packet, dev: NetDevice, broadcast: boolean): void {
  const k = ns.kernel;
  const m = pkt.l4;
  if (m.proto !== "icmp") return;
  if (m.type === 8) {
    if (ns.sysctl.num("net.ipv4.icmp_echo_ignore_all") !== 0) {
      if (k.trace) k.hop(ns, "drop", "icmp_echo_ignore_all", describeIp(pkt));
      return;
    }
    if (broadcast && ns.sysctl.num("net.ipv4.icmp_echo_ignore_broadcasts") !== 0) {
      if (k.trace) k.hop(ns, "drop", "icmp_echo_ignore_broadcasts", describeIp(pkt));
      return;
    }
    if (k.trace) k.hop(ns, "icmp", "echo request: reply", describeIp(pkt));
    const lo = ns.byName.get("lo");
    const src = !broadcast && lo && isLocalAddr(lo, pkt.dst) ? pkt.dst : undefined;
    ipSend(ns, {
      dst: pkt.src,
      ...(src !== undefined ? { src } : {}),
      l4: { proto: "icmp", type: 0, code: 0, id: m.id, seq: m.seq },
    });
    return;
  }
  if (m.type === 0) {
    const sock = ns.sockets.ping.get(m.id);
    if (sock) {
      if (k.trace) k.hop(ns, "socket", `echo reply to ping socket id ${m.id}`, describeIp(pkt));
      sock.onPacket(pkt, dev);
    } else k.hop(ns, "drop", "echo reply: no socket", describeIp(pkt));
    return;
  }
  if (m.inner) {
    const inner = m.inner;
    const l4 = inner.l4;
    if (l4.proto === "icmp" && l4.type === 8) {
      const sock = ns.sockets.ping.get(l4.id);
      if (sock) {
        if (k.trace) k.hop(ns, "socket", `ICMP error to ping socket id ${l4.id}`, describeIp(pkt));
        sock.onPacket(pkt, dev);
        return;
      }
    } else if (l4.proto === "udp") {
      const s = ns.sockets.udpLookup(inner.src, l4.sport);
      if (s?.onError) {
        if (k.trace) k.hop(ns, "socket", `ICMP error to UDP socket :${l4.sport}`, describeIp(pkt));
        s.onError(pkt);
        return;
      }
    } else if (l4.proto === "tcp") {
      tcpIcmpError(ns, pkt, inner);
      return;
    }
    if (k.trace) k.hop(ns, "icmp", "ICMP error: no socket to tell", describeIp(pkt));
  }
}
