/**
 * @module kernel/link/vxlan/vxlan-core
 * drivers/net/vxlan/vxlan_core.c: a vxlan device tunnels the Ethernet frames
 * it transmits to remote VTEPs inside UDP (vxlan_xmit → vxlan_xmit_one →
 * udp_tunnel_xmit_skb, which goes out through ip_local_out like any locally
 * sent datagram: routing, OUTPUT, POSTROUTING, the neighbour layer), and
 * receives the frames other VTEPs tunnel to it through a UDP socket bound
 * to its port (vxlan_rcv, called from the socket's encap_rcv after the
 * outer datagram went through PREROUTING and INPUT).
 */
import { describeFrame, describeIp } from "../../../net/describe.js";
import { formatIPv4, isMulticast4 } from "../../../net/ip.js";
import { type Mac, ZERO_MAC } from "../../../net/mac.js";
import {
  ETH_HLEN,
  type EthFrame,
  ethFrameLen,
  type Ipv4Packet,
  protoNumber,
  VXLAN_HF_VNI,
  VXLAN_HLEN,
} from "../../../net/packet.js";
import { ipLocalOut } from "../../ipv4/ip.js";
import { routeOutput } from "../../ipv4/route.js";
import { skbMark } from "../../netfilter/skb.js";
import type { NetNs } from "../../netns.js";
import type { UdpSocket } from "../../socket/socket-table.js";
import type { NetDevice, VxlanRdst } from "../../types.js";
import { netifReceiveSkb } from "../xmit.js";
import { vxlanFdbFlush, vxlanFindMac, vxlanSnoop } from "./vxlan-fdb.js";

/**
 * struct vxlan_sock: one UDP socket per namespace and port, bound to the
 * wildcard address and shared by the vxlan devices that use the port; a
 * received datagram finds its device by VNI.
 */
interface VxlanSock {
  readonly port: number;
  readonly socket: UdpSocket;
  readonly byVni: Map<number, NetDevice>;
}

/** vxlan_net (net_generic): each namespace's vxlan sockets by port. */
const vxlanNets = new WeakMap<NetNs, Map<number, VxlanSock>>();

function socksOf(ns: NetNs): Map<number, VxlanSock> {
  let m = vxlanNets.get(ns);
  if (!m) {
    m = new Map();
    vxlanNets.set(ns, m);
  }
  return m;
}

/** The vxlan socket on a port, if a device using it is up (for tests and diagnostics). */
export function vxlanSockOf(ns: NetNs, port: number): { port: number; vnis: number[] } | null {
  const vs = vxlanNets.get(ns)?.get(port);
  return vs ? { port: vs.port, vnis: [...vs.byVni.keys()] } : null;
}

/**
 * vxlan_open → vxlan_sock_add: bring up (or share) the socket on the
 * device's port and register the device's VNI with it.
 */
export function vxlanOpen(dev: NetDevice): void {
  const v = dev.vxlan;
  if (!v) return;
  const socks = socksOf(dev.ns);
  let vs = socks.get(v.dstport);
  if (!vs) {
    const byVni = new Map<number, NetDevice>();
    const port = v.dstport;
    const socket: UdpSocket = {
      addr: 0,
      port,
      // Never reached: encap_rcv takes every datagram the socket gets.
      onDatagram: () => {},
      encapRcv: (pkt, inDev) => vxlanRcv(byVni, pkt, inDev),
    };
    vs = { port, socket, byVni };
    socks.set(port, vs);
    dev.ns.sockets.udp.push(socket);
  }
  vs.byVni.set(v.id, dev);
}

/**
 * vxlan_stop: the device leaves its socket (released with the last device)
 * and its dynamic FDB entries are flushed; permanent and static ones stay.
 */
export function vxlanStop(dev: NetDevice): void {
  const v = dev.vxlan;
  if (!v) return;
  const socks = socksOf(dev.ns);
  const vs = socks.get(v.dstport);
  if (vs && vs.byVni.get(v.id) === dev) {
    vs.byVni.delete(v.id);
    if (vs.byVni.size === 0) {
      dev.ns.sockets.removeUdp(vs.socket);
      socks.delete(v.dstport);
    }
  }
  vxlanFdbFlush(dev, "REACHABLE");
}

/** Bob Jenkins' final mix (jhash's __jhash_final), enough to spread flows over the port range. */
function mix(a0: number, b0: number, c0: number): number {
  let a = a0 >>> 0;
  let b = b0 >>> 0;
  let c = c0 >>> 0;
  const rol = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
  c = ((c ^ b) - rol(b, 14)) >>> 0;
  a = ((a ^ c) - rol(c, 11)) >>> 0;
  b = ((b ^ a) - rol(a, 25)) >>> 0;
  c = ((c ^ b) - rol(b, 16)) >>> 0;
  a = ((a ^ c) - rol(c, 4)) >>> 0;
  b = ((b ^ a) - rol(a, 14)) >>> 0;
  c = ((c ^ b) - rol(b, 24)) >>> 0;
  return c;
}

