/**
 * @module shell/commands/ip/link
 * `ip link add|set|delete|show`, as iproute2's iplink.c parses them.
 */

import type { KResult } from "../../../kernel/errno.js";
import { brAddIf, brDelIf } from "../../../kernel/link/bridge/br-if.js";
import {
  createBridge,
  createDummy,
  createVeth,
  createVxlan,
  type LinkAttrs,
} from "../../../kernel/link/create.js";
import {
  changeNetns,
  operstate,
  rename,
  setMac,
  setMtu,
  setUp,
  unregister,
  validIfName,
} from "../../../kernel/link/dev.js";
import type { NetNs } from "../../../kernel/netns.js";
import type { NetDevice } from "../../../kernel/types.js";
import { parseMac, sequentialMac } from "../../../net/mac.js";
import { CmdError } from "../../types.js";
import {
  Args,
  duparg2,
  getUnsigned,
  groupNumber,
  invalidLladdr,
  invarg,
  llAddrA2n,
  matches,
  rtnlError,
} from "./args.js";
import { findDev, type IpCtx, json, linksByIndex, llGetLink, parseAddr4, rtnlDumpLinks } from "./common.js";
import { linkFlags, linkHeader, linkJson, linkName } from "./print.js";

/**
 * netns NAME, or a PID (IFLA_NET_NS_PID) when no namespace has that name: PID 1, the shell the
 * script runs in, stands in the initial namespace; no other process is modelled (ESRCH).
 */
function nsByName(ip: IpCtx, name: string): NetNs {
  const ns = ip.ctx.kernel.named.get(name);
  if (ns) return ns;
  const pid = getUnsigned(name);
  if (pid === null) invarg('Invalid "netns" value\n', name);
  if (pid !== 1) rtnlError({ errno: "ESRCH" });
  return ip.ctx.kernel.initNs;
}

function checkName(name: string): string {
  if (!validIfName(name)) invarg('"name" not a valid ifname', name);
  return name;
}

interface Common {
  name: string | null;
  mac?: string;
  /** An address of another length than a MAC's: iplink_modify refuses it for a device, the kernel at creation. */
  macLen?: number;
  mtu?: number;
  txqlen?: number;
  ns?: NetNs;
  up?: boolean;
  master?: NetDevice | null;
}

/** The options iplink_parse shares between add and set; returns false for a word it does not know. */
function commonOpt(ip: IpCtx, a: Args, w: string, c: Common, ns: NetNs): boolean {
  if (w === "up") c.up = true;
  else if (w === "down") c.up = false;
  else if (w === "name") c.name = checkName(a.next());
  else if (matches(w, "address")) {
    const bytes = llAddrA2n(a.next());
    if (bytes.length === 6) c.mac = bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
    else c.macLen = bytes.length;
  } else if (matches(w, "broadcast") || w === "brd") {
    const v = a.next();
    if (!parseMac(v)) invalidLladdr(v);
    throw new CmdError(`kubetwin: "ip link … broadcast" is not modelled`, 2);
  } else if (w === "mtu") {
    const v = a.next();
    const n = getUnsigned(v);
    if (n === null) invarg('Invalid "mtu" value\n', v);
    c.mtu = n;
  } else if (matches(w, "txqueuelen") || w === "qlen" || w === "txqlen") {
    const v = a.next();
    const n = getUnsigned(v);
    if (n === null) invarg('Invalid "txqueuelen" value\n', v);
    c.txqlen = n;
  } else if (w === "netns") {
    c.ns = nsByName(ip, a.next());
  } else if (w === "master") {
    const v = a.next();
    const m = ns.byName.get(v);
    if (!m) invarg("Device does not exist\n", v);
    c.master = m;
  } else if (w === "nomaster") c.master = null;
  else return false;
  return true;
}

function parseVeth(ip: IpCtx, a: Args, ns: NetNs): Common {
  const peer: Common = { name: null };
  if (!a.more) return peer;
  const w = a.take();
  if (w !== "peer") throw new CmdError(`Error: argument "${w}" is wrong: unknown veth option\n`, 255);
  while (a.more) {
    const x = a.take();
    if (commonOpt(ip, a, x, peer, ns)) continue;
    if (peer.name !== null) duparg2("name", x);
    peer.name = checkName(x);
  }
  return peer;
}

