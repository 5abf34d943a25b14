/**
 * @module shell/commands/ip/addr
 * `ip address add|del|show|flush` (ipaddress.c).
 */

import { inetAddAddr, inetDelAddr } from "../../../kernel/ipv4/devinet.js";
import { inet6AddAddr, inet6DelAddr } from "../../../kernel/ipv6/addrconf.js";
import { operstate } from "../../../kernel/link/dev.js";
import type { Inet6Addr, InetAddr, NetDevice, Scope } from "../../../kernel/types.js";
import { broadcastOf, formatIPv4, formatIPv6, networkOf } from "../../../net/ip.js";
import { CmdError } from "../../types.js";
import { Args, duparg2, getUnsigned, invarg, matches, rtnlError } from "./args.js";
import { badPrefix, findDev, type IpCtx, json, type Prefix, parseAddr4, parsePrefix } from "./common.js";
import { filterDevs, linkDump, parseShowFilter } from "./link.js";
import {
  addrJson,
  inet6Line,
  inet6Sorted,
  inetLine,
  type Json,
  linkFlags,
  linkHeader,
  linkJson,
  linkName,
  linkNetns,
  statsLines,
} from "./print.js";
import { SCOPES } from "./scopes.js";

interface AddrArgs {
  prefix: Prefix | null;
  prefixText: string;
  dev: string | null;
  brd: string | null;
  scope: Scope | null;
  label: string | null;
  metric: number;
  noprefixroute: boolean;
  nodad: boolean;
}

function parseAddrArgs(a: Args): AddrArgs {
  const r: AddrArgs = {
    prefix: null,
    prefixText: "",
    dev: null,
    brd: null,
    scope: null,
    label: null,
    metric: 0,
    noprefixroute: false,
    nodad: false,
  };
  while (a.more) {
    const w = a.take();
    if (w === "dev") r.dev = a.next();
    else if (matches(w, "broadcast") || w === "brd") r.brd = a.next();
    else if (w === "scope") {
      const v = a.next();
      const s =
        SCOPES[v] ??
        (/^\d+$/.test(v)
          ? (
              { "0": "global", "200": "site", "253": "link", "254": "host", "255": "nowhere" } as Record<
                string,
                Scope
              >
            )[v]
          : undefined);
      if (!s) invarg("invalid scope value.", v);
      r.scope = s;
    } else if (w === "label") r.label = a.next();
    else if (w === "metric" || w === "priority" || w === "preference") {
      const v = a.next();
      const n = getUnsigned(v);
      if (n === null) invarg('Invalid "metric" value', v);
      r.metric = n;
    } else if (w === "noprefixroute") r.noprefixroute = true;
    else if (w === "nodad") r.nodad = true;
    else if (w === "valid_lft" || w === "preferred_lft" || w === "peer") a.next();
    else if (w === "home" || w === "mngtmpaddr" || w === "autojoin" || w === "optimistic") {
      /* accepted, not modelled */
    } else {
      const text = w === "local" ? a.next() : w;
      if (r.prefix) duparg2("local", text);
      const p = parsePrefix(text);
      if (!p) badPrefix(text);
      r.prefix = p;
      r.prefixText = text;
    }
  }
  return r;
}

function addrAdd(ip: IpCtx, a: Args, replace: boolean): void {
  const r = parseAddrArgs(a);
  if (r.dev === null) throw new CmdError('Not enough information: "dev" argument is required.', 1);
  const dev = findDev(ip.ns, r.dev);
  // Without a local address the request carries no family: the kernel has no handler for it.
  if (!r.prefix) rtnlError({ errno: "EOPNOTSUPP" });
  if (r.prefix.family === 6) {
    const res = inet6AddAddr(dev, r.prefix.addr, r.prefix.hasLen ? r.prefix.len : 128, r.nodad, replace);
    if (!res.ok) rtnlError(res.err);
    return;
  }
  const p = r.prefix;
  let brd: number | null = null;
  if (r.brd === "+") brd = p.len < 31 ? broadcastOf(p.addr, p.len) : null;
  else if (r.brd === "-") brd = p.len < 31 ? networkOf(p.addr, p.len) : null;
  else if (r.brd !== null) brd = parseAddr4(r.brd);
  const res = inetAddAddr(
    dev,
    {
      local: p.addr,
      prefixlen: p.len,
      broadcast: brd,
      scope: r.scope,
      label: r.label,
      noprefixroute: r.noprefixroute,
      metric: r.metric,
    },
    replace,
  );
  if (!res.ok) rtnlError(res.err);
}

