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
import { resolveHost, reverseHost } from "./resolve.js";

export async function tracerouteCommand(argv: string[], ctx: CmdContext): Promise<CmdResult> {
  let maxHops = 30;
  let queries = 3;
  let waitS = 5;
  let firstTtl = 1;
  let basePort = 33434;
  let numeric = false;
  let srcText: string | null = null;
  let ifName: string | null = null;
  let target: string | null = null;
  let packetlen: number | null = null;
  const err = (text: string, code: number, stdout = ""): CmdResult => ({
    stdout,
    stderr: `${text}\n`,
    exitCode: code,
  });
  const withArg = new Set(["-m", "-q", "-w", "-f", "-p", "-s", "-i", "-N", "-z", "-t", "-l", "-g"]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    // argc in traceroute's messages counts from the program name.
    const pos = i + 1;
    if (a === "-n") numeric = true;
    else if (a === "-4" || a === "-U" || a === "-F" || a === "-r" || a === "-e" || a === "-A") continue;
    else if (withArg.has(a) || (a.length > 2 && withArg.has(a.slice(0, 2)))) {
      const flag = a.slice(0, 2);
      const v = a.length > 2 ? a.slice(2) : argv[++i];
      if (v === undefined) return err(`Option \`${flag}' (argc ${pos}) requires an argument: \`${flag}'`, 2);
      if (flag === "-m") maxHops = Number(v);
      else if (flag === "-q") queries = Number(v);
      else if (flag === "-w") waitS = Number(v.split(",")[0]);
      else if (flag === "-f") firstTtl = Number(v);
      else if (flag === "-p") basePort = Number(v);
      else if (flag === "-s") srcText = v;
      else if (flag === "-i") ifName = v;
    } else if (a.startsWith("-")) return err(`Bad option \`${a}' (argc ${pos})`, 2);
    else if (target === null) target = a;
    else if (packetlen === null) {
      if (!/^\d+$/.test(a))
        return err(`Cannot handle "packetlen" cmdline arg \`${a}' on position 2 (argc ${pos})`, 2);
      packetlen = Number(a);
    } else return err(`Extra arg \`${a}' (position 3, argc ${pos})`, 2);
  }
  if (target === null) return { stdout: "", stderr: 'Specify "host" missing argument.\n', exitCode: 2 };
  if (maxHops > 255) return err("max hops cannot be more than 255", 2);
  if (firstTtl < 1 || firstTtl > maxHops) return err("first hop out of range", 2);
  if (queries < 1 || queries > 10) return err("no more than 10 probes per hop", 2);
  const len = Math.max(28, packetlen ?? 60);
  if (len > 65000) return err(`too big packetlen ${len} specified`, 2);
  const resolved = parseIPv4(target) ?? (await resolveHost(ctx, target));
  const dst = typeof resolved === "number" ? resolved : resolved.addr;
  if (dst === null) {
    const pos = argv.indexOf(target) + 1;
    return err(
      `${target}: ${typeof resolved === "number" ? "" : resolved.error}\nCannot handle "host" cmdline arg \`${target}' on position 1 (argc ${pos})`,
      2,
    );
  }
  const k = ctx.kernel;
  const ns = ctx.ns;
  const header = `traceroute to ${target} (${formatIPv4(dst)}), ${maxHops} hops max, ${len} byte packets\n`;
  const oif = ifName !== null ? (ns.byName.get(ifName) ?? null) : null;
  // The header's newline comes with the first hop: an error before it leaves the line open,
  // and traceroute's error() starts on a new line of its own.
  const open = header.slice(0, -1);
  if (ifName !== null && !oif) return err("\nsetsockopt SO_BINDTODEVICE: No such device", 1, open);
  let bindSrc = 0;
  if (srcText !== null) {
    const a = parseIPv4(srcText);
    const local = a !== null && [...ns.devices.values()].some((d) => d.inet.some((x) => x.local === a));
    if (!local || a === null) return err("\nbind: Cannot assign requested address", 1, open);
    bindSrc = a;
  }
  const r = routeOutput(ns, dst, { src: bindSrc, oif });
  if (!r.ok) return err(`\nconnect: ${STRERROR[r.errno]}`, 1, open);
  const out: string[] = [header];
  // Without -n each address is named: through /etc/hosts, else (no DNS here) by itself.
  const who = (a: number): string =>
    numeric ? formatIPv4(a) : `${reverseHost(ctx, a) ?? formatIPv4(a)} (${formatIPv4(a)})`;
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
      // printf("%2d ", ttl): two columns, wider from hop 100.
      let line = `${String(ttl).padStart(2)} `;
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
        ipSend(ns, {
          dst,
          src: r.rt.src,
          oif,
          ttl,
          l4: { proto: "udp", sport, dport, payload: "@".repeat(len - 28) },
        });
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
        if (a.from !== lastFrom) line += ` ${who(a.from)} `;
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
