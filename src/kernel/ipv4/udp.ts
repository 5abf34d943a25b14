/**
 * @module kernel/ipv4/udp
 * net/ipv4/udp.c: delivery to the bound socket (exact address first, then
 * the wildcard), encapsulation sockets (vxlan), and ICMP port unreachable
 * when nothing listens.
 */
import { describeIp } from "../../net/describe.js";
import type { Ipv4Packet } from "../../net/packet.js";
import type { NetNs } from "../netns.js";
import type { NetDevice } from "../types.js";
import { icmpSend } from "./icmp.js";

export function udpRcv(ns: NetNs, pkt: Ipv4Packet, dev: NetDevice, broadcast: boolean): void {
  const u = pkt.l4;
  if (u.proto !== "udp") return;
  const s = ns.sockets.udpLookup(pkt.dst, u.dport);
  if (s) {
    // udp_queue_rcv_one_skb: a tunnel's socket (vxlan) takes the datagram through its encap_rcv.
    if (s.encapRcv) {
      s.encapRcv(pkt, dev);
      return;
    }
    if (ns.kernel.trace)
      ns.kernel.hop(
        ns,
        "socket",
        `udp: delivered to socket ${s.addr === 0 ? "0.0.0.0" : "bound"}:${u.dport}`,
        describeIp(pkt),
      );
    s.onDatagram(pkt, u.payload);
    return;
  }
  if (ns.kernel.trace) ns.kernel.hop(ns, "drop", `udp: no socket on port ${u.dport}`, describeIp(pkt));
  if (!broadcast) icmpSend(ns, pkt, 3, 3, dev);
}
