/**
 * @module kernel/ipv4/ip
 * The IPv4 pipeline: ip_local_out → OUTPUT → routing → POSTROUTING →
 * neighbour output for packets the namespace sends; ip_rcv → PREROUTING →
 * routing decision → INPUT and local delivery, or FORWARD → ip_forward →
 * POSTROUTING, for packets it receives. Every stage appends a trace hop.
 */
import { describeIp } from "../../net/describe.js";
import { formatIPv4, type IPv4, isMulticast4 } from "../../net/ip.js";
import { BROADCAST_MAC, ipv4MulticastMac, ZERO_MAC } from "../../net/mac.js";
import { ETH_P_IP, type Ipv4Packet, type L4, l4Length } from "../../net/packet.js";
import { fail, type KResult, ok } from "../errno.js";
import { tableName } from "../fib/table.js";
import { devQueueXmit } from "../link/xmit.js";
import { NUD_VALID } from "../neigh/neigh-table.js";
import { nfHook } from "../netfilter/hooks.js";
import { skbMark, skbMove, skbSetMark } from "../netfilter/skb.js";
import type { NetNs } from "../netns.js";
import type { NetDevice } from "../types.js";
import { isLocalAddr } from "./devinet.js";
import { icmpRcv, icmpSend, ipErrorAllow } from "./icmp.js";
import { type OutputRoute, routeInput, routeOutput, ruleFlowOf } from "./route.js";
import { tcpRcv } from "./tcp.js";
import { udpRcv } from "./udp.js";

export interface SendOptions {
  dst: IPv4;
  src?: IPv4;
  oif?: NetDevice | null;
  ttl?: number;
  tos?: number;
  mark?: number;
  l4: L4;
  /** Allow sending to a broadcast address (SO_BROADCAST, ping -b). */
  broadcast?: boolean;
}

export function routeDetail(rt: OutputRoute): string {
  const via = rt.gateway !== null ? ` via ${formatIPv4(rt.gateway)}` : "";
  const prefix = rt.route
    ? `${rt.route.dstLen === 0 && rt.route.dst === 0 ? "default" : `${formatIPv4(rt.route.dst)}/${rt.route.dstLen}`}`
    : "(no route)";
  return `${rt.type} ${prefix}${via} dev ${rt.dev.name} src ${formatIPv4(rt.src)} table ${tableName(rt.table)}`;
}

/** Builds and sends a locally generated datagram (ip_queue_xmit / ip_send_skb). */
export function ipSend(ns: NetNs, o: SendOptions): KResult<Ipv4Packet> {
  const res = routeOutput(ns, o.dst, {
    src: o.src ?? 0,
    oif: o.oif ?? null,
    mark: o.mark ?? 0,
    flow: ruleFlowOf(o.l4, o.tos ?? 0),
  });
  if (!res.ok) {
    if (ns.kernel.trace) ns.kernel.hop(ns, "route", `no route to ${formatIPv4(o.dst)}: ${res.errno}`, "");
    return fail(res.errno);
  }
  const rt = res.rt;
  if (rt.type === "broadcast" && !o.broadcast) return fail("EACCES");
  const pkt: Ipv4Packet = {
    kind: "ipv4",
    src: rt.src,
    dst: o.dst,
    ttl: o.ttl ?? ns.sysctl.num("net.ipv4.ip_default_ttl"),
    tos: o.tos ?? 0,
    id: ns.ipId++ & 0xffff,
    len: 20 + l4Length(o.l4),
    l4: o.l4,
  };
  if (ns.kernel.trace) ns.kernel.hop(ns, "send", "ip_local_out", describeIp(pkt));
  ipLocalOut(ns, pkt, rt, o.mark ?? 0);
  return ok(pkt);
}

/**
 * ip_local_out: OUTPUT hook, a re-route if it changed the destination, then
 * ip_output. False when the packet was dropped on the way (a tunnel counts it so).
 */
