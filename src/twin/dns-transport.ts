/**
 * @module twin/dns-transport
 * How a resolver in a pod or on a node reaches a DNS server in the twin:
 * its query leaves the namespace as a real UDP datagram (or a TCP
 * connection with the two-byte length prefix of RFC 1035 §4.2.2) and
 * crosses the datapath — the kube-dns ClusterIP DNATed by kube-proxy to a
 * CoreDNS pod — and the answer comes back the same way, or nothing does.
 * The model's payloads are strings, so DNS messages travel as one
 * character per byte.
 */
import type { DnsTransport } from "../dns/types.js";
import { ipSend } from "../kernel/ipv4/ip.js";
import { ephemeralPort, tcpClose, tcpConnect, tcpSend } from "../kernel/ipv4/tcp.js";
import type { Kernel } from "../kernel/kernel.js";
import type { NetNs } from "../kernel/netns.js";
import type { TcpConn } from "../kernel/socket/socket-table.js";
import { parseIPv4 } from "../net/ip.js";

/** Bytes as a model payload: one character (U+0000–U+00FF) per byte. */
export function bytesToPayload(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}

export function payloadToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** A DNS message over TCP: its length as two bytes, then the message. */
export function tcpFrame(msg: Uint8Array): string {
  return String.fromCharCode(msg.length >> 8, msg.length & 0xff) + bytesToPayload(msg);
}

/** Splits whole length-prefixed messages off a TCP stream; returns them and what is left. */
export function tcpUnframe(stream: string): { messages: Uint8Array[]; rest: string } {
  const messages: Uint8Array[] = [];
  let s = stream;
  while (s.length >= 2) {
    const n = (s.charCodeAt(0) << 8) | s.charCodeAt(1);
    if (s.length < 2 + n) break;
    messages.push(payloadToBytes(s.slice(2, 2 + n)));
    s = s.slice(2 + n);
  }
  return { messages, rest: s };
}

const STEP_MS = 10;

/**
 * The transport of one namespace of a machine: each query waits up to
 * `timeoutMs` of simulated time (the resolver's timeout per try).
 */
export function namespaceDnsTransport(kernel: Kernel, ns: NetNs): DnsTransport {
  return async (server, query, transport, timeoutMs = 5000) => {
    const dst = parseIPv4(server.ip);
    if (dst === null) return null;
    const wait = (done: () => boolean): void => {
      kernel.advance(0);
      for (let t = 0; t < timeoutMs && !done(); t += STEP_MS) kernel.advance(STEP_MS);
    };
    if (transport === "udp") {
      let reply: Uint8Array | null = null;
      const sport = ephemeralPort(ns, "udp");
      const sock = {
        addr: 0,
        port: sport,
        onDatagram: (_p: unknown, data: string) => {
          reply ??= payloadToBytes(data);
        },
      };
      ns.sockets.udp.push(sock);
      try {
        const r = ipSend(ns, {
          dst,
          l4: { proto: "udp", sport, dport: server.port, payload: bytesToPayload(query) },
        });
        if (!r.ok) return null;
        wait(() => reply !== null);
        return reply;
      } finally {
        ns.sockets.removeUdp(sock);
      }
    }
    let stream = "";
    let reply: Uint8Array | null = null;
    let closed = false;
    let conn: TcpConn | null = null;
    let sent = false;
    const send = (): void => {
      if (conn && !sent && conn.state === "ESTABLISHED") {
        sent = true;
        tcpSend(ns, conn, tcpFrame(query));
      }
    };
    const r = tcpConnect(ns, dst, server.port, {}, (ev) => {
      if (ev.kind === "connected") send();
      else if (ev.kind === "data") {
        stream += ev.data;
        const { messages, rest } = tcpUnframe(stream);
        stream = rest;
        reply ??= messages[0] ?? null;
      } else if (ev.kind === "refused" || ev.kind === "error" || ev.kind === "closed") closed = true;
    });
    if (!r.ok) return null;
    conn = r.value;
    send();
    wait(() => reply !== null || closed);
    const c = r.value;
    if (c.state === "SYN_SENT") c.state = "CLOSED";
    else tcpClose(ns, c);
    kernel.advance(0);
    ns.sockets.tcpConns.delete(`${c.laddr}:${c.lport}>${c.raddr}:${c.rport}`);
    return reply;
  };
}
