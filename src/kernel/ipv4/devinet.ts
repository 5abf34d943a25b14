/**
 * @module kernel/ipv4/devinet
 * net/ipv4/devinet.c and the fib_add_ifaddr/fib_del_ifaddr halves of
 * fib_frontend.c: IPv4 addresses on a device, primaries and secondaries,
 * and the kernel routes each address brings (local, connected prefix,
 * subnet broadcast), added only while the device is up except the local route.
 */
import { broadcastOf, type IPv4, inPrefix, maskOf, networkOf } from "../../net/ip.js";
import { fail, type KResult, okVoid } from "../errno.js";
import { RT_TABLE_LOCAL, RT_TABLE_MAIN } from "../fib/table.js";
import {
  type InetAddr,
  type NetDevice,
  type Route,
  type RouteType,
  SCOPE_VALUE,
  type Scope,
} from "../types.js";

function kernelRoute(
  dev: NetDevice,
  table: number,
  type: RouteType,
  dst: IPv4,
  len: number,
  prefsrc: IPv4,
  metric: number,
): Route {
  const scope: Scope = type === "local" ? "host" : "link";
  return {
    family: 4,
    table,
    type,
    dst,
    dst6: 0n,
    dstLen: len,
    metric,
    protocol: "kernel",
    scope,
    prefsrc,
    gateway: null,
    dev,
    onlink: false,
    pref6: false,
  };
}

/** fib_magic(RTM_NEWROUTE): adds unless an identical kernel route is there already. */
function fibMagicAdd(dev: NetDevice, r: Route): void {
  const t = dev.ns.fib.get(r.table);
  const same = t
    .exact(r.dst, r.dstLen)
    .find((x) => x.type === r.type && x.dev === r.dev && x.prefsrc === r.prefsrc && x.metric === r.metric);
  if (!same) t.insert(r);
}

function fibMagicDel(
  dev: NetDevice,
  table: number,
  type: RouteType,
  dst: IPv4,
  len: number,
  prefsrc: IPv4,
): void {
  const t = dev.ns.fib.get(table);
  const victim = t.exact(dst, len).find((x) => x.type === type && x.dev === dev && x.prefsrc === prefsrc);
  if (victim) t.remove(victim);
}

/** The primary address a (secondary) address's routes name as their source. */
function primaryOf(dev: NetDevice, ifa: InetAddr): InetAddr {
  if (!ifa.secondary) return ifa;
  return (
    dev.inet.find(
      (p) =>
        !p.secondary &&
        p.prefixlen === ifa.prefixlen &&
        inPrefix(ifa.local, networkOf(p.local, p.prefixlen), p.prefixlen),
    ) ?? ifa
  );
}

/** fib_add_ifaddr */
function fibAddIfaddr(dev: NetDevice, ifa: InetAddr): void {
  const prim = primaryOf(dev, ifa);
  const isLo = dev.kind === "loopback";
  fibMagicAdd(dev, kernelRoute(dev, RT_TABLE_LOCAL, "local", ifa.local, 32, prim.local, 0));
  if (!dev.up) return;
  if (ifa.broadcast !== null && ifa.broadcast !== 0xffffffff) {
    fibMagicAdd(dev, kernelRoute(dev, RT_TABLE_LOCAL, "broadcast", ifa.broadcast, 32, prim.local, 0));
  }
  const prefix = networkOf(ifa.local, ifa.prefixlen);
  if (prefix !== 0 && !ifa.secondary && (prefix !== ifa.local || ifa.prefixlen < 32)) {
    if (!ifa.noprefixroute) {
      const table = isLo ? RT_TABLE_LOCAL : RT_TABLE_MAIN;
      fibMagicAdd(
        dev,
        kernelRoute(dev, table, isLo ? "local" : "unicast", prefix, ifa.prefixlen, prim.local, ifa.metric),
      );
    }
    if (ifa.prefixlen < 31) {
      fibMagicAdd(
        dev,
        kernelRoute(
          dev,
          RT_TABLE_LOCAL,
          "broadcast",
          broadcastOf(ifa.local, ifa.prefixlen),
          32,
          prim.local,
          0,
        ),
      );
    }
  }
}

