/**
 * @module shell/commands/ipvsadm
 * ipvsadm 1.31 over the namespace's IPVS tables: -A/-E/-D (services), -a/-e/-d
 * (real servers), -C, -L/-l (with -n, -c for the connection table, --nosort),
 * --stats, -S/--save (with -n), printing what ipvsadm prints: its header, the
 * "%s  %s %s" service lines, the "  -> %-28s %-7s %-6d %-10u %-10u" real
 * server lines, "%-3s %-6s %-11s %-18s %-18s %s" connection lines, and the
 * libipvs error texts. Names are never resolved: -L prints as -Ln does.
 */
import type { Errno } from "../../kernel/errno.js";
import {
  IP_VS_CONN_TAB_SIZE,
  IP_VS_SVC_F_ONEPACKET,
  IP_VS_SVC_F_PERSISTENT,
  type IpVsDest,
  type IpVsFwd,
  type IpVsProto,
  type IpVsService,
  type IpVsStats,
  ipVsAddDest,
  ipVsAddService,
  ipVsConnFlushService,
  ipVsConnGc,
  ipVsConnTable,
  ipVsDelDest,
  ipVsDelService,
  ipVsEditDest,
  ipVsEditService,
  ipVsFindService,
  ipVsFlush,
  ipvsOf,
} from "../../kernel/ipvs/index.js";
import type { NetNs } from "../../kernel/netns.js";
import { formatIPv4, parseIPv4 } from "../../net/ip.js";
import type { CmdContext, CmdResult } from "../types.js";

type Cmd = "A" | "E" | "D" | "C" | "a" | "e" | "d" | "L" | "S";

interface Opts {
  cmd: Cmd | null;
  numeric: boolean;
  conn: boolean;
  stats: boolean;
  nosort: boolean;
  service: { proto: IpVsProto; addr: number; port: number } | null;
  scheduler: string | null;
  persistent: number | null;
  netmask: number | null;
  ops: boolean;
  real: { addr: number; port: number | null } | null;
  fwd: IpVsFwd | null;
  weight: number | null;
}

class UsageError extends Error {}

const PROTO_NAME: Record<number, string> = { 6: "TCP", 17: "UDP", 132: "SCTP" };
const PROTO_SWITCH: Record<number, string> = { 6: "-t", 17: "-u", 132: "--sctp-service" };
const FWD_NAME: Record<IpVsFwd, string> = { masq: "Masq", local: "Local", tunnel: "Tunnel", route: "Route" };
const FWD_SWITCH: Record<IpVsFwd, string> = { masq: "-m", local: "-m", tunnel: "-i", route: "-g" };

function parseAddrPort(s: string, needPort: boolean): { addr: number; port: number | null } {
  const [a, p] = s.split(":");
  const addr = parseIPv4(a ?? "");
  if (addr === null) throw new UsageError(`illegal virtual server address[:port] specified`);
  if (p === undefined) {
    if (needPort) return { addr, port: 0 };
    return { addr, port: null };
  }
  if (!/^\d+$/.test(p) || Number(p) > 65535) throw new UsageError("illegal port number specified");
  return { addr, port: Number(p) };
}

const LONG: Record<string, string> = {
  "--add-service": "A",
  "--edit-service": "E",
  "--delete-service": "D",
  "--clear": "C",
  "--add-server": "a",
  "--edit-server": "e",
  "--delete-server": "d",
  "--list": "L",
  "--save": "S",
  "--numeric": "n",
  "--connection": "c",
  "--tcp-service": "t",
  "--udp-service": "u",
  "--sctp-service": "sctp",
  "--scheduler": "s",
  "--persistent": "p",
  "--netmask": "M",
  "--real-server": "r",
  "--masquerading": "m",
  "--gatewaying": "g",
  "--ipip": "i",
  "--weight": "w",
  "--ops": "o",
};

const WITH_ARG = new Set(["t", "u", "sctp", "s", "M", "r", "w"]);

