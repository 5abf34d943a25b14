/**
 * @module kernel/ipv4/route
 * net/ipv4/route.c and fib_rules.c: the routing decision for a packet the
 * namespace sends (ip_route_output_key) and for one it receives
 * (ip_route_input_slow), through the policy rules and the tables.
 */
import { type IPv4, inPrefix, isLoopback4, isMulticast4, maskOf } from "../../net/ip.js";
import { type L4, protoNumber } from "../../net/packet.js";
import type { Errno } from "../errno.js";
import { RT_TABLE_MAIN } from "../fib/table.js";
import type { NetNs } from "../netns.js";
import type { FibRule, NetDevice, Route } from "../types.js";
import { inetSelectAddr, isLocalAddr } from "./devinet.js";

export interface Flow {
  dst: IPv4;
  src: IPv4;
  /** Input device name, or "lo" for locally generated packets as rules see them. */
  iif: string | null;
  oif: NetDevice | null;
  mark: number;
  /** What the caller knows beyond the addresses (flowi4_tos, flowi4_proto, fl4_sport/dport); kept by reference. */
  sel?: RuleFlow;
}

/** What a packet shows the policy rules beyond its addresses: TOS, protocol and ports. */
export interface RuleFlow {
  tos?: number;
  proto?: number;
  sport?: number;
  dport?: number;
}

export function ruleFlowOf(l4: L4, tos: number): RuleFlow {
  return l4.proto === "tcp" || l4.proto === "udp"
    ? { tos, proto: protoNumber(l4), sport: l4.sport, dport: l4.dport }
    : { tos, proto: protoNumber(l4) };
}

function inRange(v: number | undefined, r: [number, number]): boolean {
  return v !== undefined && v >= r[0] && v <= r[1];
}

export type FibResult =
  | { ok: true; route: Route; rule: FibRule }
  | { ok: false; errno: Errno; rule: FibRule | null };

function ruleMatches(rule: FibRule, fl: Flow): boolean {
  let m = true;
  if (rule.src !== null && !inPrefix(fl.src, rule.src, rule.srcLen)) m = false;
  if (m && rule.dst !== null && !inPrefix(fl.dst, rule.dst, rule.dstLen)) m = false;
  if (m && rule.iif !== null && rule.iif !== (fl.iif ?? "lo")) m = false;
  if (m && rule.oif !== null && rule.oif !== fl.oif?.name) m = false;
  if (m && rule.fwmark !== null && ((fl.mark ^ rule.fwmark) & (rule.fwmask ?? 0xffffffff)) !== 0) m = false;
  // fib4_rule_match and fib_rule_match: every process here is root (uid 0). Read only by the rules
  // that select on them, so the common rule costs four comparisons more.
  const sel = fl.sel;
  if (m && rule.tos !== 0 && rule.tos !== (sel?.tos ?? 0)) m = false;
  if (m && rule.ipproto !== null && rule.ipproto !== sel?.proto) m = false;
  if (m && rule.sport !== null && !inRange(sel?.sport, rule.sport)) m = false;
  if (m && rule.dport !== null && !inRange(sel?.dport, rule.dport)) m = false;
  if (m && rule.uidrange !== null && !inRange(0, rule.uidrange)) m = false;
  return rule.not ? !m : m;
}

/** The error a rejecting route or rule type gives its lookup (fib_props). */
const REJECT_ERRNO: Partial<Record<string, Errno>> = {
  blackhole: "EINVAL",
  unreachable: "EHOSTUNREACH",
  prohibit: "EACCES",
};

/** fib_lookup through the policy rules (fib_rules_lookup + fib4_rule_action). */
export function fibLookup(ns: NetNs, fl: Flow): FibResult {
  const rules = ns.rules.rules;
  for (let i = 0; i < rules.length; i++) {
    let rule = rules[i]!;
    if (!ruleMatches(rule, fl)) continue;
    // FR_ACT_GOTO: on to the first rule of the target priority (its ctarget), matched there in turn;
    // a goto whose target does not exist (unresolved) is passed over. FR_ACT_NOP does nothing.
    let matched = true;
    while (matched && rule.action === "goto") {
      const target = rule.goto;
      const j = rules.findIndex((r) => r.priority === target);
      if (j < 0) break;
      i = j;
      rule = rules[j]!;
      matched = ruleMatches(rule, fl);
    }
    if (!matched || rule.action === "goto" || rule.action === "nop") continue;
    const refused = REJECT_ERRNO[rule.action];
    if (refused) return { ok: false, errno: refused, rule };
    const t = ns.fib.find(rule.table);
    if (!t) continue;
    const r = t.lookup(
      fl.dst,
      (x) => x.family === 4 && (fl.oif === null || x.dev === null || x.dev === fl.oif || x.type === "local"),
    );
    if (!r) continue;
    if (r.type === "throw") continue;
    const rejected = REJECT_ERRNO[r.type];
    if (rejected) return { ok: false, errno: rejected, rule };
    // fib4_rule_suppress: a result whose prefix is no longer than suppress_prefixlength goes on.
    if (r.dstLen <= rule.suppressPrefixlen) continue;
    return { ok: true, route: r, rule };
  }
  return { ok: false, errno: "ENETUNREACH", rule: null };
}

