/**
 * @module shell/commands/ip/route
 * `ip route add|del|replace|change|append|show|flush|get` (iproute.c).
 */

import { STRERROR } from "../../../kernel/errno.js";
import { type RouteMode, routeAdd, routeDel } from "../../../kernel/fib/route-ops.js";
import { parseTableId, RT_TABLE_LOCAL, RT_TABLE_MAIN, tableName } from "../../../kernel/fib/table.js";
import { routeInput, routeOutput } from "../../../kernel/ipv4/route.js";
import type { NetDevice, Route, RouteType, Scope } from "../../../kernel/types.js";
import { formatIPv4 } from "../../../net/ip.js";
import { CmdError } from "../../types.js";
import { Args, duparg2, getUnsigned, invarg, matches, rtnlError } from "./args.js";
import {
  badPrefix,
  findDev,
  type IpCtx,
  inetProtoA2n,
  json,
  llGetLink,
  type Prefix,
  parseAddr4,
  parsePrefix,
} from "./common.js";
import { type RouteHide, routeJson, routeText } from "./print.js";
import { SCOPES } from "./scopes.js";

const TYPES: RouteType[] = [
  "unicast",
  "local",
  "broadcast",
  "multicast",
  "blackhole",
  "unreachable",
  "prohibit",
  "throw",
];
const PROTOS: Record<string, string> = {
  "0": "unspec",
  "1": "redirect",
  "2": "kernel",
  "3": "boot",
  "4": "static",
  "8": "gated",
  "9": "ra",
  "10": "mrt",
  "11": "zebra",
  "12": "bird",
  "13": "dnrouted",
  "14": "xorp",
  "15": "ntk",
  "16": "dhcp",
  "18": "keepalived",
  "42": "babel",
  "99": "openr",
  "186": "bgp",
  "187": "isis",
  "188": "ospf",
  "189": "rip",
  "192": "eigrp",
};
const PROTO_NAMES = new Set(Object.values(PROTOS));

function parseProto(v: string): string {
  if (PROTO_NAMES.has(v)) return v;
  const n = getUnsigned(v, 255);
  if (n === null) invarg('"protocol" value is invalid\n', v);
  return PROTOS[String(n)] ?? String(n);
}

function parseTable(v: string): number {
  const t = parseTableId(v);
  if (t === null) invarg('"table" value is invalid\n', v);
  return t;
}

interface RouteArgs {
  type: RouteType | null;
  prefix: Prefix | null;
  via: number | null;
  dev: NetDevice | null;
  table: number | null;
  proto: string | null;
  scope: Scope | null;
  metric: number | null;
  src: number | null;
  onlink: boolean;
  from: Prefix | null;
  iif: NetDevice | null;
  oif: NetDevice | null;
  mark: number;
  allTables: boolean;
  /** How `ip route show PREFIX` selects: exact (the default), root (within), match (covering). */
  prefixMode: "exact" | "root" | "match";
  /** `ip route get fibmatch`: print the FIB entry the lookup matched, not the result. */
  fibmatch: boolean;
  /** `ip route get connected`: without `from`, iproute_get prints the answer, asks again and prints it again. */
  connected: boolean;
  /** `ip route get … ipproto P sport N dport N tos T`: the flow the policy rules see. */
  flow: { proto?: number; sport?: number; dport?: number; tos?: number };
}