/** fib_del_ifaddr: removes what no other address on the device still needs. */
function fibDelIfaddr(dev: NetDevice, ifa: InetAddr): void {
  const prim = primaryOf(dev, ifa);
  const isLo = dev.kind === "loopback";
  const prefix = networkOf(ifa.local, ifa.prefixlen);
  const brd = broadcastOf(ifa.local, ifa.prefixlen);
  if (!ifa.secondary) {
    const table = isLo ? RT_TABLE_LOCAL : RT_TABLE_MAIN;
    fibMagicDel(dev, table, isLo ? "local" : "unicast", prefix, ifa.prefixlen, prim.local);
  }
  const others = dev.inet.filter((o) => o !== ifa);
  const localStill = others.some((o) => o.local === ifa.local);
  const brdStill = others.some(
    (o) => !o.secondary && o.prefixlen < 31 && broadcastOf(o.local, o.prefixlen) === brd,
  );
  if (!localStill) {
    // The local route may name the primary (or itself) as source.
    const t = dev.ns.fib.get(RT_TABLE_LOCAL);
    for (const r of t.exact(ifa.local, 32).filter((x) => x.type === "local" && x.dev === dev)) t.remove(r);
  }
  if (!brdStill && !ifa.secondary && ifa.prefixlen < 31) {
    const t = dev.ns.fib.get(RT_TABLE_LOCAL);
    for (const r of t.exact(brd, 32).filter((x) => x.type === "broadcast" && x.dev === dev)) t.remove(r);
  }
  if (ifa.broadcast !== null) {
    const stillExplicit = others.some((o) => o.broadcast === ifa.broadcast);
    if (!stillExplicit && !brdStill)
      fibMagicDel(dev, RT_TABLE_LOCAL, "broadcast", ifa.broadcast, 32, prim.local);
  }
}

/**
 * fib_modify_prefix_metric: the prefix route of a primary address on an up device gets the new
 * metric (a unicast route in main, added before the old one goes, as the kernel does it).
 */
function fibModifyPrefixMetric(dev: NetDevice, ifa: InetAddr, metric: number): void {
  const prefix = networkOf(ifa.local, ifa.prefixlen);
  if (!dev.up || ifa.secondary || ifa.noprefixroute || prefix === 0) return;
  if (prefix === ifa.local && ifa.prefixlen === 32) return;
  const main = dev.ns.fib.get(RT_TABLE_MAIN);
  const old = main
    .exact(prefix, ifa.prefixlen)
    .find((x) => x.type === "unicast" && x.dev === dev && x.prefsrc === ifa.local && x.metric === ifa.metric);
  fibMagicAdd(dev, kernelRoute(dev, RT_TABLE_MAIN, "unicast", prefix, ifa.prefixlen, ifa.local, metric));
  if (old) main.remove(old);
}

export interface AddrSpec {
  local: IPv4;
  prefixlen: number;
  broadcast: IPv4 | null;
  scope: Scope | null;
  label: string | null;
  noprefixroute: boolean;
  metric: number;
}

/** __inet_insert_ifa */
export function inetAddAddr(dev: NetDevice, spec: AddrSpec, replace = false): KResult {
  // inet_rtm_newaddr: the same address and prefix length is the existing one (find_matching_ifa).
  // NLM_F_REPLACE (ip addr replace/change) changes only its route metric; otherwise it is EEXIST.
  const existing = dev.inet.find((o) => o.local === spec.local && o.prefixlen === spec.prefixlen);
  if (existing) {
    if (!replace) return fail("EEXIST", "ipv4: Address already assigned");
    if (existing.metric !== spec.metric) fibModifyPrefixMetric(dev, existing, spec.metric);
    existing.metric = spec.metric;
    return okVoid();
  }
  // The kernel copies IFA_LABEL as given (it need not start with the device name).
  const label = spec.label ?? dev.name;
  let secondary = false;
  for (const o of dev.inet) {
    if (
      o.prefixlen === spec.prefixlen &&
      inPrefix(spec.local, networkOf(o.local, o.prefixlen), o.prefixlen)
    ) {
      if (o.scope !== (spec.scope ?? "global")) return fail("EINVAL", "ipv4: Invalid scope value");
      secondary = true;
    }
  }
  const ifa: InetAddr = {
    local: spec.local,
    prefixlen: spec.prefixlen,
    broadcast: spec.broadcast,
    scope: spec.scope ?? (dev.kind === "loopback" && spec.local >>> 24 === 127 ? "host" : "global"),
    label,
    secondary,
    noprefixroute: spec.noprefixroute,
    metric: spec.metric,
  };
  if (secondary) {
    dev.inet.push(ifa);
  } else {
    // __inet_insert_ifa: a primary goes after the last primary of a scope value at least its own
    // (global 0 … host 254), so wider scopes come first; at the head when there is none.
    const scope = SCOPE_VALUE[ifa.scope];
    let at = 0;
    for (let i = 0; i < dev.inet.length; i++) {
      const o = dev.inet[i]!;
      if (!o.secondary && scope <= SCOPE_VALUE[o.scope]) at = i + 1;
    }
    dev.inet.splice(at, 0, ifa);
  }
  fibAddIfaddr(dev, ifa);
  return okVoid();
}