export function ipLocalOut(ns: NetNs, pkt0: Ipv4Packet, rt0: OutputRoute, mark = 0): boolean {
  if (ns.kernel.trace) ns.kernel.hop(ns, "route", routeDetail(rt0), describeIp(pkt0));
  if (mark !== 0) skbSetMark(pkt0, ns, mark);
  const v = nfHook(ns, "OUTPUT", pkt0, null, rt0.dev);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") ns.kernel.hop(ns, "drop", `OUTPUT: ${v.reason}`, describeIp(pkt0));
    return false;
  }
  const pkt = v.pkt;
  let rt = rt0;
  // ip_route_me_harder: NAT or a MARK rule in OUTPUT changed the destination or the mark.
  const newMark = skbMark(pkt);
  if (pkt.dst !== pkt0.dst || newMark !== mark) {
    const again = routeOutput(ns, pkt.dst, { src: pkt.src, mark: newMark });
    if (!again.ok) {
      if (ns.kernel.trace) ns.kernel.hop(ns, "drop", `reroute after OUTPUT: ${again.errno}`, describeIp(pkt));
      return false;
    }
    rt = again.rt;
    if (ns.kernel.trace) ns.kernel.hop(ns, "route", `reroute: ${routeDetail(rt)}`, describeIp(pkt));
  }
  return ipOutput(ns, pkt, rt);
}

/** ip_output: POSTROUTING, then ip_finish_output. */
function ipOutput(ns: NetNs, pkt0: Ipv4Packet, rt: OutputRoute, inDev: NetDevice | null = null): boolean {
  const v = nfHook(ns, "POSTROUTING", pkt0, inDev, rt.dev);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") ns.kernel.hop(ns, "drop", `POSTROUTING: ${v.reason}`, describeIp(pkt0));
    return false;
  }
  return ipFinishOutput(ns, v.pkt, rt);
}

/** ip_finish_output2: hand the packet to the neighbour layer for its next hop. */
function ipFinishOutput(ns: NetNs, pkt: Ipv4Packet, rt: OutputRoute): boolean {
  const dev = rt.dev;
  // Local traffic with lo down still reaches __dev_queue_xmit, which drops it and counts tx_dropped.
  if (!dev.up && dev.kind !== "loopback") {
    if (ns.kernel.trace) ns.kernel.hop(ns, "drop", `${dev.name} is down`, describeIp(pkt));
    return false;
  }
  if (dev.kind === "loopback" || rt.type === "local") {
    devQueueXmit(dev, {
      src: ZERO_MAC,
      dst: ZERO_MAC,
      type: ETH_P_IP,
      payload: pkt,
    });
    return true;
  }
  if (rt.type === "broadcast" || pkt.dst === 0xffffffff) {
    devQueueXmit(dev, { src: dev.mac, dst: BROADCAST_MAC, type: ETH_P_IP, payload: pkt });
    return true;
  }
  if (isMulticast4(pkt.dst)) {
    devQueueXmit(dev, { src: dev.mac, dst: ipv4MulticastMac(pkt.dst), type: ETH_P_IP, payload: pkt });
    return true;
  }
  if (dev.noarp) {
    devQueueXmit(dev, { src: dev.mac, dst: dev.brd, type: ETH_P_IP, payload: pkt });
    return true;
  }
  neighOutput(ns, dev, rt.nexthop, pkt);
  return true;
}

/** neigh_output / neigh_resolve_output */
export function neighOutput(ns: NetNs, dev: NetDevice, nexthop: IPv4, pkt: Ipv4Packet): void {
  let n = ns.neigh.lookup(dev, nexthop);
  if (!n) {
    n = ns.neigh.create(dev, nexthop, "INCOMPLETE", null);
    if (ns.kernel.trace)
      ns.kernel.hop(
        ns,
        "neigh",
        `${formatIPv4(nexthop)} dev ${dev.name}: no entry, created INCOMPLETE`,
        describeIp(pkt),
      );
  }
  const before = n.state;
  if (ns.neigh.eventSend(n, pkt) && n.lladdr) {
    if (ns.kernel.trace)
      ns.kernel.hop(
        ns,
        "neigh",
        `${formatIPv4(nexthop)} dev ${dev.name} lladdr ${n.lladdr} ${before}`,
        describeIp(pkt),
      );
    devQueueXmit(dev, { src: dev.mac, dst: n.lladdr, type: ETH_P_IP, payload: pkt });
  } else if (!NUD_VALID.has(n.state)) {
    if (ns.kernel.trace)
      ns.kernel.hop(
        ns,
        "neigh",
        `${formatIPv4(nexthop)} dev ${dev.name} ${n.state}: packet queued until ARP resolves`,
        describeIp(pkt),
      );
  }
}

