/**
 * @module kernel/ipv4/tcp
 * The TCP the model needs: the three-way handshake through the stack (so
 * netfilter and conntrack see every segment), data, FIN, RST for segments
 * nobody listens for (tcp_v4_send_reset), SYN retransmission with
 * exponential backoff, and ICMP errors reported to the connecting socket.
 */
import { describeIp } from "../../net/describe.js";
import type { IPv4 } from "../../net/ip.js";
import type { Ipv4Packet, TcpFlags, TcpSegment } from "../../net/packet.js";
import { fail, type KResult, ok } from "../errno.js";
import type { NetNs } from "../netns.js";
import { SocketTable, type TcpConn, type TcpEvent, type TcpListener } from "../socket/socket-table.js";
import type { NetDevice } from "../types.js";
import { ipSend } from "./ip.js";
import { routeOutput } from "./route.js";

function seg(
  sport: number,
  dport: number,
  flags: TcpFlags,
  seq: number,
  ack: number,
  payload = "",
): TcpSegment {
  return { proto: "tcp", sport, dport, flags, seq, ack, payload };
}

function sendSeg(ns: NetNs, c: TcpConn, flags: TcpFlags, payload = ""): void {
  ipSend(ns, { dst: c.raddr, src: c.laddr, l4: seg(c.lport, c.rport, flags, c.sndNxt, c.rcvNxt, payload) });
  c.sndNxt += payload.length + (flags.syn || flags.fin ? 1 : 0);
}

export function tcpListen(
  ns: NetNs,
  addr: IPv4,
  port: number,
  onAccept: (c: TcpConn) => void,
): KResult<TcpListener> {
  if (ns.sockets.portInUse("tcp", addr, port)) return fail("EADDRINUSE");
  const l: TcpListener = { addr, port, backlog: 128, onAccept };
  ns.sockets.tcpListeners.push(l);
  return ok(l);
}

export function ephemeralPort(ns: NetNs, proto: "tcp" | "udp"): number {
  const [lo, hi] = (ns.sysctl.get("net.ipv4.ip_local_port_range") ?? "32768\t60999").split(/\s+/).map(Number);
  return ns.sockets.ephemeral(lo ?? 32768, hi ?? 60999, (p) =>
    proto === "tcp"
      ? [...ns.sockets.tcpConns.values()].some((c) => c.lport === p)
      : ns.sockets.portInUse("udp", 0, p),
  );
}

/** tcp_v4_connect: picks the source by routing, sends SYN, retransmits it 1, 2, 4… s later. */
export function tcpConnect(
  ns: NetNs,
  dst: IPv4,
  dport: number,
  opts: { src?: IPv4; sport?: number; oif?: NetDevice | null },
  onEvent: (ev: TcpEvent) => void,
): KResult<TcpConn> {
  const r = routeOutput(ns, dst, { src: opts.src ?? 0, oif: opts.oif ?? null });
  if (!r.ok) return fail(r.errno);
  const sport = opts.sport ?? ephemeralPort(ns, "tcp");
  const c: TcpConn = {
    state: "SYN_SENT",
    laddr: r.rt.src,
    lport: sport,
    raddr: dst,
    rport: dport,
    sndNxt: 1000 + ns.kernel.rng.nextInt(1 << 30),
    rcvNxt: 0,
    onEvent,
  };
  const key = SocketTable.connKey(c.laddr, c.lport, c.raddr, c.rport);
  ns.sockets.tcpConns.set(key, c);
  const iss = c.sndNxt;
  let tries = 0;
  const maxRetries = ns.sysctl.num("net.ipv4.tcp_syn_retries");
  const transmit = (): void => {
    if (c.state !== "SYN_SENT") return;
    c.sndNxt = iss;
    sendSeg(ns, c, { syn: true });
    if (c.state !== "SYN_SENT") return;
    // The retransmit timer sits on the timer wheel, which rounds its expiry up (8 ms granularity at that
    // range): an application timeout of the same length (nc -w 1, an hrtimer) fires first.
    if (tries++ < maxRetries) ns.kernel.clock.schedule(1000 * 2 ** (tries - 1) + 8, transmit);
  };
  transmit();
  return ok(c);
}

export function tcpSend(ns: NetNs, c: TcpConn, data: string): void {
  if (c.state !== "ESTABLISHED" && c.state !== "CLOSE_WAIT") return;
  sendSeg(ns, c, { ack: true, psh: true }, data);
}

export function tcpClose(ns: NetNs, c: TcpConn): void {
  if (c.state === "ESTABLISHED" || c.state === "CLOSE_WAIT" || c.state === "SYN_RECV") {
    const wasCloseWait = c.state === "CLOSE_WAIT";
    // After CLOSE_WAIT the socket waits in LAST_ACK for the peer's ACK of its FIN (no RST for it).
    c.state = wasCloseWait ? "LAST_ACK" : "FIN_WAIT";
    sendSeg(ns, c, { fin: true, ack: true });
  } else if (c.state === "SYN_SENT") {
    forget(ns, c);
  }
}

function forget(ns: NetNs, c: TcpConn): void {
  c.state = "CLOSED";
  ns.sockets.tcpConns.delete(SocketTable.connKey(c.laddr, c.lport, c.raddr, c.rport));
}