/** The kernel seeds its flow hash at random on boot; the model's is fixed, so runs repeat. */
const HASHRND = 0x4b54_7678;

function macWord(m: Mac, from: number): number {
  return Number.parseInt(m.slice(from, from + 11).replaceAll(":", ""), 16) >>> 0;
}

/**
 * skb_get_hash on the inner frame: its IPv4 flow (addresses, protocol,
 * ports or ICMP id); frames without one hash their MAC addresses
 * (udp_flow_src_port's use_eth fallback).
 */
export function innerFlowHash(frame: EthFrame): number {
  const p = frame.payload;
  if (p.kind === "ipv4") {
    const l4 = p.l4;
    const ports =
      l4.proto === "icmp"
        ? l4.id
        : l4.proto === "tcp" || l4.proto === "udp"
          ? (l4.sport << 16) | l4.dport
          : 0;
    return mix(p.src ^ HASHRND, p.dst, (ports ^ (protoNumber(l4) << 8)) >>> 0);
  }
  return mix(macWord(frame.dst, 0) ^ HASHRND, macWord(frame.src, 0), macWord(frame.src, 6) ^ frame.type);
}

/**
 * udp_flow_src_port: the outer source port spreads flows over the local port
 * range (srcport 0 0), so the underlay's ECMP and RSS see distinct flows.
 */
export function udpFlowSrcPort(ns: NetNs, frame: EthFrame): number {
  const [min = 32768, max = 60999] = (ns.sysctl.get("net.ipv4.ip_local_port_range") ?? "32768\t60999")
    .split(/\s+/)
    .map(Number);
  let hash = innerFlowHash(frame);
  hash = (hash ^ (hash << 16)) >>> 0;
  return Math.floor((hash * (max - min)) / 2 ** 32) + min;
}

/** The inner frame's length past its Ethernet header: what iptunnel_xmit_stats and vxlan_rcv count. */
function innerLen(frame: EthFrame): number {
  return ethFrameLen(frame) - ETH_HLEN;
}

/**
 * vxlan_xmit: the destination MAC's FDB entry, else the all-zeros default;
 * without either the frame is dropped (tx_dropped). A frame is sent to every
 * remote of its entry (head-end replication for the default).
 */
export function vxlanXmit(dev: NetDevice, frame: EthFrame): void {
  const k = dev.ns.kernel;
  const now = k.clock.now;
  const f = vxlanFindMac(dev, frame.dst, now) ?? vxlanFindMac(dev, ZERO_MAC, now);
  if (!f) {
    dev.stats.txDropped++;
    if (k.trace)
      k.hop(dev.ns, "drop", `vxlan_xmit ${dev.name}: no fdb entry for ${frame.dst}`, describeFrame(frame));
    return;
  }
  for (const rd of f.remotes) vxlanXmitOne(dev, frame, rd, f.mac);
}

/** vxlan_xmit_one: route to the remote, build the outer headers, and ip_local_out. */
function vxlanXmitOne(dev: NetDevice, frame: EthFrame, rd: VxlanRdst, via: Mac): void {
  const v = dev.vxlan!;
  const ns = dev.ns;
  const k = ns.kernel;
  if (rd.ip === 0) {
    dev.stats.txDropped++;
    if (k.trace) k.hop(ns, "drop", `vxlan_xmit ${dev.name}: remote is 0.0.0.0`, describeFrame(frame));
    return;
  }
  const inner = frame.payload.kind === "ipv4" ? frame.payload : null;
  const mark = inner ? skbMark(inner) : 0;
  const oif = rd.ifindex !== 0 ? (ns.devices.get(rd.ifindex) ?? null) : null;
  // vxlan_get_route: the flow is the outer datagram's, from `local` if set.
  const res = routeOutput(ns, rd.ip, { src: v.local ?? 0, oif, mark });
  if (!res.ok) {
    if (res.errno === "ENETUNREACH") dev.stats.txCarrierErrors++;
    dev.stats.txErrors++;
    if (k.trace)
      k.hop(ns, "drop", `vxlan_xmit ${dev.name}: no route to ${formatIPv4(rd.ip)}: ${res.errno}`, "");
    return;
  }
  const rt = res.rt;
  if (rt.dev === dev) {
    // "circular route": the tunnel's own packets would enter the tunnel (ELOOP counts a collision).
    dev.stats.txErrors++;
    if (k.trace) k.hop(ns, "drop", `vxlan_xmit ${dev.name}: circular route to ${formatIPv4(rd.ip)}`, "");
    return;
  }
  if (rt.type === "local") {
    vxlanEncapBypass(dev, frame, rd);
    return;
  }
  const sport = udpFlowSrcPort(ns, frame);
  // ttl 0 ("auto"): ip4_dst_hoplimit, 1 for a multicast group.
  const ttl = v.ttl || (isMulticast4(rd.ip) ? 1 : ns.sysctl.num("net.ipv4.ip_default_ttl"));
  const outer: Ipv4Packet = {
    kind: "ipv4",
    src: rt.src,
    dst: rd.ip,
    ttl,
    tos: 0,
    id: ns.ipId++ & 0xffff,
    len: 20 + 8 + VXLAN_HLEN + ethFrameLen(frame),
    l4: {
      proto: "udp",
      sport,
      dport: rd.port,
      payload: "",
      vxlan: { flags: VXLAN_HF_VNI, vni: rd.vni, frame },
    },
  };
  if (k.trace)
    k.hop(
      ns,
      "encap",
      `vxlan_xmit ${dev.name}: fdb ${via} dst ${formatIPv4(rd.ip)}, vni ${rd.vni}, udp ${sport} > ${rd.port}`,
      describeIp(outer),
    );
  // iptunnel_xmit: a packet netfilter drops counts as dropped, one that left counts as sent.
  if (ipLocalOut(ns, outer, rt, mark)) {
    dev.stats.txPackets++;
    dev.stats.txBytes += innerLen(frame);
  } else dev.stats.txDropped++;
}