function linkAdd(ip: IpCtx, a: Args): void {
  const c: Common = { name: null };
  let type: string | null = null;
  let typeArgs: string[] = [];
  while (a.more) {
    const w = a.take();
    // iplink_parse tries "txqueuelen" before "type": "t" is txqueuelen, "ty" is type.
    if (matches(w, "type") && !matches(w, "txqueuelen")) {
      type = a.next();
      typeArgs = a.rest();
      break;
    }
    if (matches(w, "link")) {
      findDev(ip.ns, a.next());
      continue;
    }
    if (w === "dev") {
      c.name = checkName(a.next());
      continue;
    }
    if (commonOpt(ip, a, w, c, ip.ns)) continue;
    if (c.name !== null) duparg2("dev", w);
    if (w.length >= 16 && w.length < 128 && validIfName(w.slice(0, 15)))
      rtnlError({ errno: "EINVAL", extack: "Attribute failed policy validation" });
    c.name = checkName(w);
  }
  if (type === null) throw new CmdError('Not enough information: "type" argument is required', 1);
  if (c.macLen !== undefined) rtnlError({ errno: "EINVAL" });
  const ns = c.ns ?? ip.ns;
  const k = ip.ctx.kernel;
  // Under the oracle, MACs the kernel would draw at random are numbered as the real side's ip wrapper does.
  const pinned = (): string | undefined => {
    if (k.macSequence === null) return undefined;
    k.macSequence++;
    return sequentialMac(k.macSequence);
  };
  if (c.mac === undefined && (type === "veth" || type === "dummy" || type === "vxlan")) c.mac = pinned();
  const attrs: LinkAttrs = {
    name: c.name,
    ns,
    ...(c.mac !== undefined ? { mac: c.mac } : {}),
    ...(c.mtu !== undefined ? { mtu: c.mtu } : {}),
    ...(c.txqlen !== undefined ? { txqlen: c.txqlen } : {}),
  };
  const ta = new Args(typeArgs);
  let res: KResult<NetDevice>;
  switch (type) {
    case "veth": {
      const p = parseVeth(ip, ta, ip.ns);
      // IFLA_ADDRESS of the wrong length: the kernel refuses the whole request.
      if (p.macLen !== undefined) rtnlError({ errno: "EINVAL" });
      if (p.mac === undefined) p.mac = pinned();
      res = createVeth(attrs, {
        name: p.name,
        ns: p.ns ?? ip.ns,
        ...(p.mac !== undefined ? { mac: p.mac } : {}),
        ...(p.mtu !== undefined ? { mtu: p.mtu } : {}),
        ...(p.txqlen !== undefined ? { txqlen: p.txqlen } : {}),
      });
      break;
    }
    case "bridge": {
      const opts = parseBridgeOpts(ta);
      res = createBridge(attrs);
      if (res.ok) Object.assign(res.value.bridge!, opts);
      break;
    }
    case "dummy":
      res = createDummy(attrs);
      break;
    case "vxlan":
      res = createVxlan(attrs, parseVxlan(ip, ta));
      break;
    default:
      if (
        [
          "macvlan",
          "ipvlan",
          "vlan",
          "gre",
          "ipip",
          "tun",
          "tap",
          "bond",
          "team",
          "vrf",
          "geneve",
          "wireguard",
          "ifb",
          "nlmon",
        ].includes(type)
      ) {
        throw new CmdError(`kubetwin: ip link type "${type}" is not modelled`, 2);
      }
      throw new CmdError("Error: Unknown device type.", 2);
  }
  if (!res.ok) rtnlError(res.err);
  const dev = res.value;
  if (c.master) {
    const r = brAddIf(c.master, dev);
    if (!r.ok) rtnlError(r.err);
  }
  if (c.up) setUp(dev, true);
}

const BRIDGE_NUM_OPTS: Record<string, keyof NonNullable<NetDevice["bridge"]>> = {
  ageing_time: "ageingTime",
  forward_delay: "forwardDelay",
  hello_time: "helloTime",
  max_age: "maxAge",
  stp_state: "stpState",
  priority: "priority",
  vlan_filtering: "vlanFiltering",
  nf_call_iptables: "nfCallIptables",
};

