/**
 * @module shell/commands/nc
 * netcat-openbsd (Debian 1.219): TCP and UDP clients and listeners over
 * the model's sockets. A listener started in the background (`nc -l 8080 &`)
 * registers its socket and returns; what it receives appears in the script's
 * output as the data arrives.
 */
import { STRERROR } from "../../kernel/errno.js";
import { ipSend } from "../../kernel/ipv4/ip.js";
import { routeOutput } from "../../kernel/ipv4/route.js";
import { ephemeralPort, tcpClose, tcpConnect, tcpListen, tcpSend } from "../../kernel/ipv4/tcp.js";
import type { TcpConn } from "../../kernel/socket/socket-table.js";
import { formatIPv4, parseIPv4 } from "../../net/ip.js";
import type { CmdContext, CmdResult } from "../types.js";
import { resolveHost } from "./resolve.js";
import { serviceName, servicePort } from "./services.js";

interface NcOpts {
  listen: boolean;
  keep: boolean;
  udp: boolean;
  zero: boolean;
  verbose: boolean;
  wait: number | null;
  quit: number | null;
  shutdownOnEof: boolean;
  source: string | null;
  port: number | null;
  host: string | null;
  dport: number | null;
}

/** netcat's usage(0): what it prints for a bad option or no destination at all. */
const USAGE =
  "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n";

function usage(msg: string): CmdResult {
  return { stdout: "", stderr: `nc: ${msg}\n`, exitCode: 1 };
}

/** netcat's strtoport: a number from 1 to 65535 or a service name; the error text otherwise. */
function strtoport(s: string, proto: "tcp" | "udp"): number | string {
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    if (n < 1) return `port number too small: ${s}`;
    if (n > 65535) return `port number too large: ${s}`;
    return n;
  }
  return servicePort(proto, s) ?? `port number invalid: ${s}`;
}

function parsePort(s: string): number | null {
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= 0 && n <= 65535 ? n : null;
}