function parseRouteArgs(ip: IpCtx, a: Args, forShow: boolean, forGet = false): RouteArgs {
  const r: RouteArgs = {
    type: null,
    prefix: null,
    via: null,
    dev: null,
    table: null,
    proto: null,
    scope: null,
    metric: null,
    src: null,
    onlink: false,
    from: null,
    iif: null,
    oif: null,
    mark: 0,
    allTables: false,
    prefixMode: "exact",
    fibmatch: false,
    connected: false,
    flow: {},
  };
  while (a.more) {
    const w = a.take();
    if (w === "via") {
      const v = a.next();
      r.via = parseAddr4(v === "inet" ? a.next() : v);
    } else if (w === "dev" || w === "oif") {
      const d = findDev(ip.ns, a.next());
      if (w === "oif") r.oif = d;
      else r.dev = d;
    } else if (w === "iif") r.iif = findDev(ip.ns, a.next());
    else if (w === "table") {
      const v = a.next();
      if (v === "all" && forShow) r.allTables = true;
      else if (v === "cache" && forShow) r.table = -1;
      else r.table = parseTable(v);
    } else if (w === "proto" || w === "protocol") r.proto = parseProto(a.next());
    else if (w === "scope") {
      const v = a.next();
      r.scope = SCOPES[v] ?? invarg('invalid "scope" value\n', v);
    } else if (w === "metric" || w === "priority" || w === "preference") {
      const v = a.next();
      const n = getUnsigned(v);
      if (n === null) invarg('"metric" value is invalid\n', v);
      r.metric = n;
    } else if (w === "src" && !forGet) r.src = parseAddr4(a.next());
    else if (w === "from") {
      const v = a.next();
      r.from = parsePrefix(v) ?? badPrefix(v);
    } else if (w === "onlink") r.onlink = true;
    else if (w === "mark") {
      const v = a.next();
      r.mark = getUnsigned(v) ?? invarg("invalid mark value", v);
    } else if (w === "root" || w === "match" || w === "exact") {
      const v = a.next();
      r.prefix = parsePrefix(v) ?? badPrefix(v);
      if (forShow) r.prefixMode = w;
    } else if (forShow && matches(w, "type")) {
      const v = a.next();
      if (!TYPES.includes(v as RouteType)) invarg("node type value is invalid\n", v);
      r.type = v as RouteType;
    } else if (
      w === "mtu" ||
      w === "advmss" ||
      w === "realm" ||
      w === "realms" ||
      w === "tos" ||
      w === "dsfield" ||
      w === "initcwnd" ||
      w === "congctl"
    ) {
      a.next();
    } else if (forGet && w === "ipproto") {
      const v = a.next();
      const n = inetProtoA2n(v);
      if (n === null) invarg('Invalid "ipproto" value\n', v);
      r.flow.proto = n;
    } else if (forGet && (w === "sport" || w === "dport")) {
      const v = a.next();
      const n = getUnsigned(v);
      if (n === null || n > 0xffff) invarg(`invalid ${w}\n`, v);
      r.flow[w] = n;
    } else if (w === "uid" || w === "ipproto" || w === "sport" || w === "dport") {
      a.next();
    } else if (w === "nexthop" || w === "nhid") {
      throw new CmdError(`kubetwin: multipath routes ("ip route … ${w}") are not modelled`, 2);
    } else if (w === "fibmatch") {
      r.fibmatch = true;
    } else if (w === "connected") {
      r.connected = true;
    } else if (w === "cache" || w === "cloned") {
      /* accepted */
    } else if (TYPES.includes(w as RouteType) && r.type === null && r.prefix === null) {
      r.type = w as RouteType;
    } else {
      const v = w === "to" ? a.next() : w;
      if (forGet && (r.prefix || ip.opts.family === 4)) {
        // iproute_get parses every further word as the destination, in the family already known.
        const p = parsePrefix(v, 4);
        if (!p) throw new CmdError(`Error: inet prefix is expected rather than "${v}".`, 1);
        r.prefix = p;
        continue;
      }
      if (r.prefix) duparg2("to", v);
      r.prefix = parsePrefix(v) ?? badPrefix(v);
    }
  }
  return r;
}

function routeModify(ip: IpCtx, a: Args, mode: RouteMode | "del"): void {
  const r = parseRouteArgs(ip, a, false);
  if (!r.prefix) throw new CmdError("need at least a destination address", 1);
  if (r.prefix.family === 6)
    throw new CmdError("kubetwin: IPv6 routes cannot be added yet (IPv6 routing is not modelled)", 2);
  const table = r.table ?? RT_TABLE_MAIN;
  if (mode === "del") {
    const res = routeDel(ip.ns, {
      table,
      dst: r.prefix.addr,
      dstLen: r.prefix.len,
      type: r.type,
      metric: r.metric,
      protocol: r.proto,
      gateway: r.via,
      dev: r.dev,
      prefsrc: r.src,
    });
    if (!res.ok) rtnlError(res.err);
    return;
  }
  const type = r.type ?? "unicast";
  const scope: Scope =
    r.scope ??
    (type === "local"
      ? "host"
      : type === "broadcast" || type === "multicast"
        ? "link"
        : type === "unicast" && r.via === null
          ? "link"
          : "global");
  const res = routeAdd(
    ip.ns,
    {
      table,
      type,
      dst: r.prefix.addr,
      dstLen: r.prefix.len,
      metric: r.metric ?? 0,
      protocol: r.proto ?? "boot",
      scope,
      prefsrc: r.src,
      gateway: r.via,
      dev: r.dev,
      onlink: r.onlink,
    },
    mode,
  );
  if (!res.ok) rtnlError(res.err);
}