function parseArgs(argv: string[]): Opts {
  const o: Opts = {
    cmd: null,
    numeric: false,
    conn: false,
    stats: false,
    nosort: false,
    service: null,
    scheduler: null,
    persistent: null,
    netmask: null,
    ops: false,
    real: null,
    fwd: null,
    weight: null,
  };
  // Expand "-Lnc" into single letters; long options to their letters.
  const toks: string[] = [];
  for (const a of argv) {
    if (a.startsWith("--")) {
      if (a === "--nosort" || a === "--exact" || a === "--stats" || a === "--rate") toks.push(a);
      else if (LONG[a]) toks.push(LONG[a]);
      else throw new UsageError(`unrecognized option '${a}'`);
    } else if (a.startsWith("-") && a.length > 1) {
      for (let i = 1; i < a.length; i++) {
        const ch = a[i]!;
        toks.push(ch);
        // An option with an argument takes the rest of the word, as getopt does.
        if (WITH_ARG.has(ch) && i + 1 < a.length) {
          toks.push(a.slice(i + 1));
          break;
        }
      }
    } else toks.push(a);
  }
  const setCmd = (c: Cmd): void => {
    if (o.cmd !== null && o.cmd !== c) throw new UsageError("multiple commands specified");
    o.cmd = c;
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const arg = (): string => {
      const v = toks[++i];
      if (v === undefined) throw new UsageError(`option requires an argument -- '${t}'`);
      return v;
    };
    switch (t) {
      case "A":
      case "E":
      case "D":
      case "C":
      case "a":
      case "e":
      case "d":
      case "S":
        setCmd(t);
        break;
      case "L":
      case "l":
        setCmd("L");
        break;
      case "n":
        o.numeric = true;
        break;
      case "c":
        o.conn = true;
        break;
      case "--nosort":
        o.nosort = true;
        break;
      case "--stats":
        o.stats = true;
        break;
      case "--exact":
      case "--rate":
        throw new UsageError(`kubetwin does not model ${t}`);
      case "t":
      case "u":
      case "sctp": {
        const ap = parseAddrPort(arg(), true);
        o.service = { proto: t === "t" ? 6 : t === "u" ? 17 : 132, addr: ap.addr, port: ap.port ?? 0 };
        break;
      }
      case "s":
        o.scheduler = arg();
        break;
      case "p": {
        const v = toks[i + 1];
        if (v !== undefined && /^\d+$/.test(v)) {
          o.persistent = Number(v);
          i++;
        } else o.persistent = 300;
        break;
      }
      case "M": {
        const m = parseIPv4(arg());
        if (m === null) throw new UsageError("illegal virtual server netmask specified");
        o.netmask = m;
        break;
      }
      case "r":
        o.real = parseAddrPort(arg(), false);
        break;
      case "m":
        o.fwd = "masq";
        break;
      case "g":
        o.fwd = "route";
        break;
      case "i":
        o.fwd = "tunnel";
        break;
      case "o":
        o.ops = true;
        break;
      case "w": {
        const v = arg();
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError("illegal weight specified");
        o.weight = Number(v);
        break;
      }
      default:
        throw new UsageError(`invalid option -- '${t}'`);
    }
  }
  return o;
}

/** libipvs ipvs_strerror, by operation and errno. */
function strerror(
  op: "addSvc" | "editSvc" | "delSvc" | "addDest" | "editDest" | "delDest",
  e: Errno,
): string {
  if (e === "EEXIST") return op === "addSvc" ? "Service already exists" : "Destination already exists";
  if (e === "ESRCH")
    return op === "addSvc" || op === "editSvc" || op === "delSvc" ? "No such service" : "Service not defined";
  if (e === "ENOENT")
    return op === "addSvc" || op === "editSvc"
      ? "Scheduler or persistence engine not found"
      : "No such destination";
  if (e === "EINVAL") return "Invalid argument";
  return "Unknown error";
}

const ap = (a: number, p: number): string => `${formatIPv4(a)}:${p}`;

function sortedServices(ns: NetNs, nosort: boolean): IpVsService[] {
  const list = [...ipvsOf(ns).services.values()];
  if (nosort) return list;
  // ipvs_cmp_services: protocol, then address, then port.
  return list.sort((x, y) => x.proto - y.proto || (x.addr >>> 0) - (y.addr >>> 0) || x.port - y.port);
}

function sortedDests(svc: IpVsService, nosort: boolean): IpVsDest[] {
  if (nosort) return [...svc.dests];
  return [...svc.dests].sort((x, y) => (x.addr >>> 0) - (y.addr >>> 0) || x.port - y.port);
}

function serviceFlags(svc: IpVsService): string {
  let s = "";
  // As print_service_entry has it: "ops" is printed only inside the persistent part.
  if (svc.flags & IP_VS_SVC_F_PERSISTENT) {
    s += ` persistent ${svc.timeout}`;
    if (svc.netmask >>> 0 !== 0xffffffff) s += ` mask ${formatIPv4(svc.netmask)}`;
    if (svc.flags & IP_VS_SVC_F_ONEPACKET) s += " ops";
  }
  return s;
}

