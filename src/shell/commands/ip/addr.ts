/**
 * @module shell/commands/ip/addr
 * `ip address add|del|show|flush` (ipaddress.c).
 */

import { inetAddAddr, inetDelAddr } from "../../../kernel/ipv4/devinet.js";
import { inet6AddAddr, inet6DelAddr } from "../../../kernel/ipv6/addrconf.js";
import { operstate } from "../../../kernel/link/dev.js";
import type { Scope } from "../../../kernel/types.js";
import { broadcastOf, formatIPv4, formatIPv6, networkOf } from "../../../net/ip.js";
import { CmdError } from "../../types.js";
import { Args, duparg2, getUnsigned, invarg, matches, rtnlError } from "./args.js";
import { badPrefix, findDev, type IpCtx, json, type Prefix, parseAddr4, parsePrefix } from "./common.js";
import { filterDevs, parseShowFilter } from "./link.js";
import { addrJson, inet6Line, inet6Sorted, inetLine, linkHeader, linkJson, linkName } from "./print.js";

const SCOPES: Record<string, Scope> = {
  global: "global",
  universe: "global",
  site: "site",
  link: "link",
  host: "host",
  nowhere: "nowhere",
};

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

function addrAdd(ip: IpCtx, a: Args): void {
  const r = parseAddrArgs(a);
  if (r.dev === null) throw new CmdError('Not enough information: "dev" argument is required.', 1);
  if (!r.prefix) throw new CmdError('Not enough information: "local" argument is required.', 1);
  const dev = findDev(ip.ns, r.dev);
  if (r.label !== null && r.label !== dev.name && !r.label.startsWith(`${dev.name}:`)) {
    throw new CmdError(`"${r.label}" is not a valid label for device "${dev.name}"`, 1);
  }
  if (r.prefix.family === 6) {
    const res = inet6AddAddr(dev, r.prefix.addr, r.prefix.hasLen ? r.prefix.len : 128, r.nodad);
    if (!res.ok) rtnlError(res.err);
    return;
  }
  const p = r.prefix;
  let brd: number | null = null;
  if (r.brd === "+") brd = p.len < 31 ? broadcastOf(p.addr, p.len) : null;
  else if (r.brd === "-") brd = p.len < 31 ? networkOf(p.addr, p.len) : null;
  else if (r.brd !== null) brd = parseAddr4(r.brd);
  const res = inetAddAddr(dev, {
    local: p.addr,
    prefixlen: p.len,
    broadcast: brd,
    scope: r.scope,
    label: r.label,
    noprefixroute: r.noprefixroute,
    metric: r.metric,
  });
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

function addrFlush(ip: IpCtx, a: Args): void {
  const f = parseShowFilter(ip, a);
  if (!f.dev && !f.up && !f.master && !f.type) {
    throw new CmdError("Flush requires arguments.", 1);
  }
  for (const d of filterDevs(ip.ns, f)) {
    if (ip.opts.family !== 6)
      for (const x of [...d.inet].filter((x) => !x.secondary).reverse()) inetDelAddr(d, x.local, x.prefixlen);
    if (ip.opts.family !== 4) for (const x of [...d.inet6]) inet6DelAddr(d, x.local, x.prefixlen);
  }
}

export function addrShow(ip: IpCtx, a: Args): void {
  const fam = ip.opts.family;
  const now = ip.ctx.kernel.clock.now;
  const devs = filterDevs(ip.ns, parseShowFilter(ip, a)).filter(
    (d) => fam === 0 || (fam === 4 ? d.inet.length > 0 : d.inet6.length > 0),
  );
  if (ip.opts.json) {
    ip.out.push(
      json(
        devs.map((d) => ({ ...linkJson(d, false, ip.opts.details), addr_info: addrJson(d, now, fam) })),
        ip.opts.pretty,
      ),
    );
    return;
  }
  for (const d of devs) {
    const v4 = fam === 6 ? [] : d.inet;
    const v6 = fam === 4 ? [] : inet6Sorted(d);
    if (ip.opts.brief) {
      const addrs = [
        ...v4.map((x) => `${formatIPv4(x.local)}/${x.prefixlen}${x.metric ? ` metric ${x.metric}` : ""} `),
        ...v6.map((x) => `${formatIPv6(x.local)}/${x.prefixlen} `),
      ].join("");
      ip.out.push(`${linkName(d).padEnd(16)} ${operstate(d).padEnd(14)} ${addrs}\n`);
      continue;
    }
    if (ip.opts.oneline) {
      if (fam === 0)
        ip.out.push(
          `${linkHeader(d, false, { details: false, stats: false, oneline: true, family: 0 }).replace(/\n$/, "").replace(/\n/g, "\\")}\n`,
        );
      for (const x of v4)
        ip.out.push(`${d.ifindex}: ${d.name}${inetLine(x).replace(/\n$/, "").replace(/\n/g, "\\")}\n`);
      for (const x of v6)
        ip.out.push(`${d.ifindex}: ${d.name}${inet6Line(x, now).replace(/\n$/, "").replace(/\n/g, "\\")}\n`);
      continue;
    }
    let text = linkHeader(d, false, {
      details: ip.opts.details,
      stats: ip.opts.stats > 0,
      oneline: false,
      family: fam,
    });
    if (fam !== 0) text = text.split("\n")[0] + "\n";
    for (const x of v4) text += inetLine(x);
    for (const x of v6) text += inet6Line(x, now);
    ip.out.push(text);
  }
}

export function doAddr(ip: IpCtx, argv: string[]): void {
  const a = new Args(argv);
  if (!a.more) return addrShow(ip, a);
  const cmd = a.take();
  if (matches(cmd, "add") || matches(cmd, "change") || matches(cmd, "replace")) return addrAdd(ip, a);
  if (matches(cmd, "delete")) return addrDel(ip, a);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return addrShow(ip, a);
  if (matches(cmd, "flush")) return addrFlush(ip, a);
  throw new CmdError(`Command "${cmd}" is unknown, try "ip address help".`, 255);
}