/** ip_rcv + ip_rcv_finish: PREROUTING, the routing decision, then local delivery or forwarding. */
export function ipRcv(dev: NetDevice, pkt0: Ipv4Packet, otherHost: boolean): void {
  const ns = dev.ns;
  const k = ns.kernel;
  if (otherHost) {
    if (k.trace)
      k.hop(ns, "drop", `ip_rcv on ${dev.name}: frame for another host (PACKET_OTHERHOST)`, describeIp(pkt0));
    return;
  }
  if (k.trace) k.hop(ns, "rcv", `ip_rcv on ${dev.name}`, describeIp(pkt0));
  const v = nfHook(ns, "PREROUTING", pkt0, dev, null);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") k.hop(ns, "drop", `PREROUTING: ${v.reason}`, describeIp(pkt0));
    return;
  }
  const pkt = v.pkt;
  const d = routeInput(ns, pkt.dst, pkt.src, dev, skbMark(pkt), ruleFlowOf(pkt.l4, pkt.tos));
  switch (d.kind) {
    case "drop":
      if (k.trace) k.hop(ns, "drop", `routing: ${d.reason}`, describeIp(pkt));
      if (d.icmp && ipErrorAllow(ns, pkt.src)) icmpSend(ns, pkt, d.icmp.type, d.icmp.code, dev);
      return;
    case "local":
      if (k.trace)
        k.hop(
          ns,
          "route",
          d.broadcast ? "input: broadcast, deliver locally" : "input: local, deliver locally",
          describeIp(pkt),
        );
      ipLocalDeliver(ns, pkt, dev, d.broadcast);
      return;
    case "forward":
      if (k.trace) k.hop(ns, "route", `input: forward, ${routeDetail(d.rt)}`, describeIp(pkt));
      ipForward(ns, pkt, dev, d.rt);
      return;
  }
}

/** ip_forward: TTL, FORWARD hook, redirects, then ip_output. */
function ipForward(ns: NetNs, pkt: Ipv4Packet, inDev: NetDevice, rt: OutputRoute): void {
  const k = ns.kernel;
  if (pkt.ttl <= 1) {
    if (k.trace) k.hop(ns, "drop", "ip_forward: TTL exceeded", describeIp(pkt));
    icmpSend(ns, pkt, 11, 0, inDev);
    return;
  }
  const v = nfHook(ns, "FORWARD", pkt, inDev, rt.dev);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") k.hop(ns, "drop", `FORWARD: ${v.reason}`, describeIp(pkt));
    return;
  }
  const fwd: Ipv4Packet = { ...v.pkt, ttl: v.pkt.ttl - 1 };
  skbMove(v.pkt, fwd);
  // Forwarding back out of the interface it came in on, to an on-link sender: tell it (ICMP redirect).
  if (
    rt.dev === inDev &&
    ns.sysctl.orConf(inDev.name, "send_redirects") &&
    onSameSubnet(inDev, pkt.src, rt.nexthop)
  ) {
    icmpSend(ns, pkt, 5, 1, inDev, rt.nexthop);
  }
  if (k.trace)
    k.hop(ns, "forward", `ip_forward ${inDev.name} -> ${rt.dev.name}, ttl ${fwd.ttl}`, describeIp(fwd));
  ipOutput(ns, fwd, rt, inDev);
}

function onSameSubnet(dev: NetDevice, a: IPv4, b: IPv4): boolean {
  return dev.inet.some((ifa) => {
    const m = ifa.prefixlen === 0 ? 0 : (0xffffffff << (32 - ifa.prefixlen)) >>> 0;
    return (a & m) >>> 0 === (ifa.local & m) >>> 0 && (b & m) >>> 0 === (ifa.local & m) >>> 0;
  });
}

/** ip_local_deliver: INPUT hook, then the transport protocol. */
function ipLocalDeliver(ns: NetNs, pkt0: Ipv4Packet, dev: NetDevice, broadcast: boolean): void {
  const v = nfHook(ns, "INPUT", pkt0, dev, null);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") ns.kernel.hop(ns, "drop", `INPUT: ${v.reason}`, describeIp(pkt0));
    return;
  }
  const pkt = v.pkt;
  switch (pkt.l4.proto) {
    case "icmp":
      icmpRcv(ns, pkt, dev, broadcast);
      return;
    case "udp":
      udpRcv(ns, pkt, dev, broadcast);
      return;
    case "tcp":
      if (!broadcast) tcpRcv(ns, pkt, dev);
      return;
  }
}

export function isOurAddress(ns: NetNs, a: IPv4): boolean {
  const lo = ns.byName.get("lo");
  return lo ? isLocalAddr(lo, a) : false;
}
