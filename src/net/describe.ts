/**
 * @module net/describe
 * One-line packet summaries for traces, in tcpdump's words.
 */
import { formatIPv4 } from "./ip.js";
import type { ArpPacket, EthFrame, Ipv4Packet } from "./packet.js";

const ICMP_NAMES: Record<number, string> = {
  0: "echo reply",
  3: "destination unreachable",
  5: "redirect",
  8: "echo request",
  11: "time exceeded",
};

export function describeArp(a: ArpPacket): string {
  return a.op === 1
    ? `ARP, Request who-has ${formatIPv4(a.tpa)} tell ${formatIPv4(a.spa)}`
    : `ARP, Reply ${formatIPv4(a.spa)} is-at ${a.sha}`;
}

function tcpFlags(f: { syn?: boolean; ack?: boolean; rst?: boolean; fin?: boolean; psh?: boolean }): string {
  let s = "";
  if (f.syn) s += "S";
  if (f.fin) s += "F";
  if (f.rst) s += "R";
  if (f.psh) s += "P";
  if (f.ack) s += ".";
  return s || "none";
}

export function describeIp(p: Ipv4Packet): string {
  const src = formatIPv4(p.src);
  const dst = formatIPv4(p.dst);
  const l4 = p.l4;
  switch (l4.proto) {
    case "icmp": {
      const name = ICMP_NAMES[l4.type] ?? `type ${l4.type}`;
      const extra = l4.type === 0 || l4.type === 8 ? `, id ${l4.id}, seq ${l4.seq}` : `, code ${l4.code}`;
      return `IP ${src} > ${dst}: ICMP ${name}${extra}, ttl ${p.ttl}`;
    }
    case "tcp":
      return `IP ${src}.${l4.sport} > ${dst}.${l4.dport}: Flags [${tcpFlags(l4.flags)}], length ${l4.payload.length}, ttl ${p.ttl}`;
    case "udp":
      // tcpdump decodes the tunnel header and then the frame inside it.
      if (l4.vxlan)
        return `IP ${src}.${l4.sport} > ${dst}.${l4.dport}: VXLAN, flags [I] (0x${l4.vxlan.flags.toString(16).padStart(2, "0")}), vni ${l4.vxlan.vni}, ttl ${p.ttl}: ${describeFrame(l4.vxlan.frame)}`;
      return `IP ${src}.${l4.sport} > ${dst}.${l4.dport}: UDP, length ${l4.payload.length}, ttl ${p.ttl}`;
  }
}

export function describeFrame(f: EthFrame): string {
  const p = f.payload;
  const inner = p.kind === "arp" ? describeArp(p) : p.kind === "ipv6" ? `IP6 ${p.summary}` : describeIp(p);
  return `${f.src} > ${f.dst}, ${inner}`;
}