/** ipvsadm -L / -Ln (with -t/-u: that service only, or "No such service"). */
export function ipvsList(ns: NetNs, nosort = false, only: IpVsService | null = null): string {
  let s = `IP Virtual Server version 1.2.1 (size=${IP_VS_CONN_TAB_SIZE})\n`;
  s += "Prot LocalAddress:Port Scheduler Flags\n";
  s += "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
  ipVsConnGc(ns);
  for (const svc of only ? [only] : sortedServices(ns, nosort)) {
    s += `${PROTO_NAME[svc.proto]}  ${ap(svc.addr, svc.port)} ${svc.scheduler}${serviceFlags(svc)}\n`;
    for (const d of sortedDests(svc, nosort))
      s += `  -> ${ap(d.addr, d.port).padEnd(28)} ${FWD_NAME[d.fwd].padEnd(7)} ${String(d.weight).padEnd(6)} ${String(d.activeconns).padEnd(10)} ${String(d.inactconns).padEnd(10)}\n`;
  }
  return s;
}

/** print_largenum: nine columns, then K/M/G/T once the number no longer fits. */
function largenum(i: number): string {
  if (i < 100_000_000) return String(i).padStart(9);
  if (i < 1_000_000_000) return `${String(Math.floor(i / 1000)).padStart(8)}K`;
  if (i < 100_000_000_000) return `${String(Math.floor(i / 1_000_000)).padStart(8)}M`;
  if (i < 100_000_000_000_000) return `${String(Math.floor(i / 1_000_000_000)).padStart(8)}G`;
  return `${String(Math.floor(i / 1_000_000_000_000)).padStart(8)}T`;
}

function statsColumns(st: IpVsStats): string {
  return [st.conns, st.inpkts, st.outpkts, st.inbytes, st.outbytes].map(largenum).join("");
}

/** ipvsadm -Ln --stats: connections, packets and bytes per service and real server. */
export function ipvsStats(ns: NetNs, nosort = false): string {
  let s = `IP Virtual Server version 1.2.1 (size=${IP_VS_CONN_TAB_SIZE})\n`;
  s += "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n";
  s += "  -> RemoteAddress:Port\n";
  for (const svc of sortedServices(ns, nosort)) {
    s += `${`${PROTO_NAME[svc.proto]}  ${ap(svc.addr, svc.port)}`.padEnd(33)}${statsColumns(svc.stats)}\n`;
    for (const d of sortedDests(svc, nosort))
      s += `  -> ${ap(d.addr, d.port).padEnd(28)}${statsColumns(d.stats)}\n`;
  }
  return s;
}

/** ipvsadm -S -n: the rules that rebuild the table. */
export function ipvsSave(ns: NetNs, nosort = false): string {
  let s = "";
  for (const svc of sortedServices(ns, nosort)) {
    const name = `${PROTO_SWITCH[svc.proto]} ${ap(svc.addr, svc.port)}`;
    s += `-A ${name} -s ${svc.scheduler}`;
    if (svc.flags & IP_VS_SVC_F_PERSISTENT) {
      s += ` -p ${svc.timeout}`;
      if (svc.netmask >>> 0 !== 0xffffffff) s += ` -M ${formatIPv4(svc.netmask)}`;
    }
    // FMT_RULE prints " ops" (not the -o option that reads it back).
    if (svc.flags & IP_VS_SVC_F_ONEPACKET) s += " ops";
    s += "\n";
    for (const d of sortedDests(svc, nosort))
      s += `-a ${name} -r ${ap(d.addr, d.port)} ${FWD_SWITCH[d.fwd]} -w ${d.weight}\n`;
  }
  return s;
}

/** ipvsadm -Lnc: /proc/net/ip_vs_conn as ipvsadm prints it. */
export function ipvsConnList(ns: NetNs): string {
  ipVsConnGc(ns);
  let s = "IPVS connection entries\n";
  s += `pro expire ${"state".padEnd(11)} ${"source".padEnd(18)} ${"virtual".padEnd(18)} destination\n`;
  const now = ns.kernel.clock.now;
  for (const c of ipVsConnTable(ns).all) {
    const left = Math.max(0, Math.floor((c.expires - now) / 1000));
    const expire = `${String(Math.floor(left / 60)).padStart(2, "0")}:${String(left % 60).padStart(2, "0")}`;
    const state = c.state === "UDP" ? "UDP" : c.state;
    s += `${(PROTO_NAME[c.proto] ?? "IP").padEnd(3)} ${expire.padEnd(6)} ${state.padEnd(11)} ${ap(c.caddr, c.cport).padEnd(18)} ${ap(c.vaddr, c.vport).padEnd(18)} ${ap(c.daddr, c.dport)}\n`;
  }
  return s;
}

