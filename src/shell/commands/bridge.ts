/**
 * @module shell/commands/bridge
 * iproute2's `bridge fdb show|add|append|replace|del|flush` and `bridge link
 * show|set`. A bridge port's entries are its bridge's (`master`); a vxlan
 * device has its own FDB of remote VTEPs (`self`, the default).
 */
import { STRERROR } from "../../kernel/errno.js";
import { hasBeenDowned } from "../../kernel/link/dev.js";
import {
  FDB_ADD,
  FDB_APPEND,
  FDB_REPLACE,
  type RdstSpec,
  vxlanFdbAddEntry,
  vxlanFdbDelete,
  vxlanFdbDump,
  vxlanFdbFlush,
} from "../../kernel/link/vxlan/vxlan-fdb.js";
import type { NetNs } from "../../kernel/netns.js";
import type { NetDevice, VxlanFdbState } from "../../kernel/types.js";
import { formatIPv4 } from "../../net/ip.js";
import { parseMac, ZERO_MAC } from "../../net/mac.js";
import { type CmdContext, CmdError, type CmdResult } from "../types.js";
import { Args, getUnsigned, invarg, matches } from "./ip/args.js";
import { findDev, json, parseAddr4 } from "./ip/common.js";
import { onOff } from "./ip/link.js";
import { devicesOf, type Json, linkFlags } from "./ip/print.js";