function parseBridgeOpts(a: Args): Partial<NonNullable<NetDevice["bridge"]>> {
  const o: Record<string, number> = {};
  while (a.more) {
    const w = a.take();
    const key = BRIDGE_NUM_OPTS[w];
    if (key) {
      const v = a.next();
      const n = getUnsigned(v);
      if (n === null) invarg(`invalid ${w}`, v);
      o[key] = n;
      continue;
    }
    if (w === "mcast_snooping" || w === "group_fwd_mask" || w === "mcast_router") {
      a.next();
      continue;
    }
    throw new CmdError(`bridge: unknown command "${w}"?`, 255);
  }
  return o as Partial<NonNullable<NetDevice["bridge"]>>;
}

function parseVxlan(ip: IpCtx, a: Args) {
  let id: number | null = null;
  const v = {
    remote: null as number | null,
    local: null as number | null,
    group: null as number | null,
    dev: null as NetDevice | null,
    dstport: 0,
    learning: true,
    ttl: 0,
    ageing: 300,
  };
  let gotPort = false;
  while (a.more) {
    const w = a.take();
    if (w === "id" || w === "vni") {
      const s = a.next();
      const n = getUnsigned(s, 16777215);
      if (n === null) invarg("invalid id", s);
      id = n;
    } else if (w === "remote") v.remote = parseAddr4(a.next());
    else if (w === "local") v.local = parseAddr4(a.next());
    else if (w === "group") v.group = parseAddr4(a.next());
    else if (w === "dev") v.dev = findDev(ip.ns, a.next());
    else if (w === "dstport") {
      const s = a.next();
      const n = getUnsigned(s, 65535);
      if (n === null) invarg("dstport", s);
      v.dstport = n;
      gotPort = true;
    } else if (w === "ageing") {
      const s = a.next();
      const n = getUnsigned(s);
      if (n === null) invarg("ageing", s);
      v.ageing = n;
    } else if (w === "nolearning") v.learning = false;
    else if (w === "learning") v.learning = true;
    else if (w === "ttl" || w === "hoplimit") {
      const s = a.next();
      v.ttl = s === "auto" || s === "inherit" ? 0 : (getUnsigned(s, 255) ?? invarg("invalid TTL", s));
    } else throw new CmdError(`vxlan: unknown command "${w}"?`, 255);
  }
  if (id === null) throw new CmdError("vxlan: missing virtual network identifier", 1);
  if (!gotPort) {
    ip.err.push(
      "vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n",
    );
  }
  // The kernel's default is the pre-IANA port 8472.
  return { id, ...v, dstport: gotPort && v.dstport !== 0 ? v.dstport : 8472 };
}