export interface OutputRoute {
  type: "unicast" | "local" | "broadcast" | "multicast";
  route: Route | null;
  dev: NetDevice;
  src: IPv4;
  /** Next hop: the gateway, or the destination itself on a link route. */
  nexthop: IPv4;
  gateway: IPv4 | null;
  table: number;
}

export type OutputResult = { ok: true; rt: OutputRoute } | { ok: false; errno: Errno };

function lo(ns: NetNs): NetDevice {
  return ns.byName.get("lo") ?? [...ns.devices.values()][0]!;
}

/** A route with no FIB entry behind it: out of the given device straight to dst (src chosen at link scope). */
function onLinkOutput(type: OutputRoute["type"], oif: NetDevice, dst: IPv4, src0: IPv4): OutputResult {
  const src = src0 || inetSelectAddr(oif, dst, "link") || 0;
  return {
    ok: true,
    rt: { type, route: null, dev: oif, src, nexthop: dst, gateway: null, table: RT_TABLE_MAIN },
  };
}

/** ip_route_output_key_hash_rcu */
export function routeOutput(
  ns: NetNs,
  dst: IPv4,
  opts: {
    src?: IPv4;
    oif?: NetDevice | null;
    mark?: number;
    /** What the flow carries for the policy rules' selectors (the packet's, or ip route get's). */
    flow?: RuleFlow;
  } = {},
): OutputResult {
  const src0 = opts.src ?? 0;
  const oif = opts.oif ?? null;
  if (src0 !== 0) {
    if (isMulticast4(src0) || src0 === 0xffffffff) return { ok: false, errno: "EINVAL" };
    // ip_route_output_key_hash_rcu: a source that is not ours makes the network unreachable.
    if (!isLocalAddr(lo(ns), src0)) return { ok: false, errno: "ENETUNREACH" };
  }
  // ip_route_output_key_hash_rcu: an output device that is down makes the network unreachable.
  if (oif && !oif.up) return { ok: false, errno: "ENETUNREACH" };
  if (dst === 0xffffffff || isMulticast4(dst)) {
    if (!oif) {
      if (dst === 0xffffffff) return { ok: false, errno: "ENETUNREACH" };
    } else {
      return onLinkOutput(dst === 0xffffffff ? "broadcast" : "multicast", oif, dst, src0);
    }
  }
  if (dst === 0) {
    // Sending to 0.0.0.0 means to ourselves (the kernel substitutes the source or 127.0.0.1);
    // with lo down a connect() finds the network unreachable.
    if (!lo(ns).up) return { ok: false, errno: "ENETUNREACH" };
    const d = src0 || 0x7f000001;
    return {
      ok: true,
      rt: { type: "local", route: null, dev: lo(ns), src: d, nexthop: d, gateway: null, table: 255 },
    };
  }
  const res = fibLookup(ns, { dst, src: src0, iif: "lo", oif, mark: opts.mark ?? 0, sel: opts.flow });
  if (!res.ok) {
    if (oif && res.errno === "ENETUNREACH") {
      // With an output device and no route, the kernel assumes the destination is on-link.
      return onLinkOutput("unicast", oif, dst, src0);
    }
    return { ok: false, errno: res.errno };
  }
  const r = res.route;
  if (r.type === "local") {
    const src = src0 || (r.prefsrc ?? dst);
    return {
      ok: true,
      rt: { type: "local", route: r, dev: lo(ns), src, nexthop: dst, gateway: null, table: r.table },
    };
  }
  const dev = r.dev ?? oif;
  if (!dev) return { ok: false, errno: "ENETUNREACH" };
  if (r.type === "broadcast") {
    const src = src0 || r.prefsrc || inetSelectAddr(dev, dst, "link") || 0;
    return {
      ok: true,
      rt: { type: "broadcast", route: r, dev, src, nexthop: dst, gateway: null, table: r.table },
    };
  }
  const gw = r.gateway;
  const src =
    src0 ||
    r.prefsrc ||
    inetSelectAddr(dev, gw ?? dst, gw ? "global" : r.scope === "host" ? "host" : "link") ||
    0;
  return {
    ok: true,
    rt: { type: "unicast", route: r, dev, src, nexthop: gw ?? dst, gateway: gw, table: r.table },
  };
}

export type InputDecision =
  | { kind: "local"; route: Route | null; broadcast: boolean }
  | { kind: "forward"; rt: OutputRoute }
  | { kind: "drop"; reason: string; icmp: { type: number; code: number } | null };

