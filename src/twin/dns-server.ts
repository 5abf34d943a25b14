/**
 * @module twin/dns-server
 * A DNS server inside a namespace of the model (what the coredns container
 * runs in its pod): a UDP socket and a TCP listener on the port, each query
 * handed to the DNS model and its answer sent back as the kernel would send
 * it — from the address the query was sent to, so conntrack can undo the
 * Service's DNAT on the way back.
 */
import type { DnsQuery } from "../dns/types.js";
import { ipSend } from "../kernel/ipv4/ip.js";
import { tcpClose, tcpListen, tcpSend } from "../kernel/ipv4/tcp.js";
import type { NetNs } from "../kernel/netns.js";
import { formatIPv4 } from "../net/ip.js";
import { bytesToPayload, payloadToBytes, tcpFrame, tcpUnframe } from "./dns-transport.js";

/** The server's work: one query message's bytes in, the answer's bytes out (null: no answer). */
export type DnsWireHandler = (
  query: Uint8Array,
  peer: Pick<DnsQuery, "client" | "server" | "transport">,
) => Uint8Array | null;

/** Replaces whatever listens on the port (the generic container server) with the DNS server. */
export function serveDns(ns: NetNs, port: number, handler: DnsWireHandler): void {
  for (const s of ns.sockets.udp.filter((x) => x.port === port)) ns.sockets.removeUdp(s);
  for (const l of ns.sockets.tcpListeners.filter((x) => x.port === port)) ns.sockets.removeListener(l);
  ns.sockets.udp.push({
    addr: 0,
    port,
    onDatagram: (p, data) => {
      if (p.l4.proto !== "udp") return;
      const out = handler(payloadToBytes(data), {
        client: { ip: formatIPv4(p.src), port: p.l4.sport },
        server: { ip: formatIPv4(p.dst), port },
        transport: "udp",
      });
      if (out)
        ipSend(ns, {
          dst: p.src,
          src: p.dst,
          l4: { proto: "udp", sport: port, dport: p.l4.sport, payload: bytesToPayload(out) },
        });
    },
  });
  tcpListen(ns, 0, port, (c) => {
    let stream = "";
    c.onEvent = (ev) => {
      if (ev.kind === "data") {
        stream += ev.data;
        const { messages, rest } = tcpUnframe(stream);
        stream = rest;
        for (const m of messages) {
          const out = handler(m, {
            client: { ip: formatIPv4(c.raddr), port: c.rport },
            server: { ip: formatIPv4(c.laddr), port },
            transport: "tcp",
          });
          if (out) tcpSend(ns, c, tcpFrame(out));
        }
      } else if (ev.kind === "closed") tcpClose(ns, c);
    };
  });
}
