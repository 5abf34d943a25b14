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

/** One probe: its hop, its port, when it went, and what answered it. */
interface Probe {
  ttl: number;
  dport: number;
  sent: number | null;
  /** The kernel's transmit count when it went (the round trip printed grows with the hops between). */
  xmitBase: number;
  answer: { from: number; type: number; code: number; at: number; xmits: number } | null;
  done: boolean;
}

export async function tracerouteCommand(argv: string[], ctx: CmdContext): Promise<CmdResult> {
  let maxHops = 30;
  let queries = 3;
  // -w MAX,HERE,NEAR: a probe waits at most MAX seconds, or HERE times the round trip of an answer
  // from its own hop, or NEAR times that of an answer from a later hop (whichever is least).
  let waitS = 5;
  let hereFactor = 3;
  let nearFactor = 10;
  // -N: how many probes may be out at once.
  let simProbes = 16;
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
      else if (flag === "-w") {
        // A factor not given is zero: `-w 1` waits the whole second for every probe, as traceroute
        // did before the factors (measured: `-w 1` 1 s, `-w 1,3,10` 23 ms for the same lost probe).
        const [max, here, near] = v.split(/[,/]/);
        waitS = Number(max);
        hereFactor = here !== undefined ? Number(here) : 0;
        nearFactor = near !== undefined ? Number(near) : 0;
      } else if (flag === "-N") simProbes = Math.max(1, Number(v));
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
  // traceroute's probes, in order: three (-q) per hop from the first hop (-f) to the last (-m).
  const firstProbe = (firstTtl - 1) * queries;
  const probes: Probe[] = [];
  for (let n = firstProbe; n < maxHops * queries; n++)
    probes.push({
      ttl: Math.floor(n / queries) + 1,
      dport: basePort + n - firstProbe,
      sent: null,
      xmitBase: 0,
      answer: null,
      done: false,
    });
  const byPort = new Map(probes.map((pb) => [pb.dport, pb]));
  let answers = 0;
  const sock = {
    addr: 0,
    port: sport,
    onDatagram: () => {},
    onError: (p: Ipv4Packet) => {
      const m = p.l4;
      const probe = m.proto === "icmp" ? m.inner?.l4 : undefined;
      if (m.proto !== "icmp" || probe?.proto !== "udp") return;
      const pb = byPort.get(probe.dport);
      if (pb && pb.sent !== null && !pb.done) {
        pb.answer = {
          from: p.src,
          type: m.type,
          code: m.code,
          at: k.clock.now,
          xmits: k.xmitCount - pb.xmitBase,
        };
        pb.done = true;
        answers++;
      }
    },
  };
  /** When a probe in flight counts as lost (get_expire): MAX, or sooner when its hop or a later one answered. */
  const expireOf = (i: number): number => {
    const pb = probes[i]!;
    let timo = waitS * 1000;
    const rtt = (x: Probe): number | null =>
      x.done && x.answer && x.sent !== null && x.answer.at - x.sent >= 0 ? x.answer.at - x.sent + 1 : null;
    const hopStart = i - ((i + firstProbe) % queries);
    if (hereFactor > 0)
      for (let j = hopStart; j < hopStart + queries && j < probes.length; j++) {
        const v = j === i ? null : rtt(probes[j]!);
        if (v !== null) timo = Math.min(timo, v * hereFactor);
      }
    if (nearFactor > 0)
      for (let j = hopStart + queries; j < probes.length; j++) {
        const v = rtt(probes[j]!);
        if (v !== null) {
          timo = Math.min(timo, v * nearFactor);
          break;
        }
      }
    return pb.sent! + timo;
  };
  let line = "";
  let lastFrom: number | null = null;
  const print = (pb: Probe, idx: number): void => {
    if (idx === 0) {
      // printf("%2d ", ttl): two columns, wider from hop 100.
      line = `${String(pb.ttl).padStart(2)} `;
      lastFrom = null;
    }
    const a = pb.answer;
    if (!a) line += " *";
    else {
      const rtt = a.at - pb.sent! + 0.02 + 0.004 * a.xmits + 0.001 * idx;
      if (a.from !== lastFrom) line += ` ${who(a.from)} `;
      lastFrom = a.from;
      line += ` ${rtt.toFixed(3)} ms`;
      if (a.type === 3 && a.code !== 3)
        line += a.code === 0 ? " !N" : a.code === 1 ? " !H" : a.code === 13 ? " !X" : ` !<${a.code}>`;
    }
    if (idx === queries - 1) out.push(`${line}\n`);
  };
  ns.sockets.udp.push(sock);
  try {
    // do_it: up to -N probes out at once, in order; each printed once it and all before it are done; an
    // unreachable from any probe (the destination's port unreachable, or a router's) is the last hop.
    let start = 0;
    let end = probes.length;
    while (start < end) {
      // Answers that came while this round sent are already waiting: poll() returns at once for them.
      const before = answers;
      // The last hop: the first whose probe met an unreachable (probes sent past it are ignored).
      for (let i = start; i < end; i++) {
        const a = probes[i]!.answer;
        if (a && a.type === 3) {
          const hop = Math.floor((i + firstProbe) / queries);
          end = Math.min(end, (hop + 1) * queries - firstProbe);
          break;
        }
      }
      let inFlight = 0;
      let wakeAt = 0;
      const now = k.clock.now;
      for (let i = start; i < end; i++) {
        const pb = probes[i]!;
        if (!pb.done && pb.sent !== null && expireOf(i) <= now) pb.done = true;
        if (pb.done) {
          if (i === start) {
            print(pb, (i + firstProbe) % queries);
            start++;
          }
          continue;
        }
        if (pb.sent === null) {
          if (inFlight >= simProbes) break;
          pb.sent = k.clock.now;
          pb.xmitBase = k.xmitCount;
          ipSend(ns, {
            dst,
            src: r.rt.src,
            oif,
            ttl: pb.ttl,
            l4: { proto: "udp", sport, dport: pb.dport, payload: "@".repeat(len - 28) },
          });
        }
        inFlight++;
        wakeAt = Math.max(wakeAt, expireOf(i));
      }
      if (inFlight === 0) continue;
      // poll(): until an answer comes or the last probe out expires.
      k.runUntil(() => answers !== before, wakeAt);
    }
  } finally {
    ns.sockets.removeUdp(sock);
  }
  return { stdout: out.join(""), stderr: "", exitCode: 0 };
}
