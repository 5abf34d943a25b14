/**
 * @module kernel/neigh/arp
 * net/ipv4/arp.c: answering requests for any local address (arp_ignore=0),
 * proxy ARP, learning senders (neigh_event_ns creates STALE entries),
 * confirming replies (REACHABLE), and soliciting for the neighbour table.
 */
import { describeArp } from "../../net/describe.js";
import { formatIPv4, type IPv4 } from "../../net/ip.js";
import { BROADCAST_MAC, ZERO_MAC } from "../../net/mac.js";
import { type ArpPacket, ETH_P_ARP, ETH_P_IP, type Ipv4Packet } from "../../net/packet.js";
import { inetSelectAddr, isLocalAddr } from "../ipv4/devinet.js";
import { icmpSend } from "../ipv4/icmp.js";
import { fibLookup } from "../ipv4/route.js";
import { devQueueXmit, type PacketType } from "../link/xmit.js";
import type { NetNs } from "../netns.js";
import type { NeighEntry, NetDevice } from "../types.js";

function send(dev: NetDevice, arp: ArpPacket, dstMac: string): void {
  if (dev.ns.kernel.trace)
    dev.ns.kernel.hop(
      dev.ns,
      "arp",
      `${dev.name}: send ${arp.op === 1 ? "request" : "reply"}`,
      describeArp(arp),
    );
  devQueueXmit(dev, { src: dev.mac, dst: dstMac, type: ETH_P_ARP, payload: arp });
}

/** arp_solicit: the source address is the queued packet's if it is ours, else one of the device's. */
function arpSolicit(n: NeighEntry, unicast: boolean): void {
  const dev = n.dev;
  const queued = n.queue[0];
  let spa: IPv4 = 0;
  if (queued && isLocalAddr(dev, queued.src)) spa = queued.src;
  else spa = inetSelectAddr(dev, n.ip, "link") ?? 0;
  const arp: ArpPacket = { kind: "arp", op: 1, sha: dev.mac, spa, tha: ZERO_MAC, tpa: n.ip };
  send(dev, arp, unicast && n.lladdr ? n.lladdr : BROADCAST_MAC);
}

/** neigh_invalidate → arp_error_report: every queued packet earns its sender a host unreachable. */
function arpFailed(n: NeighEntry, queued: Ipv4Packet[]): void {
  const ns = n.dev.ns;
  if (ns.kernel.trace)
    ns.kernel.hop(ns, "neigh", `${formatIPv4(n.ip)} dev ${n.dev.name}: no ARP reply, FAILED`, "");
  // Only a forwarded packet's sender hears of it; a local sender's packet just goes (seen on the kernel: ping shows no error).
  for (const p of queued) if (!isLocalAddr(n.dev, p.src)) icmpSend(ns, p, 3, 1, null);
}

export function installArp(ns: NetNs): void {
  ns.neigh.hooks = { solicit: arpSolicit, failed: arpFailed };
  ns.neigh.flushQueued = (n, p) => {
    if (n.lladdr) devQueueXmit(n.dev, { src: n.dev.mac, dst: n.lladdr, type: ETH_P_IP, payload: p });
  };
}

/** arp_process */
export function arpRcv(dev: NetDevice, arp: ArpPacket, type: PacketType): void {
  const ns = dev.ns;
  const k = ns.kernel;
  if (type === "OTHERHOST" || dev.noarp) return;
  if (dev.inet.length === 0 && !ns.sysctl.orConf(dev.name, "proxy_arp")) {
    if (k.trace) k.hop(ns, "drop", `arp on ${dev.name}: no IPv4 configuration`, describeArp(arp));
    return;
  }
  if (k.trace)
    k.hop(ns, "arp", `${dev.name}: received ${arp.op === 1 ? "request" : "reply"}`, describeArp(arp));
  const sip = arp.spa;
  const tip = arp.tpa;
  if (arp.op === 1) {
    // A DAD probe (sender 0.0.0.0) is answered but teaches nothing.
    const local = isLocalAddr(dev, tip);
    let answer = false;
    let proxied = false;
    if (local) {
      const ignore = ns.sysctl.maxConf(dev.name, "arp_ignore");
      answer = ignore === 0 || (ignore >= 1 && dev.inet.some((a) => a.local === tip));
    } else if (ns.neigh.proxies.size > 0 && ns.neigh.hasProxy(dev, tip)) {
      answer = true;
      proxied = true;
    } else if (ns.sysctl.orConf(dev.name, "proxy_arp") && ns.sysctl.devConf(dev.name, "forwarding") !== 0) {
      // arp_fwd_proxy: we route tip through another device.
      const r = fibLookup(ns, { dst: tip, src: sip, iif: dev.name, oif: null, mark: 0 });
      if (r.ok && r.route.type === "unicast" && r.route.dev && r.route.dev !== dev) {
        answer = true;
        proxied = true;
      }
    }
    if (sip !== 0 && (answer || local)) learnSender(dev, arp);
    if (!answer) return;
    const reply: ArpPacket = { kind: "arp", op: 2, sha: dev.mac, spa: tip, tha: arp.sha, tpa: sip };
    if (proxied && type !== "HOST") {
      // Proxy replies wait a random part of proxy_delay (pneigh_enqueue).
      const delay = Math.floor(k.rng.next() * ns.sysctl.neigh(dev.name, "proxy_delay") * 10);
      k.clock.schedule(delay, () => send(dev, reply, arp.sha));
      return;
    }
    send(dev, reply, arp.sha);
    return;
  }
  // A reply (or gratuitous request): update an entry we already have.
  const n = ns.neigh.lookup(dev, sip);
  if (n) ns.neigh.update(n, arp.sha, type === "HOST" ? "REACHABLE" : "STALE");
}

function learnSender(dev: NetDevice, arp: ArpPacket): void {
  const ns = dev.ns;
  const n = ns.neigh.lookup(dev, arp.spa) ?? ns.neigh.create(dev, arp.spa, "STALE", arp.sha);
  if (n.lladdr !== arp.sha || n.state === "INCOMPLETE" || n.state === "FAILED")
    ns.neigh.update(n, arp.sha, "STALE");
}