function selectRoutes(ip: IpCtx, r: RouteArgs): { routes: Route[]; showTable: boolean } {
  const all = r.allTables;
  const fam = ip.opts.family || (all ? 0 : 4);
  const tables = all ? ip.ns.fib.all() : [ip.ns.fib.get(r.table ?? RT_TABLE_MAIN)];
  const out: Route[] = [];
  // A dump of every table lists IPv4 routes of all tables first, then IPv6.
  for (const family of [4, 6] as const)
    for (const t of tables) {
      for (const x of t.routes) {
        if (x.family !== family) continue;
        if (fam !== 0 && x.family !== fam) continue;
        if ((r.dev ?? r.oif) && x.dev !== (r.dev ?? r.oif)) continue;
        if (r.proto && x.protocol !== r.proto) continue;
        if (r.scope && x.scope !== r.scope) continue;
        if (r.type && x.type !== r.type) continue;
        if (r.via !== null && x.gateway !== r.via) continue;
        if (r.src !== null && x.prefsrc !== r.src) continue;
        if (r.prefix) {
          const p = r.prefix;
          if (p.family !== x.family) continue;
          if (p.family === 4) {
            const inside = (a: number, pa: number, len: number): boolean =>
              len === 0 || a >>> (32 - len) === pa >>> (32 - len);
            if (r.prefixMode === "exact" && (x.dst !== p.addr || x.dstLen !== p.len)) continue;
            if (r.prefixMode === "root" && (x.dstLen < p.len || !inside(x.dst, p.addr, p.len))) continue;
            if (r.prefixMode === "match" && (x.dstLen > p.len || !inside(p.addr, x.dst, x.dstLen))) continue;
          }
          if (p.family === 6 && (x.dst6 !== p.addr || x.dstLen !== p.len)) continue;
        }
        out.push(x);
      }
    }
  // Within a table, IPv6 routes of one prefix are listed in device order.
  return { routes: out, showTable: all };
}

function routeShow(ip: IpCtx, a: Args): void {
  const r = parseRouteArgs(ip, a, true);
  if (r.table === -1) return;
  // A dump of one table that was never created fails in the kernel (fib_get_table).
  if (r.table !== null && !r.allTables && !ip.ns.fib.find(r.table) && ip.opts.family !== 6)
    throw new CmdError("Error: ipv4: FIB table does not exist.\nDump terminated", 2);
  const { routes, showTable } = selectRoutes(ip, r);
  const hide: RouteHide = {
    dev: (r.dev ?? r.oif) !== null,
    proto: r.proto !== null,
    scope: r.scope !== null,
    via: r.via !== null,
    src: r.src !== null,
  };
  // print_route names each route's device with ll_index_to_name (an RTM_GETLINK on a cache miss).
  if (!hide.dev) for (const x of routes) if (x.dev) llGetLink(ip.ns, x.dev);
  if (ip.opts.json) {
    ip.out.push(
      json(
        routes.map((x) => routeJson(x, showTable, hide)),
        ip.opts.pretty,
      ),
    );
    return;
  }
  for (const x of routes) ip.out.push(`${routeText(x, showTable, ip.opts.details, hide)}\n`);
}

function routeFlush(ip: IpCtx, a: Args): void {
  // iproute_flush_cache: IPv4 has had no route cache since Linux 3.6; the write to
  // /proc/sys/net/ipv4/route/flush succeeds and nothing else happens.
  if (a.argv.length - a.pos === 1 && a.peek() === "cache") return;
  const r = parseRouteArgs(ip, a, true);
  if (r.table === -1) return;
  if (!r.allTables && r.table === null && !r.dev && !r.prefix && !r.proto && !r.type && r.via === null) {
    throw new CmdError('"ip route flush" requires arguments.', 1);
  }
  const { routes } = selectRoutes(ip, r);
  for (const x of routes) ip.ns.fib.get(x.table).remove(x);
}

/** iproute2 prints a mark below 16 in decimal, larger ones in hex. */
function markText(mark: number): string {
  if (!mark) return "";
  return mark >= 16 ? ` mark 0x${mark.toString(16)}` : ` mark ${mark}`;
}

