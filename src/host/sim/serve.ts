/**
 * @module host/sim/serve
 * What a pod's containers run in the model: on each containerPort a server
 * that answers plain HTTP with a 200 whose body is the pod's name, any
 * other TCP data and any UDP datagram with the name itself, then closes.
 */

import { MONTHS, simDate, WEEKDAYS } from "../../kernel/clock.js";
import { ipSend } from "../../kernel/ipv4/ip.js";
import { tcpClose, tcpListen, tcpSend } from "../../kernel/ipv4/tcp.js";
import type { NetNs } from "../../kernel/netns.js";
import type { TcpConn, TcpListener } from "../../kernel/socket/socket-table.js";
import type { IPv4 } from "../../net/ip.js";
import { HostError, type HttpHandler, type ServeSpec } from "../host.js";

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

const STATUS_TEXT: Record<number, string> = { 200: "OK", 400: "Bad Request", 503: "Service Unavailable" };

/** http.TimeFormat ("Mon, 02 Jan 2006 15:04:05 GMT") of the simulated clock. */
function httpDate(ms: number): string {
  const d = simDate(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT`;
}

/**
 * One response as Go's net/http writes it: the status line in the request's version, the handler's
 * headers in sorted order, then the server's own (Connection for an HTTP/1.1 client that asked to
 * close, Date, Content-Length), a blank line and the body. Whether to close afterwards comes back too.
 */
export function httpResponse(
  request: string,
  handler: HttpHandler,
  nowMs: number,
): { text: string; close: boolean } {
  const m = /^([A-Z]+) (\S+) HTTP\/1\.([01])\r?\n/.exec(request);
  if (!m)
    return {
      text: "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request",
      close: true,
    };
  const is11 = m[3] === "1";
  const wantsClose = /\r?\nconnection:[ \t]*close\r?\n/i.test(request);
  const r = handler();
  const lines = [`HTTP/1.${is11 ? 1 : 0} ${r.status} ${STATUS_TEXT[r.status] ?? ""}`];
  for (const [k, v] of [...r.headers].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))
    lines.push(`${k}: ${v}`);
  if (is11 && wantsClose) lines.push("Connection: close");
  lines.push(`Date: ${httpDate(nowMs)}`, `Content-Length: ${Buffer.byteLength(r.body)}`);
  return { text: `${lines.join("\r\n")}\r\n\r\n${r.body}`, close: !is11 || wantsClose };
}

/** An HTTP server listening on addr:port of the namespace; a request is answered once it has its blank line. */
export function serveHttp(ns: NetNs, addr: IPv4, port: number, handler: HttpHandler): TcpListener {
  const r = tcpListen(ns, addr, port, (c: TcpConn) => {
    let pending = "";
    c.onEvent = (ev) => {
      if (ev.kind === "data") {
        pending += ev.data;
        if (!/\r?\n\r?\n/.test(pending)) return;
        const res = httpResponse(pending, handler, ns.kernel.clock.now);
        pending = "";
        tcpSend(ns, c, res.text);
        if (res.close) tcpClose(ns, c);
      } else if (ev.kind === "closed") tcpClose(ns, c);
    };
  });
  if (!r.ok) throw new HostError(r.err.errno, `tcp port ${port}: Address already in use`);
  return r.value;
}

/** Stops listening; connections already accepted finish on their own. */
export function unlisten(ns: NetNs, l: TcpListener): void {
  const i = ns.sockets.tcpListeners.indexOf(l);
  if (i >= 0) ns.sockets.tcpListeners.splice(i, 1);
}
