/**
 * @module shell/commands/ip/neigh
 * `ip neighbour add|change|replace|del|show|flush` (ipneigh.c).
 */
import { NUD_VALID } from "../../../kernel/neigh/neigh-table.js";
import type { NudState } from "../../../kernel/types.js";
import { formatIPv4 } from "../../../net/ip.js";
import { parseMac } from "../../../net/mac.js";
import { CmdError } from "../../types.js";
import { Args, duparg2, invalidLladdr, matches, rtnlError } from "./args.js";
import {
  badPrefix,
  findDev,
  type IpCtx,
  json,
  type Prefix,
  parseAddr4,
  parsePrefix,
  rtnlDumpLinks,
} from "./common.js";
import { neighJson, neighText } from "./print.js";

const NUD: Record<string, NudState> = {
  permanent: "PERMANENT",
  reachable: "REACHABLE",
  stale: "STALE",
  delay: "DELAY",
  probe: "PROBE",
  failed: "FAILED",
  incomplete: "INCOMPLETE",
  noarp: "NOARP",
};

function neighModify(ip: IpCtx, a: Args, mode: "add" | "change" | "replace" | "del"): void {
  let dst: number | null = null;
  let lladdr: string | null = null;
  let nud: NudState | null = null;
  let devName: string | null = null;
  let proxy = false;
  while (a.more) {
    const w = a.take();
    if (w === "lladdr") {
      const v = a.next();
      const m = parseMac(v);
      if (!m) invalidLladdr(v);
      lladdr = m;
    } else if (w === "nud") {
      const v = a.next();
      const s = NUD[v];
      if (!s) throw new CmdError(`Error: argument "${v}" is wrong: nud state is bad\n`, 255);
      nud = s;
    } else if (w === "dev") devName = a.next();
    else if (w === "proxy") proxy = true;
    else if (w === "router" || w === "extern_learn" || w === "managed") {
      /* flags accepted */
    } else {
      const v = w === "to" ? a.next() : w;
      if (dst !== null) duparg2("to", v);
      dst = parseAddr4(v);
    }
  }
  if (devName === null || dst === null)
    throw new CmdError("Device and destination are required arguments.", 255);
  const dev = findDev(ip.ns, devName);
  const table = ip.ns.neigh;
  if (proxy) {
    if (mode === "del") {
      if (!table.hasProxy(dev, dst)) rtnlError({ errno: "ENOENT" });
      table.proxies.delete(`${dev.ifindex}/${dst}`);
    } else table.addProxy(dev, dst);
    return;
  }
  const existing = table.lookup(dev, dst);
  if (mode === "del") {
    if (!existing) rtnlError({ errno: "ENOENT" });
    table.delete(existing);
    return;
  }
  const state = nud ?? "PERMANENT";
  if (lladdr === null && NUD_VALID.has(state) && state !== "NOARP")
    rtnlError({ errno: "EINVAL", extack: "No link layer address given" });
  if (existing && mode === "add") rtnlError({ errno: "EEXIST" });
  if (!existing && mode === "change") rtnlError({ errno: "ENOENT" });
  const n = existing ?? table.create(dev, dst, state, lladdr);
  table.admin(n, state, lladdr ?? n.lladdr);
}

function neighShow(ip: IpCtx, a: Args, flush: boolean): void {
  // ipneigh_list_or_flush starts with ll_init_map: a dump of every link.
  rtnlDumpLinks(ip.ns);
  // ipneigh_list_or_flush: flush wants some argument, any.
  if (flush && !a.more) throw new CmdError("Flush requires arguments.", 1);
  let dev = null;
  let nud: NudState | "all" | null = null;
  let proxy = false;
  let pfx: Prefix | null = null;
  while (a.more) {
    const w = a.take();
    if (w === "dev") dev = findDev(ip.ns, a.next());
    else if (w === "nud") {
      const v = a.next();
      nud = v === "all" ? "all" : (NUD[v] ?? null);
    } else if (w === "proxy") proxy = true;
    else if (w === "all") {
      /* every device */
    } else {
      // A prefix (get_prefix), whose family becomes the filter's.
      const v = w === "to" ? a.next() : w;
      pfx = parsePrefix(v, ip.opts.family);
      if (!pfx) badPrefix(v);
    }
  }
  if (ip.opts.family === 6 || pfx?.family === 6) return;
  const p4 = pfx?.family === 4 ? pfx : null;
  const mask = p4 && p4.len > 0 ? (0xffffffff << (32 - p4.len)) >>> 0 : 0;
  if (proxy) {
    for (const p of ip.ns.neigh.proxies.values()) {
      if (dev && p.dev !== dev) continue;
      ip.out.push(`${formatIPv4(p.ip)} dev ${p.dev.name} proxy \n`);
    }
    return;
  }
  const list = ip.ns.neigh
    .list()
    .filter((n) => (!dev || n.dev === dev) && (!p4 || (n.ip & mask) >>> 0 === (p4.addr & mask) >>> 0))
    .filter((n) =>
      // By default show leaves out NOARP entries, flush PERMANENT ones too; a nud given replaces that.
      nud === null
        ? n.state !== "NOARP" && !(flush && n.state === "PERMANENT")
        : nud === "all" || n.state === nud,
    );
  if (flush) {
    for (const n of list) ip.ns.neigh.delete(n);
    return;
  }
  if (ip.opts.json) {
    ip.out.push(
      json(
        list.map((n) => neighJson(n, !dev)),
        ip.opts.pretty,
      ),
    );
    return;
  }
  for (const n of list) ip.out.push(`${neighText(n, !dev)}\n`);
}

/** ipneigh_get: one entry (RTM_GETNEIGH), printed as show prints it with its device, even with -j. */
function neighGet(ip: IpCtx, a: Args): void {
  let devName: string | null = null;
  let dst: number | null = null;
  while (a.more) {
    const w = a.take();
    if (w === "dev") devName = a.next();
    else if (w !== "proxy") {
      const v = w === "to" ? a.next() : w;
      if (dst !== null) duparg2("to", v);
      dst = parseAddr4(v);
    }
  }
  if (devName === null || dst === null) throw new CmdError("Device and address are required arguments.", 1);
  const dev = findDev(ip.ns, devName);
  const n = ip.ns.neigh.lookup(dev, dst);
  if (!n) throw new CmdError("Error: Neighbour entry not found.", 2);
  ip.out.push(`${neighText(n, true)}\n`);
}

export function doNeigh(ip: IpCtx, argv: string[]): void {
  const a = new Args(argv);
  if (!a.more) return neighShow(ip, a, false);
  const cmd = a.take();
  if (matches(cmd, "add")) return neighModify(ip, a, "add");
  if (matches(cmd, "change") || cmd === "chg") return neighModify(ip, a, "change");
  if (matches(cmd, "replace")) return neighModify(ip, a, "replace");
  if (matches(cmd, "delete")) return neighModify(ip, a, "del");
  if (matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst")) return neighShow(ip, a, false);
  if (matches(cmd, "flush")) return neighShow(ip, a, true);
  if (matches(cmd, "get")) return neighGet(ip, a);
  throw new CmdError(`Command "${cmd}" is unknown, try "ip neigh help".`, 255);
}