function solicitedNode(a: bigint): string {
  const h = (a & 0xffffffn).toString(16).padStart(6, "0");
  return `33:33:ff:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
}

/**
 * The device's multicast list (dev->mc) in the order the groups were joined:
 * all-nodes at registration, the bridge's snooper groups when it opens,
 * 224.0.0.1 on NETDEV_UP, solicited-node groups as IPv6 addresses appear,
 * all-routers with IPv6 forwarding. Taking the device down drops them all;
 * all-nodes then comes back after 224.0.0.1.
 */
function mcList(dev: NetDevice): string[] {
  if (dev.kind === "loopback") return [];
  const sys = dev.ns.sysctl;
  const v6 =
    sys.num("net.ipv6.conf.all.disable_ipv6") === 0 &&
    sys.num(`net.ipv6.conf.${dev.name}.disable_ipv6`) === 0;
  const downed = hasBeenDowned(dev);
  // ipv6_add_dev joins all-nodes at registration even with disable_ipv6 set (the device still gets
  // its inet6_dev); the first down drops it, and only an IPv6-enabled up joins it again.
  if (!dev.up) return !downed ? ["33:33:00:00:00:01"] : [];
  const out: string[] = [];
  if (!downed) out.push("33:33:00:00:00:01");
  if (dev.kind === "bridge") out.push("01:00:5e:00:00:6a", ...(v6 || !downed ? ["33:33:00:00:00:6a"] : []));
  out.push("01:00:5e:00:00:01");
  if (v6 && downed) out.push("33:33:00:00:00:01");
  if (v6) {
    // dev.inet6 lists the newest address first.
    for (const a of [...dev.inet6].reverse()) if (a.local !== 1n) out.push(solicitedNode(a.local));
    if (sys.num(`net.ipv6.conf.${dev.name}.forwarding`) === 1) out.push("33:33:00:00:00:02");
  }
  return [...new Set(out)];
}

interface FdbRow {
  mac: string;
  dev: NetDevice;
  master: NetDevice | null;
  flags: string[];
  /** A vxlan remote: NDA_DST, and NDA_PORT, NDA_VNI, NDA_IFINDEX where they differ from the device's. */
  remote?: { dst: string; port: number | null; vni: number | null; via: string | null };
}

/** state_n2a for the vxlan FDB's NUD states: a dynamic (REACHABLE) entry prints an empty state. */
const VXLAN_STATE_TEXT: Record<VxlanFdbState, string> = {
  PERMANENT: "permanent",
  NOARP: "static",
  REACHABLE: "",
};

/** vxlan_fdb_dump: one row per remote of each entry, newest entry first. */
function vxlanRows(d: NetDevice, now: number): FdbRow[] {
  const v = d.vxlan!;
  const rows: FdbRow[] = [];
  for (const e of vxlanFdbDump(d, now))
    for (const r of e.remotes) {
      const via = r.ifindex === 0 ? null : (d.ns.devices.get(r.ifindex)?.name ?? `if${r.ifindex}`);
      rows.push({
        mac: e.mac,
        dev: d,
        master: null,
        flags: ["self", VXLAN_STATE_TEXT[e.state]],
        remote: {
          dst: formatIPv4(r.ip),
          port: r.port !== v.dstport ? r.port : null,
          vni: r.vni !== v.id ? r.vni : null,
          via,
        },
      });
    }
  return rows;
}

/** rtnl_fdb_dump: per device, its bridge entries (newest first), then its own address lists. */
function fdbRows(devs: NetDevice[], now: number): FdbRow[] {
  const rows: FdbRow[] = [];
  for (const d of devs) {
    if (d.master?.bridge) {
      const entries = [...d.master.bridge.fdb.values()].filter((e) => e.port === d).reverse();
      const ageMax = d.master.bridge.ageingTime * 10;
      for (const e of entries) {
        if (e.kind === "learned" && now - e.updated >= ageMax) continue;
        const flags = e.kind === "learned" ? [] : [e.kind === "local" ? "permanent" : "static"];
        rows.push({ mac: e.mac, dev: d, master: d.master, flags });
      }
    }
    // A device with its own ndo_fdb_dump (vxlan) lists its FDB instead of its address lists.
    if (d.vxlan) rows.push(...vxlanRows(d, now));
    else for (const m of mcList(d)) rows.push({ mac: m, dev: d, master: null, flags: ["self", "permanent"] });
    // The bridge's own address has an entry without a port unless a port already holds that address.
    const info = d.bridge;
    if (info && d.mac !== ZERO_MAC && !info.ports.some((p) => p.mac === d.mac))
      rows.push({ mac: d.mac, dev: d, master: d, flags: ["permanent"] });
  }
  return rows;
}

function fdb(ctx: CmdContext, a: Args, jsonOut: boolean): CmdResult {
  const sub = a.more ? a.take() : "show";
  const ns = ctx.ns;
  if (matches(sub, "show") || matches(sub, "list")) {
    let br: NetDevice | null = null;
    let dev: NetDevice | null = null;
    while (a.more) {
      const w = a.take();
      if (w === "br" || w === "brport" || w === "dev") {
        const d = bridgeDev(ns, a.next(), w === "br" ? "bridge device" : "device");
        if (w === "br") br = d;
        else dev = d;
      }
    }
    let devs = devicesOf(ns);
    if (br) devs = devs.filter((d) => d === br || d.master === br);
    if (dev) devs = devs.filter((d) => d === dev);
    const rows = fdbRows(devs, ctx.kernel.clock.now);
    if (jsonOut) {
      const j: Json[] = rows.map((r) => {
        const o: { [k: string]: Json } = { mac: r.mac };
        if (!dev) o.ifname = r.dev.name;
        if (r.remote) {
          o.dst = r.remote.dst;
          if (r.remote.port !== null) o.port = r.remote.port;
          if (r.remote.vni !== null) o.vni = r.remote.vni;
          if (r.remote.via !== null) o.viaIf = r.remote.via;
        }
        o.flags = r.master ? [] : ["self"];
        if (r.master) o.master = r.master.name;
        o.state = r.flags.includes("permanent") ? "permanent" : r.flags.includes("static") ? "static" : "";
        return o;
      });
      return { stdout: json(j, false), stderr: "", exitCode: 0 };
    }
    const text = rows
      .map((r) => {
        const rem = r.remote;
        const remote = rem
          ? `dst ${rem.dst} ${rem.port !== null ? `port ${rem.port} ` : ""}${rem.vni !== null ? `vni ${rem.vni} ` : ""}${rem.via !== null ? `via ${rem.via} ` : ""}`
          : "";
        return `${r.mac} ${dev ? "" : `dev ${r.dev.name} `}${remote}${r.master ? `master ${r.master.name} ` : ""}${r.flags.join(" ")}\n`;
      })
      .join("");
    return { stdout: text, stderr: "", exitCode: 0 };
  }
  if (matches(sub, "add") || matches(sub, "append") || matches(sub, "replace") || matches(sub, "delete")) {
    const macText = a.next();
    const mac = parseMac(macText);
    if (!mac) throw new CmdError(`Invalid mac address ${macText}`, 255);
    let dev: NetDevice | null = null;
    let master = false;
    let state: "permanent" | "static" | "dynamic" = "permanent";
    const remote: Partial<RdstSpec> = {};
    while (a.more) {
      const w = a.take();
      if (w === "dev") dev = findDev(ns, a.next());
      else if (w === "master") master = true;
      else if (w === "static" || w === "permanent" || w === "local" || w === "temp")
        state = w === "temp" ? "static" : w === "local" ? "permanent" : w;
      else if (w === "dynamic") state = "dynamic";
      else if (w === "dst") remote.ip = parseAddr4(a.next());
      else if (w === "port" || w === "vni") {
        const t = a.next();
        const n = getUnsigned(t, w === "port" ? 0xffff : 0xffffff);
        if (n === null) invarg(`invalid ${w === "port" ? "port" : "VNI"}`, t);
        remote[w] = n;
      } else if (w === "via") remote.ifindex = findDev(ns, a.next()).ifindex;
      else if (w === "vlan") a.next();
    }
    if (!dev) throw new CmdError("Device and address are required arguments.", 255);
    if (!master && dev.vxlan) return vxlanFdbModify(ctx, sub, dev, mac, remote, state);
    // bridge(8) fails with -1: every RTNETLINK error exits 255.
    if (!master)
      throw new CmdError(`kubetwin: "bridge fdb ${sub}" on the device itself (self) is not modelled`, 2);
    if (!dev.master?.bridge) throw new CmdError("RTNETLINK answers: Operation not supported", 255);
    const table = dev.master.bridge.fdb;
    if (matches(sub, "delete")) {
      const e = table.get(mac);
      if (!e || e.port !== dev) throw new CmdError("RTNETLINK answers: No such file or directory", 255);
      table.delete(mac);
    } else {
      if (state === "dynamic") throw new CmdError("RTNETLINK answers: Operation not permitted", 255);
      if (table.has(mac) && matches(sub, "add") && table.get(mac)!.kind !== "learned")
        throw new CmdError("RTNETLINK answers: File exists", 255);
      const prev = table.get(mac);
      const kind = state === "static" ? "static" : "local";
      if (prev) {
        prev.port = dev;
        prev.kind = kind;
        prev.updated = ctx.kernel.clock.now;
      } else table.set(mac, { mac, port: dev, kind, updated: ctx.kernel.clock.now, used: 0 });
    }
    return { stdout: "", stderr: "", exitCode: 0 };
  }
  if (matches(sub, "flush")) {
    // The state keywords select vxlan entries (NDA_NDM_STATE_MASK); a bridge flush takes learned ones.
    let only: VxlanFdbState | null = null;
    const devs: Array<[string, NetDevice]> = [];
    while (a.more) {
      const w = a.take();
      if (w === "dev" || w === "br") devs.push([w, findDev(ns, a.next())]);
      else if (w === "permanent") only = "PERMANENT";
      else if (w === "static") only = "NOARP";
      else if (w === "dynamic") only = "REACHABLE";
    }
    for (const [w, d] of devs) {
      if (w === "dev" && d.vxlan) {
        vxlanFdbFlush(d, only);
        continue;
      }
      const br = d.bridge ? d : d.master;
      if (br?.bridge)
        for (const [k, e] of br.bridge.fdb)
          if (e.kind === "learned" && (d === br || e.port === d)) br.bridge.fdb.delete(k);
    }
    return { stdout: "", stderr: "", exitCode: 0 };
  }
  throw new CmdError(`Command "${sub}" is unknown, try "bridge fdb help".`, 255);
}

/** rtnl_fdb_add/del with NTF_SELF on a vxlan device: its own FDB (vxlan_fdb_add, vxlan_fdb_delete). */
function vxlanFdbModify(
  ctx: CmdContext,
  sub: string,
  dev: NetDevice,
  mac: string,
  remote: Partial<RdstSpec>,
  state: "permanent" | "static" | "dynamic",
): CmdResult {
  const now = ctx.kernel.clock.now;
  const spec: RdstSpec | null = remote.ip === undefined ? null : { ...remote, ip: remote.ip };
  const nud: VxlanFdbState = state === "permanent" ? "PERMANENT" : state === "static" ? "NOARP" : "REACHABLE";
  const r = matches(sub, "delete")
    ? vxlanFdbDelete(dev, mac, spec, now)
    : vxlanFdbAddEntry(
        dev,
        mac,
        spec,
        nud,
        matches(sub, "add") ? FDB_ADD : matches(sub, "append") ? FDB_APPEND : FDB_REPLACE,
        now,
      );
  if (!r.ok) {
    // bridge(8) fails with -1 on every RTNETLINK error: exit status 255.
    const msg = r.err.extack ? `Error: ${r.err.extack}.` : `RTNETLINK answers: ${STRERROR[r.err.errno]}`;
    throw new CmdError(msg, 255);
  }
  return { stdout: "", stderr: "", exitCode: 0 };
}

/** ll_name_to_index for bridge(8): an unknown name fails the command with -1 (status 255). */
function bridgeDev(ns: NetNs, name: string, what: "device" | "bridge device"): NetDevice {
  if (!ns.byName.has(name)) throw new CmdError(`Cannot find ${what} "${name}"`, 255);
  return findDev(ns, name);
}

/** C's atoi: the leading integer, 0 when there is none. */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1]!, 10) : 0;
}

function link(ctx: CmdContext, a: Args, jsonOut: boolean, details: boolean): CmdResult {
  const sub = a.more ? a.take() : "show";
  const ns = ctx.ns;
  if (matches(sub, "set")) {
    let dev: NetDevice | null = null;
    while (a.more) {
      const w = a.take();
      if (w === "dev") dev = bridgeDev(ns, a.next(), "bridge device");
      else if (w === "hairpin" || w === "learning" || w === "flood") {
        const v = onOff(a.next(), w);
        if (!dev?.brport) throw new CmdError("RTNETLINK answers: Operation not supported", 255);
        dev.brport[w === "hairpin" ? "hairpin" : w === "learning" ? "learning" : "flood"] = v;
      } else if (w === "cost" || w === "priority") {
        // bridge(8) reads both with atoi and sends a cost above 0, a priority from 0; the kernel
        // (br_stp_set_path_cost, br_stp_set_port_priority) refuses a cost past 65535, a priority past 63.
        const n = atoi(a.next());
        if (w === "cost" ? n <= 0 : n < 0) continue;
        if (!dev?.brport) throw new CmdError("RTNETLINK answers: Operation not supported", 255);
        if (n > (w === "cost" ? 65535 : 63))
          throw new CmdError("RTNETLINK answers: Numerical result out of range", 255);
        dev.brport[w] = n;
      } else if (w === "state" || w === "guard" || w === "isolated" || w === "neigh_suppress") a.next();
    }
    return { stdout: "", stderr: "", exitCode: 0 };
  }
  let devFilter: NetDevice | null = null;
  while (a.more) {
    const w = a.take();
    if (w === "dev") devFilter = bridgeDev(ns, a.next(), "device");
  }
  const ports = devicesOf(ns).filter((d) => d.brport && (!devFilter || d === devFilter));
  // The IFLA_PROTINFO flags bridge -d prints, in print_protinfo's order.
  const protinfo = (d: NetDevice): Array<[string, boolean | number]> => {
    const bp = d.brport!;
    return [
      ["hairpin", bp.hairpin],
      ["guard", false],
      ["root_block", false],
      ["fastleave", false],
      ["learning", bp.learning],
      ["flood", bp.flood],
      ["mcast_flood", true],
      ["bcast_flood", true],
      ["mcast_router", 1],
      ["mcast_to_unicast", false],
      ["neigh_suppress", false],
      ["vlan_tunnel", false],
      ["isolated", false],
      ["locked", false],
    ];
  };
  // bridge(8) names IFLA_LINK by index in its own namespace, even for a peer elsewhere.
  const linkOf = (d: NetDevice): string | null =>
    d.peer ? (ns.devices.get(d.peer.ifindex)?.name ?? `if${d.peer.ifindex}`) : null;
  if (jsonOut) {
    const j: Json[] = ports.map((d) => {
      const o: { [k: string]: Json } = { ifindex: d.ifindex };
      const l = linkOf(d);
      if (l !== null) o.link = l;
      Object.assign(o, {
        ifname: d.name,
        flags: linkFlags(d),
        mtu: d.mtu,
        master: d.master!.name,
        state: d.brport!.state,
        priority: d.brport!.priority,
        cost: d.brport!.cost,
      });
      if (details) for (const [k, v] of protinfo(d)) o[k] = v;
      return o;
    });
    return { stdout: json(j, false), stderr: "", exitCode: 0 };
  }
  const text = ports
    .map((d) => {
      const l = linkOf(d);
      const at = l !== null ? `@${l}` : "";
      let line = `${d.ifindex}: ${d.name}${at}: <${linkFlags(d).join(",")}> mtu ${d.mtu} master ${d.master!.name} state ${d.brport!.state} priority ${d.brport!.priority} cost ${d.brport!.cost} \n`;
      if (details)
        line += `    ${protinfo(d)
          .map(([k, v]) => `${k} ${typeof v === "number" ? v : v ? "on" : "off"} `)
          .join("")}\n`;
      return line;
    })
    .join("");
  return { stdout: text, stderr: "", exitCode: 0 };
}

export function bridgeCommand(argv: string[], ctx: CmdContext): CmdResult {
  let i = 0;
  let jsonOut = false;
  let details = false;
  let ns = ctx.ns;
  try {
    while (i < argv.length && argv[i]!.startsWith("-")) {
      const o = argv[i]!.replace(/^--?/, "");
      if (o === "j" || matches(o, "json")) jsonOut = true;
      else if (o === "n" || matches(o, "netns")) {
        const name = argv[++i] ?? "";
        const t = ctx.kernel.named.get(name);
        if (!t) throw new CmdError(`Cannot open network namespace "${name}": No such file or directory`, 255);
        ns = t;
      } else if (o === "d" || matches(o, "details")) {
        details = true;
      } else if (
        o === "d" ||
        o === "s" ||
        o === "p" ||
        matches(o, "details") ||
        matches(o, "statistics") ||
        matches(o, "pretty") ||
        o === "c"
      ) {
        /* accepted */
      } else throw new CmdError(`Option "${argv[i]}" is unknown, try "bridge help".`, 255);
      i++;
    }
    const obj = argv[i];
    const a = new Args(argv.slice(i + 1));
    const c2 = { ...ctx, ns };
    if (obj === undefined) throw new CmdError("Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }", 255);
    if (matches(obj, "fdb")) return fdb(c2, a, jsonOut);
    if (matches(obj, "link")) return link(c2, a, jsonOut, details);
    throw new CmdError(`Object "${obj}" is unknown, try "bridge help".`, 255);
  } catch (e) {
    if (e instanceof CmdError) return { stdout: e.stdout, stderr: `${e.message}\n`, exitCode: e.exitCode };
    throw e;
  }
}
