/**
 * @module kernel/netfilter/skb
 * The sk_buff fields netfilter reads and writes beside the headers: the
 * mark, the attached conntrack entry and ctinfo, the nftrace bit and the
 * bridge ports a bridged packet crosses. Packets are immutable data, so
 * this state sits beside them and moves to each rewritten copy; it is
 * scrubbed when the packet enters another namespace (skb_scrub_packet).
 */
import type { Ipv4Packet } from "../../net/packet.js";
import type { Conn } from "../conntrack/conntrack.js";
import type { NetNs } from "../netns.js";

export interface Skb {
  ns: NetNs;
  mark: number;
  ct: Conn | null;
  ctinfo: number;
  /** NOTRACK / CT --notrack: conntrack leaves the packet alone. */
  untracked: boolean;
  /** Set by TRACE: every rule the packet meets is logged. */
  trace: boolean;
  /** br_netfilter: the bridge ports this packet came in on and goes out of. */
  physIn: string | null;
  physOut: string | null;
  bridged: boolean;
  /** br_netfilter ran PREROUTING already: the IP stack skips it (ip_sabotage_in). */
  brPrerouted: boolean;
  /** Bridged DNAT waiting for ARP: once resolved, the bridge forwards it as if just received (bridged_dnat). */
  bridgedDnat: boolean;
  /** The Ethernet source and skb->pkt_type of a received packet (null: sent from this host). */
  macSrc: string | null;
  pktType: "HOST" | "BROADCAST" | "MULTICAST" | null;
  /** skb->ipvs_property: IPVS translated this packet; its hooks leave it alone from now on. */
  ipvsProperty: boolean;
}

const skbs = new WeakMap<Ipv4Packet, Skb>();

/** The packet's skb state in this namespace (fresh if it was made elsewhere). */
export function skbOf(pkt: Ipv4Packet, ns: NetNs): Skb {
  const s = skbs.get(pkt);
  if (s && s.ns === ns) return s;
  const fresh: Skb = {
    ns,
    mark: 0,
    ct: null,
    ctinfo: 0,
    untracked: false,
    trace: false,
    physIn: null,
    physOut: null,
    bridged: false,
    brPrerouted: false,
    bridgedDnat: false,
    macSrc: null,
    pktType: null,
    ipvsProperty: false,
  };
  skbs.set(pkt, fresh);
  return fresh;
}

/** Carries the skb state to a rewritten copy of the packet (NAT, TTL decrement). */
export function skbMove(from: Ipv4Packet, to: Ipv4Packet): void {
  const s = skbs.get(from);
  if (s && from !== to) skbs.set(to, s);
}

/** skb->mark, as routing by fwmark reads it. */
export function skbMark(pkt: Ipv4Packet): number {
  return skbs.get(pkt)?.mark ?? 0;
}

/** Sets the mark a socket gives its packets (SO_MARK) before they enter the stack. */
export function skbSetMark(pkt: Ipv4Packet, ns: NetNs, mark: number): void {
  skbOf(pkt, ns).mark = mark;
}

/** eth_type_trans: the source MAC and packet type the mac and pkttype matches read. */
export function skbSetL2(
  pkt: Ipv4Packet,
  ns: NetNs,
  mac: string,
  type: "HOST" | "BROADCAST" | "MULTICAST",
): void {
  const s = skbOf(pkt, ns);
  s.macSrc = mac;
  s.pktType = type;
}