function run(ns: NetNs, o: Opts): CmdResult {
  const ok = (stdout = ""): CmdResult => ({ stdout, stderr: "", exitCode: 0 });
  const fail = (msg: string): CmdResult => ({ stdout: "", stderr: `${msg}\n`, exitCode: 255 });
  const needSvc = (): NonNullable<Opts["service"]> => {
    if (!o.service)
      throw new UsageError("You need to supply the 'service-address' option for the '" + o.cmd + "' command");
    return o.service;
  };
  switch (o.cmd) {
    case null:
    case "L":
      if (o.conn) return ok(ipvsConnList(ns));
      if (o.stats) return ok(ipvsStats(ns, o.nosort));
      if (o.service) {
        const svc = ipVsFindService(ns, o.service.proto, o.service.addr, o.service.port);
        if (!svc) return fail(strerror("editSvc", "ESRCH"));
        return ok(ipvsList(ns, o.nosort, svc));
      }
      return ok(ipvsList(ns, o.nosort));
    case "S":
      return ok(ipvsSave(ns, o.nosort));
    case "C":
      for (const svc of ipvsOf(ns).services.values()) ipVsConnFlushService(ns, svc);
      ipVsFlush(ns);
      return ok();
    case "A":
    case "E": {
      const sv = needSvc();
      const u = {
        proto: sv.proto,
        addr: sv.addr,
        port: sv.port,
        scheduler: o.scheduler ?? "wlc",
        flags: (o.persistent !== null ? IP_VS_SVC_F_PERSISTENT : 0) | (o.ops ? IP_VS_SVC_F_ONEPACKET : 0),
        timeout: o.persistent ?? 0,
        netmask: o.netmask ?? 0xffffffff,
      };
      const r = o.cmd === "A" ? ipVsAddService(ns, u) : ipVsEditService(ns, u);
      return r.ok ? ok() : fail(strerror(o.cmd === "A" ? "addSvc" : "editSvc", r.err.errno));
    }
    case "D": {
      const sv = needSvc();
      const svc = ipVsFindService(ns, sv.proto, sv.addr, sv.port);
      if (svc) ipVsConnFlushService(ns, svc);
      const r = ipVsDelService(ns, sv.proto, sv.addr, sv.port);
      return r.ok ? ok() : fail(strerror("delSvc", r.err.errno));
    }
    case "a":
    case "e":
    case "d": {
      const sv = needSvc();
      if (!o.real)
        throw new UsageError(`You need to supply the 'real-server' option for the '${o.cmd}' command`);
      const op = o.cmd === "a" ? "addDest" : o.cmd === "e" ? "editDest" : "delDest";
      const svc = ipVsFindService(ns, sv.proto, sv.addr, sv.port);
      if (!svc) return fail(strerror(op, "ESRCH"));
      // Without a port the real server takes the service's (as ipvsadm fills it in).
      const port = o.real.port ?? sv.port;
      if (o.cmd === "d") {
        const r = ipVsDelDest(svc, o.real.addr, port);
        return r.ok ? ok() : fail(strerror(op, r.err.errno));
      }
      const u = { addr: o.real.addr, port, weight: o.weight ?? 1, fwd: o.fwd ?? "route" };
      const r = o.cmd === "a" ? ipVsAddDest(svc, u) : ipVsEditDest(svc, u);
      return r.ok ? ok() : fail(strerror(op, r.err.errno));
    }
  }
}

export function ipvsadmCommand(argv: string[], ctx: CmdContext): CmdResult {
  return runIpvsadm(ctx.ns, argv);
}

/** One ipvsadm command line in a namespace (the shell's ipvsadm and the simulated host's). */
export function runIpvsadm(ns: NetNs, argv: string[]): CmdResult {
  try {
    return run(ns, parseArgs(argv));
  } catch (e) {
    if (e instanceof UsageError) return { stdout: "", stderr: `ipvsadm: ${e.message}\n`, exitCode: 2 };
    throw e;
  }
}