function routeGet(ip: IpCtx, a: Args): void {
  const r = parseRouteArgs(ip, a, false, true);
  if (!r.prefix) throw new CmdError("need at least a destination address", 1);
  if (r.prefix.family === 6) throw new CmdError("kubetwin: IPv6 route lookups are not modelled yet", 2);
  const dst = r.prefix.addr;
  const from = r.from && r.from.family === 4 ? r.from.addr : null;
  const onlyDefaultRules = ip.ns.rules.rules.length === 3;
  const tableText = (t: number): string =>
    t === RT_TABLE_MAIN || (t === RT_TABLE_LOCAL && onlyDefaultRules) ? "" : ` table ${tableName(t)}`;
  if (r.iif) {
    const d = routeInput(ip.ns, dst, from ?? 0, r.iif, r.mark);
    if (d.kind === "drop") {
      // ip_route_input_slow: without forwarding on the input device every non-local lookup is EHOSTUNREACH.
      const noFwd = d.reason.includes("forwarding");
      const reason = noFwd
        ? "EHOSTUNREACH"
        : d.icmp?.code === 0
          ? "ENETUNREACH"
          : d.icmp?.code === 13
            ? "EACCES"
            : d.icmp
              ? "EHOSTUNREACH"
              : "ENETUNREACH";
      throw new CmdError(`RTNETLINK answers: ${STRERROR[reason]}`, 2);
    }
    if (d.kind === "local") {
      const type = d.broadcast ? "broadcast" : "local";
      ip.out.push(
        `${type} ${formatIPv4(dst)}${from !== null ? ` from ${formatIPv4(from)}` : ""} dev lo${tableText(d.route?.table ?? RT_TABLE_LOCAL)} \n    cache <local${d.broadcast ? ",brd" : ""}> iif ${r.iif.name} \n`,
      );
      return;
    }
    const rt = d.rt;
    llGetLink(ip.ns, rt.dev);
    ip.out.push(
      `${formatIPv4(dst)}${from !== null ? ` from ${formatIPv4(from)}` : ""}${rt.gateway !== null ? ` via ${formatIPv4(rt.gateway)}` : ""} dev ${rt.dev.name}${tableText(rt.table)} \n    cache iif ${r.iif.name} \n`,
    );
    return;
  }
  const res = routeOutput(ip.ns, dst, { src: from ?? 0, oif: r.oif ?? r.dev, mark: r.mark, flow: r.flow });
  if (!res.ok) throw new CmdError(`RTNETLINK answers: ${STRERROR[res.errno]}`, 2);
  const rt = res.rt;
  if (r.fibmatch && rt.route) {
    // RTM_F_FIB_MATCH: the kernel answers with the FIB entry itself, printed as `ip route show` does.
    const route = rt.route;
    if (ip.opts.json) ip.out.push(`${JSON.stringify([routeJson(route, true)])}\n`);
    else ip.out.push(`${routeText(route, true, ip.opts.details)}\n`);
    return;
  }
  llGetLink(ip.ns, rt.dev);
  const type = rt.type === "unicast" ? "" : `${rt.type} `;
  const via = rt.gateway !== null ? ` via ${formatIPv4(rt.gateway)}` : "";
  const fromText = from !== null ? ` from ${formatIPv4(from)}` : "";
  const src = from === null ? ` src ${formatIPv4(rt.src)}` : "";
  const flags = rt.type === "local" ? "<local> " : rt.type === "broadcast" ? "<local,brd> " : "";
  const json1 = ip.opts.json;
  // It sends the same request again (the source it set aside is never used), so the same answer.
  const twice = r.connected && from === null;
  const text = `${type}${formatIPv4(dst)}${fromText}${via} dev ${rt.dev.name}${tableText(rt.table)}${src}${markText(r.mark)} uid 0 \n    cache ${flags}\n`;
  if (json1) {
    const j: Record<string, unknown> = {};
    if (rt.type !== "unicast") j.type = rt.type;
    j.dst = formatIPv4(dst);
    if (from !== null) j.from = formatIPv4(from);
    if (rt.gateway !== null) j.gateway = formatIPv4(rt.gateway);
    j.dev = rt.dev.name;
    const tt = tableText(rt.table);
    if (tt) j.table = tableName(rt.table);
    if (from === null) j.prefsrc = formatIPv4(rt.src);
    j.flags = [];
    if (r.mark) j.mark = r.mark;
    j.uid = 0;
    j.cache = rt.type === "local" ? ["local"] : rt.type === "broadcast" ? ["local", "brd"] : [];
    // The first answer is printed as JSON, the second as text (iproute2 6.1 does so).
    ip.out.push(json([j], ip.opts.pretty) + (twice ? text : ""));
    return;
  }
  ip.out.push(twice ? text + text : text);
}

export function doRoute(ip: IpCtx, argv: string[]): void {
  const a = new Args(argv);
  if (!a.more) return routeShow(ip, a);
  const cmd = a.take();
  if (matches(cmd, "add")) return routeModify(ip, a, "add");
  if (matches(cmd, "change") || cmd === "chg") return routeModify(ip, a, "change");
  if (matches(cmd, "replace")) return routeModify(ip, a, "replace");
  if (matches(cmd, "prepend")) return routeModify(ip, a, "prepend");
  if (matches(cmd, "append")) return routeModify(ip, a, "append");
  if (matches(cmd, "delete")) return routeModify(ip, a, "del");
  if (matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst")) return routeShow(ip, a);
  if (matches(cmd, "flush")) return routeFlush(ip, a);
  if (matches(cmd, "get")) return routeGet(ip, a);
  throw new CmdError(`Command "${cmd}" is unknown, try "ip route help".`, 255);
}