function linkSet(ip: IpCtx, a: Args): void {
  let devName: string | null = null;
  const c: Common = { name: null };
  let promisc: boolean | undefined;
  let arp: boolean | undefined;
  let multicast: boolean | undefined;
  let group: number | undefined;
  let allmulticast: boolean | undefined;
  let hairpin: boolean | undefined;
  let learning: boolean | undefined;
  let flood: boolean | undefined;
  let alias: string | undefined;
  let bridgeOpts: Partial<NonNullable<NetDevice["bridge"]>> | undefined;
  while (a.more) {
    const w = a.take();
    if (w === "dev") {
      devName = a.next();
      continue;
    }
    if (commonOpt(ip, a, w, c, ip.ns)) continue;
    if (w === "promisc") {
      const v = a.next();
      promisc = onOff(v, "promisc");
      continue;
    }
    if (w === "arp") {
      arp = onOff(a.next(), "arp");
      continue;
    }
    if (w === "group") {
      const v = a.next();
      group = groupNumber(v) ?? invarg('Invalid "group" value\n', v);
      continue;
    }
    if (w === "multicast") {
      multicast = onOff(a.next(), "multicast");
      continue;
    }
    if (w === "allmulticast") {
      allmulticast = onOff(a.next(), "allmulticast");
      continue;
    }
    if (w === "alias") {
      alias = a.next();
      continue;
    }
    if (matches(w, "type")) {
      const t = a.next();
      if (t === "bridge") {
        bridgeOpts = parseBridgeOpts(new Args(a.rest()));
        continue;
      }
      if (t !== "bridge_slave") throw new CmdError(`kubetwin: "ip link set type ${t}" is not modelled`, 2);
      while (a.more) {
        const o = a.take();
        if (o === "hairpin") hairpin = onOff(a.next(), "hairpin");
        else if (o === "learning") learning = onOff(a.next(), "learning");
        else if (o === "flood") flood = onOff(a.next(), "flood");
        else throw new CmdError(`bridge_slave: unknown option "${o}"?`, 255);
      }
      continue;
    }
    if (devName !== null) duparg2("dev", w);
    devName = w;
  }
  if (devName === null && group !== undefined) {
    // No device: the group selects (rtnl_group_changelink); the model applies up/down and the MTU.
    for (const d of linksByIndex(ip.ns).filter((x) => x.group === group)) {
      if (c.mtu !== undefined) {
        const r = setMtu(d, c.mtu);
        if (!r.ok) rtnlError(r.err);
      }
      if (c.up !== undefined) setUp(d, c.up);
    }
    return;
  }
  if (devName === null) throw new CmdError('Not enough information: "dev" argument is required.', 1);
  const dev = findDev(ip.ns, devName);
  if (c.macLen !== undefined) throw new CmdError(`Invalid address length ${c.macLen} - must be 6 bytes`, 1);
  if (group !== undefined) dev.group = group;
  // rtnl_setlink order: netns, name/mac/mtu, master, then flags (up/down) last.
  if (c.ns && c.ns !== dev.ns) {
    const r = changeNetns(dev, c.ns, c.name ?? undefined);
    if (!r.ok) rtnlError(r.err);
    c.name = null;
  }
  if (c.name !== null && c.name !== dev.name) {
    const r = rename(dev, c.name);
    if (!r.ok) rtnlError(r.err);
  }
  if (c.mac !== undefined) {
    const r = setMac(dev, c.mac);
    if (!r.ok) rtnlError(r.err);
  }
  if (c.mtu !== undefined) {
    const r = setMtu(dev, c.mtu);
    if (!r.ok) rtnlError(r.err);
  }
  if (c.txqlen !== undefined) dev.txqlen = c.txqlen;
  if (alias !== undefined) dev.alias = alias;
  if (c.master !== undefined) {
    if (c.master === null) {
      if (dev.master) brDelIf(dev.master, dev);
    } else {
      if (c.master.kind !== "bridge") rtnlError({ errno: "EOPNOTSUPP" });
      if (dev.kind === "bridge")
        rtnlError({ errno: "ELOOP", extack: "Can not enslave a bridge to a bridge" });
      const r = brAddIf(c.master, dev);
      if (!r.ok) rtnlError(r.err);
    }
  }
  if (bridgeOpts !== undefined) {
    if (!dev.bridge) rtnlError({ errno: "EOPNOTSUPP" });
    Object.assign(dev.bridge, bridgeOpts);
  }
  if (promisc !== undefined) dev.promisc = promisc ? 1 : 0;
  if (arp !== undefined) dev.noarp = !arp;
  if (multicast !== undefined) dev.multicast = multicast;
  // IFF_ALLMULTI set by the user counts once (dev->gflags), beside a bridge port's own count.
  if (allmulticast !== undefined) dev.allmulti = allmulticast ? 1 : 0;
  if (hairpin !== undefined || learning !== undefined || flood !== undefined) {
    if (!dev.brport) rtnlError({ errno: "EOPNOTSUPP" });
    if (hairpin !== undefined) dev.brport.hairpin = hairpin;
    if (learning !== undefined) dev.brport.learning = learning;
    if (flood !== undefined) dev.brport.flood = flood;
  }
  if (c.up !== undefined) setUp(dev, c.up);
}

export function onOff(v: string, what: string): boolean {
  if (v === "on") return true;
  if (v === "off") return false;
  throw new CmdError(`Error: argument of "${what}" must be "on" or "off", not "${v}"`, 255);
}

function linkDel(ip: IpCtx, a: Args): void {
  let devName: string | null = null;
  while (a.more) {
    const w = a.take();
    if (w === "dev") devName = a.next();
    else if (w === "type") a.next();
    else if (devName === null) devName = w;
    else duparg2("dev", w);
  }
  if (devName === null) throw new CmdError('Not enough information: "dev" argument is required.', 1);
  const dev = findDev(ip.ns, devName);
  if (dev.kind === "loopback") rtnlError({ errno: "EOPNOTSUPP" });
  unregister(dev);
}

