/**
 * @module host/sim/serve
 * What a pod's containers run in the model: on each containerPort a server
 * that answers plain HTTP with a 200 whose body is the pod's name, any
 * other TCP data and any UDP datagram with the name itself, then closes.
 */
import { ipSend } from "../../kernel/ipv4/ip.js";
import { tcpClose, tcpListen, tcpSend } from "../../kernel/ipv4/tcp.js";
import type { NetNs } from "../../kernel/netns.js";
import type { TcpConn } from "../../kernel/socket/socket-table.js";
import { HostError, type ServeSpec } from "../host.js";

const HTTP_REQUEST = /^[A-Z]+ \S+ HTTP\/1\.[01]\r?\n/;

/** The bytes a server sends for one request. */
export function answer(request: string, reply: string): string {
  const body = `${reply}\n`;
  if (!HTTP_REQUEST.test(request)) return body;
  return `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
}

export function serve(ns: NetNs, s: ServeSpec): void {
  if (s.proto === "udp") {
    if (ns.sockets.portInUse("udp", 0, s.port))
      throw new HostError("EADDRINUSE", `udp port ${s.port} in use`);
    ns.sockets.udp.push({
      addr: 0,
      port: s.port,
      onDatagram: (p, data) => {
        if (p.l4.proto !== "udp") return;
        ipSend(ns, {
          dst: p.src,
          src: p.dst,
          l4: { proto: "udp", sport: s.port, dport: p.l4.sport, payload: answer(data, s.reply) },
        });
      },
    });
    return;
  }
  const r = tcpListen(ns, 0, s.port, (c: TcpConn) => {
    c.onEvent = (ev) => {
      if (ev.kind === "data") {
        tcpSend(ns, c, answer(ev.data, s.reply));
        tcpClose(ns, c);
      } else if (ev.kind === "closed") tcpClose(ns, c);
    };
  });
  if (!r.ok) throw new HostError(r.err.errno, `tcp port ${s.port}: Address already in use`);
}
