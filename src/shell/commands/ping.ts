/**
 * @module shell/commands/ping
 * iputils ping (s20221126, Debian 12): echo requests through the model's
 * stack on simulated time, with ping's own lines, errors and exit status.
 */
import { STRERROR } from "../../kernel/errno.js";
import { ipSend } from "../../kernel/ipv4/ip.js";
import { routeOutput } from "../../kernel/ipv4/route.js";
import type { NetDevice } from "../../kernel/types.js";
import { formatIPv4, parseIPv4 } from "../../net/ip.js";
import type { Ipv4Packet } from "../../net/packet.js";
import { type CmdContext, CmdError, type CmdResult } from "../types.js";
import { resolveHost, reverseHost } from "./resolve.js";

const UNREACH: Record<number, string> = {
  0: "Destination Net Unreachable",
  1: "Destination Host Unreachable",
  2: "Destination Protocol Unreachable",
  3: "Destination Port Unreachable",
  4: "Frag needed and DF set",
  5: "Source Route Failed",
  6: "Destination Net Unknown",
  7: "Destination Host Unknown",
  9: "Destination Net Prohibited",
  10: "Destination Host Prohibited",
  13: "Packet filtered",
};

/** printf("%g") for the loss percentage. */
export function fmtG(v: number): string {
  if (v === 0) return "0";
  const s = Number(v.toPrecision(6));
  return String(s);
}

function fmt3(v: number): string {
  return v.toFixed(3);
}

/** inet_aton: a.b.c.d, a.b.c (c fills 16 bits), a.b (b fills 24), a (32 bits); parts in decimal, octal or hex. */
function inetAton(s: string): number | null {
  const parts = s.split(".");
  if (parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length > 2 ? Number.parseInt(p, 16) : 0;
    else if (/^0[0-7]*$/.test(p)) n = Number.parseInt(p, 8);
    else if (/^[1-9]\d*$/.test(p)) n = Number(p);
    else return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255)) return null;
  const restBits = 8 * (4 - nums.length);
  if (last >= 2 ** restBits) return null;
  let v = 0;
  for (const n of nums) v = v * 256 + n;
  return (v * 2 ** restBits + last) >>> 0;
}

let nextIdent = 0x1c2a;

interface PingOpts {
  count: number | null;
  interval: number;
  wait: number | null;
  deadline: number | null;
  ttl: number | null;
  iface: string | null;
  broadcast: boolean;
  quiet: boolean;
  size: number;
  /** -M: path MTU discovery strategy (do: never fragment locally). */
  pmtudisc: "do" | "want" | "dont" | "probe" | null;
  numeric: boolean;
  target: string;
}

function parse(argv: string[]): PingOpts {
  const o: PingOpts = {
    count: null,
    interval: 1,
    wait: null,
    deadline: null,
    ttl: null,
    iface: null,
    broadcast: false,
    quiet: false,
    size: 56,
    pmtudisc: null,
    numeric: false,
    target: "",
  };
  const num = (flag: string, v: string | undefined, int: boolean): number => {
    if (v === undefined) throw new CmdError(`ping: option requires an argument -- '${flag}'`, 2);
    const n = Number(v);
    if (!Number.isFinite(n) || (int && !Number.isInteger(n)) || n < 0) {
      throw new CmdError(`ping: invalid argument: '${v}'`, 1);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("-") && a.length > 1) {
      const flag = a[1]!;
      const inline = a.length > 2 ? a.slice(2) : undefined;
      const val = (): string | undefined => inline ?? argv[++i];
      switch (flag) {
        case "c":
          o.count = num("c", val(), true);
          if (o.count === 0)
            throw new CmdError(
              "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807",
              1,
            );
          break;
        case "i":
          o.interval = num("i", val(), false);
          break;
        case "W":
          o.wait = num("W", val(), false);
          break;
        case "w":
          o.deadline = num("w", val(), true);
          break;
        case "t":
          o.ttl = num("t", val(), true);
          if (o.ttl === 0) throw new CmdError("ping: cannot set unicast time-to-live: Invalid argument", 2);
          if (o.ttl > 255)
            throw new CmdError(`ping: invalid argument: '${o.ttl}': out of range: 1 <= value <= 255`, 1);
          break;
        case "I":
          o.iface = val() ?? null;
          break;
        case "s":
          o.size = num("s", val(), true);
          break;
        case "b":
          o.broadcast = true;
          break;
        case "M": {
          const v = val();
          if (v === undefined) throw new CmdError("ping: option requires an argument -- 'M'", 2);
          if (v !== "do" && v !== "want" && v !== "dont" && v !== "probe")
            throw new CmdError(`ping: invalid -M argument: ${v}`, 2);
          o.pmtudisc = v;
          break;
        }
        case "q":
          o.quiet = true;
          break;
        case "n":
          o.numeric = true;
          break;
        case "4":
          break;
        case "Q":
          // TOS/DSCP: accepted, not modelled.
          val();
          break;
        default:
          throw new CmdError(`ping: invalid option -- '${flag}'`, 2);
      }
      continue;
    }
    o.target = a;
  }
  if (!o.target) throw new CmdError("ping: usage error: Destination address required", 1);
  return o;
}