function addrDel(ip: IpCtx, a: Args): void {
  const r = parseAddrArgs(a);
  if (r.dev === null) throw new CmdError('Not enough information: "dev" argument is required.', 1);
  const dev = findDev(ip.ns, r.dev);
  if (!r.prefix) {
    throw new CmdError('Not enough information: "local" argument is required.', 1);
  }
  if (r.prefix.family === 6) {
    const res = inet6DelAddr(dev, r.prefix.addr, r.prefix.hasLen ? r.prefix.len : null);
    if (!res.ok) rtnlError({ errno: "EADDRNOTAVAIL", extack: "ipv6: address not found" });
    return;
  }
  if (!r.prefix.hasLen) {
    ip.err.push(
      `Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length (${r.prefixText}/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n`,
    );
  }
  const res = inetDelAddr(dev, r.prefix.addr, r.prefix.hasLen ? r.prefix.len : null);
  if (!res.ok) rtnlError({ errno: "EADDRNOTAVAIL", extack: "ipv4: Address not found" });
}

/** The address-level selectors of ipaddress.c's filter: to, label (fnmatch), scope, primary/secondary, permanent/dynamic. */
interface AddrFilter {
  pfx: Prefix | null;
  label: RegExp | null;
  scope: Scope | null;
  secondary: boolean | null;
  permanent: boolean | null;
}

