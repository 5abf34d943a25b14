/**
 * @module kernel/ipv6/addrconf
 * net/ipv6/addrconf.c, the part a kernel model needs to look right: the
 * EUI-64 link-local address a device gets when it has carrier, ::1 on lo,
 * the kernel's IPv6 routes that come with them, and addresses the user adds.
 * IPv6 forwarding is not modelled (docs/fidelity.md).
 */
import { type IPv6, linkLocalFromMac, maskOf6 } from "../../net/ip.js";
import { ETH_P_IPV6 } from "../../net/packet.js";
import { fail, type KResult, okVoid } from "../errno.js";
import { RT_TABLE_LOCAL, RT_TABLE_MAIN } from "../fib/table.js";
import { devQueueXmit } from "../link/xmit.js";
import type { Inet6Addr, NetDevice, Route, RouteType, Scope } from "../types.js";

/**
 * DAD: one probe after a random delay of up to rtr_solicit_delay (1 s), then RetransTimer (1 s); we
 * take the middle of the delay.
 */
export const DAD_DELAY_MS = 500;
export const DAD_MS = DAD_DELAY_MS + 1000;

const LL_PREFIX = 0xfe80n << 112n;
const MCAST_PREFIX = 0xffn << 120n;

function route6(
  dev: NetDevice,
  table: number,
  type: RouteType,
  dst: IPv6,
  len: number,
  metric: number,
): Route {
  return {
    family: 6,
    table,
    type,
    dst: 0,
    dst6: dst,
    dstLen: len,
    metric,
    protocol: "kernel",
    scope: "global",
    prefsrc: null,
    gateway: null,
    dev,
    onlink: false,
    pref6: true,
  };
}

function addRoute6(dev: NetDevice, r: Route): void {
  const t = dev.ns.fib.get(r.table);
  const dup = t.routes.find(
    (x) => x.family === 6 && x.dst6 === r.dst6 && x.dstLen === r.dstLen && x.dev === dev && x.type === r.type,
  );
  if (!dup) t.insert(r);
}

/** Whether an address on `dev` goes through DAD (addrconf_dad_begin: accept_dad, not lo, not nodad). */
function dadRuns(dev: NetDevice, nodad: boolean): boolean {
  const s = dev.ns.sysctl;
  return (
    !nodad &&
    dev.kind !== "loopback" &&
    (s.num("net.ipv6.conf.all.accept_dad") >= 1 || s.num(`net.ipv6.conf.${dev.name}.accept_dad`) >= 1)
  );
}

function addAddr6(dev: NetDevice, local: IPv6, prefixlen: number, scope: Scope, nodad: boolean): void {
  const now = dev.ns.kernel.clock.now;
  const skipDad = !dadRuns(dev, nodad);
  const a: Inet6Addr = {
    local,
    prefixlen,
    scope,
    tentativeUntil: skipDad ? now : now + DAD_MS,
    nodad,
    permanent: true,
  };
  // New addresses are listed first (ipv6_add_addr links them at the head of the device list).
  dev.inet6.unshift(a);
  // The local route comes when DAD completes (addrconf_dad_completed), not before.
  const addLocal = (): void => {
    if (dev.inet6.includes(a)) addRoute6(dev, route6(dev, RT_TABLE_LOCAL, "local", local, 128, 0));
  };
  if (skipDad) addLocal();
  else dev.ns.kernel.clock.schedule(DAD_MS, addLocal);
  // The prefix route waits for the link to be up (addrconf_prefix_route runs from the UP path).
  if (prefixlen < 128 && dev.kind !== "loopback" && dev.up) {
    addRoute6(dev, route6(dev, RT_TABLE_MAIN, "unicast", local & maskOf6(prefixlen), prefixlen, 256));
  }
}

function disabled(dev: NetDevice): boolean {
  const s = dev.ns.sysctl;
  return (
    s.num("net.ipv6.conf.all.disable_ipv6") !== 0 || s.num(`net.ipv6.conf.${dev.name}.disable_ipv6`) !== 0
  );
}

/**
 * A new address is announced on the link: an MLD report for its solicited-node
 * group at once, and the DAD probe after its delay — a neighbour solicitation
 * with a nonce option when enhanced_dad is on (the default), 8 bytes longer.
 * Bridges learn the sender's MAC from them, as they do on a real link.
 */
