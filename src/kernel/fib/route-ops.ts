/**
 * @module kernel/fib/route-ops
 * RTM_NEWROUTE / RTM_DELROUTE for IPv4 (fib_table_insert, fib_table_delete,
 * fib_create_info's checks), with the kernel's extack messages.
 */
import { type IPv4, maskOf } from "../../net/ip.js";
import { fail, type KResult, okVoid } from "../errno.js";
import { isLocalAddr } from "../ipv4/devinet.js";
import { gatewayOnLink } from "../ipv4/route.js";
import type { NetNs } from "../netns.js";
import type { NetDevice, Route, RouteType, Scope } from "../types.js";

export interface RouteSpec {
  table: number;
  type: RouteType;
  dst: IPv4;
  dstLen: number;
  metric: number;
  protocol: string;
  scope: Scope;
  prefsrc: IPv4 | null;
  gateway: IPv4 | null;
  dev: NetDevice | null;
  onlink: boolean;
}

export type RouteMode = "add" | "replace" | "append" | "change" | "prepend";

/** fib_create_info + fib_table_insert */
export function routeAdd(ns: NetNs, s: RouteSpec, mode: RouteMode): KResult {
  if ((s.dst & ~maskOf(s.dstLen)) >>> 0 !== 0)
    return fail("EINVAL", "Invalid prefix for given prefix length");
  let dev = s.dev;
  const needsNh =
    s.type === "unicast" || s.type === "local" || s.type === "broadcast" || s.type === "multicast";
  if (needsNh) {
    if (s.onlink && !dev) return fail("EINVAL", "Nexthop device required for onlink");
    if (s.gateway !== null) {
      // Only an onlink gateway must not be local (fib_check_nh_v4_gw); otherwise a local route resolves it.
      if (s.onlink && isLocalAddr(ns.byName.get("lo")!, s.gateway) && s.type === "unicast")
        return fail("EINVAL", "Nexthop has invalid gateway");
      const ownerDev = (): NetDevice | null =>
        [...ns.devices.values()].find((d) => d.inet.some((a) => a.local === s.gateway)) ?? null;
      if (!s.onlink && isLocalAddr(ns.byName.get("lo")!, s.gateway) && s.type === "unicast") {
        dev = dev ?? ownerDev();
        if (!dev) return fail("EINVAL", "Nexthop has invalid gateway");
      } else if (s.onlink) {
        if (dev && !dev.up) return fail("ENETDOWN", "Nexthop device is not up");
      } else {
        const on = gatewayOnLink(ns, s.gateway, dev, s.table);
        if (!on) return fail("EINVAL", "Nexthop has invalid gateway");
        dev = on.dev;
        if (!dev.up) return fail("ENETDOWN", "Nexthop device is not up");
      }
    } else if (!dev) {
      return fail("ENODEV");
    } else if (!dev.up) {
      return fail("ENETDOWN", "Device for nexthop is not up");
    }
    if (s.prefsrc !== null && !isLocalAddr(ns.byName.get("lo")!, s.prefsrc))
      return fail("EINVAL", "Invalid prefsrc address");
  }
  const t = ns.fib.get(s.table);
  const same = t.exact(s.dst, s.dstLen).filter((r) => r.family === 4 && r.metric === s.metric);
  const route: Route = {
    family: 4,
    table: s.table,
    type: s.type,
    dst: s.dst,
    dst6: 0n,
    dstLen: s.dstLen,
    metric: s.metric,
    protocol: s.protocol,
    scope: s.scope,
    prefsrc: s.prefsrc,
    gateway: s.gateway,
    dev: needsNh ? dev : null,
    onlink: s.onlink,
    pref6: false,
  };
  if (mode === "add" || mode === "prepend") {
    if (same.length > 0 && mode === "add") return fail("EEXIST");
  } else if (mode === "replace" || mode === "change") {
    if (same.length > 0) {
      t.replace(same[0]!, route);
      return okVoid();
    } else if (mode === "change") {
      return fail("ENOENT");
    }
  } else if (mode === "append") {
    if (same.some((r) => r.gateway === s.gateway && r.dev === dev && r.type === s.type))
      return fail("EEXIST");
  }
  t.insert(route, mode === "append");
  return okVoid();
}

export interface RouteMatch {
  table: number;
  dst: IPv4;
  dstLen: number;
  type: RouteType | null;
  metric: number | null;
  protocol: string | null;
  gateway: IPv4 | null;
  dev: NetDevice | null;
  prefsrc: IPv4 | null;
}

/** fib_table_delete: the first route of that prefix whose given attributes match. */
export function routeDel(ns: NetNs, m: RouteMatch): KResult {
  const t = ns.fib.find(m.table);
  if (!t) return fail("ESRCH");
  const r = t
    .exact(m.dst, m.dstLen)
    .find(
      (x) =>
        x.family === 4 &&
        (m.type === null || x.type === m.type) &&
        (m.metric === null || x.metric === m.metric) &&
        (m.protocol === null || x.protocol === m.protocol) &&
        (m.gateway === null || x.gateway === m.gateway) &&
        (m.dev === null || x.dev === m.dev) &&
        (m.prefsrc === null || x.prefsrc === m.prefsrc),
    );
  if (!r) return fail("ESRCH");
  t.remove(r);
  return okVoid();
}