/**
 * encap_bypass_if_local: a remote that is one of our own addresses gets the
 * frame straight on the vxlan device with that VNI and port, unencapsulated.
 */
function vxlanEncapBypass(dev: NetDevice, frame: EthFrame, rd: VxlanRdst): void {
  const k = dev.ns.kernel;
  const dst = socksOf(dev.ns).get(rd.port)?.byVni.get(rd.vni);
  if (!dst) {
    dev.stats.txDropped++;
    if (k.trace)
      k.hop(
        dev.ns,
        "drop",
        `vxlan_xmit ${dev.name}: local remote has no vni ${rd.vni}`,
        describeFrame(frame),
      );
    return;
  }
  dev.stats.txPackets++;
  dev.stats.txBytes += innerLen(frame);
  dst.stats.rxPackets++;
  dst.stats.rxBytes += innerLen(frame);
  if (k.trace) k.hop(dev.ns, "encap", `vxlan_encap_bypass ${dev.name} -> ${dst.name}`, describeFrame(frame));
  k.raise(() => netifReceiveSkb(dst, scrub(frame)));
}

/** skb_scrub_packet: the inner packet starts afresh (no conntrack entry, mark or bridge state). */
function scrub(frame: EthFrame): EthFrame {
  return frame.payload.kind === "ipv4" ? { ...frame, payload: { ...frame.payload } } : frame;
}

/**
 * vxlan_rcv: the socket's encap_rcv. The datagram already went through
 * PREROUTING and INPUT as an ordinary local UDP packet. A VXLAN header with
 * the I flag and a VNI of an up device on this port yields the inner frame,
 * which that device receives (gro_cells → netif_receive_skb); anything else
 * is consumed and dropped: the socket answers no port unreachable.
 */
function vxlanRcv(byVni: Map<number, NetDevice>, pkt: Ipv4Packet, inDev: NetDevice): void {
  const ns = inDev.ns;
  const k = ns.kernel;
  const u = pkt.l4;
  if (u.proto !== "udp" || !u.vxlan || (u.vxlan.flags & VXLAN_HF_VNI) === 0) {
    if (k.trace) k.hop(ns, "drop", "vxlan_rcv: not a VXLAN packet", describeIp(pkt));
    return;
  }
  const dev = byVni.get(u.vxlan.vni);
  if (!dev?.vxlan) {
    if (k.trace) k.hop(ns, "drop", `vxlan_rcv: no vxlan device with vni ${u.vxlan.vni}`, describeIp(pkt));
    return;
  }
  const frame = u.vxlan.frame;
  // vxlan_set_mac: our own frames coming back (a loop, multicast echo) are ignored.
  if (frame.src === dev.mac) {
    if (k.trace) k.hop(ns, "drop", `vxlan_rcv ${dev.name}: looped frame from our own MAC`, describeIp(pkt));
    return;
  }
  if (dev.vxlan.learning && vxlanSnoop(dev, pkt.src, frame.src, k.clock.now)) {
    if (k.trace)
      k.hop(
        ns,
        "drop",
        `vxlan_rcv ${dev.name}: ${frame.src} has a static entry elsewhere, not migrated to ${formatIPv4(pkt.src)}`,
        describeIp(pkt),
      );
    return;
  }
  dev.stats.rxPackets++;
  dev.stats.rxBytes += innerLen(frame);
  if (k.trace)
    k.hop(
      ns,
      "decap",
      `vxlan_rcv ${dev.name}: vni ${u.vxlan.vni} from ${formatIPv4(pkt.src)}:${u.sport}`,
      describeFrame(frame),
    );
  k.raise(() => netifReceiveSkb(dev, scrub(frame)));
}