export async function ncCommand(argv: string[], ctx: CmdContext): Promise<CmdResult> {
  const o: NcOpts = {
    listen: false,
    keep: false,
    udp: false,
    zero: false,
    verbose: false,
    wait: null,
    quit: null,
    shutdownOnEof: false,
    source: null,
    port: null,
    host: null,
    dport: null,
  };
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("-") || a === "-") {
      pos.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      const takeVal = (): string | null => {
        const rest = a.slice(j + 1);
        j = a.length;
        if (rest) return rest;
        return argv[++i] ?? null;
      };
      switch (f) {
        case "l":
          o.listen = true;
          break;
        case "k":
          o.keep = true;
          break;
        case "u":
          o.udp = true;
          break;
        case "z":
          o.zero = true;
          break;
        case "v":
          o.verbose = true;
          break;
        case "n":
        case "4":
        case "D":
        case "d":
          break;
        case "N":
          o.shutdownOnEof = true;
          break;
        case "w": {
          const v = takeVal();
          if (v === null || !/^\d+$/.test(v)) return usage(`timeout invalid: ${v ?? ""}`);
          o.wait = Number(v);
          break;
        }
        case "q": {
          const v = takeVal();
          if (v === null || !/^-?\d+$/.test(v)) return usage(`quit timer invalid: ${v ?? ""}`);
          o.quit = Number(v);
          break;
        }
        case "s":
          o.source = takeVal();
          break;
        case "p": {
          const v = takeVal();
          const p = v === null ? null : parsePort(v);
          if (p === null) return usage(`port number invalid: ${v ?? ""}`);
          o.port = p;
          break;
        }
        default:
          return {
            stdout: "",
            stderr: `nc: invalid option -- '${f}'\n${USAGE}`,
            exitCode: 1,
          };
      }
    }
  }
  const k = ctx.kernel;
  const ns = ctx.ns;
  if (o.listen) {
    let addr = 0;
    let port = o.port;
    if (pos.length === 1) port = parsePort(pos[0]!);
    else if (pos.length >= 2) {
      const r = parseIPv4(pos[0]!) ?? (await resolveHost(ctx, pos[0]!));
      const a = typeof r === "number" ? r : r.addr;
      if (a === null)
        return usage(
          `getaddrinfo for host "${pos[0]}" port ${pos[1]}: ${typeof r === "number" ? "" : r.error}`,
        );
      addr = a;
      port = parsePort(pos[1]!);
    }
    if (port === null) return usage("missing port number");
    if (!ctx.background) {
      return {
        stdout: "",
        stderr:
          "kubetwin: nc -l in the foreground would wait forever here; start it in the background with '&'\n",
        exitCode: 1,
      };
    }
    if (o.udp) {
      if (ns.sockets.portInUse("udp", addr, port)) return usage("Address already in use");
      const sock = { addr, port, onDatagram: (_p: unknown, data: string) => ctx.emitBackground(data) };
      ns.sockets.udp.push(sock);
      ctx.addJob?.(`nc -u -l ${port}`, () => ns.sockets.removeUdp(sock));
      return { stdout: "", stderr: "", exitCode: 0 };
    }
    const r = tcpListen(ns, addr, port, (c: TcpConn) => {
      c.onEvent = (ev) => {
        if (ev.kind === "data") ctx.emitBackground(ev.data);
        if (ev.kind === "closed") tcpClose(ns, c);
      };
      // Without -k netcat serves one connection and stops listening.
      if (!o.keep) ns.sockets.removeListener(listener);
    });
    if (!r.ok) return usage(STRERROR[r.err.errno]);
    const listener = r.value;
    ctx.addJob?.(`nc -l ${port}`, () => ns.sockets.removeListener(listener));
    return { stdout: "", stderr: o.verbose ? `Listening on ${formatIPv4(addr)} ${port}\n` : "", exitCode: 0 };
  }
  if (pos.length < 1) return { stdout: "", stderr: USAGE, exitCode: 1 };
  if (pos.length < 2) return usage("missing port number");
  const proto = o.udp ? "udp" : "tcp";
  // Several ports (each argument after the host, a range LOW-HIGH among them, as build_ports reads
  // them): one connection per port, in order; netcat succeeds if any did.
  const ranges = pos.slice(1).map((p) => /^(\d+)-(\d+)$/.exec(p));
  if (pos.length > 2 || ranges[0]) {
    const ports: string[] = [];
    pos.slice(1).forEach((p, j) => {
      const r = ranges[j];
      if (!r) ports.push(p);
      else {
        const lo = Math.min(Number(r[1]), Number(r[2]));
        const hi = Math.max(Number(r[1]), Number(r[2]));
        for (let n = lo; n <= hi; n++) ports.push(String(n));
      }
    });
    // The same command line with one port in place of all of them (the first port word after the
    // host, and one word for each further port, whatever repeats).
    const at = argv.indexOf(pos[1]!, argv.indexOf(pos[0]!) + 1);
    const rest = argv.slice(at + 1);
    for (const p of pos.slice(2)) {
      const k = rest.indexOf(p);
      if (k >= 0) rest.splice(k, 1);
    }
    const all: CmdResult = { stdout: "", stderr: "", exitCode: 1 };
    for (const p of ports) {
      const one = await ncCommand([...argv.slice(0, at), p, ...rest], ctx);
      all.stdout += one.stdout;
      all.stderr += one.stderr;
      if (one.exitCode === 0) all.exitCode = 0;
    }
    return all;
  }
  const dport = strtoport(pos[1]!, proto);
  if (typeof dport === "string") return usage(dport);
  const host0 = pos[0]!;
  const resolved = parseIPv4(host0) ?? (await resolveHost(ctx, host0));
  const dst = typeof resolved === "number" ? resolved : resolved.addr;
  if (dst === null)
    return usage(
      `getaddrinfo for host "${host0}" port ${pos[1]}: ${typeof resolved === "number" ? "" : resolved.error}`,
    );
  // connection_info names the address too when the host was given by name.
  const named = parseIPv4(host0) === null;
  const host = host0;
  const hostInfo = named ? `${host0} (${formatIPv4(dst)})` : host0;
  let src: number | undefined;
  if (o.source !== null) {
    const a = parseIPv4(o.source);
    if (a === null || ![...ns.devices.values()].some((d) => d.inet.some((x) => x.local === a)))
      return usage("bind failed: Cannot assign requested address");
    src = a;
  }
  if (o.udp) {
    const r = routeOutput(ns, dst, { src: src ?? 0 });
    if (!r.ok)
      return {
        stdout: "",
        stderr: `nc: connect to ${host} port ${dport} (udp) failed: ${STRERROR[r.errno]}\n`,
        exitCode: 1,
      };
    const sport = o.port ?? ephemeralPort(ns, "udp");
    let received = "";
    // A connected UDP socket: an ICMP error makes the next write fail with ECONNREFUSED.
    let refused = false;
    const sock = {
      addr: r.rt.src,
      port: sport,
      onDatagram: (_p: unknown, data: string) => {
        received += data;
      },
      onError: () => {
        refused = true;
      },
    };
    ns.sockets.udp.push(sock);
    let failed = false;
    try {
      if (o.zero) {
        // netcat's udptest: four one-byte writes; the last one's result decides.
        for (let i = 0; i <= 3; i++) {
          if (refused) {
            refused = false;
            failed = true;
          } else {
            failed = false;
            ipSend(ns, { dst, src: r.rt.src, l4: { proto: "udp", sport, dport, payload: "X" } });
          }
        }
      } else if (ctx.stdin.length > 0) {
        ipSend(ns, { dst, src: r.rt.src, l4: { proto: "udp", sport, dport, payload: ctx.stdin } });
      }
      k.advance((o.wait ?? o.quit ?? 0) * 1000);
    } finally {
      ns.sockets.removeUdp(sock);
    }
    if (failed) return { stdout: received, stderr: "", exitCode: 1 };
    const verbose = o.verbose
      ? `Connection to ${hostInfo} ${dport} port [udp/${serviceName("udp", dport)}] succeeded!\n`
      : "";
    return { stdout: received, stderr: verbose, exitCode: 0 };
  }
  let state: "pending" | "connected" | "refused" | "error" | "closed" = "pending";
  let errText = "";
  let received = "";
  const res = tcpConnect(
    ns,
    dst,
    dport,
    { ...(src !== undefined ? { src } : {}), ...(o.port !== null ? { sport: o.port } : {}) },
    (ev) => {
      if (ev.kind === "connected") state = "connected";
      else if (ev.kind === "refused") state = "refused";
      else if (ev.kind === "error") {
        state = "error";
        errText =
          ev.icmpType === 3 && ev.icmpCode === 0
            ? STRERROR.ENETUNREACH
            : ev.icmpType === 3 && (ev.icmpCode === 13 || ev.icmpCode === 9 || ev.icmpCode === 10)
              ? STRERROR.EHOSTUNREACH
              : ev.icmpType === 3 && ev.icmpCode === 3
                ? STRERROR.ECONNREFUSED
                : STRERROR.EHOSTUNREACH;
      } else if (ev.kind === "data") received += ev.data;
      else if (ev.kind === "closed") state = "closed";
    },
  );
  if (!res.ok)
    return {
      stdout: "",
      stderr: o.verbose
        ? `nc: connect to ${host} port ${dport} (tcp) failed: ${STRERROR[res.err.errno]}\n`
        : "",
      exitCode: 1,
    };
  const conn = res.value;
  const limit = k.clock.now + (o.wait !== null ? o.wait * 1000 : 130_000);
  k.runUntil(() => (state as string) !== "pending", limit);
  const st = state as string;
  if (st === "pending") {
    tcpClose(ns, conn);
    return {
      stdout: "",
      // netcat-openbsd reports a failed connect (timeout or refusal) only with -v.
      stderr: o.verbose
        ? `nc: connect to ${host} port ${dport} (tcp) timed out: Operation now in progress\n`
        : "",
      exitCode: 1,
    };
  }
  if (st === "refused")
    return {
      stdout: "",
      stderr: o.verbose ? `nc: connect to ${host} port ${dport} (tcp) failed: Connection refused\n` : "",
      exitCode: 1,
    };
  if (st === "error")
    return {
      stdout: "",
      stderr: o.verbose ? `nc: connect to ${host} port ${dport} (tcp) failed: ${errText}\n` : "",
      exitCode: 1,
    };
  const verbose = o.verbose
    ? `Connection to ${hostInfo} ${dport} port [${proto}/${serviceName("tcp", dport)}] succeeded!\n`
    : "";
  if (!o.zero && ctx.stdin.length > 0) tcpSend(ns, conn, ctx.stdin);
  k.advance((o.quit !== null && o.quit > 0 ? o.quit : 0) * 1000);
  tcpClose(ns, conn);
  return { stdout: received, stderr: verbose, exitCode: 0 };
}