export async function pingCommand(argv: string[], ctx: CmdContext): Promise<CmdResult> {
  let o: PingOpts;
  try {
    o = parse(argv);
  } catch (e) {
    if (e instanceof CmdError) return { stdout: "", stderr: `${e.message}\n`, exitCode: e.exitCode };
    throw e;
  }
  const k = ctx.kernel;
  const ns = ctx.ns;
  // getaddrinfo takes inet_aton's forms (10.1, 0x7f000001); other names go to /etc/hosts, then DNS,
  // through the machine's resolver.
  let dst = inetAton(o.target);
  // iputils asks for AI_CANONNAME and prints that name (the FQDN the search list found).
  let hostname = o.target;
  if (dst === null) {
    const r = await resolveHost(ctx, o.target);
    if (r.addr === null) return { stdout: "", stderr: `ping: ${o.target}: ${r.error}\n`, exitCode: 2 };
    dst = r.addr;
    hostname = r.canonicalName ?? o.target;
  }
  let oif: NetDevice | null = null;
  let bindSrc: number | undefined;
  if (o.iface) {
    const asAddr = parseIPv4(o.iface);
    if (asAddr !== null) {
      bindSrc = asAddr;
      const local = [...ns.devices.values()].some((d) => d.inet.some((a) => a.local === asAddr));
      if (!local) return { stdout: "", stderr: "ping: bind: Cannot assign requested address\n", exitCode: 2 };
    } else {
      oif = ns.byName.get(o.iface) ?? null;
      if (!oif)
        return { stdout: "", stderr: `ping: SO_BINDTODEVICE ${o.iface}: No such device\n`, exitCode: 2 };
    }
  }
  if (o.count === null && o.deadline === null) {
    return {
      stdout: "",
      stderr: "kubetwin: ping without -c or -w would run forever; give a count (-c N)\n",
      exitCode: 2,
    };
  }
  // connect() first: routing errors end ping before it prints anything.
  const r = routeOutput(ns, dst, { src: bindSrc ?? 0, oif });
  if (!r.ok) {
    // iputils reads EACCES from connect() as a broadcast refused without -b.
    if (r.errno === "EACCES" && !o.broadcast)
      return {
        stdout: "",
        stderr: "ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n",
        exitCode: 2,
      };
    return { stdout: "", stderr: `ping: connect: ${STRERROR[r.errno]}\n`, exitCode: 2 };
  }
  // 0.0.0.0: the kernel sends to the address connect() filled in (127.0.0.1).
  if (dst === 0) dst = r.rt.nexthop;
  if (r.rt.type === "broadcast" && !o.broadcast) {
    return {
      stdout: "",
      stderr: "ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n",
      exitCode: 2,
    };
  }
  let stderr = "";
  if (r.rt.type === "broadcast") stderr += "WARNING: pinging broadcast address\n";
  // The source the probe connect() found; with -I DEV, a warning when it is not one of DEV's addresses.
  const src = bindSrc ?? r.rt.src;
  if (oif && !oif.inet.some((a) => a.local === src))
    stderr += `ping: Warning: source address might be selected on device other than: ${oif.name}\n`;
  const from = bindSrc !== undefined || oif ? `from ${formatIPv4(src)} ${oif ? oif.name : ""}: ` : "";
  // Replies carry a timestamp only when the payload has room for a struct timeval.
  const timing = o.size >= 16;
  // A target given by name makes ping name the hosts that answer (pr_addr): "name (address)".
  const numeric = o.numeric || inetAton(o.target) !== null;
  const who = (a: number): string =>
    numeric ? formatIPv4(a) : `${reverseHost(ctx, a) ?? formatIPv4(a)} (${formatIPv4(a)})`;
  // ip_append_data: EMSGSIZE beyond the IP length limit, or beyond the path MTU with -M do/probe.
  const pathMtu = Math.min(r.rt.dev.mtu, 65535);
  const tooBig =
    o.size + 28 > 65535 || ((o.pmtudisc === "do" || o.pmtudisc === "probe") && o.size + 28 > pathMtu);
  const id = nextIdent++ & 0xffff;
  const out: string[] = [
    `PING ${hostname} (${formatIPv4(dst)}) ${from}${o.size}(${o.size + 28}) bytes of data.\n`,
  ];
  const sentAt = new Map<number, number>();
  const got = new Set<number>();
  const rtts: number[] = [];
  let errors = 0;
  let xmitBase = 0;
  ns.sockets.ping.set(id, {
    id,
    onPacket: (p: Ipv4Packet) => {
      const m = p.l4;
      if (m.proto !== "icmp") return;
      if (m.type === 0) {
        const t = sentAt.get(m.seq);
        if (t === undefined) return;
        const dup = got.has(m.seq);
        got.add(m.seq);
        const rtt = k.clock.now - t + 0.02 + 0.004 * (k.xmitCount - xmitBase);
        rtts.push(rtt);
        if (!o.quiet)
          out.push(
            `${o.size + 8} bytes from ${who(p.src)}: icmp_seq=${m.seq} ttl=${p.ttl}${timing ? ` time=${rtt < 1 ? rtt.toFixed(3) : rtt < 10 ? rtt.toFixed(2) : rtt < 100 ? rtt.toFixed(1) : rtt.toFixed(0)} ms` : ""}${dup ? " (DUP!)" : ""}\n`,
          );
        return;
      }
      const inner = m.inner?.l4;
      const seq = inner && inner.proto === "icmp" ? inner.seq : 0;
      if (m.type === 5) {
        if (!o.quiet)
          out.push(
            `From ${who(p.src)}: icmp_seq=${seq} Redirect Host(New nexthop: ${formatIPv4(m.gateway ?? 0)})\n`,
          );
        return;
      }
      errors++;
      let text = `Dest Unreachable, Bad Code: ${m.code}`;
      if (m.type === 3) text = UNREACH[m.code] ?? text;
      else if (m.type === 11) text = m.code === 0 ? "Time to live exceeded" : "Frag reassembly time exceeded";
      if (!o.quiet) out.push(`From ${who(p.src)} icmp_seq=${seq} ${text}\n`);
    },
  });
  const start = k.clock.now;
  let lastSent = start;
  let sent = 0;
  const total = o.count ?? Number.POSITIVE_INFINITY;
  const deadlineAt = o.deadline !== null ? start + o.deadline * 1000 : Number.POSITIVE_INFINITY;
  const intervalMs = Math.round(o.interval * 1000);
  // iputils' main loop: with a deadline (-w), the first error ends the run.
  const stopNow = (): boolean => o.deadline !== null && errors > 0;
  /** Time passes until the next send, or until an error ends the run early. */
  const waitFor = (ms: number): void => void k.runUntil(stopNow, k.clock.now + ms);
  try {
    for (let seq = 1; seq <= total; seq++) {
      if (k.clock.now >= deadlineAt || stopNow()) break;
      lastSent = k.clock.now;
      sentAt.set(seq, k.clock.now);
      xmitBase = k.xmitCount;
      if (tooBig) {
        sent++;
        errors++;
        stderr += `ping: local error: message too long, mtu=${pathMtu}\n`;
        if (seq < total) waitFor(Math.min(intervalMs, Math.max(0, deadlineAt - k.clock.now)));
        continue;
      }
      const res = ipSend(ns, {
        dst,
        ...(bindSrc !== undefined ? { src: bindSrc } : {}),
        oif,
        broadcast: o.broadcast,
        ...(o.ttl !== null ? { ttl: o.ttl } : {}),
        l4: { proto: "icmp", type: 8, code: 0, id, seq },
      });
      sent++;
      if (!res.ok) {
        out.push(`ping: sendmsg: ${STRERROR[res.err.errno]}\n`);
        errors++;
      }
      if (seq < total) waitFor(Math.min(intervalMs, Math.max(0, deadlineAt - k.clock.now)));
    }
    // Linger for the replies still outstanding: -W seconds, else up to 10 s (or until the deadline).
    // iputils stops once replies plus errors account for every packet sent.
    const pending = (): boolean => got.size + errors < sentAt.size;
    if (pending()) {
      const linger =
        o.deadline !== null ? deadlineAt : k.clock.now + (o.wait !== null ? o.wait * 1000 : 10000);
      k.runUntil(() => !pending() || stopNow(), linger);
    }
  } finally {
    ns.sockets.ping.delete(id);
  }
  const received = got.size;
  const loss = sent === 0 ? 0 : ((sent - received) * 100) / sent;
  const elapsed = Math.round(lastSent - start);
  out.push(`\n--- ${hostname} ping statistics ---\n`);
  out.push(
    `${sent} packets transmitted, ${received} received,${errors ? ` +${errors} errors,` : ""} ${fmtG(loss)}% packet loss, time ${elapsed}ms\n`,
  );
  if (received > 0 && timing) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
    const mdev = Math.sqrt(rtts.reduce((a, b) => a + b * b, 0) / rtts.length - avg * avg);
    out.push(
      `rtt min/avg/max/mdev = ${fmt3(min)}/${fmt3(avg)}/${fmt3(max)}/${fmt3(Number.isNaN(mdev) ? 0 : mdev)} ms\n`,
    );
  } else out.push("\n");
  const exitCode = received > 0 && (o.deadline === null || received >= (o.count ?? 1)) ? 0 : 1;
  return { stdout: out.join(""), stderr, exitCode };
}
