/**
 * @module shell/commands/traceroute
 * traceroute 2.1 (Debian) with -n: UDP probes to port 33434 and up, three
 * per TTL, answered by ICMP time exceeded from each router and port
 * unreachable from the destination.
 */
import { STRERROR } from "../../kernel/errno.js";
import { ipSend } from "../../kernel/ipv4/ip.js";
import { routeOutput } from "../../kernel/ipv4/route.js";
import { ephemeralPort } from "../../kernel/ipv4/tcp.js";
import { formatIPv4, parseIPv4 } from "../../net/ip.js";
import type { Ipv4Packet } from "../../net/packet.js";
import type { CmdContext, CmdResult } from "../types.js";
import { resolveHost } from "./resolve.js";

export function tracerouteCommand(argv: string[], ctx: CmdContext): CmdResult {
  let maxHops = 30;
  let queries = 3;
  let waitS = 5;
  let firstTtl = 1;
  let basePort = 33434;
  let target: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-n" || a === "-4" || a === "-U") continue;
    if (a === "-m") maxHops = Number(argv[++i]);
    else if (a === "-q") queries = Number(argv[++i]);
    else if (a === "-w") waitS = Number(argv[++i]);
    else if (a === "-f") firstTtl = Number(argv[++i]);
    else if (a === "-p") basePort = Number(argv[++i]);
    else if (a.startsWith("-")) return { stdout: "", stderr: `Bad option \`${a}' (argc 1)\n`, exitCode: 2 };
    else target = a;
  }
  if (target === null) return { stdout: "", stderr: 'Specify "host" missing argument.\n', exitCode: 2 };
  const dst = parseIPv4(target) ?? resolveHost(ctx, target);
  if (dst === null)
    return {
      stdout: "",
      stderr: `${target}: Name or service not known\nCannot handle "host" cmdline arg \`${target}' on position 1 (argc 1)\n`,
      exitCode: 2,
    };
  const k = ctx.kernel;
  const ns = ctx.ns;
  const r = routeOutput(ns, dst);
  if (!r.ok) return { stdout: "", stderr: `connect: ${STRERROR[r.errno]}\n`, exitCode: 1 };
  const out: string[] = [
    `traceroute to ${target} (${formatIPv4(dst)}), ${maxHops} hops max, 60 byte packets\n`,
  ];
  const sport = ephemeralPort(ns, "udp");
  const answers = new Map<number, { from: number; type: number; code: number; at: number }>();
  const sock = {
    addr: 0,
    port: sport,
    onDatagram: () => {},
    onError: (p: Ipv4Packet) => {
      const m = p.l4;
      const probe = m.proto === "icmp" ? m.inner?.l4 : undefined;
      if (m.proto === "icmp" && probe?.proto === "udp" && !answers.has(probe.dport)) {
        answers.set(probe.dport, { from: p.src, type: m.type, code: m.code, at: k.clock.now });
      }
    },
  };
  ns.sockets.udp.push(sock);
  let port = basePort;
  try {
    for (let ttl = firstTtl; ttl <= maxHops; ttl++) {
      let line = ` ${String(ttl).padStart(ttl < 10 ? 1 : 2)} `;
      let lastFrom: number | null = null;
      let reached = false;
      // The probes of one hop go out together and share one wait, as traceroute's parallel probing does.
      answers.clear();
      const start = k.clock.now;
      const base = k.xmitCount;
      const ports: number[] = [];
      for (let q = 0; q < queries; q++) {
        const dport = port++;
        ports.push(dport);
        ipSend(ns, { dst, src: r.rt.src, ttl, l4: { proto: "udp", sport, dport, payload: "@".repeat(32) } });
      }
      const limit = start + waitS * 1000;
      while (answers.size < queries && k.clock.now < limit) {
        const next = k.clock.nextDue();
        if (next === null || next > limit) {
          k.advance(limit - k.clock.now);
          break;
        }
        k.advance(Math.max(0, next - k.clock.now));
      }
      ports.forEach((dport, q) => {
        const a = answers.get(dport);
        if (!a) {
          line += " *";
          return;
        }
        const rtt = a.at - start + 0.02 + 0.004 * (k.xmitCount - base) + 0.001 * q;
        if (a.from !== lastFrom) line += ` ${formatIPv4(a.from)} `;
        lastFrom = a.from;
        line += ` ${rtt.toFixed(3)} ms`;
        if (a.type === 3) {
          reached = true;
          if (a.code !== 3)
            line += a.code === 0 ? " !N" : a.code === 1 ? " !H" : a.code === 13 ? " !X" : ` !<${a.code}>`;
        }
      });
      out.push(`${line}\n`);
      if (reached) break;
    }
  } finally {
    ns.sockets.removeUdp(sock);
  }
  return { stdout: out.join(""), stderr: "", exitCode: 0 };
}
