/**
 * @module kernel/conntrack/tuple
 * struct nf_conntrack_tuple: what identifies one direction of a flow. TCP
 * and UDP use addresses and ports; ICMP queries use the echo id and the
 * message type, which inverts (request ↔ reply) for the other direction.
 */
import { formatIPv4, type IPv4 } from "../../net/ip.js";
import { type Ipv4Packet, protoNumber } from "../../net/packet.js";

export interface Tuple {
  readonly proto: number;
  readonly src: IPv4;
  readonly dst: IPv4;
  /** TCP/UDP source port; the ICMP id. */
  readonly sport: number;
  /** TCP/UDP destination port; for ICMP `type << 8 | code`. */
  readonly dport: number;
}

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** The ICMP query types conntrack tracks, with the type their answer has (invmap in nf_conntrack_proto_icmp.c). */
const ICMP_INVERSE: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 };
export const ICMP_QUERY_TYPES = new Set([8, 13, 15, 17]);
/** ICMP types that are errors about another datagram: conntrack relates them to its flow. */
export const ICMP_ERROR_TYPES = new Set([3, 4, 5, 11, 12]);

export function tupleOf(pkt: Ipv4Packet): Tuple {
  const l4 = pkt.l4;
  if (l4.proto === "icmp")
    return { proto: IPPROTO_ICMP, src: pkt.src, dst: pkt.dst, sport: l4.id, dport: (l4.type << 8) | l4.code };
  return { proto: protoNumber(l4), src: pkt.src, dst: pkt.dst, sport: l4.sport, dport: l4.dport };
}

/** nf_ct_invert_tuple; null when an ICMP type has no inverse (it cannot start a flow). */
export function invertTuple(t: Tuple): Tuple | null {
  if (t.proto === IPPROTO_ICMP) {
    const inv = ICMP_INVERSE[t.dport >> 8];
    if (inv === undefined) return null;
    return { proto: t.proto, src: t.dst, dst: t.src, sport: t.sport, dport: (inv << 8) | (t.dport & 0xff) };
  }
  return { proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

export function tupleKey(t: Tuple): string {
  return `${t.proto}|${t.src}|${t.sport}|${t.dst}|${t.dport}`;
}

export function tupleEqual(a: Tuple, b: Tuple): boolean {
  return (
    a.proto === b.proto && a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport
  );
}

export function protoName(p: number): string {
  return p === IPPROTO_TCP ? "tcp" : p === IPPROTO_UDP ? "udp" : p === IPPROTO_ICMP ? "icmp" : "unknown";
}

/** The tuple as `conntrack -L` prints it: `src=… dst=… sport=… dport=…` or ICMP's `type= code= id=`. */
export function formatTuple(t: Tuple): string {
  const a = `src=${formatIPv4(t.src)} dst=${formatIPv4(t.dst)}`;
  if (t.proto === IPPROTO_ICMP) return `${a} type=${t.dport >> 8} code=${t.dport & 0xff} id=${t.sport}`;
  return `${a} sport=${t.sport} dport=${t.dport}`;
}