function sendReset(ns: NetNs, pkt: Ipv4Packet, s: TcpSegment): void {
  if (s.flags.rst) return;
  const l4 = s.flags.ack
    ? seg(s.dport, s.sport, { rst: true }, s.ack, 0)
    : seg(
        s.dport,
        s.sport,
        { rst: true, ack: true },
        0,
        s.seq + s.payload.length + (s.flags.syn ? 1 : 0) + (s.flags.fin ? 1 : 0),
      );
  if (ns.kernel.trace)
    ns.kernel.hop(ns, "socket", `tcp: nothing listens on port ${s.dport}: RST`, describeIp(pkt));
  ipSend(ns, { dst: pkt.src, src: pkt.dst, l4 });
}

export function tcpRcv(ns: NetNs, pkt: Ipv4Packet, _dev: NetDevice): void {
  const s = pkt.l4;
  if (s.proto !== "tcp") return;
  const key = SocketTable.connKey(pkt.dst, s.dport, pkt.src, s.sport);
  const c = ns.sockets.tcpConns.get(key);
  if (c) {
    established(ns, c, pkt, s);
    return;
  }
  if (s.flags.syn && !s.flags.ack) {
    const l = ns.sockets.tcpListenerLookup(pkt.dst, s.dport);
    if (l) {
      if (ns.kernel.trace)
        ns.kernel.hop(ns, "socket", `tcp: SYN to listener :${s.dport}: SYN-ACK`, describeIp(pkt));
      const child: TcpConn = {
        state: "SYN_RECV",
        laddr: pkt.dst,
        lport: s.dport,
        raddr: pkt.src,
        rport: s.sport,
        sndNxt: 5000 + ns.kernel.rng.nextInt(1 << 30),
        rcvNxt: s.seq + 1,
        onEvent: () => {},
      };
      ns.sockets.tcpConns.set(key, child);
      (child as TcpConn & { listener?: TcpListener }).listener = l;
      sendSeg(ns, child, { syn: true, ack: true });
      return;
    }
  }
  sendReset(ns, pkt, s);
}

function established(ns: NetNs, c: TcpConn, pkt: Ipv4Packet, s: TcpSegment): void {
  if (s.flags.rst) {
    const was = c.state;
    forget(ns, c);
    if (ns.kernel.trace) ns.kernel.hop(ns, "socket", `tcp: RST in ${was}`, describeIp(pkt));
    c.onEvent(was === "SYN_SENT" ? { kind: "refused" } : { kind: "closed" });
    return;
  }
  switch (c.state) {
    case "LAST_ACK":
      if (s.flags.ack) forget(ns, c);
      return;
    case "SYN_SENT":
      if (s.flags.syn && s.flags.ack) {
        c.rcvNxt = s.seq + 1;
        c.state = "ESTABLISHED";
        if (ns.kernel.trace)
          ns.kernel.hop(ns, "socket", "tcp: SYN-ACK: connection established", describeIp(pkt));
        sendSeg(ns, c, { ack: true });
        c.onEvent({ kind: "connected" });
      }
      return;
    case "SYN_RECV":
      if (s.flags.ack && !s.flags.syn) {
        c.state = "ESTABLISHED";
        const l = (c as TcpConn & { listener?: TcpListener }).listener;
        if (ns.kernel.trace)
          ns.kernel.hop(ns, "socket", `tcp: handshake complete, accept on :${c.lport}`, describeIp(pkt));
        if (l && ns.sockets.tcpListeners.includes(l)) l.onAccept(c);
        if (s.payload.length > 0 || s.flags.fin)
          established(ns, c, pkt, { ...s, flags: { ack: true, ...(s.flags.fin ? { fin: true } : {}) } });
      }
      return;
    default:
      break;
  }
  if (s.payload.length > 0) {
    c.rcvNxt = s.seq + s.payload.length;
    if (ns.kernel.trace)
      ns.kernel.hop(ns, "socket", `tcp: ${s.payload.length} bytes to :${c.lport}`, describeIp(pkt));
    c.onEvent({ kind: "data", data: s.payload });
    if (!s.flags.fin) sendSeg(ns, c, { ack: true });
  }
  if (s.flags.fin) {
    c.rcvNxt = s.seq + s.payload.length + 1;
    if (c.state === "FIN_WAIT") {
      sendSeg(ns, c, { ack: true });
      forget(ns, c);
      c.onEvent({ kind: "closed" });
    } else {
      // The ACK of a FIN is delayed (tcp_send_delayed_ack): an application that closes at once
      // acknowledges it with its own FIN, as `nc -l` does; otherwise the ACK goes out alone.
      c.state = "CLOSE_WAIT";
      c.onEvent({ kind: "closed" });
      if (c.state === "CLOSE_WAIT") sendSeg(ns, c, { ack: true });
    }
  }
}

export function tcpIcmpError(ns: NetNs, icmp: Ipv4Packet, inner: Ipv4Packet): void {
  const s = inner.l4;
  const m = icmp.l4;
  if (s.proto !== "tcp" || m.proto !== "icmp") return;
  const c = ns.sockets.tcpConns.get(SocketTable.connKey(inner.src, s.sport, inner.dst, s.dport));
  if (!c) return;
  // Hard errors abort a connection attempt (tcp_v4_err); others are only remembered.
  if (c.state === "SYN_SENT" && m.type === 3) {
    forget(ns, c);
    c.onEvent({ kind: "error", icmpType: m.type, icmpCode: m.code, from: icmp.src });
  }
}