interface ShowFilter {
  dev: NetDevice | null;
  up: boolean;
  master: NetDevice | null;
  type: string | null;
  group: number | null;
}

export function parseShowFilter(ip: IpCtx, a: Args): ShowFilter {
  const f: ShowFilter = { dev: null, up: false, master: null, type: null, group: null };
  while (a.more) {
    const w = a.take();
    if (w === "up") f.up = true;
    else if (w === "group") {
      const v = a.next();
      f.group = groupNumber(v) ?? invarg('Invalid "group" value\n', v);
    } else if (w === "master") {
      const m = a.next();
      f.master = ip.ns.byName.get(m) ?? invarg("Device does not exist\n", m);
    } else if (w === "type") f.type = a.next();
    else if (
      w === "scope" ||
      w === "label" ||
      w === "to" ||
      w === "primary" ||
      w === "secondary" ||
      w === "permanent" ||
      w === "dynamic"
    ) {
      if (w === "scope" || w === "label" || w === "to") a.next();
    } else {
      const name = w === "dev" ? a.next() : w;
      if (f.dev) duparg2("dev", name);
      const d = ip.ns.byName.get(name);
      if (!d) throw new CmdError(`Device "${name}" does not exist.`, 1);
      llGetLink(ip.ns, d);
      f.dev = d;
    }
  }
  return f;
}

/** Kinds whose rtnl_link_ops a dump's IFLA_INFO_KIND filter finds (an unknown kind filters nothing). */
const DUMP_KINDS = new Set(["veth", "bridge", "vxlan", "dummy"]);

/** The link dump behind a listing: one RTM_GETLINK when a device was named (done by the lookup), else a filtered dump. */
export function linkDump(ns: NetNs, f: ShowFilter): void {
  if (f.dev) return;
  const kind = f.type !== null && DUMP_KINDS.has(f.type) ? f.type : null;
  rtnlDumpLinks(ns, (d) => (kind === null || d.kind === kind) && (!f.master || d.master === f.master));
}

export function filterDevs(ns: NetNs, f: ShowFilter): NetDevice[] {
  return linksByIndex(ns).filter(
    (d) =>
      (!f.dev || d === f.dev) &&
      (!f.up || d.up) &&
      (!f.master || d.master === f.master) &&
      (f.group === null || d.group === f.group) &&
      (!f.type || d.kind === f.type || (f.type === "bridge_slave" && d.brport !== null)),
  );
}

function linkShow(ip: IpCtx, a: Args): void {
  const f = parseShowFilter(ip, a);
  linkDump(ip.ns, f);
  const devs = filterDevs(ip.ns, f);
  if (ip.opts.json) {
    ip.out.push(
      json(
        devs.map((d) => linkJson(d, true, ip.opts.details, ip.opts.stats)),
        ip.opts.pretty,
      ),
    );
    return;
  }
  for (const d of devs) {
    if (ip.opts.brief) {
      ip.out.push(
        `${linkName(d).padEnd(16)} ${operstate(d).padEnd(14)} ${d.mac} <${linkFlags(d).join(",")}> \n`,
      );
      continue;
    }
    const text = linkHeader(d, true, {
      details: ip.opts.details,
      stats: ip.opts.stats,
      oneline: ip.opts.oneline,
      family: 0,
    });
    ip.out.push(ip.opts.oneline ? `${text.replace(/\n$/, "").replace(/\n/g, "\\")}\n` : text);
  }
}

export function doLink(ip: IpCtx, argv: string[]): void {
  const a = new Args(argv);
  if (!a.more) return linkShow(ip, a);
  const cmd = a.take();
  if (matches(cmd, "add")) return linkAdd(ip, a);
  if (matches(cmd, "set") || matches(cmd, "change")) return linkSet(ip, a);
  if (matches(cmd, "delete")) return linkDel(ip, a);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return linkShow(ip, a);
  if (matches(cmd, "help")) throw new CmdError("Usage: ip link add [link DEV] [ name ] NAME ...", 255);
  throw new CmdError(`Command "${cmd}" is unknown, try "ip link help".`, 255);
}