/** inet_del_ifa; without promote_secondaries a primary takes its secondaries with it. */
export function inetDelAddr(dev: NetDevice, local: IPv4, prefixlen: number | null): KResult {
  const ifa = dev.inet.find((a) => a.local === local && (prefixlen === null || a.prefixlen === prefixlen));
  if (!ifa) return fail("EADDRNOTAVAIL");
  const victims = [ifa];
  const promote = dev.ns.sysctl.orConf(dev.name, "promote_secondaries");
  const mask = maskOf(ifa.prefixlen);
  if (!ifa.secondary) {
    const subs = dev.inet.filter(
      (a) =>
        a.secondary && a.prefixlen === ifa.prefixlen && (a.local & mask) >>> 0 === (ifa.local & mask) >>> 0,
    );
    if (promote && subs.length > 0) {
      const heir = subs[0]!;
      // Every secondary of the subnet changes its source address: their routes go first, silently.
      for (const s of subs) fibDelIfaddr(dev, s);
      fibDelIfaddr(dev, ifa);
      dev.inet = dev.inet.filter((a) => a !== ifa && a !== heir);
      heir.secondary = false;
      let i = 0;
      while (i < dev.inet.length && !dev.inet[i]!.secondary) i++;
      dev.inet.splice(i, 0, heir);
      fibAddIfaddr(dev, heir);
      for (const s of subs.slice(1)) fibAddIfaddr(dev, s);
      return okVoid();
    }
    victims.push(...subs);
  }
  for (const v of victims.reverse()) {
    fibDelIfaddr(dev, v);
    dev.inet = dev.inet.filter((a) => a !== v);
  }
  return okVoid();
}

/** NETDEV_UP: loopback gets 127.0.0.1/8; every address's routes come back. */
export function devinetUp(dev: NetDevice): void {
  if (dev.kind === "loopback" && dev.inet.length === 0) {
    inetAddAddr(dev, {
      local: 0x7f000001,
      prefixlen: 8,
      broadcast: null,
      scope: "host",
      label: null,
      noprefixroute: false,
      metric: 0,
    });
    return;
  }
  for (const ifa of dev.inet) fibAddIfaddr(dev, ifa);
}

/** NETDEV_DOWN: fib_disable_ip drops every route through the device except the local ones. */
export function devinetDown(dev: NetDevice): void {
  dev.ns.fib.flushDev(dev, (r) => r.type === "local" && r.family === 4);
}

/** inet_select_addr: a primary address of the device with scope <= the wanted one, preferring dst's subnet. */
export function inetSelectAddr(dev: NetDevice, dst: IPv4, maxScope: Scope): IPv4 | null {
  const order: Scope[] = ["global", "site", "link", "host", "nowhere"];
  const lim = order.indexOf(maxScope);
  let best: IPv4 | null = null;
  for (const a of dev.inet) {
    if (a.secondary) continue;
    if (order.indexOf(a.scope) > lim) continue;
    if (dst !== 0 && inPrefix(dst, networkOf(a.local, a.prefixlen), a.prefixlen)) return a.local;
    if (best === null) best = a.local;
  }
  if (best !== null) return best;
  // Fall back to any device in the namespace (the kernel walks all in_devices, lo first).
  for (const d of [...dev.ns.devices.values()].sort((x, y) => x.ifindex - y.ifindex)) {
    if (d === dev) continue;
    for (const a of d.inet) {
      if (!a.secondary && order.indexOf(a.scope) <= lim && a.scope !== "host") return a.local;
    }
  }
  return null;
}

/** Is this address configured on any device of the namespace? */
export function isLocalAddr(dev: NetDevice, addr: IPv4): boolean {
  for (const d of dev.ns.devices.values()) for (const a of d.inet) if (a.local === addr) return true;
  return false;
}
