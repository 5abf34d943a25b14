/**
 * @module dns/server/dns-server
 * The real DNS server behind `kubetwin dns serve`: UDP and TCP on one port,
 * each query through the pure pipeline of dns/wire/serve (CoreDNS's checks,
 * EDNS0 echo, truncation with TC so clients retry over TCP).
 *
 * Limits, so that hostile clients cannot crash it or grow its memory without
 * bound: queries in flight over UDP are capped (more are dropped, as a busy
 * server's socket would); TCP connections are capped; a connection holds at
 * most one unfinished message (≤ 64 KiB), must finish a started message
 * within `readTimeoutMs` (slowloris), is closed after `idleTimeoutMs` without
 * traffic, answers its queries in order with at most `maxPipelined` waiting,
 * and stops being read while its client does not read the replies.
 */
import dgram from "node:dgram";
import net from "node:net";
import type { DnsHandler, ServeOptions, ServeResult } from "../wire/serve.js";
import { familyOf, serveDns } from "../wire/serve.js";
import { ReplyCache, type ReplyCacheOptions } from "./reply-cache.js";
import { FrameReader, frame } from "./tcp-framing.js";

export interface DnsServerOptions extends ServeOptions {
  listen: { host: string; port: number };
  handler: DnsHandler;
  /** One line per notable event (handler failures, refused connections); default: nothing. */
  log?: (line: string) => void;
  limits?: Partial<DnsServerLimits>;
  /**
   * Keep encoded replies and answer identical queries from them (see reply-cache.ts). Off by
   * default: only for handlers whose answers depend on the query bytes alone.
   */
  replyCache?: ReplyCacheOptions | boolean;
}

export interface DnsServerLimits {
  /** UDP queries being answered at once; more are dropped. */
  maxUdpInFlight: number;
  maxTcpConnections: number;
  /** Close a TCP connection after this long without traffic. */
  idleTimeoutMs: number;
  /** A message whose first octet arrived must be complete within this (slowloris). */
  readTimeoutMs: number;
  /** Queries read from one connection and not yet answered; reading pauses beyond this. */
  maxPipelined: number;
  /** Unsent reply octets on one connection before reading pauses. */
  maxWriteBuffer: number;
}

export const DEFAULT_LIMITS: DnsServerLimits = {
  maxUdpInFlight: 10_000,
  maxTcpConnections: 1_000,
  idleTimeoutMs: 10_000,
  readTimeoutMs: 3_000,
  maxPipelined: 32,
  maxWriteBuffer: 1 << 20,
};

export interface DnsServer {
  /** Where it listens (the port is the bound one when 0 was asked for). */
  address: { host: string; port: number };
  close(): Promise<void>;
}

function bindUdp(host: string, port: number): Promise<dgram.Socket> {
  const type = net.isIPv6(host) ? "udp6" : "udp4";
  // Replies go to the address a datagram came from, always an IP: answering the lookup at once
  // saves dgram's dns.lookup and a tick on every send.
  const lookup = (address: string, _o: unknown, cb: (e: null, a: string, f: number) => void): void =>
    cb(null, address, type === "udp6" ? 6 : 4);
  // Not ipv6Only: on "::" both families are served, as Go's listeners do.
  const sock = dgram.createSocket({ type, lookup: lookup as never });
  return new Promise((resolve, reject) => {
    sock.once("error", reject);
    sock.bind(port, host, () => {
      sock.off("error", reject);
      resolve(sock);
    });
  });
}