/** ip_route_input_slow for a packet that arrived on `dev`. */
export function routeInput(
  ns: NetNs,
  dst: IPv4,
  src: IPv4,
  dev: NetDevice,
  mark = 0,
  flow?: RuleFlow,
): InputDecision {
  const s = ns.sysctl;
  if (isMulticast4(src) || src === 0xffffffff) return { kind: "drop", reason: "martian source", icmp: null };
  if (dst === 0xffffffff || (src === 0 && dst === 0)) return { kind: "local", route: null, broadcast: true };
  if (isMulticast4(dst)) return { kind: "local", route: null, broadcast: true };
  if (src === 0) return { kind: "drop", reason: "martian source", icmp: null };
  if (dst === 0) return { kind: "drop", reason: "martian destination", icmp: null };
  const localnet = s.orConf(dev.name, "route_localnet");
  if (dev.kind !== "loopback" && !localnet && (isLoopback4(dst) || isLoopback4(src))) {
    return { kind: "drop", reason: isLoopback4(dst) ? "martian destination" : "martian source", icmp: null };
  }
  const res = fibLookup(ns, { dst, src, iif: dev.name, oif: null, mark, sel: flow });
  const forwarding = s.devConf(dev.name, "forwarding") !== 0;
  if (!res.ok) {
    if (!forwarding) return { kind: "drop", reason: "no route (forwarding off)", icmp: null };
    const code =
      res.errno === "ENETUNREACH" ? 0 : res.errno === "EHOSTUNREACH" ? 1 : res.errno === "EACCES" ? 13 : -1;
    if (code < 0) return { kind: "drop", reason: "blackhole", icmp: null };
    return {
      kind: "drop",
      reason: res.errno === "ENETUNREACH" ? "no route to network" : "route type rejects",
      icmp: { type: 3, code },
    };
  }
  const r = res.route;
  if (r.type === "broadcast") return { kind: "local", route: r, broadcast: true };
  if (r.type === "local") {
    // fib_validate_source: a packet from one of our own addresses is a martian unless accept_local.
    if (dev.kind !== "loopback" && isLocalAddr(dev, src) && !s.orConf(dev.name, "accept_local")) {
      return { kind: "drop", reason: "martian source (local address)", icmp: null };
    }
    if (
      s.maxConf(dev.name, "rp_filter") > 0 &&
      !reversePathOk(ns, src, dst, dev, s.maxConf(dev.name, "rp_filter"))
    ) {
      return { kind: "drop", reason: "rp_filter", icmp: null };
    }
    return { kind: "local", route: r, broadcast: false };
  }
  if (!forwarding) return { kind: "drop", reason: "forwarding disabled", icmp: null };
  if (
    s.maxConf(dev.name, "rp_filter") > 0 &&
    !reversePathOk(ns, src, dst, dev, s.maxConf(dev.name, "rp_filter"))
  ) {
    return { kind: "drop", reason: "rp_filter", icmp: null };
  }
  const out = r.dev;
  if (!out) return { kind: "drop", reason: "no output device", icmp: null };
  const gw = r.gateway;
  const srcSel = inetSelectAddr(out, gw ?? dst, "link") ?? 0;
  return {
    kind: "forward",
    rt: { type: "unicast", route: r, dev: out, src: srcSel, nexthop: gw ?? dst, gateway: gw, table: r.table },
  };
}

/** fib_validate_source with rp_filter: strict (1) wants the reply route through the same device; loose (2) any route. */
function reversePathOk(ns: NetNs, src: IPv4, dst: IPv4, dev: NetDevice, mode: number): boolean {
  const back = fibLookup(ns, { dst: src, src: dst, iif: "lo", oif: null, mark: 0 });
  if (!back.ok) return false;
  if (mode === 2) return true;
  return back.route.dev === dev;
}

/** Whether a gateway is on-link for a device (fib_check_nh): a link-scope route through that device reaches it. */
export function gatewayOnLink(
  ns: NetNs,
  gw: IPv4,
  dev: NetDevice | null,
  table: number,
): { dev: NetDevice } | null {
  const t = ns.fib.find(table) ?? ns.fib.get(RT_TABLE_MAIN);
  const tables = [t, ns.fib.get(RT_TABLE_MAIN)];
  for (const tb of tables) {
    const r = tb.lookup(gw, (x) => x.family === 4 && (dev === null || x.dev === dev));
    if (
      r &&
      r.type === "unicast" &&
      r.gateway === null &&
      r.dev &&
      (r.scope === "link" || r.scope === "host")
    )
      return { dev: r.dev };
    if (r && r.type === "local") return null;
  }
  return null;
}

export function prefixOf(addr: IPv4, len: number): IPv4 {
  return (addr & maskOf(len)) >>> 0;
}
