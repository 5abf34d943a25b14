/**
 * @module net/packet
 * Packet headers as plain data. A frame on a wire is Ethernet + (ARP | IPv4);
 * IPv4 carries ICMP, TCP or UDP, and UDP may carry a VXLAN header with a
 * whole inner Ethernet frame. Fields are the ones the kernel paths read.
 */
import type { IPv4 } from "./ip.js";
import type { Mac } from "./mac.js";

export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_P_IPV6 = 0x86dd;

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

export interface ArpPacket {
  readonly kind: "arp";
  readonly op: 1 | 2; // ARPOP_REQUEST | ARPOP_REPLY
  readonly sha: Mac;
  readonly spa: IPv4;
  readonly tha: Mac;
  readonly tpa: IPv4;
}

export interface IcmpMessage {
  readonly proto: "icmp";
  readonly type: number;
  readonly code: number;
  readonly id: number;
  readonly seq: number;
  /** For error messages: the offending datagram's header (RFC 792). */
  readonly inner?: Ipv4Packet;
  /** ICMP_REDIRECT gateway / FRAG_NEEDED mtu. */
  readonly gateway?: IPv4;
}

export interface TcpFlags {
  readonly syn?: boolean;
  readonly ack?: boolean;
  readonly rst?: boolean;
  readonly fin?: boolean;
  readonly psh?: boolean;
}

export interface TcpSegment {
  readonly proto: "tcp";
  readonly sport: number;
  readonly dport: number;
  readonly flags: TcpFlags;
  readonly seq: number;
  readonly ack: number;
  readonly payload: string;
}

export interface UdpDatagram {
  readonly proto: "udp";
  readonly sport: number;
  readonly dport: number;
  /** Application data; empty when the datagram carries a VXLAN packet instead. */
  readonly payload: string;
  /** Set on a VXLAN tunnel's datagrams: the encapsulated frame (the payload is its wire form). */
  readonly vxlan?: VxlanPacket;
}

/** VXLAN_HF_VNI: the I flag, "a valid VNI follows" (RFC 7348 §5). */
export const VXLAN_HF_VNI = 0x08;
/** struct vxlanhdr: 8 bytes before the inner frame. */
export const VXLAN_HLEN = 8;

/** RFC 7348: the VXLAN header (flags, 24-bit VNI) and the inner Ethernet frame it carries. */
export interface VxlanPacket {
  readonly flags: number;
  readonly vni: number;
  readonly frame: EthFrame;
}

export type L4 = IcmpMessage | TcpSegment | UdpDatagram;

export interface Ipv4Packet {
  readonly kind: "ipv4";
  readonly src: IPv4;
  readonly dst: IPv4;
  readonly ttl: number;
  readonly tos: number;
  readonly id: number;
  /** Total length in bytes, as the header says; used for counters and MTU. */
  readonly len: number;
  readonly l4: L4;
}

/** IPv6 is carried but not routed by the model: only what links say on their own (DAD, MLD). */
export interface Ipv6Stub {
  readonly kind: "ipv6";
  readonly len: number;
  readonly summary: string;
}

export interface EthFrame {
  readonly src: Mac;
  readonly dst: Mac;
  readonly type: number;
  readonly payload: ArpPacket | Ipv4Packet | Ipv6Stub;
}

export const ETH_HLEN = 14;

/** An Ethernet frame's length without FCS: header plus the L3 packet (skb->len at the MAC header). */
export function ethFrameLen(f: EthFrame): number {
  return ETH_HLEN + (f.payload.kind === "arp" ? 28 : f.payload.len);
}

export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;

export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_PKT_FILTERED = 13;
export const ICMP_NET_ANO = 9;
export const ICMP_HOST_ANO = 10;

export function l4Length(l4: L4): number {
  switch (l4.proto) {
    case "icmp":
      // icmp_send quotes as much of the offending datagram as fits in 576 bytes (RFC 1812).
      return l4.inner ? 8 + Math.min(l4.inner.len, 576 - 28) : 8 + 56;
    case "tcp":
      // SYNs carry MSS, SACK-permitted, timestamps and window scale; a RST from no socket carries none.
      return 20 + (l4.flags.syn ? 20 : l4.flags.rst ? 0 : 12) + l4.payload.length;
    case "udp":
      return 8 + (l4.vxlan ? VXLAN_HLEN + ethFrameLen(l4.vxlan.frame) : l4.payload.length);
  }
}

export function protoNumber(l4: L4): number {
  return l4.proto === "icmp" ? IPPROTO_ICMP : l4.proto === "tcp" ? IPPROTO_TCP : IPPROTO_UDP;
}
