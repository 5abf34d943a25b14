/**
 * @module shell/commands/ip/common
 * Things every `ip` subcommand shares: global options, device lookup with
 * iproute2's messages, and address/prefix parsing.
 */
import { rtnlFillLinkNetnsid } from "../../../kernel/link/dev.js";
import { PROTOCOLS } from "../../../kernel/netfilter/format.js";
import type { NetNs } from "../../../kernel/netns.js";
import type { NetDevice } from "../../../kernel/types.js";
import { type IPv4, type IPv6, parseIPv4Loose, parseIPv6 } from "../../../net/ip.js";
import type { CmdContext } from "../../types.js";
import { CmdError } from "../../types.js";

export interface IpOpts {
  json: boolean;
  brief: boolean;
  oneline: boolean;
  details: boolean;
  stats: number;
  family: 0 | 4 | 6;
  pretty: boolean;
  /** -all: `netns exec` and `netns delete` act on every named namespace. */
  all: boolean;
}

export interface IpCtx {
  ctx: CmdContext;
  ns: NetNs;
  opts: IpOpts;
  out: string[];
  err: string[];
}

/**
 * ll_name_to_index: a name iproute2 has not cached is asked of the kernel (RTM_GETLINK), and the
 * reply, like every link message, gives a veth's peer namespace an id here if it has none.
 */
export function findDev(ns: NetNs, name: string): NetDevice {
  const d = ns.byName.get(name);
  if (!d) throw new CmdError(`Cannot find device "${name}"`, 1);
  rtnlFillLinkNetnsid(d, ns);
  return d;
}

/** ll_index_to_name for a device about to be printed (a route's, say): the same RTM_GETLINK. */
export function llGetLink(ns: NetNs, dev: NetDevice): void {
  rtnlFillLinkNetnsid(dev, ns);
}

/**
 * rtnl_dump_ifinfo: an RTM_GETLINK dump (`ip link`, `ip addr`, ll_init_map) builds a message for
 * every device in ifindex order, except those the kernel filters out itself (IFLA_LINKINFO kind,
 * IFLA_MASTER); iproute2's own filters (`up`…) come after. Each message allocates ids as it goes.
 */
export function rtnlDumpLinks(ns: NetNs, kernelFilter: (d: NetDevice) => boolean = () => true): void {
  for (const d of linksByIndex(ns)) if (kernelFilter(d)) rtnlFillLinkNetnsid(d, ns);
}

/** A namespace's devices in ifindex order (the order of its dumps). */
export function linksByIndex(ns: NetNs): NetDevice[] {
  return [...ns.devices.values()].sort((x, y) => x.ifindex - y.ifindex);
}

export interface Prefix4 {
  family: 4;
  addr: IPv4;
  len: number;
  hasLen: boolean;
}
export interface Prefix6 {
  family: 6;
  addr: IPv6;
  len: number;
  hasLen: boolean;
}
export type Prefix = Prefix4 | Prefix6;

/** get_prefix: "A.B.C.D[/N]", "default", "any", "all", or IPv6. */
export function parsePrefix(s: string, family: 0 | 4 | 6 = 0): Prefix | null {
  if (s === "default" || s === "any" || s === "all") {
    return family === 6
      ? { family: 6, addr: 0n, len: 0, hasLen: true }
      : { family: 4, addr: 0, len: 0, hasLen: true };
  }
  const slash = s.indexOf("/");
  const a = slash >= 0 ? s.slice(0, slash) : s;
  const l = slash >= 0 ? s.slice(slash + 1) : null;
  if (a.includes(":")) {
    const v6 = parseIPv6(a);
    if (v6 === null || family === 4) return null;
    let len = 128;
    if (l !== null) {
      if (!/^\d+$/.test(l) || Number(l) > 128) return null;
      len = Number(l);
    }
    return { family: 6, addr: v6, len, hasLen: l !== null };
  }
  const v4 = parseIPv4Loose(a);
  if (v4 === null || family === 6) return null;
  let len = 32;
  if (l !== null) {
    if (!/^\d+$/.test(l) || Number(l) > 32) return null;
    len = Number(l);
  }
  return { family: 4, addr: v4, len, hasLen: l !== null };
}

export function badPrefix(s: string): never {
  throw new CmdError(`Error: any valid prefix is expected rather than "${s}".`, 1);
}

export function badAddr(s: string): never {
  throw new CmdError(`Error: any valid address is expected rather than "${s}".`, 1);
}

export function parseAddr4(s: string): IPv4 {
  const p = parsePrefix(s, 4);
  if (p?.family !== 4 || p.hasLen) badAddr(s);
  return p.addr;
}

const RAW = "\u0000RAW";
/** A value printed verbatim in JSON output, like iproute2's timers (`"hold_timer":0.00`). */
export function rawJson(text: string): string {
  return `${RAW}${text}`;
}

/** iproute2's json_writer in pretty mode: `[ {`, members one per line indented by 4, arrays inline. */
function prettyJson(v: unknown, depth: number): string {
  const ind = (d: number): string => " ".repeat(4 * d);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[ ]";
    return `[ ${v.map((x) => prettyJson(x, depth + 1)).join(",")} ]`;
  }
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    const body = entries
      .map(([k, x]) => `\n${ind(depth + 1)}${JSON.stringify(k)}: ${prettyJson(x, depth + 1)}`)
      .join(",");
    return `{${body}\n${ind(depth)}}`;
  }
  return JSON.stringify(v);
}

export function json(v: unknown, pretty: boolean): string {
  const s = pretty ? prettyJson(v, 0) : JSON.stringify(v);
  return `${s.replace(/"\\u0000RAW([^"]*)"/g, "$1")}\n`;
}

/** inet_proto_a2n: a name of /etc/protocols or a number up to 255, else null. */
export function inetProtoA2n(v: string): number | null {
  for (const [n, name] of Object.entries(PROTOCOLS)) if (name === v) return Number(n);
  if (!/^\d+$/.test(v) || Number(v) > 255) return null;
  return Number(v);
}
