/**
 * @module kernel/netfilter/br-netfilter
 * net/bridge/br_netfilter_hooks.c: with net.bridge.bridge-nf-call-iptables
 * set, IPv4 frames a bridge receives on a port traverse iptables
 * PREROUTING (in = the bridge, physdev-in = the port) before the bridge
 * decides where they go; frames it forwards between ports traverse FORWARD
 * (in = out = the bridge) and POSTROUTING (out = the bridge) with
 * physdev-out = the egress port. A frame the bridge passes up to the host
 * does not meet PREROUTING a second time (ip_sabotage_in). Frames the host
 * itself sends through the bridge were filtered by the IP stack already.
 */
import { describeIp } from "../../net/describe.js";
import { ETH_P_IP, type EthFrame, type Ipv4Packet } from "../../net/packet.js";
import { neighOutput } from "../ipv4/ip.js";
import { routeInput } from "../ipv4/route.js";
import { NUD_VALID } from "../neigh/neigh-table.js";
import type { NetDevice } from "../types.js";
import { nfHook } from "./hooks.js";
import { skbMark, skbOf } from "./skb.js";

function callIptables(br: NetDevice, frame: EthFrame): boolean {
  return (
    frame.type === ETH_P_IP &&
    frame.payload.kind === "ipv4" &&
    br.ns.sysctl.num("net.bridge.bridge-nf-call-iptables") !== 0
  );
}

/**
 * br_nf_pre_routing + br_nf_pre_routing_finish: the frame to go on bridging
 * with (its destination MAC rewritten when DNAT sent it elsewhere), or null
 * when iptables dropped it.
 */
export function brNfPreRouting(br: NetDevice, port: NetDevice, frame: EthFrame): EthFrame | null {
  if (!callIptables(br, frame)) return frame;
  const ns = br.ns;
  const pkt0 = frame.payload as Ipv4Packet;
  const skb = skbOf(pkt0, ns);
  skb.bridged = true;
  skb.physIn = port.name;
  skb.macSrc = frame.src;
  skb.pktType =
    frame.dst === "ff:ff:ff:ff:ff:ff" ? "BROADCAST" : /^.[13579bdf]/.test(frame.dst) ? "MULTICAST" : "HOST";
  const v = nfHook(ns, "PREROUTING", pkt0, br, null);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") ns.kernel.hop(ns, "drop", `bridge PREROUTING: ${v.reason}`, describeIp(pkt0));
    return null;
  }
  const pkt = v.pkt;
  // The IP stack must not run PREROUTING again when the bridge passes this packet up.
  skbOf(pkt, ns).brPrerouted = true;
  if (pkt.dst === pkt0.dst) return pkt === pkt0 ? frame : { ...frame, payload: pkt };
  // DNAT changed the destination: route it. Still behind this bridge: address the frame to the new
  // destination's MAC and bridge it (bridged DNAT); otherwise hand it to the host's IP stack.
  const d = routeInput(ns, pkt.dst, pkt.src, br, skbMark(pkt));
  if (d.kind === "forward" && d.rt.dev === br) {
    const n = ns.neigh.lookup(br, d.rt.nexthop);
    if (n?.lladdr && NUD_VALID.has(n.state)) return { ...frame, dst: n.lladdr, payload: pkt };
    // br_nf_pre_routing_finish_bridge: the neighbour layer resolves the address, then the bridge
    // forwards the frame as a bridged one (br_nf_pre_routing_finish_bridge_slow).
    skbOf(pkt, ns).bridgedDnat = true;
    neighOutput(ns, br, d.rt.nexthop, pkt);
    return null;
  }
  return { ...frame, dst: br.mac, payload: pkt };
}

/** The ingress port of a bridged-DNAT frame the bridge device is asked to send (br_dev_xmit), or null. */
export function bridgedDnatPort(br: NetDevice, frame: EthFrame): NetDevice | null {
  if (frame.payload.kind !== "ipv4") return null;
  const skb = skbOf(frame.payload, br.ns);
  if (!skb.bridgedDnat || !skb.physIn) return null;
  skb.bridgedDnat = false;
  const port = br.ns.byName.get(skb.physIn);
  return port?.master === br ? port : null;
}

/**
 * br_nf_forward_ip + br_nf_post_routing for one egress port: the frame to
 * transmit (a copy per port, as the kernel clones for a flood), or null.
 */
export function brNfForward(br: NetDevice, out: NetDevice, frame: EthFrame): EthFrame | null {
  if (!callIptables(br, frame)) return frame;
  const ns = br.ns;
  const orig = frame.payload as Ipv4Packet;
  const from = skbOf(orig, ns);
  const pkt0: Ipv4Packet = { ...orig };
  const skb = skbOf(pkt0, ns);
  Object.assign(skb, { ...from, physOut: out.name, bridged: true });
  const f = nfHook(ns, "FORWARD", pkt0, br, br);
  if (f.verdict !== "ACCEPT") {
    if (f.verdict === "DROP") ns.kernel.hop(ns, "drop", `bridge FORWARD: ${f.reason}`, describeIp(pkt0));
    return null;
  }
  const p = nfHook(ns, "POSTROUTING", f.pkt, null, br);
  if (p.verdict !== "ACCEPT") {
    if (p.verdict === "DROP") ns.kernel.hop(ns, "drop", `bridge POSTROUTING: ${p.reason}`, describeIp(f.pkt));
    return null;
  }
  return { ...frame, payload: p.pkt };
}
