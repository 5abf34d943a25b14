/**
 * @module shell/commands/bridge
 * iproute2's `bridge fdb show|add|del|flush` and `bridge link show|set`.
 */
import { carrierOk } from "../../kernel/link/dev.js";
import type { NetDevice } from "../../kernel/types.js";
import { parseMac } from "../../net/mac.js";
import { CmdError, type CmdContext, type CmdResult } from "../types.js";
import { Args, matches } from "./ip/args.js";
import { findDev, json } from "./ip/common.js";
import { onOff } from "./ip/link.js";
import { devicesOf, linkFlags, type Json } from "./ip/print.js";

/** The multicast addresses a device has joined while up, as its mc list holds them. */
function mcList(dev: NetDevice): string[] {
  if (!dev.up || dev.kind === "loopback" || dev.kind === "dummy") return [];
  const solicited = dev.inet6.map((a) => {
    const low = a.local & 0xffffffn;
    const h = low.toString(16).padStart(6, "0");
    return `33:33:ff:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
  });
  const base =
    dev.kind === "bridge"
      ? ["33:33:00:00:00:01", "01:00:5e:00:00:6a", "33:33:00:00:00:6a", "01:00:5e:00:00:01"]
      : ["33:33:00:00:00:01", "01:00:5e:00:00:01"];
  return [...base, ...new Set(solicited)];
}

interface FdbRow {
  mac: string;
  dev: NetDevice;
  master: NetDevice | null;
  flags: string[];
}

function fdbRows(devs: NetDevice[], now: number): FdbRow[] {
  const rows: FdbRow[] = [];
  for (const d of devs) {
    if (d.master?.bridge) {
      const entries = [...d.master.bridge.fdb.values()].filter((e) => e.port === d);
      const ageMax = d.master.bridge.ageingTime * 10;
      for (const e of entries.filter((x) => x.kind === "learned" && now - x.updated < ageMax))
        rows.push({ mac: e.mac, dev: d, master: d.master, flags: [] });
      for (const e of entries.filter((x) => x.kind !== "learned"))
        rows.push({
          mac: e.mac,
          dev: d,
          master: d.master,
          flags: [e.kind === "local" ? "permanent" : "static"],
        });
    }
    for (const m of mcList(d)) rows.push({ mac: m, dev: d, master: null, flags: ["self", "permanent"] });
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
        const d = findDev(ns, a.next());
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
        const o: { [k: string]: Json } = { mac: r.mac, ifname: r.dev.name, flags: r.master ? [] : ["self"] };
        if (r.master) o.master = r.master.name;
        o.state = r.flags.includes("permanent") ? "permanent" : r.flags.includes("static") ? "static" : "";
        return o;
      });
      return { stdout: json(j, false), stderr: "", exitCode: 0 };
    }
    const text = rows
      .map(
        (r) =>
          `${r.mac} dev ${r.dev.name} ${r.master ? `master ${r.master.name} ` : ""}${r.flags.join(" ")}${r.flags.length ? "" : ""}\n`,
      )
      .join("");
    return { stdout: text, stderr: "", exitCode: 0 };
  }
  if (matches(sub, "add") || matches(sub, "append") || matches(sub, "replace") || matches(sub, "delete")) {
    const macText = a.next();
    const mac = parseMac(macText);
    if (!mac) throw new CmdError(`Invalid mac address ${macText}`, 255);
    let dev: NetDevice | null = null;
    while (a.more) {
      const w = a.take();
      if (w === "dev") dev = findDev(ns, a.next());
      else if (w === "dst" || w === "vlan" || w === "port" || w === "vni" || w === "via") a.next();
    }
    if (!dev) throw new CmdError("Device and address are required arguments.", 255);
    if (!dev.master?.bridge) throw new CmdError("RTNETLINK answers: Operation not supported", 2);
    const table = dev.master.bridge.fdb;
    if (matches(sub, "delete")) {
      if (!table.delete(mac)) throw new CmdError("RTNETLINK answers: No such file or directory", 2);
    } else {
      if (table.has(mac) && sub === "add" && table.get(mac)!.kind !== "learned")
        throw new CmdError("RTNETLINK answers: File exists", 2);
      table.set(mac, { mac, port: dev, kind: "static", updated: ctx.kernel.clock.now, used: 0 });
    }
    return { stdout: "", stderr: "", exitCode: 0 };
  }
  if (matches(sub, "flush")) {
    while (a.more) {
      const w = a.take();
      if (w === "dev" || w === "br") {
        const d = findDev(ns, a.next());
        const br = d.bridge ? d : d.master;
        if (br?.bridge)
          for (const [k, e] of br.bridge.fdb)
            if (e.kind === "learned" && (d === br || e.port === d)) br.bridge.fdb.delete(k);
      }
    }
    return { stdout: "", stderr: "", exitCode: 0 };
  }
  throw new CmdError(`Command "${sub}" is unknown, try "bridge fdb help".`, 255);
}

function link(ctx: CmdContext, a: Args, jsonOut: boolean): CmdResult {
  const sub = a.more ? a.take() : "show";
  const ns = ctx.ns;
  if (matches(sub, "set")) {
    let dev: NetDevice | null = null;
    while (a.more) {
      const w = a.take();
      if (w === "dev") dev = findDev(ns, a.next());
      else if (w === "hairpin" || w === "learning" || w === "flood") {
        const v = onOff(a.next(), w);
        if (!dev?.brport) throw new CmdError("RTNETLINK answers: Operation not supported", 2);
        dev.brport[w === "hairpin" ? "hairpin" : w === "learning" ? "learning" : "flood"] = v;
      } else if (
        w === "cost" ||
        w === "priority" ||
        w === "state" ||
        w === "guard" ||
        w === "isolated" ||
        w === "neigh_suppress"
      )
        a.next();
    }
    return { stdout: "", stderr: "", exitCode: 0 };
  }
  let devFilter: NetDevice | null = null;
  while (a.more) {
    const w = a.take();
    if (w === "dev") devFilter = findDev(ns, a.next());
  }
  const ports = devicesOf(ns).filter((d) => d.brport && (!devFilter || d === devFilter));
  if (jsonOut) {
    const j: Json[] = ports.map((d) => ({
      ifindex: d.ifindex,
      ifname: d.name,
      flags: linkFlags(d),
      mtu: d.mtu,
      master: d.master!.name,
      state: d.brport!.state,
      priority: d.brport!.priority,
      cost: d.brport!.cost,
    }));
    return { stdout: json(j, false), stderr: "", exitCode: 0 };
  }
  const text = ports
    .map((d) => {
      // bridge(8) names IFLA_LINK by index in its own namespace, even for a peer elsewhere.
      const at = d.peer ? `@${ns.devices.get(d.peer.ifindex)?.name ?? `if${d.peer.ifindex}`}` : "";
      void carrierOk;
      return `${d.ifindex}: ${d.name}${at}: <${linkFlags(d).join(",")}> mtu ${d.mtu} master ${d.master!.name} state ${d.brport!.state} priority ${d.brport!.priority} cost ${d.brport!.cost} \n`;
    })
    .join("");
  return { stdout: text, stderr: "", exitCode: 0 };
}

export function bridgeCommand(argv: string[], ctx: CmdContext): CmdResult {
  let i = 0;
  let jsonOut = false;
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
    if (matches(obj, "link")) return link(c2, a, jsonOut);
    throw new CmdError(`Object "${obj}" is unknown, try "bridge help".`, 255);
  } catch (e) {
    if (e instanceof CmdError) return { stdout: e.stdout, stderr: `${e.message}\n`, exitCode: e.exitCode };
    throw e;
  }
}