function listenTcp(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const limits: DnsServerLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const log = opts.log ?? ((): void => {});
  const serveOpts: ServeOptions = opts.classChaos ? { classChaos: true } : {};
  const { host } = opts.listen;

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((s) => onConnection(s));
  tcp.maxConnections = limits.maxTcpConnections;
  tcp.on("drop", (d) => log(`tcp connection from ${d?.remoteAddress ?? "?"} refused: too many connections`));

  // Port 0: take the port UDP was given for TCP too; another process may hold it for TCP, so retry.
  let udp: dgram.Socket | undefined;
  for (let attempt = 0; ; attempt++) {
    udp = await bindUdp(host, opts.listen.port);
    const port = udp.address().port;
    try {
      await listenTcp(tcp, host, port);
      break;
    } catch (e) {
      udp.close();
      if (opts.listen.port !== 0 || attempt >= 10) throw e;
    }
  }
  // Accept failures (EMFILE under a connection flood) must not end the server.
  tcp.on("error", (e) => log(`tcp: ${e.message}`));
  const udpSock = udp;
  const port = udpSock.address().port;
  try {
    udpSock.setRecvBufferSize(4 << 20);
    udpSock.setSendBufferSize(4 << 20);
  } catch {
    // The kernel caps these (net.core.rmem_max); the defaults still work.
  }

  const cache =
    opts.replyCache === true
      ? new ReplyCache()
      : opts.replyCache
        ? new ReplyCache(opts.replyCache)
        : undefined;
  let inFlight = 0;
  udpSock.on("message", (msg, rinfo) => {
    if (inFlight >= limits.maxUdpInFlight) return;
    let key: string | undefined;
    if (cache && msg.length >= 12) {
      key = ReplyCache.key(msg, "udp", familyOf(rinfo.address));
      const hit = cache.get(key, msg);
      if (hit) return void udpSock.send(hit, rinfo.port, rinfo.address);
    }
    const reply = (r: ServeResult): void => {
      if (r.bytes) udpSock.send(r.bytes, rinfo.port, rinfo.address);
      if (r.bytes && key !== undefined && r.note === undefined) cache?.set(key, r.bytes);
      if (r.note?.startsWith("handler") || r.note?.startsWith("encoding")) log(r.note);
    };
    const r = serveDns(
      msg,
      { client: { ip: rinfo.address, port: rinfo.port }, server: { ip: host, port }, transport: "udp" },
      opts.handler,
      serveOpts,
    );
    if (!(r instanceof Promise)) return reply(r);
    inFlight++;
    r.then((res) => {
      inFlight--;
      reply(res);
    });
  });
  // A send to a vanished client (ICMP unreachable) must not end the server.
  udpSock.on("error", (e) => log(`udp: ${e.message}`));

  function onConnection(s: net.Socket): void {
    sockets.add(s);
    const reader = new FrameReader();
    const queue: Buffer[] = [];
    let busy = false;
    let partialTimer: NodeJS.Timeout | undefined;
    const client = { ip: s.remoteAddress ?? "", port: s.remotePort ?? 0 };
    s.setNoDelay(true);
    s.setTimeout(limits.idleTimeoutMs, () => s.destroy());
    s.on("error", () => s.destroy());
    s.on("close", () => {
      sockets.delete(s);
      clearTimeout(partialTimer);
      queue.length = 0;
    });
    const throttle = (): void => {
      const over = queue.length >= limits.maxPipelined || s.writableLength > limits.maxWriteBuffer;
      if (over && !s.isPaused()) s.pause();
      else if (!over && s.isPaused()) s.resume();
    };
    s.on("drain", throttle);
    const next = (): void => {
      if (busy || s.destroyed) return;
      const msg = queue.shift();
      if (!msg) return;
      busy = true;
      Promise.resolve(
        serveDns(msg, { client, server: { ip: host, port }, transport: "tcp" }, opts.handler, serveOpts),
      ).then((r) => {
        busy = false;
        if (s.destroyed) return;
        // A dropped message gets no reply, and the connection stays open (miekg lets the client hang).
        if (r.bytes) s.write(frame(r.bytes));
        if (r.note?.startsWith("handler") || r.note?.startsWith("encoding")) log(r.note);
        throttle();
        next();
      });
    };
    s.on("data", (data: Buffer) => {
      for (const m of reader.push(data)) queue.push(m);
      clearTimeout(partialTimer);
      partialTimer =
        reader.pending > 0 ? setTimeout(() => s.destroy(), limits.readTimeoutMs).unref() : undefined;
      throttle();
      next();
    });
  }

  let closed: Promise<void> | undefined;
  return {
    address: { host, port },
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        let left = 2;
        const done = (): void => {
          if (--left === 0) resolve();
        };
        udpSock.close(done);
        tcp.close(() => done());
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