function announce(dev: NetDevice, addr: IPv6): void {
  const low = Number(addr & 0xffffffn);
  const h = low.toString(16).padStart(6, "0");
  const group = `33:33:ff:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
  const k = dev.ns.kernel;
  k.raise(() =>
    devQueueXmit(dev, {
      src: dev.mac,
      dst: "33:33:00:00:00:16",
      type: ETH_P_IPV6,
      payload: { kind: "ipv6", len: 76, summary: "MLDv2 report" },
    }),
  );
  if (!dadRuns(dev, false)) return;
  const sc = dev.ns.sysctl;
  const nonce =
    sc.num("net.ipv6.conf.all.enhanced_dad") !== 0 || sc.num(`net.ipv6.conf.${dev.name}.enhanced_dad`) !== 0;
  k.clock.schedule(DAD_DELAY_MS, () => {
    // Gone with the address (the device went down, or the address was deleted) before its probe.
    if (!dev.up || !dev.inet6.some((a) => a.local === addr)) return;
    devQueueXmit(dev, {
      src: dev.mac,
      dst: group,
      type: ETH_P_IPV6,
      payload: { kind: "ipv6", len: nonce ? 72 : 64, summary: "ICMP6 neighbor solicitation (DAD)" },
    });
  });
}

/** NETDEV_UP with carrier / NETDEV_CHANGE: link-local and multicast routes; lo gets ::1. */
export function addrconfCarrierChange(dev: NetDevice, carrier: boolean): void {
  // Losing carrier keeps the addresses (addrconf_notify only syncs routes down); only NETDEV_DOWN removes them.
  if (!carrier) return;
  if (disabled(dev)) return;
  if (dev.kind === "loopback") {
    if (!dev.inet6.some((a) => a.local === 1n)) addAddr6(dev, 1n, 128, "host", false);
    return;
  }
  if (!dev.inet6.some((a) => (a.local & maskOf6(64)) === LL_PREFIX)) {
    const ll = linkLocalFromMac(dev.mac);
    addAddr6(dev, ll, 64, "link", false);
    announce(dev, ll);
  }
  addRoute6(dev, route6(dev, RT_TABLE_LOCAL, "multicast", MCAST_PREFIX, 8, 256));
  for (const a of dev.inet6) {
    if (a.prefixlen < 128 && a.scope === "global") {
      addRoute6(dev, route6(dev, RT_TABLE_MAIN, "unicast", a.local & maskOf6(a.prefixlen), a.prefixlen, 256));
    }
  }
}

/** addrconf_ifdown: everything but user-added global addresses goes; their routes go too. */
export function addrconfDown(dev: NetDevice): void {
  dev.inet6 = [];
  for (const t of dev.ns.fib.all()) t.removeWhere((r) => r.family === 6 && r.dev === dev);
}

export function inet6AddAddr(
  dev: NetDevice,
  local: IPv6,
  prefixlen: number,
  nodad: boolean,
  replace = false,
): KResult {
  // inet6_rtm_newaddr: NLM_F_REPLACE modifies an existing address (inet6_addr_modify); its flags and
  // lifetimes are what it could change, and neither is modelled, so it stays as it is.
  if (dev.inet6.some((a) => a.local === local))
    return replace ? okVoid() : fail("EEXIST", "ipv6: address already assigned");
  const scope: Scope = (local & maskOf6(10)) === LL_PREFIX ? "link" : local === 1n ? "host" : "global";
  addAddr6(dev, local, prefixlen, scope, nodad);
  return okVoid();
}

export function inet6DelAddr(dev: NetDevice, local: IPv6, prefixlen: number | null): KResult {
  const a = dev.inet6.find((x) => x.local === local && (prefixlen === null || x.prefixlen === prefixlen));
  if (!a) return fail("EADDRNOTAVAIL");
  dev.inet6 = dev.inet6.filter((x) => x !== a);
  for (const t of dev.ns.fib.all()) {
    t.removeWhere(
      (r) =>
        r.family === 6 &&
        r.dev === dev &&
        ((r.type === "local" && r.dst6 === local) ||
          (r.type === "unicast" &&
            r.dstLen === a.prefixlen &&
            r.dst6 === (local & maskOf6(a.prefixlen)) &&
            !dev.inet6.some((o) => (o.local & maskOf6(a.prefixlen)) === r.dst6))),
    );
  }
  return okVoid();
}