function globRe(pattern: string): RegExp {
  let re = "";
  for (const ch of pattern) {
    if (ch === "*") re += ".*";
    else if (ch === "?") re += ".";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function parseAddrFilter(argv: string[]): AddrFilter {
  const f: AddrFilter = { pfx: null, label: null, scope: null, secondary: null, permanent: null };
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const v = argv[i + 1];
    if (w === "dev" || w === "master" || w === "type" || w === "vrf") i++;
    else if (w === "to" && v !== undefined) {
      f.pfx = parsePrefix(v);
      if (!f.pfx) badPrefix(v);
      i++;
    } else if (w === "label" && v !== undefined) {
      f.label = globRe(v);
      i++;
    } else if (w === "scope" && v !== undefined) {
      f.scope = SCOPES[v] ?? null;
      i++;
    } else if (w === "primary") f.secondary = false;
    else if (w === "secondary") f.secondary = true;
    else if (w === "permanent") f.permanent = true;
    else if (w === "dynamic") f.permanent = false;
  }
  return f;
}

function inPrefix4(a: number, p: Prefix): boolean {
  if (p.family !== 4) return false;
  if (p.len === 0) return true;
  const m = p.len === 32 ? 0xffffffff : ~(0xffffffff >>> p.len) >>> 0;
  return (a & m) >>> 0 === (p.addr & m) >>> 0;
}

function inPrefix6(a: bigint, p: Prefix): boolean {
  if (p.family !== 6) return false;
  const shift = BigInt(128 - p.len);
  return a >> shift === p.addr >> shift;
}

function match4(f: AddrFilter, x: InetAddr): boolean {
  if (f.scope !== null && x.scope !== f.scope) return false;
  if (f.secondary !== null && x.secondary !== f.secondary) return false;
  if (f.permanent === false) return false;
  if (f.label && !f.label.test(x.label)) return false;
  if (f.pfx && !inPrefix4(x.local, f.pfx)) return false;
  return true;
}

function match6(f: AddrFilter, x: Inet6Addr, devName: string): boolean {
  if (f.scope !== null && x.scope !== f.scope) return false;
  if (f.secondary === true) return false;
  if (f.permanent !== null && x.permanent !== f.permanent) return false;
  // An IPv6 address has no label: fnmatch sees the device name.
  if (f.label && !f.label.test(devName)) return false;
  if (f.pfx && !inPrefix6(x.local, f.pfx)) return false;
  return true;
}

/** With -4/-6, print_linkinfo stops after the first line: no link/ether, addresses or netns id. */
/** The peer's name as iproute2 resolves IFLA_LINK without a namespace id: by index, in this namespace. */
function short6Peer(d: NetDevice): string {
  if (!d.peer) return d.name;
  const other = d.ns.devices.get(d.peer.ifindex);
  return `${d.name}@${other ? other.name : `if${d.peer.ifindex}`}`;
}

function short6Header(d: NetDevice): string {
  return `${d.ifindex}: ${short6Peer(d)}: <${linkFlags(d).join(",")}> mtu ${d.mtu} state ${operstate(d)} ${d.txqlen ? `qlen ${d.txqlen}` : ""}`;
}

function short6Json(d: NetDevice): { [k: string]: Json } {
  const j: { [k: string]: Json } = { ifindex: d.ifindex };
  if (d.peer) {
    const other = d.ns.devices.get(d.peer.ifindex);
    if (other) j.link = other.name;
    else j.link_index = d.peer.ifindex;
  }
  j.ifname = d.name;
  j.flags = linkFlags(d);
  j.mtu = d.mtu;
  j.operstate = operstate(d);
  if (d.txqlen) j.txqlen = d.txqlen;
  return j;
}

function firstLineOnly(j: { [k: string]: Json }, fam: 0 | 4 | 6): { [k: string]: Json } {
  if (fam === 0) return j;
  const { link_type: _t, address: _a, broadcast: _b, link_netnsid: _n, ...rest } = j;
  return rest;
}

function addrFlush(ip: IpCtx, a: Args): void {
  // ipaddr_list_flush_or_save: any argument at all will do.
  if (!a.more) throw new CmdError("Flush requires arguments.", 1);
  const af = parseAddrFilter(a.argv.slice(a.pos));
  const fam = filterFamily(ip, af);
  const f = parseShowFilter(ip, a);
  for (const d of filterDevs(ip.ns, f)) {
    // Deleting a primary can take its secondaries along; like iproute2's flush rounds, retry until none match.
    for (let round = 0; round < 10; round++) {
      const v4 = fam !== 6 ? d.inet.filter((x) => match4(af, x)) : [];
      const v6 = fam !== 4 ? d.inet6.filter((x) => match6(af, x, d.name)) : [];
      if (v4.length === 0 && v6.length === 0) break;
      for (const x of v4) if (d.inet.includes(x)) inetDelAddr(d, x.local, x.prefixlen);
      for (const x of v6) inet6DelAddr(d, x.local, x.prefixlen);
    }
  }
}

/** The family listed: -4/-6, else that of a `to` prefix (ipaddr_list_flush_or_save), else both. */
function filterFamily(ip: IpCtx, af: AddrFilter): 0 | 4 | 6 {
  return ip.opts.family !== 0 ? ip.opts.family : (af.pfx?.family ?? 0);
}

export function addrShow(ip: IpCtx, a: Args): void {
  const now = ip.ctx.kernel.clock.now;
  const af = parseAddrFilter(a.argv.slice(a.pos));
  const fam = filterFamily(ip, af);
  const v4Of = (d: NetDevice): InetAddr[] => (fam === 6 ? [] : d.inet.filter((x) => match4(af, x)));
  const v6Of = (d: NetDevice): Inet6Addr[] =>
    fam === 4 ? [] : inet6Sorted(d).filter((x) => match6(af, x, d.name));
  // ipaddr_filter: a link stays if one of its addresses matches, or if it has none and no family was asked for.
  const filter = parseShowFilter(ip, a);
  // `ip -6 addr` without a device dumps links with AF_INET6, which addrconf answers with a short
  // message (no qdisc, master, group, link-layer address or peer namespace); a `to` prefix of that
  // family does not change the dump (it is asked with no family), only the addresses shown.
  const short6 = ip.opts.family === 6 && !filter.dev;
  if (!short6) linkDump(ip.ns, filter);
  const devs = filterDevs(ip.ns, filter).filter(
    (d) => v4Of(d).length + v6Of(d).length > 0 || (fam === 0 && d.inet.length === 0 && d.inet6.length === 0),
  );
  if (ip.opts.json) {
    ip.out.push(
      json(
        devs.map((d) => ({
          ...(short6 ? short6Json(d) : firstLineOnly(linkJson(d, false, ip.opts.details), fam)),
          addr_info: addrJson(d, now, fam, (x) =>
            typeof x.local === "number" ? match4(af, x as InetAddr) : match6(af, x as Inet6Addr, d.name),
          ),
        })),
        ip.opts.pretty,
      ),
    );
    return;
  }
  for (const d of devs) {
    const v4 = v4Of(d);
    const v6 = v6Of(d);
    if (ip.opts.brief) {
      const addrs = [
        ...v4.map((x) => `${formatIPv4(x.local)}/${x.prefixlen}${x.metric ? ` metric ${x.metric}` : ""} `),
        ...v6.map((x) => `${formatIPv6(x.local)}/${x.prefixlen} `),
      ].join("");
      ip.out.push(`${linkName(d).padEnd(16)} ${operstate(d).padEnd(14)} ${addrs}\n`);
      continue;
    }
    if (ip.opts.oneline) {
      for (const x of v4)
        ip.out.push(`${d.ifindex}: ${d.name}${inetLine(x).replace(/\n$/, "").replace(/\n/g, "\\")}\n`);
      for (const x of v6)
        ip.out.push(`${d.ifindex}: ${d.name}${inet6Line(x, now).replace(/\n$/, "").replace(/\n/g, "\\")}\n`);
      continue;
    }
    // A label filter prints the selected addresses without their link (no_link in ipaddress.c).
    if (af.label) {
      for (const x of v4) ip.out.push(inetLine(x));
      for (const x of v6) ip.out.push(inet6Line(x, now));
      continue;
    }
    let text = short6
      ? `${short6Header(d)}\n`
      : linkHeader(d, false, {
          details: ip.opts.details,
          stats: 0,
          oneline: false,
          family: fam,
        });
    if (fam !== 0 && !short6) {
      // The link-layer line is left out for one family; statistics stay. The peer's namespace is
      // printed wherever print_linkinfo has got to: the end of the first line.
      const lines = text.split("\n");
      text = [`${lines[0]}${linkNetns(d)?.text ?? ""}`, ...lines.slice(2)].join("\n");
      if (fam === 6 && ip.opts.details) text = text.replace("addrgenmode eui64 ", "");
    }
    for (const x of v4) text += inetLine(x);
    for (const x of v6) text += inet6Line(x, now);
    // ip addr prints a link's statistics after its addresses.
    if (ip.opts.stats > 0 && !short6) text += statsLines(d, ip.opts.stats);
    ip.out.push(text);
  }
}

export function doAddr(ip: IpCtx, argv: string[]): void {
  const a = new Args(argv);
  if (!a.more) return addrShow(ip, a);
  const cmd = a.take();
  // change and replace send NLM_F_REPLACE: an existing address is changed, not refused.
  if (matches(cmd, "add")) return addrAdd(ip, a, false);
  if (matches(cmd, "change") || matches(cmd, "replace")) return addrAdd(ip, a, true);
  if (matches(cmd, "delete")) return addrDel(ip, a);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return addrShow(ip, a);
  if (matches(cmd, "flush")) return addrFlush(ip, a);
  throw new CmdError(`Command "${cmd}" is unknown, try "ip address help".`, 255);
}
