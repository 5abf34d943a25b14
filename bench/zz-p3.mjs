// src/kernel/errno.ts
var STRERROR = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EEXIST: "File exists",
  ENODEV: "No such device",
  EINVAL: "Invalid argument",
  ENETUNREACH: "Network is unreachable",
  EHOSTUNREACH: "No route to host",
  EACCES: "Permission denied",
  EADDRNOTAVAIL: "Cannot assign requested address",
  EADDRINUSE: "Address already in use",
  EOPNOTSUPP: "Operation not supported",
  EBUSY: "Device or resource busy",
  ECONNREFUSED: "Connection refused",
  ENOBUFS: "No buffer space available",
  ELOOP: "Too many levels of symbolic links",
  ERANGE: "Numerical result out of range",
  ENOTSUP: "Operation not supported",
  EAFNOSUPPORT: "Address family not supported by protocol",
  ENETDOWN: "Network is down"
};
function ok(value) {
  return { ok: true, value };
}
function okVoid() {
  return { ok: true, value: void 0 };
}
function fail(errno, extack) {
  return { ok: false, err: extack === void 0 ? { errno } : { errno, extack } };
}

// src/net/ip.ts
import ipaddr from "ipaddr.js";
function parseIPv4(s2) {
  const parts = s2.split(".");
  if (parts.length !== 4) return null;
  let n2 = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n2 = n2 * 256 + v;
  }
  return n2 >>> 0;
}
function formatIPv4(n2) {
  return `${n2 >>> 24 & 255}.${n2 >>> 16 & 255}.${n2 >>> 8 & 255}.${n2 & 255}`;
}
function maskOf(len) {
  return len === 0 ? 0 : 4294967295 << 32 - len >>> 0;
}
function inPrefix(addr3, net, len) {
  return (addr3 & maskOf(len)) >>> 0 === net;
}
function broadcastOf(addr3, len) {
  return (addr3 | ~maskOf(len)) >>> 0;
}
function networkOf(addr3, len) {
  return (addr3 & maskOf(len)) >>> 0;
}
function isMulticast4(a) {
  return a >>> 28 === 14;
}
function isLoopback4(a) {
  return a >>> 24 === 127;
}
function formatIPv6(v) {
  const bytes = [];
  for (let i = 15; i >= 0; i--) bytes.push(Number(v >> BigInt(i * 8) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}
function linkLocalFromMac(mac) {
  const b = mac.split(":").map((h) => Number.parseInt(h, 16));
  const ifid = [(b[0] ?? 0) ^ 2, b[1] ?? 0, b[2] ?? 0, 255, 254, b[3] ?? 0, b[4] ?? 0, b[5] ?? 0];
  let v = 0xfe80n << 112n;
  for (let i = 0; i < 8; i++) v |= BigInt(ifid[i] ?? 0) << BigInt((7 - i) * 8);
  return v;
}
function maskOf6(len) {
  return len === 0 ? 0n : (1n << 128n) - 1n ^ (1n << BigInt(128 - len)) - 1n;
}

// src/kernel/fib/table.ts
var RT_TABLE_DEFAULT = 253;
var RT_TABLE_MAIN = 254;
var RT_TABLE_LOCAL = 255;
function tableName(id) {
  switch (id) {
    case RT_TABLE_DEFAULT:
      return "default";
    case RT_TABLE_MAIN:
      return "main";
    case RT_TABLE_LOCAL:
      return "local";
    default:
      return String(id);
  }
}
function dumpOrder(a, b) {
  if (a.family !== b.family) return a.family - b.family;
  if (a.family === 4) {
    if (a.dst !== b.dst) return a.dst - b.dst;
  } else if (a.dst6 !== b.dst6) return a.dst6 < b.dst6 ? -1 : 1;
  if (a.dstLen !== b.dstLen) return b.dstLen - a.dstLen;
  return a.metric - b.metric;
}
var FibTable = class {
  /** Routes in the order a dump walks them. */
  routes = [];
  index = Array.from({ length: 33 }, () => /* @__PURE__ */ new Map());
  lengths = /* @__PURE__ */ new Set();
  id;
  constructor(id) {
    this.id = id;
  }
  insert(r, append = false) {
    let i = this.routes.length;
    while (i > 0) {
      const c = dumpOrder(this.routes[i - 1], r);
      if (c < 0 || c === 0 && (append || true)) break;
      i--;
    }
    this.routes.splice(i, 0, r);
    if (r.family === 4) {
      const bucket = this.index[r.dstLen];
      const list = bucket.get(r.dst) ?? [];
      let j = list.length;
      while (j > 0 && list[j - 1].metric > r.metric) j--;
      list.splice(j, 0, r);
      bucket.set(r.dst, list);
      this.lengths.add(r.dstLen);
    }
  }
  /** NLM_F_REPLACE: the new route takes the old one's place (fib_table_insert replaces the alias in place). */
  replace(old, r) {
    const i = this.routes.indexOf(old);
    if (i < 0 || old.family !== r.family || old.dst !== r.dst || old.dstLen !== r.dstLen) {
      this.remove(old);
      this.insert(r);
      return;
    }
    this.routes[i] = r;
    if (r.family === 4) {
      const list = this.index[r.dstLen].get(r.dst);
      const j = list ? list.indexOf(old) : -1;
      if (list && j >= 0) list[j] = r;
    }
  }
  remove(r) {
    const i = this.routes.indexOf(r);
    if (i >= 0) this.routes.splice(i, 1);
    if (r.family === 4) {
      const bucket = this.index[r.dstLen];
      const list = bucket.get(r.dst);
      if (list) {
        const j = list.indexOf(r);
        if (j >= 0) list.splice(j, 1);
        if (list.length === 0) bucket.delete(r.dst);
      }
    }
  }
  /** Routes with exactly this destination prefix (fib_find_alias's candidates). */
  exact(dst, len) {
    return this.index[len]?.get(dst) ?? [];
  }
  /** Longest-prefix match; candidates of one prefix in metric order. */
  lookup(addr3, accept = () => true) {
    for (let len = 32; len >= 0; len--) {
      if (!this.lengths.has(len)) continue;
      const list = this.index[len].get((addr3 & maskOf(len)) >>> 0);
      if (!list) continue;
      for (const r of list) if (accept(r)) return r;
    }
    return null;
  }
  removeWhere(pred) {
    const gone = this.routes.filter(pred);
    for (const r of gone) this.remove(r);
    return gone;
  }
};
var FibTables = class {
  tables = /* @__PURE__ */ new Map();
  constructor() {
    this.get(RT_TABLE_LOCAL);
    this.get(RT_TABLE_MAIN);
  }
  get(id) {
    let t = this.tables.get(id);
    if (!t) {
      t = new FibTable(id);
      this.tables.set(id, t);
    }
    return t;
  }
  find(id) {
    return this.tables.get(id);
  }
  /** Tables in the order a dump visits them: hash bucket (id mod 256), then id. */
  all() {
    return [...this.tables.values()].sort((a, b) => a.id % 256 - b.id % 256 || a.id - b.id);
  }
  /** Drop every route through a device (fib_sync_down_dev + fib_flush), optionally keeping local ones. */
  flushDev(dev, keep) {
    for (const t of this.tables.values()) t.removeWhere((r) => r.dev === dev && !keep(r));
  }
};
function newRule(priority, table) {
  return {
    priority,
    src: null,
    srcLen: 0,
    dst: null,
    dstLen: 0,
    iif: null,
    oif: null,
    fwmark: null,
    fwmask: null,
    table,
    action: "lookup",
    not: false,
    protocol: null
  };
}
function defaultRules() {
  return [newRule(0, RT_TABLE_LOCAL), newRule(32766, RT_TABLE_MAIN), newRule(32767, RT_TABLE_DEFAULT)];
}
var FibRules = class {
  rules = defaultRules();
  /** fib_default_rule_pref: one less than the second rule's priority. */
  defaultPref() {
    const second = this.rules[1];
    if (second && second.priority > 0) return second.priority - 1;
    return 0;
  }
  add(rule) {
    let i = 0;
    while (i < this.rules.length && this.rules[i].priority <= rule.priority) i++;
    this.rules.splice(i, 0, rule);
  }
};

// src/kernel/ipv4/devinet.ts
function kernelRoute(dev, table, type, dst, len, prefsrc, metric) {
  const scope = type === "local" ? "host" : "link";
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
    pref6: false
  };
}
function fibMagicAdd(dev, r) {
  const t = dev.ns.fib.get(r.table);
  const same = t.exact(r.dst, r.dstLen).find((x) => x.type === r.type && x.dev === r.dev && x.prefsrc === r.prefsrc && x.metric === r.metric);
  if (!same) t.insert(r);
}
function fibMagicDel(dev, table, type, dst, len, prefsrc) {
  const t = dev.ns.fib.get(table);
  const victim = t.exact(dst, len).find((x) => x.type === type && x.dev === dev && x.prefsrc === prefsrc);
  if (victim) t.remove(victim);
}
function primaryOf(dev, ifa) {
  if (!ifa.secondary) return ifa;
  return dev.inet.find(
    (p) => !p.secondary && p.prefixlen === ifa.prefixlen && inPrefix(ifa.local, networkOf(p.local, p.prefixlen), p.prefixlen)
  ) ?? ifa;
}
function fibAddIfaddr(dev, ifa) {
  const prim = primaryOf(dev, ifa);
  const isLo = dev.kind === "loopback";
  fibMagicAdd(dev, kernelRoute(dev, RT_TABLE_LOCAL, "local", ifa.local, 32, prim.local, 0));
  if (!dev.up) return;
  if (ifa.broadcast !== null && ifa.broadcast !== 4294967295) {
    fibMagicAdd(dev, kernelRoute(dev, RT_TABLE_LOCAL, "broadcast", ifa.broadcast, 32, prim.local, 0));
  }
  const prefix = networkOf(ifa.local, ifa.prefixlen);
  if (prefix !== 0 && !ifa.secondary && (prefix !== ifa.local || ifa.prefixlen < 32)) {
    if (!ifa.noprefixroute) {
      const table = isLo ? RT_TABLE_LOCAL : RT_TABLE_MAIN;
      fibMagicAdd(
        dev,
        kernelRoute(dev, table, isLo ? "local" : "unicast", prefix, ifa.prefixlen, prim.local, ifa.metric)
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
          0
        )
      );
    }
  }
}
function fibDelIfaddr(dev, ifa) {
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
    (o) => !o.secondary && o.prefixlen < 31 && broadcastOf(o.local, o.prefixlen) === brd
  );
  if (!localStill) {
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
function inetAddAddr(dev, spec) {
  const label = spec.label ?? dev.name;
  let secondary = false;
  for (const o of dev.inet) {
    if (o.prefixlen === spec.prefixlen && inPrefix(spec.local, networkOf(o.local, o.prefixlen), o.prefixlen)) {
      if (o.local === spec.local) return fail("EEXIST", "ipv4: Address already assigned");
      if (o.scope !== (spec.scope ?? "global")) return fail("EINVAL", "ipv4: Invalid scope value");
      secondary = true;
    }
  }
  const ifa = {
    local: spec.local,
    prefixlen: spec.prefixlen,
    broadcast: spec.broadcast,
    scope: spec.scope ?? (dev.kind === "loopback" && spec.local >>> 24 === 127 ? "host" : "global"),
    label,
    secondary,
    noprefixroute: spec.noprefixroute,
    metric: spec.metric
  };
  if (secondary) {
    dev.inet.push(ifa);
  } else {
    let i = 0;
    while (i < dev.inet.length && !dev.inet[i].secondary) i++;
    dev.inet.splice(i, 0, ifa);
  }
  fibAddIfaddr(dev, ifa);
  return okVoid();
}
function inetDelAddr(dev, local, prefixlen) {
  const ifa = dev.inet.find((a) => a.local === local && (prefixlen === null || a.prefixlen === prefixlen));
  if (!ifa) return fail("EADDRNOTAVAIL");
  const victims = [ifa];
  const promote = dev.ns.sysctl.orConf(dev.name, "promote_secondaries");
  const mask = maskOf(ifa.prefixlen);
  if (!ifa.secondary) {
    const subs = dev.inet.filter(
      (a) => a.secondary && a.prefixlen === ifa.prefixlen && (a.local & mask) >>> 0 === (ifa.local & mask) >>> 0
    );
    if (promote && subs.length > 0) {
      const heir = subs[0];
      for (const s2 of subs) fibDelIfaddr(dev, s2);
      fibDelIfaddr(dev, ifa);
      dev.inet = dev.inet.filter((a) => a !== ifa && a !== heir);
      heir.secondary = false;
      let i = 0;
      while (i < dev.inet.length && !dev.inet[i].secondary) i++;
      dev.inet.splice(i, 0, heir);
      fibAddIfaddr(dev, heir);
      for (const s2 of subs.slice(1)) fibAddIfaddr(dev, s2);
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
function devinetUp(dev) {
  if (dev.kind === "loopback" && dev.inet.length === 0) {
    inetAddAddr(dev, {
      local: 2130706433,
      prefixlen: 8,
      broadcast: null,
      scope: "host",
      label: null,
      noprefixroute: false,
      metric: 0
    });
    return;
  }
  for (const ifa of dev.inet) fibAddIfaddr(dev, ifa);
}
function devinetDown(dev) {
  dev.ns.fib.flushDev(dev, (r) => r.type === "local" && r.family === 4);
}
function inetSelectAddr(dev, dst, maxScope) {
  const order = ["global", "site", "link", "host", "nowhere"];
  const lim = order.indexOf(maxScope);
  let best = null;
  for (const a of dev.inet) {
    if (a.secondary) continue;
    if (order.indexOf(a.scope) > lim) continue;
    if (dst !== 0 && inPrefix(dst, networkOf(a.local, a.prefixlen), a.prefixlen)) return a.local;
    if (best === null) best = a.local;
  }
  if (best !== null) return best;
  for (const d of [...dev.ns.devices.values()].sort((x, y) => x.ifindex - y.ifindex)) {
    if (d === dev) continue;
    for (const a of d.inet) {
      if (!a.secondary && order.indexOf(a.scope) <= lim && a.scope !== "host") return a.local;
    }
  }
  return null;
}
function isLocalAddr(dev, addr3) {
  for (const d of dev.ns.devices.values()) for (const a of d.inet) if (a.local === addr3) return true;
  return false;
}

// src/kernel/ipv4/route.ts
function ruleMatches(rule, fl) {
  let m = true;
  if (rule.src !== null && !inPrefix(fl.src, rule.src, rule.srcLen)) m = false;
  if (m && rule.dst !== null && !inPrefix(fl.dst, rule.dst, rule.dstLen)) m = false;
  if (m && rule.iif !== null && rule.iif !== (fl.iif ?? "lo")) m = false;
  if (m && rule.oif !== null && rule.oif !== fl.oif?.name) m = false;
  if (m && rule.fwmark !== null && ((fl.mark ^ rule.fwmark) & (rule.fwmask ?? 4294967295)) !== 0) m = false;
  return rule.not ? !m : m;
}
var REJECT_ERRNO = {
  blackhole: "EINVAL",
  unreachable: "EHOSTUNREACH",
  prohibit: "EACCES"
};
function fibLookup(ns, fl) {
  for (const rule of ns.rules.rules) {
    if (!ruleMatches(rule, fl)) continue;
    const refused = REJECT_ERRNO[rule.action];
    if (refused) return { ok: false, errno: refused, rule };
    const t = ns.fib.find(rule.table);
    if (!t) continue;
    const r = t.lookup(
      fl.dst,
      (x) => x.family === 4 && (fl.oif === null || x.dev === null || x.dev === fl.oif || x.type === "local")
    );
    if (!r) continue;
    if (r.type === "throw") continue;
    const rejected = REJECT_ERRNO[r.type];
    if (rejected) return { ok: false, errno: rejected, rule };
    return { ok: true, route: r, rule };
  }
  return { ok: false, errno: "ENETUNREACH", rule: null };
}
function lo(ns) {
  return ns.byName.get("lo") ?? [...ns.devices.values()][0];
}
function onLinkOutput(type, oif, dst, src0) {
  const src = src0 || inetSelectAddr(oif, dst, "link") || 0;
  return {
    ok: true,
    rt: { type, route: null, dev: oif, src, nexthop: dst, gateway: null, table: RT_TABLE_MAIN }
  };
}
function routeOutput(ns, dst, opts = {}) {
  const src0 = opts.src ?? 0;
  const oif = opts.oif ?? null;
  if (src0 !== 0) {
    if (isMulticast4(src0) || src0 === 4294967295) return { ok: false, errno: "EINVAL" };
    if (!isLocalAddr(lo(ns), src0)) return { ok: false, errno: "ENETUNREACH" };
  }
  if (oif && !oif.up) return { ok: false, errno: "ENETUNREACH" };
  if (dst === 4294967295 || isMulticast4(dst)) {
    if (!oif) {
      if (dst === 4294967295) return { ok: false, errno: "ENETUNREACH" };
    } else {
      return onLinkOutput(dst === 4294967295 ? "broadcast" : "multicast", oif, dst, src0);
    }
  }
  if (dst === 0) {
    if (!lo(ns).up) return { ok: false, errno: "ENETUNREACH" };
    const d = src0 || 2130706433;
    return {
      ok: true,
      rt: { type: "local", route: null, dev: lo(ns), src: d, nexthop: d, gateway: null, table: 255 }
    };
  }
  const res = fibLookup(ns, { dst, src: src0, iif: "lo", oif, mark: opts.mark ?? 0 });
  if (!res.ok) {
    if (oif && res.errno === "ENETUNREACH") {
      return onLinkOutput("unicast", oif, dst, src0);
    }
    return { ok: false, errno: res.errno };
  }
  const r = res.route;
  if (r.type === "local") {
    const src2 = src0 || (r.prefsrc ?? dst);
    return {
      ok: true,
      rt: { type: "local", route: r, dev: lo(ns), src: src2, nexthop: dst, gateway: null, table: r.table }
    };
  }
  const dev = r.dev ?? oif;
  if (!dev) return { ok: false, errno: "ENETUNREACH" };
  if (r.type === "broadcast") {
    const src2 = src0 || r.prefsrc || inetSelectAddr(dev, dst, "link") || 0;
    return {
      ok: true,
      rt: { type: "broadcast", route: r, dev, src: src2, nexthop: dst, gateway: null, table: r.table }
    };
  }
  const gw = r.gateway;
  const src = src0 || r.prefsrc || inetSelectAddr(dev, gw ?? dst, gw ? "global" : r.scope === "host" ? "host" : "link") || 0;
  return {
    ok: true,
    rt: { type: "unicast", route: r, dev, src, nexthop: gw ?? dst, gateway: gw, table: r.table }
  };
}
function routeInput(ns, dst, src, dev, mark2 = 0) {
  const s2 = ns.sysctl;
  if (isMulticast4(src) || src === 4294967295) return { kind: "drop", reason: "martian source", icmp: null };
  if (dst === 4294967295 || src === 0 && dst === 0) return { kind: "local", route: null, broadcast: true };
  if (isMulticast4(dst)) return { kind: "local", route: null, broadcast: true };
  if (src === 0) return { kind: "drop", reason: "martian source", icmp: null };
  if (dst === 0) return { kind: "drop", reason: "martian destination", icmp: null };
  const localnet = s2.orConf(dev.name, "route_localnet");
  if (dev.kind !== "loopback" && !localnet && (isLoopback4(dst) || isLoopback4(src))) {
    return { kind: "drop", reason: isLoopback4(dst) ? "martian destination" : "martian source", icmp: null };
  }
  const res = fibLookup(ns, { dst, src, iif: dev.name, oif: null, mark: mark2 });
  const forwarding = s2.devConf(dev.name, "forwarding") !== 0;
  if (!res.ok) {
    if (!forwarding) return { kind: "drop", reason: "no route (forwarding off)", icmp: null };
    const code = res.errno === "ENETUNREACH" ? 0 : res.errno === "EHOSTUNREACH" ? 1 : res.errno === "EACCES" ? 13 : -1;
    if (code < 0) return { kind: "drop", reason: "blackhole", icmp: null };
    return {
      kind: "drop",
      reason: res.errno === "ENETUNREACH" ? "no route to network" : "route type rejects",
      icmp: { type: 3, code }
    };
  }
  const r = res.route;
  if (r.type === "broadcast") return { kind: "local", route: r, broadcast: true };
  if (r.type === "local") {
    if (dev.kind !== "loopback" && isLocalAddr(dev, src) && !s2.orConf(dev.name, "accept_local")) {
      return { kind: "drop", reason: "martian source (local address)", icmp: null };
    }
    if (s2.maxConf(dev.name, "rp_filter") > 0 && !reversePathOk(ns, src, dst, dev, s2.maxConf(dev.name, "rp_filter"))) {
      return { kind: "drop", reason: "rp_filter", icmp: null };
    }
    return { kind: "local", route: r, broadcast: false };
  }
  if (!forwarding) return { kind: "drop", reason: "forwarding disabled", icmp: null };
  if (s2.maxConf(dev.name, "rp_filter") > 0 && !reversePathOk(ns, src, dst, dev, s2.maxConf(dev.name, "rp_filter"))) {
    return { kind: "drop", reason: "rp_filter", icmp: null };
  }
  const out = r.dev;
  if (!out) return { kind: "drop", reason: "no output device", icmp: null };
  const gw = r.gateway;
  const srcSel = inetSelectAddr(out, gw ?? dst, "link") ?? 0;
  return {
    kind: "forward",
    rt: { type: "unicast", route: r, dev: out, src: srcSel, nexthop: gw ?? dst, gateway: gw, table: r.table }
  };
}
function reversePathOk(ns, src, dst, dev, mode) {
  const back = fibLookup(ns, { dst: src, src: dst, iif: "lo", oif: null, mark: 0 });
  if (!back.ok) return false;
  if (mode === 2) return true;
  return back.route.dev === dev;
}
function gatewayOnLink(ns, gw, dev, table) {
  const t = ns.fib.find(table) ?? ns.fib.get(RT_TABLE_MAIN);
  const tables3 = [t, ns.fib.get(RT_TABLE_MAIN)];
  for (const tb of tables3) {
    const r = tb.lookup(gw, (x) => x.family === 4 && (dev === null || x.dev === dev));
    if (r && r.type === "unicast" && r.gateway === null && r.dev && (r.scope === "link" || r.scope === "host"))
      return { dev: r.dev };
    if (r && r.type === "local") return null;
  }
  return null;
}

// src/kernel/fib/route-ops.ts
function routeAdd(ns, s2, mode) {
  if ((s2.dst & ~maskOf(s2.dstLen)) >>> 0 !== 0)
    return fail("EINVAL", "Invalid prefix for given prefix length");
  let dev = s2.dev;
  const needsNh = s2.type === "unicast" || s2.type === "local" || s2.type === "broadcast" || s2.type === "multicast";
  if (needsNh) {
    if (s2.onlink && !dev) return fail("EINVAL", "Nexthop device required for onlink");
    if (s2.gateway !== null) {
      if (s2.onlink && isLocalAddr(ns.byName.get("lo"), s2.gateway) && s2.type === "unicast")
        return fail("EINVAL", "Nexthop has invalid gateway");
      const ownerDev = () => [...ns.devices.values()].find((d) => d.inet.some((a) => a.local === s2.gateway)) ?? null;
      if (!s2.onlink && isLocalAddr(ns.byName.get("lo"), s2.gateway) && s2.type === "unicast") {
        dev = dev ?? ownerDev();
        if (!dev) return fail("EINVAL", "Nexthop has invalid gateway");
      } else if (s2.onlink) {
        if (dev && !dev.up) return fail("ENETDOWN", "Nexthop device is not up");
      } else {
        const on = gatewayOnLink(ns, s2.gateway, dev, s2.table);
        if (!on) return fail("EINVAL", "Nexthop has invalid gateway");
        dev = on.dev;
        if (!dev.up) return fail("ENETDOWN", "Nexthop device is not up");
      }
    } else if (!dev) {
      return fail("ENODEV");
    } else if (!dev.up) {
      return fail("ENETDOWN", "Device for nexthop is not up");
    }
    if (s2.prefsrc !== null && !isLocalAddr(ns.byName.get("lo"), s2.prefsrc))
      return fail("EINVAL", "Invalid prefsrc address");
  }
  const t = ns.fib.get(s2.table);
  const same = t.exact(s2.dst, s2.dstLen).filter((r) => r.family === 4 && r.metric === s2.metric);
  const route = {
    family: 4,
    table: s2.table,
    type: s2.type,
    dst: s2.dst,
    dst6: 0n,
    dstLen: s2.dstLen,
    metric: s2.metric,
    protocol: s2.protocol,
    scope: s2.scope,
    prefsrc: s2.prefsrc,
    gateway: s2.gateway,
    dev: needsNh ? dev : null,
    onlink: s2.onlink,
    pref6: false
  };
  if (mode === "add" || mode === "prepend") {
    if (same.length > 0 && mode === "add") return fail("EEXIST");
  } else if (mode === "replace" || mode === "change") {
    if (same.length > 0) {
      t.replace(same[0], route);
      return okVoid();
    } else if (mode === "change") {
      return fail("ENOENT");
    }
  } else if (mode === "append") {
    if (same.some((r) => r.gateway === s2.gateway && r.dev === dev && r.type === s2.type))
      return fail("EEXIST");
  }
  t.insert(route, mode === "append");
  return okVoid();
}
function routeDel(ns, m) {
  const t = ns.fib.find(m.table);
  if (!t) return fail("ESRCH");
  const r = t.exact(m.dst, m.dstLen).find(
    (x) => x.family === 4 && (m.type === null || x.type === m.type) && (m.metric === null || x.metric === m.metric) && (m.protocol === null || x.protocol === m.protocol) && (m.gateway === null || x.gateway === m.gateway) && (m.dev === null || x.dev === m.dev) && (m.prefsrc === null || x.prefsrc === m.prefsrc)
  );
  if (!r) return fail("ESRCH");
  t.remove(r);
  return okVoid();
}

// src/kernel/ipvs/ip-vs-conn.ts
var IP_VS_TCP_TIMEOUTS = {
  NONE: 2,
  ESTABLISHED: 15 * 60,
  SYN_SENT: 2 * 60,
  SYN_RECV: 60,
  FIN_WAIT: 2 * 60,
  TIME_WAIT: 2 * 60,
  CLOSE: 10,
  CLOSE_WAIT: 60,
  LAST_ACK: 30,
  LISTEN: 2 * 60,
  SYNACK: 120
};
var IP_VS_UDP_TIMEOUT = 5 * 60;
var IP_VS_CONN_F_TEMPLATE = 4096;
var IP_VS_CONN_F_INACTIVE = 256;
var IP_VS_CONN_F_NFCT = 131072;
var S = [
  "NONE",
  "ESTABLISHED",
  "SYN_SENT",
  "SYN_RECV",
  "FIN_WAIT",
  "TIME_WAIT",
  "CLOSE",
  "CLOSE_WAIT",
  "LAST_ACK",
  "LISTEN",
  "SYNACK"
];
var [sNO, sES, sSS, sSR, sFW, sTW, sCL, sCW, sLA, sLI, sSA] = S;
var INPUT = [
  /*syn*/
  [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR],
  /*fin*/
  [sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW],
  /*ack*/
  [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES],
  /*rst*/
  [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR]
];
var OUTPUT = [
  /*syn*/
  [sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR],
  /*fin*/
  [sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW],
  /*ack*/
  [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES],
  /*rst*/
  [sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL]
];
function stateIdx(f) {
  if (f.rst) return 3;
  if (f.syn) return 0;
  if (f.fin) return 1;
  if (f.ack) return 2;
  return -1;
}
var tables = /* @__PURE__ */ new WeakMap();
function ipVsConnTable(ns) {
  let t = tables.get(ns);
  if (!t) tables.set(ns, t = { in: /* @__PURE__ */ new Map(), out: /* @__PURE__ */ new Map(), all: /* @__PURE__ */ new Set() });
  return t;
}
var inKey = (p, ca, cp, va, vp) => `${p}|${ca >>> 0}:${cp}|${va >>> 0}:${vp}`;
var outKey = (p, da, dp, ca, cp) => `${p}|${da >>> 0}:${dp}|${ca >>> 0}:${cp}`;
function expire(t, c) {
  if (!t.all.delete(c)) return;
  const ik = inKey(c.proto, c.caddr, c.cport, c.vaddr, c.vport);
  if (t.in.get(ik) === c) t.in.delete(ik);
  const ok2 = outKey(c.proto, c.daddr, c.dport, c.caddr, c.cport);
  if (!(c.flags & IP_VS_CONN_F_TEMPLATE) && t.out.get(ok2) === c) t.out.delete(ok2);
  unbindDest(c);
}
function ipVsConnExpireNow(ns, c) {
  c.expires = 0;
  expire(ipVsConnTable(ns), c);
}
function live(ns, c) {
  if (!c) return null;
  if (c.expires <= ns.kernel.clock.now) {
    expire(ipVsConnTable(ns), c);
    return null;
  }
  return c;
}
function ipVsConnInGet(ns, p, ca, cp, va, vp) {
  return live(ns, ipVsConnTable(ns).in.get(inKey(p, ca, cp, va, vp)));
}
function ipVsConnOutGet(ns, p, da, dp, ca, cp) {
  return live(ns, ipVsConnTable(ns).out.get(outKey(p, da, dp, ca, cp)));
}
function bindDest(c) {
  const d = c.dest;
  if (!d) return;
  if (c.flags & IP_VS_CONN_F_TEMPLATE) d.persistconns++;
  else if (c.flags & IP_VS_CONN_F_INACTIVE) d.inactconns++;
  else d.activeconns++;
}
function unbindDest(c) {
  const d = c.dest;
  if (!d) return;
  if (c.flags & IP_VS_CONN_F_TEMPLATE) d.persistconns--;
  else if (c.flags & IP_VS_CONN_F_INACTIVE) d.inactconns--;
  else d.activeconns--;
  c.dest = null;
}
function ipVsConnNew(ns, c, timeout) {
  const t = ipVsConnTable(ns);
  const conn = {
    ...c,
    state: c.flags & IP_VS_CONN_F_TEMPLATE ? "NONE" : c.proto === 17 ? "UDP" : "NONE",
    timeout,
    expires: ns.kernel.clock.now + timeout * 1e3
  };
  if (!(conn.flags & IP_VS_CONN_F_TEMPLATE)) conn.flags |= IP_VS_CONN_F_INACTIVE;
  t.all.add(conn);
  t.in.set(inKey(conn.proto, conn.caddr, conn.cport, conn.vaddr, conn.vport), conn);
  if (!(conn.flags & IP_VS_CONN_F_TEMPLATE))
    t.out.set(outKey(conn.proto, conn.daddr, conn.dport, conn.caddr, conn.cport), conn);
  bindDest(conn);
  return conn;
}
function ipVsConnRefresh(ns, c, timeout = c.timeout) {
  c.timeout = timeout;
  c.expires = ns.kernel.clock.now + timeout * 1e3;
}
function ipVsStateTransition(ns, c, dir, flags) {
  if (c.proto === 17 || flags === null) {
    ipVsConnRefresh(ns, c, IP_VS_UDP_TIMEOUT);
    return;
  }
  const idx = stateIdx(flags);
  if (idx < 0 || c.state === "UDP") return;
  const from = S.indexOf(c.state);
  const next = (dir === "in" ? INPUT : OUTPUT)[idx][from];
  const d = c.dest;
  if (d && next !== c.state) {
    if (!(c.flags & IP_VS_CONN_F_INACTIVE) && next !== "ESTABLISHED") {
      d.activeconns--;
      d.inactconns++;
      c.flags |= IP_VS_CONN_F_INACTIVE;
    } else if (c.flags & IP_VS_CONN_F_INACTIVE && next === "ESTABLISHED") {
      d.activeconns++;
      d.inactconns--;
      c.flags &= ~IP_VS_CONN_F_INACTIVE;
    }
  }
  c.state = next;
  ipVsConnRefresh(ns, c, IP_VS_TCP_TIMEOUTS[next]);
}
function ipVsConnFlushService(ns, svc) {
  const t = ipVsConnTable(ns);
  for (const c of t.all)
    if (c.vaddr === svc.addr && c.vport === svc.port && c.proto === svc.proto) expire(t, c);
}

// src/net/describe.ts
var ICMP_NAMES = {
  0: "echo reply",
  3: "destination unreachable",
  5: "redirect",
  8: "echo request",
  11: "time exceeded"
};
function describeArp(a) {
  return a.op === 1 ? `ARP, Request who-has ${formatIPv4(a.tpa)} tell ${formatIPv4(a.spa)}` : `ARP, Reply ${formatIPv4(a.spa)} is-at ${a.sha}`;
}
function tcpFlags(f) {
  let s2 = "";
  if (f.syn) s2 += "S";
  if (f.fin) s2 += "F";
  if (f.rst) s2 += "R";
  if (f.psh) s2 += "P";
  if (f.ack) s2 += ".";
  return s2 || "none";
}
function describeIp(p) {
  const src = formatIPv4(p.src);
  const dst = formatIPv4(p.dst);
  const l4 = p.l4;
  switch (l4.proto) {
    case "icmp": {
      const name = ICMP_NAMES[l4.type] ?? `type ${l4.type}`;
      const extra = l4.type === 0 || l4.type === 8 ? `, id ${l4.id}, seq ${l4.seq}` : `, code ${l4.code}`;
      return `IP ${src} > ${dst}: ICMP ${name}${extra}, ttl ${p.ttl}`;
    }
    case "tcp":
      return `IP ${src}.${l4.sport} > ${dst}.${l4.dport}: Flags [${tcpFlags(l4.flags)}], length ${l4.payload.length}, ttl ${p.ttl}`;
    case "udp":
      if (l4.vxlan)
        return `IP ${src}.${l4.sport} > ${dst}.${l4.dport}: VXLAN, flags [I] (0x${l4.vxlan.flags.toString(16).padStart(2, "0")}), vni ${l4.vxlan.vni}, ttl ${p.ttl}: ${describeFrame(l4.vxlan.frame)}`;
      return `IP ${src}.${l4.sport} > ${dst}.${l4.dport}: UDP, length ${l4.payload.length}, ttl ${p.ttl}`;
  }
}
function describeFrame(f) {
  const p = f.payload;
  const inner = p.kind === "arp" ? describeArp(p) : p.kind === "ipv6" ? `IP6 ${p.summary}` : describeIp(p);
  return `${f.src} > ${f.dst}, ${inner}`;
}

// src/kernel/conntrack/tcp-state.ts
var STATES = [
  "NONE",
  "SYN_SENT",
  "SYN_RECV",
  "ESTABLISHED",
  "FIN_WAIT",
  "CLOSE_WAIT",
  "LAST_ACK",
  "TIME_WAIT",
  "CLOSE",
  "SYN_SENT2"
];
var sSS2 = "SYN_SENT";
var sSR2 = "SYN_RECV";
var sES2 = "ESTABLISHED";
var sFW2 = "FIN_WAIT";
var sCW2 = "CLOSE_WAIT";
var sLA2 = "LAST_ACK";
var sTW2 = "TIME_WAIT";
var sCL2 = "CLOSE";
var sS2 = "SYN_SENT2";
var sIV = "IV";
var sIG = "IG";
var TABLE = [
  [
    /* ORIGINAL     sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2 */
    /* syn    */
    [sSS2, sSS2, sIG, sIG, sIG, sIG, sIG, sSS2, sSS2, sS2],
    /* synack */
    [sIV, sIV, sSR2, sIV, sIV, sIV, sIV, sIV, sIV, sSR2],
    /* fin    */
    [sIV, sIV, sFW2, sFW2, sLA2, sLA2, sLA2, sTW2, sCL2, sIV],
    /* ack    */
    [sES2, sIV, sES2, sES2, sCW2, sCW2, sTW2, sTW2, sCL2, sIV],
    /* rst    */
    [sIV, sCL2, sCL2, sCL2, sCL2, sCL2, sCL2, sCL2, sCL2, sCL2],
    /* none   */
    [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV]
  ],
  [
    /* REPLY        sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2 */
    /* syn    */
    [sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS2, sIV, sS2],
    /* synack */
    [sIV, sSR2, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR2],
    /* fin    */
    [sIV, sIV, sFW2, sFW2, sLA2, sLA2, sLA2, sTW2, sCL2, sIV],
    /* ack    */
    [sIV, sIG, sSR2, sES2, sCW2, sCW2, sTW2, sTW2, sCL2, sIG],
    /* rst    */
    [sIV, sCL2, sCL2, sCL2, sCL2, sCL2, sCL2, sCL2, sCL2, sCL2],
    /* none   */
    [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV]
  ]
];
function tcpIndex(f) {
  if (f.rst) return 4;
  if (f.syn) return f.ack ? 1 : 0;
  if (f.fin) return 2;
  if (f.ack) return 3;
  return 5;
}
function tcpTransition(dir, state, f) {
  return TABLE[dir][tcpIndex(f)][STATES.indexOf(state)];
}
var TCP_TIMEOUTS = {
  NONE: 0,
  SYN_SENT: 120,
  SYN_RECV: 60,
  ESTABLISHED: 432e3,
  FIN_WAIT: 120,
  CLOSE_WAIT: 60,
  LAST_ACK: 30,
  TIME_WAIT: 120,
  CLOSE: 10,
  SYN_SENT2: 120
};
var UDP_TIMEOUT = 30;
var UDP_TIMEOUT_STREAM = 120;
var ICMP_TIMEOUT = 30;
var GENERIC_TIMEOUT = 600;

// src/net/packet.ts
var ETH_P_IP = 2048;
var ETH_P_ARP = 2054;
var ETH_P_IPV6 = 34525;
var IPPROTO_ICMP = 1;
var IPPROTO_TCP = 6;
var IPPROTO_UDP = 17;
var VXLAN_HF_VNI = 8;
var VXLAN_HLEN = 8;
var ETH_HLEN = 14;
function ethFrameLen(f) {
  return ETH_HLEN + (f.payload.kind === "arp" ? 28 : f.payload.len);
}
function l4Length(l4) {
  switch (l4.proto) {
    case "icmp":
      return l4.inner ? 8 + Math.min(l4.inner.len, 576 - 28) : 8 + 56;
    case "tcp":
      return 20 + (l4.flags.syn ? 20 : l4.flags.rst ? 0 : 12) + l4.payload.length;
    case "udp":
      return 8 + (l4.vxlan ? VXLAN_HLEN + ethFrameLen(l4.vxlan.frame) : l4.payload.length);
  }
}
function protoNumber(l4) {
  return l4.proto === "icmp" ? IPPROTO_ICMP : l4.proto === "tcp" ? IPPROTO_TCP : IPPROTO_UDP;
}

// src/kernel/conntrack/tuple.ts
var IPPROTO_ICMP2 = 1;
var IPPROTO_TCP2 = 6;
var IPPROTO_UDP2 = 17;
var ICMP_INVERSE = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 };
var ICMP_QUERY_TYPES = /* @__PURE__ */ new Set([8, 13, 15, 17]);
var ICMP_ERROR_TYPES = /* @__PURE__ */ new Set([3, 4, 5, 11, 12]);
function tupleOf(pkt) {
  const l4 = pkt.l4;
  if (l4.proto === "icmp")
    return { proto: IPPROTO_ICMP2, src: pkt.src, dst: pkt.dst, sport: l4.id, dport: l4.type << 8 | l4.code };
  return { proto: protoNumber(l4), src: pkt.src, dst: pkt.dst, sport: l4.sport, dport: l4.dport };
}
function invertTuple(t) {
  if (t.proto === IPPROTO_ICMP2) {
    const inv2 = ICMP_INVERSE[t.dport >> 8];
    if (inv2 === void 0) return null;
    return { proto: t.proto, src: t.dst, dst: t.src, sport: t.sport, dport: inv2 << 8 | t.dport & 255 };
  }
  return { proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}
function tupleKey(t) {
  return `${t.proto}|${t.src}|${t.sport}|${t.dst}|${t.dport}`;
}
function tupleEqual(a, b) {
  return a.proto === b.proto && a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport;
}

// src/kernel/conntrack/conntrack.ts
var IPS_EXPECTED = 1 << 0;
var IPS_SEEN_REPLY = 1 << 1;
var IPS_ASSURED = 1 << 2;
var IPS_CONFIRMED = 1 << 3;
var IPS_SRC_NAT = 1 << 4;
var IPS_DST_NAT = 1 << 5;
var IPS_SRC_NAT_DONE = 1 << 7;
var IPS_DST_NAT_DONE = 1 << 8;
var IP_CT_ESTABLISHED = 0;
var IP_CT_RELATED = 1;
var IP_CT_NEW = 2;
var IP_CT_IS_REPLY = 3;
var IP_CT_ESTABLISHED_REPLY = 3;
var IP_CT_RELATED_REPLY = 4;
var Conntrack = class {
  hash = /* @__PURE__ */ new Map();
  /** Confirmed flows in insertion order. */
  conns = /* @__PURE__ */ new Set();
  serial = 0;
  listeners = /* @__PURE__ */ new Set();
  ns;
  constructor(ns) {
    this.ns = ns;
  }
  get now() {
    return this.ns.kernel.clock.now;
  }
  /** nf_conntrack_max: global and read from the initial namespace, as in Linux. */
  get max() {
    return Number(this.ns.kernel.initNs.sysctl.get("net.netfilter.nf_conntrack_max") ?? "262144");
  }
  emit(type, conn) {
    for (const l of this.listeners) l({ type, conn });
  }
  /** Drops flows whose timeout has passed (the gc worker and per-lookup expiry in one). */
  gc() {
    const now = this.now;
    for (const c of this.conns) if (c.expires <= now) this.remove(c);
  }
  get count() {
    this.gc();
    return this.conns.size;
  }
  lookup(t) {
    const h = this.hash.get(tupleKey(t));
    if (!h) return null;
    if (h.conn.expires <= this.now) {
      this.remove(h.conn);
      return null;
    }
    return h;
  }
  /** nf_conntrack_tuple_taken: whether a confirmed flow other than `ignore` uses this tuple. */
  taken(t, ignore) {
    const h = this.lookup(t);
    return h !== null && h.conn !== ignore;
  }
  create(orig, reply) {
    return {
      id: ++this.serial,
      tuple: [orig, reply],
      status: 0,
      tcp: null,
      expires: 0,
      mark: 0,
      streamTs: this.now + 2e3,
      zone: 0
    };
  }
  /** __nf_conntrack_confirm; false on a clash with an already confirmed flow. */
  confirm(c) {
    if (c.status & IPS_CONFIRMED) return true;
    const k0 = tupleKey(c.tuple[0]);
    const k1 = tupleKey(c.tuple[1]);
    if (this.lookup(c.tuple[0]) || this.lookup(c.tuple[1])) return false;
    this.hash.set(k0, { conn: c, dir: 0 });
    this.hash.set(k1, { conn: c, dir: 1 });
    c.status |= IPS_CONFIRMED;
    c.expires = this.now + c.expires;
    this.conns.add(c);
    this.emit("NEW", c);
    return true;
  }
  remove(c) {
    if (!this.conns.delete(c)) return;
    for (const d of [0, 1]) {
      const k = tupleKey(c.tuple[d]);
      if (this.hash.get(k)?.conn === c) this.hash.delete(k);
    }
    this.emit("DESTROY", c);
  }
  flush() {
    for (const c of [...this.conns]) this.remove(c);
  }
  /** nf_ct_refresh: a confirmed flow's timeout restarts; an unconfirmed one keeps it relative. */
  refresh(c, seconds) {
    c.expires = c.status & IPS_CONFIRMED ? this.now + seconds * 1e3 : seconds * 1e3;
  }
  /** Seconds left, as /proc and ctnetlink report them (floor of the remaining time). */
  remaining(c) {
    if (!(c.status & IPS_CONFIRMED)) return Math.floor(c.expires / 1e3);
    return Math.max(0, Math.floor((c.expires - this.now - 1) / 1e3));
  }
};
var tables2 = /* @__PURE__ */ new WeakMap();
function conntrackOf(ns) {
  let t = tables2.get(ns);
  if (!t) tables2.set(ns, t = new Conntrack(ns));
  return t;
}
function conntrackIn(ns, pkt) {
  const ct = conntrackOf(ns);
  const l4 = pkt.l4;
  if (l4.proto === "icmp" && ICMP_ERROR_TYPES.has(l4.type)) {
    if (!l4.inner) return { kind: "invalid", reason: "ICMP error without the quoted datagram" };
    const inv2 = invertTuple(tupleOf(l4.inner));
    const h2 = inv2 ? ct.lookup(inv2) : null;
    if (!h2) return { kind: "invalid", reason: "ICMP error about no known flow" };
    return {
      kind: "tracked",
      conn: h2.conn,
      ctinfo: h2.dir === 1 ? IP_CT_RELATED_REPLY : IP_CT_RELATED,
      created: false
    };
  }
  const t = tupleOf(pkt);
  let h = ct.lookup(t);
  if (h && l4.proto === "tcp" && h.dir === 0 && l4.flags.syn && !l4.flags.ack) {
    if (h.conn.tcp === "TIME_WAIT" || h.conn.tcp === "CLOSE") {
      ct.remove(h.conn);
      h = null;
    }
  }
  let conn;
  let dir;
  let created = false;
  if (h) {
    conn = h.conn;
    dir = h.dir;
  } else {
    if (l4.proto === "icmp" && !ICMP_QUERY_TYPES.has(l4.type))
      return { kind: "invalid", reason: `ICMP type ${l4.type} cannot start a flow` };
    if (l4.proto === "tcp") {
      const f = l4.flags;
      if (f.rst || f.syn && f.ack || !f.syn && !f.ack || f.fin && !f.syn)
        return { kind: "invalid", reason: "TCP segment cannot start a flow" };
    }
    if (ct.conns.size >= ct.max && ct.count >= ct.max) {
      ns.kernel.log("nf_conntrack: nf_conntrack: table full, dropping packet");
      return { kind: "drop", reason: "nf_conntrack: table full" };
    }
    const reply = invertTuple(t);
    if (!reply) return { kind: "invalid", reason: "no inverse tuple" };
    conn = ct.create(t, reply);
    dir = 0;
    created = true;
  }
  const verdict = protoPacket(ct, conn, dir, pkt);
  if (verdict === KILL) {
    ct.remove(conn);
    conn.expires = 0;
  } else if (verdict !== null) return { kind: "invalid", reason: verdict };
  let ctinfo;
  if (dir === 1) {
    ctinfo = IP_CT_ESTABLISHED_REPLY;
    if (!(conn.status & IPS_SEEN_REPLY)) {
      conn.status |= IPS_SEEN_REPLY;
      ct.emit("UPDATE", conn);
    }
  } else ctinfo = conn.status & IPS_SEEN_REPLY ? IP_CT_ESTABLISHED : IP_CT_NEW;
  return { kind: "tracked", conn, ctinfo, created };
}
var KILL = "\0kill";
function protoPacket(ct, c, dir, pkt) {
  const l4 = pkt.l4;
  switch (c.tuple[0].proto) {
    case IPPROTO_TCP2: {
      if (l4.proto !== "tcp") return null;
      const old = c.tcp ?? "NONE";
      const next = tcpTransition(dir, old, l4.flags);
      if (next === "IV") return `TCP ${old}: invalid segment`;
      if (next === "IG") return null;
      const before = c.tcp;
      c.tcp = next;
      if (!(c.status & IPS_SEEN_REPLY) && l4.flags.rst) return KILL;
      if (c.status & IPS_SEEN_REPLY && !(c.status & IPS_ASSURED) && (old === "SYN_RECV" || old === "ESTABLISHED") && next === "ESTABLISHED") {
        c.status |= IPS_ASSURED;
        if (c.status & IPS_CONFIRMED) ct.emit("UPDATE", c);
      } else if (before !== next && c.status & IPS_CONFIRMED) ct.emit("UPDATE", c);
      ct.refresh(c, l4.flags.rst ? TCP_TIMEOUTS.CLOSE : TCP_TIMEOUTS[next]);
      return null;
    }
    case IPPROTO_UDP2: {
      if (c.status & IPS_SEEN_REPLY || dir === 1) {
        if (ct.now > c.streamTs) {
          const stream = !(c.status & IPS_ASSURED);
          ct.refresh(c, UDP_TIMEOUT_STREAM);
          if (stream) {
            c.status |= IPS_ASSURED;
            ct.emit("UPDATE", c);
          }
        } else ct.refresh(c, UDP_TIMEOUT);
      } else ct.refresh(c, UDP_TIMEOUT);
      return null;
    }
    case IPPROTO_ICMP2:
      ct.refresh(c, ICMP_TIMEOUT);
      return null;
    default:
      ct.refresh(c, GENERIC_TIMEOUT);
      return null;
  }
}

// src/net/mac.ts
var BROADCAST_MAC = "ff:ff:ff:ff:ff:ff";
var ZERO_MAC = "00:00:00:00:00:00";
function parseMac(s2) {
  const parts = s2.split(":");
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return null;
  return parts.map((p) => p.toLowerCase().padStart(2, "0")).join(":");
}
var HEX = "0123456789abcdef";
function isMulticastMac(m) {
  return (HEX.indexOf(m.charAt(1)) & 1) === 1;
}
function randomMac(rng) {
  const b = [];
  for (let i = 0; i < 6; i++) b.push(rng.nextInt(256));
  b[0] = (b[0] ?? 0) & 254 | 2;
  return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
}
function compareMac(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function ipv4MulticastMac(group) {
  const b = [1, 0, 94, group >>> 16 & 127, group >>> 8 & 255, group & 255];
  return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
}

// src/kernel/neigh/arp.ts
function send(dev, arp, dstMac) {
  if (dev.ns.kernel.trace)
    dev.ns.kernel.hop(
      dev.ns,
      "arp",
      `${dev.name}: send ${arp.op === 1 ? "request" : "reply"}`,
      describeArp(arp)
    );
  devQueueXmit(dev, { src: dev.mac, dst: dstMac, type: ETH_P_ARP, payload: arp });
}
function arpSolicit(n2, unicast) {
  const dev = n2.dev;
  const queued = n2.queue[0];
  let spa = 0;
  if (queued && isLocalAddr(dev, queued.src)) spa = queued.src;
  else spa = inetSelectAddr(dev, n2.ip, "link") ?? 0;
  const arp = { kind: "arp", op: 1, sha: dev.mac, spa, tha: ZERO_MAC, tpa: n2.ip };
  send(dev, arp, unicast && n2.lladdr ? n2.lladdr : BROADCAST_MAC);
}
function arpFailed(n2, queued) {
  const ns = n2.dev.ns;
  if (ns.kernel.trace)
    ns.kernel.hop(ns, "neigh", `${formatIPv4(n2.ip)} dev ${n2.dev.name}: no ARP reply, FAILED`, "");
  for (const p of queued) if (!isLocalAddr(n2.dev, p.src)) icmpSend(ns, p, 3, 1, null);
}
function installArp(ns) {
  ns.neigh.hooks = { solicit: arpSolicit, failed: arpFailed };
  ns.neigh.flushQueued = (n2, p) => {
    if (n2.lladdr) devQueueXmit(n2.dev, { src: n2.dev.mac, dst: n2.lladdr, type: ETH_P_IP, payload: p });
  };
}
function arpRcv(dev, arp, type) {
  const ns = dev.ns;
  const k = ns.kernel;
  if (type === "OTHERHOST" || dev.noarp) return;
  if (dev.inet.length === 0 && !ns.sysctl.orConf(dev.name, "proxy_arp")) {
    if (k.trace) k.hop(ns, "drop", `arp on ${dev.name}: no IPv4 configuration`, describeArp(arp));
    return;
  }
  if (k.trace)
    k.hop(ns, "arp", `${dev.name}: received ${arp.op === 1 ? "request" : "reply"}`, describeArp(arp));
  const sip = arp.spa;
  const tip = arp.tpa;
  if (arp.op === 1) {
    const local = isLocalAddr(dev, tip);
    let answer2 = false;
    let proxied = false;
    if (local) {
      const ignore = ns.sysctl.maxConf(dev.name, "arp_ignore");
      answer2 = ignore === 0 || ignore >= 1 && dev.inet.some((a) => a.local === tip);
    } else if (ns.neigh.proxies.size > 0 && ns.neigh.hasProxy(dev, tip)) {
      answer2 = true;
      proxied = true;
    } else if (ns.sysctl.orConf(dev.name, "proxy_arp") && ns.sysctl.devConf(dev.name, "forwarding") !== 0) {
      const r = fibLookup(ns, { dst: tip, src: sip, iif: dev.name, oif: null, mark: 0 });
      if (r.ok && r.route.type === "unicast" && r.route.dev && r.route.dev !== dev) {
        answer2 = true;
        proxied = true;
      }
    }
    if (sip !== 0 && (answer2 || local)) learnSender(dev, arp);
    if (!answer2) return;
    const reply = { kind: "arp", op: 2, sha: dev.mac, spa: tip, tha: arp.sha, tpa: sip };
    if (proxied && type !== "HOST") {
      const delay = Math.floor(k.rng.next() * ns.sysctl.neigh(dev.name, "proxy_delay") * 10);
      k.clock.schedule(delay, () => send(dev, reply, arp.sha));
      return;
    }
    send(dev, reply, arp.sha);
    return;
  }
  const n2 = ns.neigh.lookup(dev, sip);
  if (n2) ns.neigh.update(n2, arp.sha, type === "HOST" ? "REACHABLE" : "STALE");
}
function learnSender(dev, arp) {
  const ns = dev.ns;
  const n2 = ns.neigh.lookup(dev, arp.spa) ?? ns.neigh.create(dev, arp.spa, "STALE", arp.sha);
  if (n2.lladdr !== arp.sha || n2.state === "INCOMPLETE" || n2.state === "FAILED")
    ns.neigh.update(n2, arp.sha, "STALE");
}

// src/kernel/netfilter/skb.ts
var skbs = /* @__PURE__ */ new WeakMap();
function skbOf(pkt, ns) {
  const s2 = skbs.get(pkt);
  if (s2 && s2.ns === ns) return s2;
  const fresh = {
    ns,
    mark: 0,
    ct: null,
    ctinfo: 0,
    untracked: false,
    trace: false,
    physIn: null,
    physOut: null,
    bridged: false,
    brPrerouted: false,
    bridgedDnat: false,
    macSrc: null,
    pktType: null,
    ipvsProperty: false
  };
  skbs.set(pkt, fresh);
  return fresh;
}
function skbMove(from, to) {
  const s2 = skbs.get(from);
  if (s2 && from !== to) skbs.set(to, s2);
}
function skbMark(pkt) {
  return skbs.get(pkt)?.mark ?? 0;
}
function skbSetMark(pkt, ns, mark2) {
  skbOf(pkt, ns).mark = mark2;
}
function skbSetL2(pkt, ns, mac, type) {
  const s2 = skbOf(pkt, ns);
  s2.macSrc = mac;
  s2.pktType = type;
}

// src/kernel/neigh/neigh-table.ts
var NUD_VALID = /* @__PURE__ */ new Set([
  "PERMANENT",
  "NOARP",
  "REACHABLE",
  "PROBE",
  "STALE",
  "DELAY"
]);
var NUD_CONNECTED = /* @__PURE__ */ new Set(["PERMANENT", "NOARP", "REACHABLE"]);
function key(dev, ip) {
  return `${dev.ifindex}/${ip}`;
}
var NeighTable = class {
  entries = /* @__PURE__ */ new Map();
  timers = /* @__PURE__ */ new Map();
  /** Proxy entries (pneigh) added with `ip neigh add proxy`. */
  proxies = /* @__PURE__ */ new Map();
  hooks = null;
  ns;
  constructor(ns) {
    this.ns = ns;
  }
  lookup(dev, ip) {
    return this.entries.get(key(dev, ip));
  }
  list() {
    return [...this.entries.values()];
  }
  get now() {
    return this.ns.kernel.clock.now;
  }
  param(dev, attr) {
    return this.ns.sysctl.neigh(dev.name, attr);
  }
  create(dev, ip, state, lladdr) {
    const n2 = {
      ip,
      dev,
      lladdr,
      state,
      updated: this.now,
      // neigh_alloc backdates the confirmation by twice the base reachable time.
      confirmed: this.now - 2 * this.param(dev, "base_reachable_time_ms"),
      used: this.now,
      probes: 0,
      router: false,
      queue: [],
      proxy: false
    };
    this.entries.set(key(dev, ip), n2);
    return n2;
  }
  delete(n2) {
    this.cancel(n2);
    this.entries.delete(key(n2.dev, n2.ip));
  }
  cancel(n2) {
    const t = this.timers.get(n2);
    if (t) t.cancelled = true;
    this.timers.delete(n2);
  }
  arm(n2, ms, fn) {
    this.cancel(n2);
    this.timers.set(
      n2,
      this.ns.kernel.clock.schedule(ms, () => {
        this.timers.delete(n2);
        if (this.entries.get(key(n2.dev, n2.ip)) === n2) fn();
      })
    );
  }
  reachableTime(dev) {
    const base = this.param(dev, "base_reachable_time_ms");
    return Math.floor(base / 2 + this.ns.kernel.rng.next() * base);
  }
  /** neigh_update: a confirmed or learned link-layer address. */
  update(n2, lladdr, state, override = true) {
    if (n2.state === "PERMANENT" || n2.state === "NOARP") return;
    const changed2 = n2.lladdr !== lladdr;
    if (!override && changed2 && NUD_VALID.has(n2.state)) return;
    if (!changed2 && state === "STALE" && NUD_VALID.has(n2.state)) {
      return;
    }
    n2.lladdr = lladdr;
    n2.state = state;
    n2.updated = this.now;
    n2.probes = 0;
    if (state === "REACHABLE") {
      n2.confirmed = this.now;
      this.arm(n2, this.reachableTime(n2.dev), () => this.toStale(n2));
    } else {
      this.cancel(n2);
    }
    const q = n2.queue;
    n2.queue = [];
    for (const p of q) this.flushQueued(n2, p);
  }
  flushQueued = () => {
  };
  /** neigh_update with NEIGH_UPDATE_F_ADMIN (`ip neigh add/replace/change`): the state is set as given. */
  admin(n2, state, lladdr) {
    this.cancel(n2);
    n2.state = state;
    n2.lladdr = lladdr;
    n2.updated = this.now;
    n2.probes = 0;
    if (state === "REACHABLE") {
      n2.confirmed = this.now;
      this.arm(n2, this.reachableTime(n2.dev), () => this.toStale(n2));
    }
    const q = n2.queue;
    n2.queue = [];
    if (lladdr !== null && NUD_VALID.has(state)) for (const p of q) this.flushQueued(n2, p);
  }
  /** neigh_timer_handler for REACHABLE: still confirmed, recently used (DELAY), or STALE. */
  toStale(n2) {
    const delay = this.param(n2.dev, "delay_first_probe_time") * 1e3;
    if (this.now <= n2.used + delay) {
      n2.state = "DELAY";
      n2.updated = this.now;
      this.arm(n2, delay, () => this.probe(n2));
      return;
    }
    n2.state = "STALE";
    n2.updated = this.now;
  }
  /** __neigh_event_send: called before a frame uses the entry; true when it can go now. */
  eventSend(n2, p) {
    if (!NUD_CONNECTED.has(n2.state)) n2.used = this.now;
    switch (n2.state) {
      case "PERMANENT":
      case "NOARP":
      case "REACHABLE":
      case "DELAY":
      case "PROBE":
        return true;
      case "STALE":
        n2.state = "DELAY";
        n2.updated = this.now;
        this.arm(n2, this.param(n2.dev, "delay_first_probe_time") * 1e3, () => this.probe(n2));
        return true;
      case "FAILED":
      case "INCOMPLETE": {
        if (n2.queue.length < this.param(n2.dev, "unres_qlen")) n2.queue.push(p);
        if (n2.state === "FAILED") {
          n2.state = "INCOMPLETE";
          n2.probes = 0;
        }
        if (n2.probes === 0) this.solicit(n2);
        return false;
      }
    }
  }
  solicit(n2) {
    n2.probes++;
    this.arm(n2, this.param(n2.dev, "retrans_time_ms"), () => {
      if (n2.probes >= this.param(n2.dev, "mcast_solicit")) {
        n2.state = "FAILED";
        n2.updated = this.now;
        const q = n2.queue;
        n2.queue = [];
        this.hooks?.failed(n2, q);
      } else {
        this.solicit(n2);
      }
    });
    this.hooks?.solicit(n2, false);
  }
  probe(n2) {
    if (n2.state === "DELAY" && n2.confirmed + this.param(n2.dev, "delay_first_probe_time") * 1e3 >= this.now) {
      n2.state = "REACHABLE";
      n2.updated = this.now;
      this.arm(n2, n2.confirmed + this.reachableTime(n2.dev) - this.now, () => this.toStale(n2));
      return;
    }
    n2.state = "PROBE";
    n2.updated = this.now;
    n2.probes = 0;
    const step = () => {
      if (n2.probes >= this.param(n2.dev, "ucast_solicit")) {
        n2.state = "FAILED";
        n2.updated = this.now;
        return;
      }
      n2.probes++;
      this.arm(n2, this.param(n2.dev, "retrans_time_ms"), step);
      this.hooks?.solicit(n2, true);
    };
    step();
  }
  /** Drop a device's entries; `all` includes permanent ones (unregister), otherwise they stay (neigh_ifdown). */
  flushDev(dev, all) {
    for (const n2 of [...this.entries.values()]) {
      if (n2.dev !== dev) continue;
      if (!all && n2.state === "PERMANENT") continue;
      this.delete(n2);
    }
    if (all) {
      for (const [k, p] of this.proxies) if (p.dev === dev) this.proxies.delete(k);
    }
  }
  addProxy(dev, ip) {
    this.proxies.set(key(dev, ip), { ip, dev });
  }
  hasProxy(dev, ip) {
    return this.proxies.has(key(dev, ip));
  }
};

// src/kernel/netfilter/hooks.ts
var registered = /* @__PURE__ */ new WeakMap();
function registerNfHooks(ns, fn) {
  registered.set(ns, fn);
}
function nfHook(ns, hook, pkt, inDev, outDev) {
  const fn = registered.get(ns);
  return fn ? fn(ns, hook, pkt, inDev, outDev) : { verdict: "ACCEPT", pkt };
}

// src/kernel/netfilter/br-netfilter.ts
function callIptables(br, frame) {
  return frame.type === ETH_P_IP && frame.payload.kind === "ipv4" && br.ns.sysctl.num("net.bridge.bridge-nf-call-iptables") !== 0;
}
function brNfPreRouting(br, port, frame) {
  if (!callIptables(br, frame)) return frame;
  const ns = br.ns;
  const pkt0 = frame.payload;
  const skb = skbOf(pkt0, ns);
  skb.bridged = true;
  skb.physIn = port.name;
  skb.macSrc = frame.src;
  skb.pktType = frame.dst === "ff:ff:ff:ff:ff:ff" ? "BROADCAST" : /^.[13579bdf]/.test(frame.dst) ? "MULTICAST" : "HOST";
  const v = nfHook(ns, "PREROUTING", pkt0, br, null);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") ns.kernel.hop(ns, "drop", `bridge PREROUTING: ${v.reason}`, describeIp(pkt0));
    return null;
  }
  const pkt = v.pkt;
  skbOf(pkt, ns).brPrerouted = true;
  if (pkt.dst === pkt0.dst) return pkt === pkt0 ? frame : { ...frame, payload: pkt };
  const d = routeInput(ns, pkt.dst, pkt.src, br, skbMark(pkt));
  if (d.kind === "forward" && d.rt.dev === br) {
    const n2 = ns.neigh.lookup(br, d.rt.nexthop);
    if (n2?.lladdr && NUD_VALID.has(n2.state)) return { ...frame, dst: n2.lladdr, payload: pkt };
    skbOf(pkt, ns).bridgedDnat = true;
    neighOutput(ns, br, d.rt.nexthop, pkt);
    return null;
  }
  return { ...frame, dst: br.mac, payload: pkt };
}
function bridgedDnatPort(br, frame) {
  if (frame.payload.kind !== "ipv4") return null;
  const skb = skbOf(frame.payload, br.ns);
  if (!skb.bridgedDnat || !skb.physIn) return null;
  skb.bridgedDnat = false;
  const port = br.ns.byName.get(skb.physIn);
  return port?.master === br ? port : null;
}
function brNfForward(br, out, frame) {
  if (!callIptables(br, frame)) return frame;
  const ns = br.ns;
  const orig = frame.payload;
  const from = skbOf(orig, ns);
  const pkt0 = { ...orig };
  const skb = skbOf(pkt0, ns);
  Object.assign(skb, { ...from, physOut: out.name, bridged: true });
  const f = nfHook(ns, "FORWARD", pkt0, br, br);
  if (f.verdict !== "ACCEPT") {
    if (f.verdict === "DROP") ns.kernel.hop(ns, "drop", `bridge FORWARD: ${f.reason}`, describeIp(pkt0));
    return null;
  }
  const p = nfHook(ns, "POSTROUTING", f.pkt, null, br);
  if (p.verdict !== "ACCEPT") {
    if (p.verdict === "DROP") ns.kernel.hop(ns, "drop", `bridge POSTROUTING: ${p.reason}`, describeIp(f.pkt));
    return null;
  }
  return { ...frame, payload: p.pkt };
}

// src/kernel/link/bridge/br-forward.ts
function fdbFind(br, mac) {
  const info2 = br.bridge;
  const e = info2.fdb.get(mac);
  if (e && e.kind === "learned" && br.ns.kernel.clock.now - e.updated >= info2.ageingTime * 10) {
    info2.fdb.delete(mac);
    return void 0;
  }
  return e;
}
function learn(br, port, frame) {
  if (!port.brport?.learning || isMulticastMac(frame.src)) return;
  if (port.brport.state !== "learning" && port.brport.state !== "forwarding") return;
  const info2 = br.bridge;
  const now = br.ns.kernel.clock.now;
  const e = fdbFind(br, frame.src);
  if (e && e.kind !== "learned") return;
  if (e) {
    if (e.port !== port) {
      if (br.ns.kernel.trace)
        br.ns.kernel.hop(
          br.ns,
          "bridge",
          `${br.name}: ${frame.src} moved to ${port.name}`,
          describeFrame(frame)
        );
    }
    e.port = port;
    e.updated = now;
    return;
  }
  info2.fdb.set(frame.src, { mac: frame.src, port, kind: "learned", updated: now, used: now });
  if (br.ns.kernel.trace)
    br.ns.kernel.hop(
      br.ns,
      "bridge",
      `${br.name}: learned ${frame.src} on ${port.name}`,
      describeFrame(frame)
    );
}
function forwardTo(to, frame, from) {
  if (to.brport?.state !== "forwarding") return;
  const out = from ? brNfForward(to.master, to, frame) : frame;
  if (out) devQueueXmit(to, out);
}
function flood(br, from, frame, unknownUnicast) {
  for (const p of br.bridge.ports) {
    if (p === from && !p.brport?.hairpin) continue;
    if (unknownUnicast && !p.brport?.flood) continue;
    forwardTo(p, frame, from);
  }
}
function passUp(br, frame) {
  const type = frame.dst === "ff:ff:ff:ff:ff:ff" ? "BROADCAST" : isMulticastMac(frame.dst) ? "MULTICAST" : "HOST";
  br.stats.rxPackets++;
  deliverToProtocols(br, frame, type);
}
function brHandleFrame(port, frame0) {
  const br = port.master;
  const k = br.ns.kernel;
  if (!br.up || port.brport?.state === "disabled") {
    if (k.trace) k.hop(br.ns, "drop", `${br.name}: port ${port.name} is disabled`, describeFrame(frame0));
    return;
  }
  const frame = brNfPreRouting(br, port, frame0);
  if (frame) brHandleFrameFinish(br, port, frame);
}
function brHandleFrameFinish(br, port, frame) {
  const k = br.ns.kernel;
  learn(br, port, frame);
  if (isMulticastMac(frame.dst)) {
    if (k.trace)
      k.hop(
        br.ns,
        "bridge",
        `${br.name}: ${frame.dst === "ff:ff:ff:ff:ff:ff" ? "broadcast" : "multicast"} from ${port.name}: flood and deliver to host`,
        describeFrame(frame)
      );
    flood(br, port, frame, false);
    passUp(br, frame);
    return;
  }
  const dst = fdbFind(br, frame.dst);
  if (dst?.kind === "local" || frame.dst === br.mac) {
    if (k.trace)
      k.hop(br.ns, "bridge", `${br.name}: ${frame.dst} is local: deliver to host`, describeFrame(frame));
    passUp(br, frame);
    return;
  }
  if (dst) {
    dst.used = k.clock.now;
    if (dst.port === port && !port.brport?.hairpin) {
      if (k.trace)
        k.hop(
          br.ns,
          "drop",
          `${br.name}: ${frame.dst} is behind ingress port ${port.name} (hairpin off)`,
          describeFrame(frame)
        );
      return;
    }
    if (k.trace)
      k.hop(br.ns, "bridge", `${br.name}: fdb ${frame.dst} -> ${dst.port.name}`, describeFrame(frame));
    forwardTo(dst.port, frame, port);
    return;
  }
  if (k.trace) k.hop(br.ns, "bridge", `${br.name}: ${frame.dst} unknown: flood`, describeFrame(frame));
  flood(br, port, frame, true);
  if (br.promisc > 0) passUp(br, frame);
}
function brDevXmit(br, frame) {
  const k = br.ns.kernel;
  const dnatPort = bridgedDnatPort(br, frame);
  if (dnatPort) {
    brHandleFrameFinish(br, dnatPort, frame);
    return;
  }
  if (isMulticastMac(frame.dst)) {
    if (k.trace)
      k.hop(
        br.ns,
        "bridge",
        `${br.name}: host sends ${frame.dst === "ff:ff:ff:ff:ff:ff" ? "broadcast" : "multicast"}: flood`,
        describeFrame(frame)
      );
    flood(br, null, frame, false);
    return;
  }
  const dst = fdbFind(br, frame.dst);
  if (dst && dst.kind !== "local") {
    dst.used = k.clock.now;
    if (k.trace)
      k.hop(br.ns, "bridge", `${br.name}: fdb ${frame.dst} -> ${dst.port.name}`, describeFrame(frame));
    forwardTo(dst.port, frame, null);
    return;
  }
  if (k.trace) k.hop(br.ns, "bridge", `${br.name}: ${frame.dst} unknown: flood`, describeFrame(frame));
  flood(br, null, frame, true);
}

// src/kernel/ipv6/addrconf.ts
var DAD_MS = 1500;
var LL_PREFIX = 0xfe80n << 112n;
var MCAST_PREFIX = 0xffn << 120n;
function route6(dev, table, type, dst, len, metric) {
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
    pref6: true
  };
}
function addRoute6(dev, r) {
  const t = dev.ns.fib.get(r.table);
  const dup = t.routes.find(
    (x) => x.family === 6 && x.dst6 === r.dst6 && x.dstLen === r.dstLen && x.dev === dev && x.type === r.type
  );
  if (!dup) t.insert(r);
}
function addAddr6(dev, local, prefixlen, scope, nodad) {
  const now = dev.ns.kernel.clock.now;
  const skipDad = nodad || dev.kind === "loopback";
  const a = {
    local,
    prefixlen,
    scope,
    tentativeUntil: skipDad ? now : now + DAD_MS,
    nodad,
    permanent: true
  };
  dev.inet6.unshift(a);
  const addLocal = () => {
    if (dev.inet6.includes(a)) addRoute6(dev, route6(dev, RT_TABLE_LOCAL, "local", local, 128, 0));
  };
  if (skipDad) addLocal();
  else dev.ns.kernel.clock.schedule(DAD_MS, addLocal);
  if (prefixlen < 128 && dev.kind !== "loopback" && dev.up) {
    addRoute6(dev, route6(dev, RT_TABLE_MAIN, "unicast", local & maskOf6(prefixlen), prefixlen, 256));
  }
}
function disabled(dev) {
  const s2 = dev.ns.sysctl;
  return s2.num("net.ipv6.conf.all.disable_ipv6") !== 0 || s2.num(`net.ipv6.conf.${dev.name}.disable_ipv6`) !== 0;
}
function announce(dev, addr3) {
  const low = Number(addr3 & 0xffffffn);
  const h = low.toString(16).padStart(6, "0");
  const group = `33:33:ff:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
  const k = dev.ns.kernel;
  k.raise(
    () => devQueueXmit(dev, {
      src: dev.mac,
      dst: "33:33:00:00:00:16",
      type: ETH_P_IPV6,
      payload: { kind: "ipv6", len: 76, summary: "MLDv2 report" }
    })
  );
  k.raise(
    () => devQueueXmit(dev, {
      src: dev.mac,
      dst: group,
      type: ETH_P_IPV6,
      payload: { kind: "ipv6", len: 64, summary: "ICMP6 neighbor solicitation (DAD)" }
    })
  );
}
function addrconfCarrierChange(dev, carrier) {
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
function addrconfDown(dev) {
  dev.inet6 = [];
  for (const t of dev.ns.fib.all()) t.removeWhere((r) => r.family === 6 && r.dev === dev);
}

// src/kernel/link/bridge/br-if.ts
function newBridgeInfo() {
  return {
    ports: [],
    fdb: /* @__PURE__ */ new Map(),
    ageingTime: 3e4,
    forwardDelay: 1500,
    helloTime: 200,
    maxAge: 2e3,
    stpState: 0,
    priority: 32768,
    vlanFiltering: 0,
    nfCallIptables: 0,
    carrierManaged: false
  };
}
function brAddIf(br, port) {
  if (!br.bridge) return fail("EOPNOTSUPP");
  if (port === br) return fail("ELOOP");
  if (port.kind === "loopback") return fail("EINVAL");
  if (port.master === br) return okVoid();
  if (port.master) return fail("EBUSY");
  if (port.bridge) return fail("ELOOP");
  port.master = br;
  const used = new Set(br.bridge.ports.map((p) => p.brport?.portNo ?? 0));
  let portNo = 1;
  while (used.has(portNo)) portNo++;
  port.brport = {
    portNo,
    state: "disabled",
    hairpin: false,
    learning: true,
    flood: true,
    priority: 32,
    cost: 2
  };
  br.bridge.ports.push(port);
  br.bridge.fdb.set(port.mac, {
    mac: port.mac,
    port,
    kind: "local",
    updated: br.ns.kernel.clock.now,
    used: 0
  });
  markBridgeCarrierManaged(br);
  bridgeRecalcMac(br);
  brPortStateUpdate(port);
  propagateCarrier(br);
  rtmsgIfinfo(port);
  return okVoid();
}
function brDelIf(br, port) {
  if (!br.bridge || port.master !== br) return;
  br.bridge.ports = br.bridge.ports.filter((p) => p !== port);
  for (const [k, e] of br.bridge.fdb) if (e.port === port) br.bridge.fdb.delete(k);
  port.master = null;
  port.brport = null;
  bridgeRecalcMac(br);
  propagateCarrier(br);
  rtmsgIfinfo(port);
}
function bridgeRecalcMac(br) {
  if (!br.bridge || br.macSetByUser) return;
  if (br.bridge.ports.length === 0) {
    br.mac = ZERO_MAC;
    return;
  }
  let min = br.bridge.ports[0].mac;
  for (const p of br.bridge.ports) if (compareMac(p.mac, min) < 0) min = p.mac;
  br.mac = min;
}
function brStpChangeBridgeId(br) {
  if (!br.bridge) return;
  markBridgeCarrierManaged(br);
  propagateCarrier(br);
}
function bridgeRecalcCarrier(br) {
  const info2 = br.bridge;
  if (!info2) return false;
  if (info2.ports.length === 0) return !info2.carrierManaged;
  return info2.ports.some((p) => p.brport?.state === "forwarding");
}
function brPortStateUpdate(port) {
  if (!port.brport || !port.master) return;
  port.brport.state = isRunning(port) && port.master.up ? "forwarding" : "disabled";
}

// src/kernel/link/vxlan/vxlan-fdb.ts
var VXLAN_AGEING_DEFAULT = 300;
var FDB_APPEND = { create: true, excl: false, replace: false, append: true };
var FDB_REPLACE = { create: true, excl: false, replace: true, append: false };
function info(dev) {
  return dev.kind === "vxlan" ? dev.vxlan : null;
}
function rdstOf(v, s2) {
  return { ip: s2.ip, port: s2.port || v.dstport, vni: s2.vni ?? v.id, ifindex: s2.ifindex ?? 0 };
}
function sameRdst(a, b) {
  return a.ip === b.ip && a.port === b.port && a.vni === b.vni && a.ifindex === b.ifindex;
}
function isGroupMac(mac) {
  return mac === ZERO_MAC || isMulticastMac(mac);
}
function expired(v, e, now) {
  return e.state === "REACHABLE" && now - e.updated >= v.ageing * 1e3;
}
function findMac(v, mac, now) {
  const e = v.fdb.get(mac);
  if (e && expired(v, e, now)) {
    v.fdb.delete(mac);
    return void 0;
  }
  return e;
}
function vxlanFindMac(dev, mac, now) {
  const v = info(dev);
  if (!v) return void 0;
  const e = findMac(v, mac, now);
  if (e) e.used = now;
  return e;
}
function vxlanFdbUpdate(dev, mac, spec, state, flags, now) {
  const v = info(dev);
  if (!v) return fail("EOPNOTSUPP");
  const rd = rdstOf(v, spec);
  const f = findMac(v, mac, now);
  if (f) {
    if (flags.excl) return fail("EEXIST");
    if (f.state !== state) {
      f.state = state;
      f.updated = now;
    }
    if (flags.replace) {
      if (isGroupMac(mac)) return fail("EOPNOTSUPP", "Cannot replace non-unicast fdb entries");
      const first = f.remotes[0];
      if (first && !sameRdst(first, rd)) {
        f.remotes[0] = rd;
        f.updated = now;
      }
    }
    if (flags.append && isGroupMac(mac) && !f.remotes.some((r) => sameRdst(r, rd))) {
      f.remotes.push(rd);
      f.updated = now;
    }
    return okVoid();
  }
  if (!flags.create) return fail("ENOENT");
  if (flags.replace && isGroupMac(mac)) return fail("EOPNOTSUPP");
  v.fdb.set(mac, { mac, remotes: [rd], state, updated: now, used: now });
  return okVoid();
}
function vxlanFdbAddEntry(dev, mac, spec, state, flags, now) {
  if (!info(dev)) return fail("EOPNOTSUPP");
  if (spec === null || spec.ip === 0) return fail("EINVAL");
  return vxlanFdbUpdate(dev, mac, spec, state, flags, now);
}
function vxlanFdbFlush(dev, state) {
  const v = info(dev);
  if (!v) return;
  for (const [mac, e] of v.fdb) if (state === null || e.state === state) v.fdb.delete(mac);
}
function vxlanSnoop(dev, srcIp, srcMac, now) {
  const v = info(dev);
  if (!v) return false;
  const f = findMac(v, srcMac, now);
  if (f) {
    const first = f.remotes[0];
    if (first && first.ip === srcIp && first.ifindex === 0) {
      f.updated = now;
      return false;
    }
    if (f.state !== "REACHABLE") return true;
    if (first) first.ip = srcIp;
    f.updated = now;
    return false;
  }
  v.fdb.set(srcMac, {
    mac: srcMac,
    remotes: [{ ip: srcIp, port: v.dstport, vni: v.id, ifindex: 0 }],
    state: "REACHABLE",
    updated: now,
    used: now
  });
  return false;
}
function vxlanFdbCreateDefault(dev, now) {
  const v = info(dev);
  if (!v) return;
  const ip = v.remote ?? v.group;
  if (ip === null) return;
  v.fdb.set(ZERO_MAC, {
    mac: ZERO_MAC,
    remotes: [{ ip, port: v.dstport, vni: v.id, ifindex: v.dev?.ifindex ?? 0 }],
    state: "PERMANENT",
    updated: now,
    used: now
  });
}
function vxlanFdbAdd(dev, mac, dst) {
  const flags = isGroupMac(mac) ? FDB_APPEND : FDB_REPLACE;
  return vxlanFdbAddEntry(dev, mac, { ip: dst }, "PERMANENT", flags, dev.ns.kernel.clock.now);
}

// src/kernel/link/vxlan/vxlan-core.ts
var vxlanNets = /* @__PURE__ */ new WeakMap();
function socksOf(ns) {
  let m = vxlanNets.get(ns);
  if (!m) {
    m = /* @__PURE__ */ new Map();
    vxlanNets.set(ns, m);
  }
  return m;
}
function vxlanOpen(dev) {
  const v = dev.vxlan;
  if (!v) return;
  const socks = socksOf(dev.ns);
  let vs = socks.get(v.dstport);
  if (!vs) {
    const byVni = /* @__PURE__ */ new Map();
    const port = v.dstport;
    const socket = {
      addr: 0,
      port,
      // Never reached: encap_rcv takes every datagram the socket gets.
      onDatagram: () => {
      },
      encapRcv: (pkt, inDev) => vxlanRcv(byVni, pkt, inDev)
    };
    vs = { port, socket, byVni };
    socks.set(port, vs);
    dev.ns.sockets.udp.push(socket);
  }
  vs.byVni.set(v.id, dev);
}
function vxlanStop(dev) {
  const v = dev.vxlan;
  if (!v) return;
  const socks = socksOf(dev.ns);
  const vs = socks.get(v.dstport);
  if (vs && vs.byVni.get(v.id) === dev) {
    vs.byVni.delete(v.id);
    if (vs.byVni.size === 0) {
      dev.ns.sockets.removeUdp(vs.socket);
      socks.delete(v.dstport);
    }
  }
  vxlanFdbFlush(dev, "REACHABLE");
}
function mix(a0, b0, c0) {
  let a = a0 >>> 0;
  let b = b0 >>> 0;
  let c = c0 >>> 0;
  const rol = (x, k) => (x << k | x >>> 32 - k) >>> 0;
  c = (c ^ b) - rol(b, 14) >>> 0;
  a = (a ^ c) - rol(c, 11) >>> 0;
  b = (b ^ a) - rol(a, 25) >>> 0;
  c = (c ^ b) - rol(b, 16) >>> 0;
  a = (a ^ c) - rol(c, 4) >>> 0;
  b = (b ^ a) - rol(a, 14) >>> 0;
  c = (c ^ b) - rol(b, 24) >>> 0;
  return c;
}
var HASHRND = 1263826552;
function macWord(m, from) {
  return Number.parseInt(m.slice(from, from + 11).replaceAll(":", ""), 16) >>> 0;
}
function innerFlowHash(frame) {
  const p = frame.payload;
  if (p.kind === "ipv4") {
    const l4 = p.l4;
    const ports3 = l4.proto === "icmp" ? l4.id : l4.proto === "tcp" || l4.proto === "udp" ? l4.sport << 16 | l4.dport : 0;
    return mix(p.src ^ HASHRND, p.dst, (ports3 ^ protoNumber(l4) << 8) >>> 0);
  }
  return mix(macWord(frame.dst, 0) ^ HASHRND, macWord(frame.src, 0), macWord(frame.src, 6) ^ frame.type);
}
function udpFlowSrcPort(ns, frame) {
  const [min = 32768, max = 60999] = (ns.sysctl.get("net.ipv4.ip_local_port_range") ?? "32768	60999").split(/\s+/).map(Number);
  let hash = innerFlowHash(frame);
  hash = (hash ^ hash << 16) >>> 0;
  return Math.floor(hash * (max - min) / 2 ** 32) + min;
}
function innerLen(frame) {
  return ethFrameLen(frame) - ETH_HLEN;
}
function vxlanXmit(dev, frame) {
  const k = dev.ns.kernel;
  const now = k.clock.now;
  const f = vxlanFindMac(dev, frame.dst, now) ?? vxlanFindMac(dev, ZERO_MAC, now);
  if (!f) {
    dev.stats.txDropped++;
    if (k.trace)
      k.hop(dev.ns, "drop", `vxlan_xmit ${dev.name}: no fdb entry for ${frame.dst}`, describeFrame(frame));
    return;
  }
  for (const rd of f.remotes) vxlanXmitOne(dev, frame, rd, f.mac);
}
function vxlanXmitOne(dev, frame, rd, via) {
  const v = dev.vxlan;
  const ns = dev.ns;
  const k = ns.kernel;
  if (rd.ip === 0) {
    dev.stats.txDropped++;
    if (k.trace) k.hop(ns, "drop", `vxlan_xmit ${dev.name}: remote is 0.0.0.0`, describeFrame(frame));
    return;
  }
  const inner = frame.payload.kind === "ipv4" ? frame.payload : null;
  const mark2 = inner ? skbMark(inner) : 0;
  const oif = rd.ifindex !== 0 ? ns.devices.get(rd.ifindex) ?? null : null;
  const res = routeOutput(ns, rd.ip, { src: v.local ?? 0, oif, mark: mark2 });
  if (!res.ok) {
    if (res.errno === "ENETUNREACH") dev.stats.txCarrierErrors++;
    dev.stats.txErrors++;
    if (k.trace)
      k.hop(ns, "drop", `vxlan_xmit ${dev.name}: no route to ${formatIPv4(rd.ip)}: ${res.errno}`, "");
    return;
  }
  const rt = res.rt;
  if (rt.dev === dev) {
    dev.stats.txErrors++;
    if (k.trace) k.hop(ns, "drop", `vxlan_xmit ${dev.name}: circular route to ${formatIPv4(rd.ip)}`, "");
    return;
  }
  if (rt.type === "local") {
    vxlanEncapBypass(dev, frame, rd);
    return;
  }
  const sport = udpFlowSrcPort(ns, frame);
  const ttl = v.ttl || (isMulticast4(rd.ip) ? 1 : ns.sysctl.num("net.ipv4.ip_default_ttl"));
  const outer = {
    kind: "ipv4",
    src: rt.src,
    dst: rd.ip,
    ttl,
    tos: 0,
    id: ns.ipId++ & 65535,
    len: 20 + 8 + VXLAN_HLEN + ethFrameLen(frame),
    l4: {
      proto: "udp",
      sport,
      dport: rd.port,
      payload: "",
      vxlan: { flags: VXLAN_HF_VNI, vni: rd.vni, frame }
    }
  };
  if (k.trace)
    k.hop(
      ns,
      "encap",
      `vxlan_xmit ${dev.name}: fdb ${via} dst ${formatIPv4(rd.ip)}, vni ${rd.vni}, udp ${sport} > ${rd.port}`,
      describeIp(outer)
    );
  if (ipLocalOut(ns, outer, rt, mark2)) {
    dev.stats.txPackets++;
    dev.stats.txBytes += innerLen(frame);
  } else dev.stats.txDropped++;
}
function vxlanEncapBypass(dev, frame, rd) {
  const k = dev.ns.kernel;
  const dst = socksOf(dev.ns).get(rd.port)?.byVni.get(rd.vni);
  if (!dst) {
    dev.stats.txDropped++;
    if (k.trace)
      k.hop(
        dev.ns,
        "drop",
        `vxlan_xmit ${dev.name}: local remote has no vni ${rd.vni}`,
        describeFrame(frame)
      );
    return;
  }
  dev.stats.txPackets++;
  dev.stats.txBytes += innerLen(frame);
  dst.stats.rxPackets++;
  dst.stats.rxBytes += innerLen(frame);
  if (k.trace) k.hop(dev.ns, "encap", `vxlan_encap_bypass ${dev.name} -> ${dst.name}`, describeFrame(frame));
  k.raise(() => netifReceiveSkb(dst, scrub(frame)));
}
function scrub(frame) {
  return frame.payload.kind === "ipv4" ? { ...frame, payload: { ...frame.payload } } : frame;
}
function vxlanRcv(byVni, pkt, inDev) {
  const ns = inDev.ns;
  const k = ns.kernel;
  const u = pkt.l4;
  if (u.proto !== "udp" || !u.vxlan || (u.vxlan.flags & VXLAN_HF_VNI) === 0) {
    if (k.trace) k.hop(ns, "drop", "vxlan_rcv: not a VXLAN packet", describeIp(pkt));
    return;
  }
  const dev = byVni.get(u.vxlan.vni);
  if (!dev?.vxlan) {
    if (k.trace) k.hop(ns, "drop", `vxlan_rcv: no vxlan device with vni ${u.vxlan.vni}`, describeIp(pkt));
    return;
  }
  const frame = u.vxlan.frame;
  if (frame.src === dev.mac) {
    if (k.trace) k.hop(ns, "drop", `vxlan_rcv ${dev.name}: looped frame from our own MAC`, describeIp(pkt));
    return;
  }
  if (dev.vxlan.learning && vxlanSnoop(dev, pkt.src, frame.src, k.clock.now)) {
    if (k.trace)
      k.hop(
        ns,
        "drop",
        `vxlan_rcv ${dev.name}: ${frame.src} has a static entry elsewhere, not migrated to ${formatIPv4(pkt.src)}`,
        describeIp(pkt)
      );
    return;
  }
  dev.stats.rxPackets++;
  dev.stats.rxBytes += innerLen(frame);
  if (k.trace)
    k.hop(
      ns,
      "decap",
      `vxlan_rcv ${dev.name}: vni ${u.vxlan.vni} from ${formatIPv4(pkt.src)}:${u.sport}`,
      describeFrame(frame)
    );
  k.raise(() => netifReceiveSkb(dev, scrub(frame)));
}

// src/kernel/link/dev.ts
function newDevice(ns, name, kind, mac) {
  const isLo = kind === "loopback";
  return {
    ifindex: 0,
    name,
    kind,
    ns,
    mac: isLo ? ZERO_MAC : mac ?? randomMac(ns.kernel.rng),
    macSetByUser: mac !== void 0,
    brd: isLo ? ZERO_MAC : "ff:ff:ff:ff:ff:ff",
    mtu: isLo ? 65536 : kind === "vxlan" ? 1450 : 1500,
    minMtu: isLo ? 0 : 68,
    maxMtu: isLo ? 0 : kind === "bridge" ? 65535 : kind === "veth" ? 65535 : kind === "vxlan" ? 65535 : 0,
    txqlen: 1e3,
    up: false,
    promisc: 0,
    allmulti: 0,
    noarp: kind === "dummy" || isLo,
    master: null,
    brport: null,
    peer: null,
    bridge: null,
    vxlan: null,
    inet: [],
    inet6: [],
    stats: {
      rxPackets: 0,
      rxBytes: 0,
      rxDropped: 0,
      txPackets: 0,
      txBytes: 0,
      txDropped: 0,
      txErrors: 0,
      txCarrierErrors: 0,
      multicast: 0
    },
    alias: null,
    lastCarrier: false,
    everUp: false
  };
}
var unpaired = /* @__PURE__ */ new WeakSet();
function linkNet(dev) {
  return dev.kind === "veth" && dev.peer && !unpaired.has(dev) ? dev.peer.ns : dev.ns;
}
function rtnlFillLinkNetnsid(dev, net = dev.ns) {
  const link = linkNet(dev);
  return link === dev.ns ? null : net.idOf(link);
}
function rtmsgIfinfo(dev) {
  rtnlFillLinkNetnsid(dev, dev.ns);
}
var rtnlOf = /* @__PURE__ */ new WeakMap();
function rtnl(k) {
  let r = rtnlOf.get(k);
  if (!r) {
    r = { depth: 0, linkwatch: [] };
    rtnlOf.set(k, r);
  }
  return r;
}
function withRtnl(k, fn) {
  const r = rtnl(k);
  r.depth++;
  try {
    fn();
  } finally {
    r.depth--;
  }
  if (r.depth === 0) linkwatchRunQueue(k);
}
function linkwatchFireEvent(dev) {
  const k = dev.ns.kernel;
  const r = rtnl(k);
  if (!r.linkwatch.includes(dev)) r.linkwatch.push(dev);
  if (r.depth === 0) linkwatchRunQueue(k);
}
function linkwatchRunQueue(k) {
  const r = rtnl(k);
  while (r.linkwatch.length > 0) {
    const dev = r.linkwatch.shift();
    if (dev.up && dev.ns.devices.get(dev.ifindex) === dev) rtmsgIfinfo(dev);
  }
}
function registerDevice(ns, dev, ifindex) {
  if (ns.byName.has(dev.name)) return fail("EEXIST");
  if (ifindex !== void 0 && ifindex > 0) {
    if (ns.devices.has(ifindex)) return fail("EBUSY");
    dev.ifindex = ifindex;
  } else {
    dev.ifindex = ns.allocIfindex();
  }
  dev.ns = ns;
  ns.devices.set(dev.ifindex, dev);
  ns.byName.set(dev.name, dev);
  ns.sysctl.addDevice(dev.name);
  dev.lastCarrier = carrierOk(dev);
  noteCarrier(dev);
  return okVoid();
}
function carrierOk(dev) {
  switch (dev.kind) {
    case "loopback":
    case "dummy":
    case "vxlan":
      return true;
    case "veth":
      return dev.up && dev.peer?.up === true;
    case "bridge":
      return bridgeRecalcCarrier(dev);
  }
}
function isRunning(dev) {
  return dev.up && carrierOk(dev);
}
function bridgeCarrierManaged(dev) {
  return dev.bridge?.carrierManaged === true;
}
function markBridgeCarrierManaged(dev) {
  if (!dev.bridge) return;
  if (!dev.bridge.carrierManaged) {
    const c = carrierState(dev);
    if (c.bit) {
      c.bit = false;
      c.changes++;
    }
  }
  dev.bridge.carrierManaged = true;
}
var carrierBits = /* @__PURE__ */ new WeakMap();
function carrierState(dev) {
  let c = carrierBits.get(dev);
  if (!c) {
    c = { bit: true, changes: 0 };
    carrierBits.set(dev, c);
  }
  return c;
}
function carrierBit(dev) {
  if (dev.kind === "veth") return carrierOk(dev);
  if (dev.kind === "bridge") return bridgeCarrierManaged(dev) ? carrierOk(dev) : true;
  return true;
}
function noteCarrier(dev) {
  const c = carrierState(dev);
  const bit = carrierBit(dev);
  if (bit !== c.bit) {
    c.bit = bit;
    c.changes++;
    linkwatchFireEvent(dev);
  }
}
function propagateCarrier(dev) {
  dev.ns.kernel.hold(() => propagateCarrierHeld(dev));
}
function propagateCarrierHeld(dev) {
  const seen = /* @__PURE__ */ new Set();
  const visit = (d) => {
    if (!d || seen.has(d)) return;
    seen.add(d);
    const now = carrierOk(d);
    noteCarrier(d);
    if (d.brport && d.master) brPortStateUpdate(d);
    if (now !== d.lastCarrier) {
      d.lastCarrier = now;
      if (d.up) addrconfCarrierChange(d, now);
    }
    visit(d.peer);
    visit(d.master);
  };
  visit(dev);
  if (dev.peer) visit(dev.peer.master);
}
var downedOnce = /* @__PURE__ */ new WeakSet();
function setUp(dev, up) {
  if (dev.up === up) return;
  const k = dev.ns.kernel;
  withRtnl(k, () => k.hold(() => setUpHeld(dev, up)));
}
function setUpHeld(dev, up) {
  dev.up = up;
  if (up) {
    dev.everUp = true;
    if (dev.kind === "vxlan") vxlanOpen(dev);
    devinetUp(dev);
    dev.lastCarrier = carrierOk(dev);
    if (dev.lastCarrier) addrconfCarrierChange(dev, true);
  } else {
    downedOnce.add(dev);
    if (dev.kind === "vxlan") vxlanStop(dev);
    devinetDown(dev);
    addrconfDown(dev);
    dev.ns.neigh.flushDev(dev, false);
    dev.lastCarrier = false;
  }
  rtmsgIfinfo(dev);
  propagateCarrier(dev);
}
function rename(dev, name) {
  if (dev.name === name) return okVoid();
  if (dev.ns.byName.has(name)) return fail("EEXIST");
  dev.ns.byName.delete(dev.name);
  dev.ns.sysctl.renameDevice(dev.name, name);
  for (const a of dev.inet)
    if (a.label === dev.name || a.label.startsWith(`${dev.name}:`))
      a.label = name + a.label.slice(dev.name.length);
  dev.name = name;
  dev.ns.byName.set(name, dev);
  rtmsgIfinfo(dev);
  return okVoid();
}
function setMtu(dev, mtu) {
  if (dev.kind !== "loopback" && (mtu < dev.minMtu || dev.maxMtu > 0 && mtu > dev.maxMtu)) {
    return fail(
      "EINVAL",
      mtu < dev.minMtu ? `mtu less than device minimum` : `mtu greater than device maximum`
    );
  }
  if (dev.mtu === mtu) return okVoid();
  dev.mtu = mtu;
  if (dev.ifindex !== 0) rtmsgIfinfo(dev);
  return okVoid();
}
function setMac(dev, mac) {
  if (dev.kind === "loopback") return fail("EOPNOTSUPP");
  if ((Number.parseInt(mac.slice(0, 2), 16) & 1) === 1) return fail("EADDRNOTAVAIL");
  dev.mac = mac;
  dev.macSetByUser = true;
  if (dev.bridge) brStpChangeBridgeId(dev);
  if (dev.master?.bridge) bridgeRecalcMac(dev.master);
  rtmsgIfinfo(dev);
  return okVoid();
}
function unregister(dev) {
  const victims = dev.kind === "veth" && dev.peer ? [dev, dev.peer] : [dev];
  for (const d of victims) unpaired.add(d);
  for (const d of victims) {
    if (d.up) setUp(d, false);
    if (d.master) brDelIf(d.master, d);
    if (d.bridge) for (const p of [...d.bridge.ports]) brDelIf(d, p);
    d.inet = [];
    d.ns.fib.flushDev(d, () => false);
    d.ns.neigh.flushDev(d, true);
    d.ns.devices.delete(d.ifindex);
    d.ns.byName.delete(d.name);
    d.ns.sysctl.removeDevice(d.name);
  }
  for (const d of victims) if (d.peer && victims.includes(d.peer)) d.peer = null;
}
function changeNetns(dev, target, newName) {
  const name = newName ?? dev.name;
  if (dev.kind === "loopback") return fail("EINVAL");
  if (target === dev.ns && name === dev.name) return okVoid();
  if (target.byName.has(name)) return fail("EEXIST");
  withRtnl(dev.ns.kernel, () => changeNetnsLocked(dev, target, name));
  return okVoid();
}
function changeNetnsLocked(dev, target, name) {
  const from = dev.ns;
  if (dev.up) setUp(dev, false);
  dev.everUp = false;
  if (dev.master) brDelIf(dev.master, dev);
  dev.inet = [];
  dev.inet6 = [];
  from.fib.flushDev(dev, () => false);
  from.neigh.flushDev(dev, true);
  from.idOf(target);
  rtmsgIfinfo(dev);
  from.devices.delete(dev.ifindex);
  from.byName.delete(dev.name);
  from.sysctl.removeDevice(dev.name);
  dev.name = name;
  const keep = target.devices.has(dev.ifindex) ? void 0 : dev.ifindex;
  registerDevice(target, dev, keep);
  rtmsgIfinfo(dev);
  propagateCarrier(dev);
}

// src/kernel/link/xmit.ts
function devQueueXmit(dev, frame) {
  const k = dev.ns.kernel;
  if (!dev.up) {
    dev.stats.txDropped++;
    if (k.trace) k.hop(dev.ns, "drop", `xmit on ${dev.name}: device down`, describeFrame(frame));
    return;
  }
  k.xmitCount++;
  if (dev.kind === "vxlan") {
    vxlanXmit(dev, frame);
    return;
  }
  dev.stats.txPackets++;
  dev.stats.txBytes += ethFrameLen(frame);
  switch (dev.kind) {
    case "loopback":
      k.raise(() => netifReceive(dev, frame));
      return;
    case "veth": {
      const peer2 = dev.peer;
      if (!peer2 || !isRunning(dev)) {
        dev.stats.txDropped++;
        if (k.trace) k.hop(dev.ns, "drop", `veth ${dev.name}: peer is down`, describeFrame(frame));
        return;
      }
      if (k.trace)
        k.hop(dev.ns, "veth", `${dev.name} -> ${peer2.name} (netns ${peer2.ns.label})`, describeFrame(frame));
      k.raise(() => netifReceive(peer2, frame));
      return;
    }
    case "bridge":
      brDevXmit(dev, frame);
      return;
    case "dummy":
      if (k.trace) k.hop(dev.ns, "xmit", `${dev.name}: dummy device discards`, describeFrame(frame));
      return;
  }
}
function netifReceive(dev, frame) {
  if (!dev.up) return;
  dev.stats.rxPackets++;
  dev.stats.rxBytes += ethFrameLen(frame);
  netifReceiveSkb(dev, frame);
}
function netifReceiveSkb(dev, frame) {
  if (!dev.up) return;
  if (dev.master?.bridge && dev.brport) {
    brHandleFrame(dev, frame);
    return;
  }
  deliverToProtocols(dev, frame, packetType(dev, frame));
}
function packetType(dev, frame) {
  if (frame.dst === BROADCAST_MAC) return "BROADCAST";
  if (isMulticastMac(frame.dst)) return "MULTICAST";
  if (dev.kind === "loopback" || frame.dst === dev.mac) return "HOST";
  return "OTHERHOST";
}
function deliverToProtocols(dev, frame, type) {
  if (type === "MULTICAST") dev.stats.multicast++;
  if (frame.type === ETH_P_ARP && frame.payload.kind === "arp") {
    arpRcv(dev, frame.payload, type);
  } else if (frame.type === ETH_P_IP && frame.payload.kind === "ipv4") {
    if (type !== "OTHERHOST") skbSetL2(frame.payload, dev.ns, frame.src, type);
    ipRcv(dev, frame.payload, type === "OTHERHOST");
  }
}

// src/kernel/socket/socket-table.ts
var SocketTable = class {
  ping = /* @__PURE__ */ new Map();
  udp = [];
  tcpListeners = [];
  tcpConns = /* @__PURE__ */ new Map();
  nextEphemeral = 0;
  static connKey(laddr, lport, raddr, rport) {
    return `${laddr}:${lport}>${raddr}:${rport}`;
  }
  udpLookup(addr3, port) {
    return this.udp.find((s2) => s2.port === port && s2.addr === addr3) ?? this.udp.find((s2) => s2.port === port && s2.addr === 0);
  }
  tcpListenerLookup(addr3, port) {
    return this.tcpListeners.find((s2) => s2.port === port && s2.addr === addr3) ?? this.tcpListeners.find((s2) => s2.port === port && s2.addr === 0);
  }
  portInUse(proto, addr3, port) {
    if (proto === "udp")
      return this.udp.some((s2) => s2.port === port && (s2.addr === 0 || addr3 === 0 || s2.addr === addr3));
    return this.tcpListeners.some((s2) => s2.port === port && (s2.addr === 0 || addr3 === 0 || s2.addr === addr3));
  }
  /** An ephemeral port from ip_local_port_range, walked in order from a per-namespace offset. */
  ephemeral(low, high, taken) {
    const span = high - low + 1;
    for (let i = 0; i < span; i++) {
      const p = low + (this.nextEphemeral + i) % span;
      if (!taken(p)) {
        this.nextEphemeral = (this.nextEphemeral + i + 2) % span;
        return p;
      }
    }
    return 0;
  }
  removeUdp(s2) {
    const i = this.udp.indexOf(s2);
    if (i >= 0) this.udp.splice(i, 1);
  }
  removeListener(s2) {
    const i = this.tcpListeners.indexOf(s2);
    if (i >= 0) this.tcpListeners.splice(i, 1);
  }
};

// src/kernel/ipv4/tcp.ts
function seg(sport, dport, flags, seq, ack, payload = "") {
  return { proto: "tcp", sport, dport, flags, seq, ack, payload };
}
function sendSeg(ns, c, flags, payload = "") {
  ipSend(ns, { dst: c.raddr, src: c.laddr, l4: seg(c.lport, c.rport, flags, c.sndNxt, c.rcvNxt, payload) });
  c.sndNxt += payload.length + (flags.syn || flags.fin ? 1 : 0);
}
function tcpListen(ns, addr3, port, onAccept) {
  if (ns.sockets.portInUse("tcp", addr3, port)) return fail("EADDRINUSE");
  const l = { addr: addr3, port, backlog: 128, onAccept };
  ns.sockets.tcpListeners.push(l);
  return ok(l);
}
function tcpSend(ns, c, data) {
  if (c.state !== "ESTABLISHED" && c.state !== "CLOSE_WAIT") return;
  sendSeg(ns, c, { ack: true, psh: true }, data);
}
function tcpClose(ns, c) {
  if (c.state === "ESTABLISHED" || c.state === "CLOSE_WAIT" || c.state === "SYN_RECV") {
    const wasCloseWait = c.state === "CLOSE_WAIT";
    c.state = wasCloseWait ? "LAST_ACK" : "FIN_WAIT";
    sendSeg(ns, c, { fin: true, ack: true });
  } else if (c.state === "SYN_SENT") {
    forget(ns, c);
  }
}
function forget(ns, c) {
  c.state = "CLOSED";
  ns.sockets.tcpConns.delete(SocketTable.connKey(c.laddr, c.lport, c.raddr, c.rport));
}
function sendReset(ns, pkt, s2) {
  if (s2.flags.rst) return;
  const l4 = s2.flags.ack ? seg(s2.dport, s2.sport, { rst: true }, s2.ack, 0) : seg(
    s2.dport,
    s2.sport,
    { rst: true, ack: true },
    0,
    s2.seq + s2.payload.length + (s2.flags.syn ? 1 : 0) + (s2.flags.fin ? 1 : 0)
  );
  if (ns.kernel.trace)
    ns.kernel.hop(ns, "socket", `tcp: nothing listens on port ${s2.dport}: RST`, describeIp(pkt));
  ipSend(ns, { dst: pkt.src, src: pkt.dst, l4 });
}
function tcpRcv(ns, pkt, _dev) {
  const s2 = pkt.l4;
  if (s2.proto !== "tcp") return;
  const key4 = SocketTable.connKey(pkt.dst, s2.dport, pkt.src, s2.sport);
  const c = ns.sockets.tcpConns.get(key4);
  if (c) {
    established(ns, c, pkt, s2);
    return;
  }
  if (s2.flags.syn && !s2.flags.ack) {
    const l = ns.sockets.tcpListenerLookup(pkt.dst, s2.dport);
    if (l) {
      if (ns.kernel.trace)
        ns.kernel.hop(ns, "socket", `tcp: SYN to listener :${s2.dport}: SYN-ACK`, describeIp(pkt));
      const child = {
        state: "SYN_RECV",
        laddr: pkt.dst,
        lport: s2.dport,
        raddr: pkt.src,
        rport: s2.sport,
        sndNxt: 5e3 + ns.kernel.rng.nextInt(1 << 30),
        rcvNxt: s2.seq + 1,
        onEvent: () => {
        }
      };
      ns.sockets.tcpConns.set(key4, child);
      child.listener = l;
      sendSeg(ns, child, { syn: true, ack: true });
      return;
    }
  }
  sendReset(ns, pkt, s2);
}
function established(ns, c, pkt, s2) {
  if (s2.flags.rst) {
    const was = c.state;
    forget(ns, c);
    if (ns.kernel.trace) ns.kernel.hop(ns, "socket", `tcp: RST in ${was}`, describeIp(pkt));
    c.onEvent(was === "SYN_SENT" ? { kind: "refused" } : { kind: "closed" });
    return;
  }
  switch (c.state) {
    case "LAST_ACK":
      if (s2.flags.ack) forget(ns, c);
      return;
    case "SYN_SENT":
      if (s2.flags.syn && s2.flags.ack) {
        c.rcvNxt = s2.seq + 1;
        c.state = "ESTABLISHED";
        if (ns.kernel.trace)
          ns.kernel.hop(ns, "socket", "tcp: SYN-ACK: connection established", describeIp(pkt));
        sendSeg(ns, c, { ack: true });
        c.onEvent({ kind: "connected" });
      }
      return;
    case "SYN_RECV":
      if (s2.flags.ack && !s2.flags.syn) {
        c.state = "ESTABLISHED";
        const l = c.listener;
        if (ns.kernel.trace)
          ns.kernel.hop(ns, "socket", `tcp: handshake complete, accept on :${c.lport}`, describeIp(pkt));
        if (l && ns.sockets.tcpListeners.includes(l)) l.onAccept(c);
        if (s2.payload.length > 0 || s2.flags.fin)
          established(ns, c, pkt, { ...s2, flags: { ack: true, ...s2.flags.fin ? { fin: true } : {} } });
      }
      return;
    default:
      break;
  }
  if (s2.payload.length > 0) {
    c.rcvNxt = s2.seq + s2.payload.length;
    if (ns.kernel.trace)
      ns.kernel.hop(ns, "socket", `tcp: ${s2.payload.length} bytes to :${c.lport}`, describeIp(pkt));
    c.onEvent({ kind: "data", data: s2.payload });
    if (!s2.flags.fin) sendSeg(ns, c, { ack: true });
  }
  if (s2.flags.fin) {
    c.rcvNxt = s2.seq + s2.payload.length + 1;
    if (c.state === "FIN_WAIT") {
      sendSeg(ns, c, { ack: true });
      forget(ns, c);
      c.onEvent({ kind: "closed" });
    } else {
      c.state = "CLOSE_WAIT";
      c.onEvent({ kind: "closed" });
      if (c.state === "CLOSE_WAIT") sendSeg(ns, c, { ack: true });
    }
  }
}
function tcpIcmpError(ns, icmp, inner) {
  const s2 = inner.l4;
  const m = icmp.l4;
  if (s2.proto !== "tcp" || m.proto !== "icmp") return;
  const c = ns.sockets.tcpConns.get(SocketTable.connKey(inner.src, s2.sport, inner.dst, s2.dport));
  if (!c) return;
  if (c.state === "SYN_SENT" && m.type === 3) {
    forget(ns, c);
    c.onEvent({ kind: "error", icmpType: m.type, icmpCode: m.code, from: icmp.src });
  }
}

// src/kernel/ipv4/udp.ts
function udpRcv(ns, pkt, dev, broadcast) {
  const u = pkt.l4;
  if (u.proto !== "udp") return;
  const s2 = ns.sockets.udpLookup(pkt.dst, u.dport);
  if (s2) {
    if (s2.encapRcv) {
      s2.encapRcv(pkt, dev);
      return;
    }
    if (ns.kernel.trace)
      ns.kernel.hop(
        ns,
        "socket",
        `udp: delivered to socket ${s2.addr === 0 ? "0.0.0.0" : "bound"}:${u.dport}`,
        describeIp(pkt)
      );
    s2.onDatagram(pkt, u.payload);
    return;
  }
  if (ns.kernel.trace) ns.kernel.hop(ns, "drop", `udp: no socket on port ${u.dport}`, describeIp(pkt));
  if (!broadcast) icmpSend(ns, pkt, 3, 3, dev);
}

// src/kernel/ipv4/ip.ts
function routeDetail(rt) {
  const via = rt.gateway !== null ? ` via ${formatIPv4(rt.gateway)}` : "";
  const prefix = rt.route ? `${rt.route.dstLen === 0 && rt.route.dst === 0 ? "default" : `${formatIPv4(rt.route.dst)}/${rt.route.dstLen}`}` : "(no route)";
  return `${rt.type} ${prefix}${via} dev ${rt.dev.name} src ${formatIPv4(rt.src)} table ${tableName(rt.table)}`;
}
function ipSend(ns, o) {
  const res = routeOutput(ns, o.dst, { src: o.src ?? 0, oif: o.oif ?? null, mark: o.mark ?? 0 });
  if (!res.ok) {
    if (ns.kernel.trace) ns.kernel.hop(ns, "route", `no route to ${formatIPv4(o.dst)}: ${res.errno}`, "");
    return fail(res.errno);
  }
  const rt = res.rt;
  if (rt.type === "broadcast" && !o.broadcast) return fail("EACCES");
  const pkt = {
    kind: "ipv4",
    src: rt.src,
    dst: o.dst,
    ttl: o.ttl ?? ns.sysctl.num("net.ipv4.ip_default_ttl"),
    tos: o.tos ?? 0,
    id: ns.ipId++ & 65535,
    len: 20 + l4Length(o.l4),
    l4: o.l4
  };
  if (ns.kernel.trace) ns.kernel.hop(ns, "send", "ip_local_out", describeIp(pkt));
  ipLocalOut(ns, pkt, rt, o.mark ?? 0);
  return ok(pkt);
}
function ipLocalOut(ns, pkt0, rt0, mark2 = 0) {
  if (ns.kernel.trace) ns.kernel.hop(ns, "route", routeDetail(rt0), describeIp(pkt0));
  if (mark2 !== 0) skbSetMark(pkt0, ns, mark2);
  const v = nfHook(ns, "OUTPUT", pkt0, null, rt0.dev);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") ns.kernel.hop(ns, "drop", `OUTPUT: ${v.reason}`, describeIp(pkt0));
    return false;
  }
  const pkt = v.pkt;
  let rt = rt0;
  const newMark = skbMark(pkt);
  if (pkt.dst !== pkt0.dst || newMark !== mark2) {
    const again = routeOutput(ns, pkt.dst, { src: pkt.src, mark: newMark });
    if (!again.ok) {
      if (ns.kernel.trace) ns.kernel.hop(ns, "drop", `reroute after OUTPUT: ${again.errno}`, describeIp(pkt));
      return false;
    }
    rt = again.rt;
    if (ns.kernel.trace) ns.kernel.hop(ns, "route", `reroute: ${routeDetail(rt)}`, describeIp(pkt));
  }
  return ipOutput(ns, pkt, rt);
}
function ipOutput(ns, pkt0, rt, inDev = null) {
  const v = nfHook(ns, "POSTROUTING", pkt0, inDev, rt.dev);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") ns.kernel.hop(ns, "drop", `POSTROUTING: ${v.reason}`, describeIp(pkt0));
    return false;
  }
  return ipFinishOutput(ns, v.pkt, rt);
}
function ipFinishOutput(ns, pkt, rt) {
  const dev = rt.dev;
  if (!dev.up) {
    if (ns.kernel.trace) ns.kernel.hop(ns, "drop", `${dev.name} is down`, describeIp(pkt));
    return false;
  }
  if (dev.kind === "loopback" || rt.type === "local") {
    devQueueXmit(dev.kind === "loopback" ? dev : dev, {
      src: ZERO_MAC,
      dst: ZERO_MAC,
      type: ETH_P_IP,
      payload: pkt
    });
    return true;
  }
  if (rt.type === "broadcast" || pkt.dst === 4294967295) {
    devQueueXmit(dev, { src: dev.mac, dst: BROADCAST_MAC, type: ETH_P_IP, payload: pkt });
    return true;
  }
  if (isMulticast4(pkt.dst)) {
    devQueueXmit(dev, { src: dev.mac, dst: ipv4MulticastMac(pkt.dst), type: ETH_P_IP, payload: pkt });
    return true;
  }
  if (dev.noarp) {
    devQueueXmit(dev, { src: dev.mac, dst: dev.brd, type: ETH_P_IP, payload: pkt });
    return true;
  }
  neighOutput(ns, dev, rt.nexthop, pkt);
  return true;
}
function neighOutput(ns, dev, nexthop, pkt) {
  let n2 = ns.neigh.lookup(dev, nexthop);
  if (!n2) {
    n2 = ns.neigh.create(dev, nexthop, "INCOMPLETE", null);
    if (ns.kernel.trace)
      ns.kernel.hop(
        ns,
        "neigh",
        `${formatIPv4(nexthop)} dev ${dev.name}: no entry, created INCOMPLETE`,
        describeIp(pkt)
      );
  }
  const before = n2.state;
  if (ns.neigh.eventSend(n2, pkt) && n2.lladdr) {
    if (ns.kernel.trace)
      ns.kernel.hop(
        ns,
        "neigh",
        `${formatIPv4(nexthop)} dev ${dev.name} lladdr ${n2.lladdr} ${before}`,
        describeIp(pkt)
      );
    devQueueXmit(dev, { src: dev.mac, dst: n2.lladdr, type: ETH_P_IP, payload: pkt });
  } else if (!NUD_VALID.has(n2.state)) {
    if (ns.kernel.trace)
      ns.kernel.hop(
        ns,
        "neigh",
        `${formatIPv4(nexthop)} dev ${dev.name} ${n2.state}: packet queued until ARP resolves`,
        describeIp(pkt)
      );
  }
}
function ipRcv(dev, pkt0, otherHost) {
  const ns = dev.ns;
  const k = ns.kernel;
  if (otherHost) {
    if (k.trace)
      k.hop(ns, "drop", `ip_rcv on ${dev.name}: frame for another host (PACKET_OTHERHOST)`, describeIp(pkt0));
    return;
  }
  if (k.trace) k.hop(ns, "rcv", `ip_rcv on ${dev.name}`, describeIp(pkt0));
  const v = nfHook(ns, "PREROUTING", pkt0, dev, null);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") k.hop(ns, "drop", `PREROUTING: ${v.reason}`, describeIp(pkt0));
    return;
  }
  const pkt = v.pkt;
  const d = routeInput(ns, pkt.dst, pkt.src, dev, skbMark(pkt));
  switch (d.kind) {
    case "drop":
      if (k.trace) k.hop(ns, "drop", `routing: ${d.reason}`, describeIp(pkt));
      if (d.icmp && ipErrorAllow(ns, pkt.src)) icmpSend(ns, pkt, d.icmp.type, d.icmp.code, dev);
      return;
    case "local":
      if (k.trace)
        k.hop(
          ns,
          "route",
          d.broadcast ? "input: broadcast, deliver locally" : "input: local, deliver locally",
          describeIp(pkt)
        );
      ipLocalDeliver(ns, pkt, dev, d.broadcast);
      return;
    case "forward":
      if (k.trace) k.hop(ns, "route", `input: forward, ${routeDetail(d.rt)}`, describeIp(pkt));
      ipForward(ns, pkt, dev, d.rt);
      return;
  }
}
function ipForward(ns, pkt, inDev, rt) {
  const k = ns.kernel;
  if (pkt.ttl <= 1) {
    if (k.trace) k.hop(ns, "drop", "ip_forward: TTL exceeded", describeIp(pkt));
    icmpSend(ns, pkt, 11, 0, inDev);
    return;
  }
  const v = nfHook(ns, "FORWARD", pkt, inDev, rt.dev);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") k.hop(ns, "drop", `FORWARD: ${v.reason}`, describeIp(pkt));
    return;
  }
  const fwd = { ...v.pkt, ttl: v.pkt.ttl - 1 };
  skbMove(v.pkt, fwd);
  if (rt.dev === inDev && ns.sysctl.orConf(inDev.name, "send_redirects") && onSameSubnet(inDev, pkt.src, rt.nexthop)) {
    icmpSend(ns, pkt, 5, 1, inDev, rt.nexthop);
  }
  if (k.trace)
    k.hop(ns, "forward", `ip_forward ${inDev.name} -> ${rt.dev.name}, ttl ${fwd.ttl}`, describeIp(fwd));
  ipOutput(ns, fwd, rt, inDev);
}
function onSameSubnet(dev, a, b) {
  return dev.inet.some((ifa) => {
    const m = ifa.prefixlen === 0 ? 0 : 4294967295 << 32 - ifa.prefixlen >>> 0;
    return (a & m) >>> 0 === (ifa.local & m) >>> 0 && (b & m) >>> 0 === (ifa.local & m) >>> 0;
  });
}
function ipLocalDeliver(ns, pkt0, dev, broadcast) {
  const v = nfHook(ns, "INPUT", pkt0, dev, null);
  if (v.verdict !== "ACCEPT") {
    if (v.verdict === "DROP") ns.kernel.hop(ns, "drop", `INPUT: ${v.reason}`, describeIp(pkt0));
    return;
  }
  const pkt = v.pkt;
  switch (pkt.l4.proto) {
    case "icmp":
      icmpRcv(ns, pkt, dev, broadcast);
      return;
    case "udp":
      udpRcv(ns, pkt, dev, broadcast);
      return;
    case "tcp":
      if (!broadcast) tcpRcv(ns, pkt, dev);
      return;
  }
}

// src/kernel/ipv4/icmp.ts
var XRLIM_BURST_FACTOR = 6;
var RT_ERROR_COST = 1e3;
var RT_ERROR_BURST = 5e3;
var peers = /* @__PURE__ */ new WeakMap();
function peer(ns, addr3, cap) {
  let m = peers.get(ns);
  if (!m) peers.set(ns, m = /* @__PURE__ */ new Map());
  const now = ns.kernel.clock.now;
  let p = m.get(addr3);
  if (!p) {
    p = { tokens: cap, last: now };
    m.set(addr3, p);
  }
  p.tokens = Math.min(cap, p.tokens + (now - p.last));
  p.last = now;
  return p;
}
function ipErrorAllow(ns, src) {
  const p = peer(ns, src, RT_ERROR_BURST);
  if (p.tokens < RT_ERROR_COST) return false;
  p.tokens -= RT_ERROR_COST;
  return true;
}
function rateAllow(ns, dst, type) {
  if (![3, 4, 11, 12].includes(type)) return true;
  if (isLocalAddr(ns.byName.get("lo") ?? [...ns.devices.values()][0], dst)) return true;
  const limit = ns.sysctl.num("net.ipv4.icmp_ratelimit");
  if (limit === 0) return true;
  const p = peer(ns, dst, XRLIM_BURST_FACTOR * limit);
  if (p.tokens < limit) return false;
  p.tokens -= limit;
  return true;
}
function icmpSend(ns, about, type, code, inDev, gateway) {
  const k = ns.kernel;
  if (about.l4.proto === "icmp" && ![0, 8, 13, 15, 17].includes(about.l4.type)) return;
  if (about.dst === 4294967295 || isMulticast4(about.dst) || about.src === 0 || isMulticast4(about.src))
    return;
  if (!rateAllow(ns, about.src, type)) {
    if (k.trace) k.hop(ns, "icmp", `icmp_send type ${type} code ${code}: rate limited`, describeIp(about));
    return;
  }
  const lo2 = ns.byName.get("lo");
  const src = lo2 && isLocalAddr(lo2, about.dst) ? about.dst : void 0;
  const msg = {
    proto: "icmp",
    type,
    code,
    id: 0,
    seq: 0,
    inner: about,
    ...gateway !== void 0 ? { gateway } : {}
  };
  if (k.trace)
    k.hop(
      ns,
      "icmp",
      `icmp_send type ${type} code ${code}${inDev ? ` (arrived on ${inDev.name})` : ""}`,
      describeIp(about)
    );
  ipSend(ns, { dst: about.src, ...src !== void 0 ? { src } : {}, l4: msg, tos: 192 });
}
function icmpRcv(ns, pkt, dev, broadcast) {
  const k = ns.kernel;
  const m = pkt.l4;
  if (m.proto !== "icmp") return;
  if (m.type === 8) {
    if (ns.sysctl.num("net.ipv4.icmp_echo_ignore_all") !== 0) {
      if (k.trace) k.hop(ns, "drop", "icmp_echo_ignore_all", describeIp(pkt));
      return;
    }
    if (broadcast && ns.sysctl.num("net.ipv4.icmp_echo_ignore_broadcasts") !== 0) {
      if (k.trace) k.hop(ns, "drop", "icmp_echo_ignore_broadcasts", describeIp(pkt));
      return;
    }
    if (k.trace) k.hop(ns, "icmp", "echo request: reply", describeIp(pkt));
    const lo2 = ns.byName.get("lo");
    const src = !broadcast && lo2 && isLocalAddr(lo2, pkt.dst) ? pkt.dst : void 0;
    ipSend(ns, {
      dst: pkt.src,
      ...src !== void 0 ? { src } : {},
      l4: { proto: "icmp", type: 0, code: 0, id: m.id, seq: m.seq }
    });
    return;
  }
  if (m.type === 0) {
    const sock = ns.sockets.ping.get(m.id);
    if (sock) {
      if (k.trace) k.hop(ns, "socket", `echo reply to ping socket id ${m.id}`, describeIp(pkt));
      sock.onPacket(pkt, dev);
    } else k.hop(ns, "drop", "echo reply: no socket", describeIp(pkt));
    return;
  }
  if (m.inner) {
    const inner = m.inner;
    const l4 = inner.l4;
    if (l4.proto === "icmp" && l4.type === 8) {
      const sock = ns.sockets.ping.get(l4.id);
      if (sock) {
        if (k.trace) k.hop(ns, "socket", `ICMP error to ping socket id ${l4.id}`, describeIp(pkt));
        sock.onPacket(pkt, dev);
        return;
      }
    } else if (l4.proto === "udp") {
      const s2 = ns.sockets.udpLookup(inner.src, l4.sport);
      if (s2?.onError) {
        if (k.trace) k.hop(ns, "socket", `ICMP error to UDP socket :${l4.sport}`, describeIp(pkt));
        s2.onError(pkt);
        return;
      }
    } else if (l4.proto === "tcp") {
      tcpIcmpError(ns, pkt, inner);
      return;
    }
    if (k.trace) k.hop(ns, "icmp", "ICMP error: no socket to tell", describeIp(pkt));
  }
}

// src/kernel/netfilter/rule.ts
var CT_STATE_INVALID = 1 << 0;
var CT_STATE_ESTABLISHED = 1 << 1;
var CT_STATE_RELATED = 1 << 2;
var CT_STATE_NEW = 1 << 3;
var CT_STATE_UNTRACKED = 1 << 8;
var CT_STATE_SNAT = 1 << 9;
var CT_STATE_DNAT = 1 << 10;
function needsConntrack(r) {
  for (const m of r.matches)
    if (m.kind === "state" || m.kind === "conntrack" || m.kind === "connmark") return true;
  const t = r.target.kind;
  return t === "DNAT" || t === "SNAT" || t === "MASQUERADE" || t === "REDIRECT" || t === "CONNMARK" || t === "CT" || t === "NOTRACK";
}

// src/kernel/netfilter/tables.ts
var TABLE_ORDER = ["mangle", "security", "raw", "filter", "nat"];
var BUILTIN_CHAINS = {
  raw: ["PREROUTING", "OUTPUT"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  security: ["INPUT", "FORWARD", "OUTPUT"]
};
var states = /* @__PURE__ */ new WeakMap();
var hookImpl = null;
function setHookInstaller(fn) {
  hookImpl = fn;
}
function nfState(ns) {
  let s2 = states.get(ns);
  if (!s2) {
    s2 = {
      tables: /* @__PURE__ */ new Map(),
      sets: /* @__PURE__ */ new Map(),
      recent: /* @__PURE__ */ new Map(),
      generation: 0,
      ctNeeded: { gen: -1, value: false }
    };
    states.set(ns, s2);
    if (hookImpl) hookImpl(ns);
    else registerNfHooks(ns, (_n, _h, pkt) => ({ verdict: "ACCEPT", pkt }));
  }
  return s2;
}
function newChain(name, builtin) {
  return {
    name,
    builtin,
    policy: "ACCEPT",
    counters: { pkts: 0, bytes: 0 },
    counting: false,
    instantiated: !builtin,
    rules: [],
    index: null
  };
}
function ensureTable(s2, name) {
  let t = s2.tables.get(name);
  if (!t) {
    t = { name, chains: /* @__PURE__ */ new Map() };
    for (const c of BUILTIN_CHAINS[name]) t.chains.set(c, newChain(c, true));
    s2.tables.set(name, t);
    s2.generation++;
  }
  return t;
}
function changed(s2, chain) {
  s2.generation++;
  if (chain) {
    chain.index = null;
    delete chain.lines;
  }
}
function conntrackNeeded(s2) {
  if (s2.ctNeeded.gen === s2.generation) return s2.ctNeeded.value;
  let v = false;
  outer: for (const t of s2.tables.values())
    for (const c of t.chains.values())
      for (const r of c.rules)
        if (needsConntrack(r)) {
          v = true;
          break outer;
        }
  s2.ctNeeded = { gen: s2.generation, value: v };
  return v;
}
function references(t, name) {
  if (!t.refs) {
    t.refs = /* @__PURE__ */ new Map();
    for (const c of t.chains.values()) countRefs(t, c.rules, 1);
  }
  return t.refs.get(name) ?? 0;
}
function countRefs(t, rules, delta) {
  const refs = t.refs;
  if (!refs) return;
  for (const r of rules)
    if (r.target.kind === "jump") refs.set(r.target.chain, (refs.get(r.target.chain) ?? 0) + delta);
}
var INDEX_MIN = 32;
function chainIndex(c) {
  if (c.rules.length < INDEX_MIN) return null;
  if (c.index) return c.index;
  const byDst = /* @__PURE__ */ new Map();
  const rest = [];
  c.rules.forEach((r, i) => {
    if (r.dst && !r.dst.inv && r.dst.mask === 4294967295) {
      let l = byDst.get(r.dst.addr);
      if (!l) byDst.set(r.dst.addr, l = []);
      l.push(i);
    } else rest.push(i);
  });
  c.index = { byDst, rest };
  return c.index;
}

// src/kernel/ipvs/ip-vs-ctl.ts
function newStats() {
  return { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
}
var IP_VS_SVC_F_PERSISTENT = 1;
var IP_VS_SVC_F_HASHED = 2;
var IP_VS_SVC_F_SCHED2 = 16;
var IP_VS_SCHEDULERS = ["rr", "wrr", "lc", "wlc", "sh", "dh", "sed", "nq"];
var states2 = /* @__PURE__ */ new WeakMap();
function ipvsOf(ns) {
  let s2 = states2.get(ns);
  if (!s2) states2.set(ns, s2 = { services: /* @__PURE__ */ new Map() });
  return s2;
}
function ipvsActive(ns) {
  const s2 = states2.get(ns);
  return s2 !== void 0 && s2.services.size > 0;
}
function svcKey(proto, addr3, port) {
  return `${proto}/${addr3 >>> 0}:${port}`;
}
function err(errno) {
  return { ok: false, err: { errno } };
}
function validScheduler(name) {
  return IP_VS_SCHEDULERS.includes(name);
}
function ipVsAddService(ns, u) {
  const s2 = ipvsOf(ns);
  const k = svcKey(u.proto, u.addr, u.port);
  if (s2.services.has(k)) return err("EEXIST");
  if (!validScheduler(u.scheduler)) return err("ENOENT");
  const svc = {
    proto: u.proto,
    addr: u.addr >>> 0,
    port: u.port,
    scheduler: u.scheduler,
    flags: (u.flags ?? 0) | IP_VS_SVC_F_HASHED,
    timeout: u.timeout ?? 0,
    netmask: u.netmask ?? 4294967295,
    dests: [],
    sched: { last: -1, cw: 0, table: null },
    stats: newStats()
  };
  s2.services.set(k, svc);
  nfState(ns);
  return { ok: true, value: svc };
}
function ipVsFindService(ns, proto, addr3, port) {
  return ipvsOf(ns).services.get(svcKey(proto, addr3, port)) ?? null;
}
function ipVsEditService(ns, u) {
  const svc = ipVsFindService(ns, u.proto, u.addr, u.port);
  if (!svc) return err("ESRCH");
  if (!validScheduler(u.scheduler)) return err("ENOENT");
  if (svc.scheduler !== u.scheduler) svc.sched = { last: -1, cw: 0, table: null };
  svc.scheduler = u.scheduler;
  svc.flags = (u.flags ?? 0) | IP_VS_SVC_F_HASHED;
  svc.timeout = u.timeout ?? 0;
  svc.netmask = u.netmask ?? 4294967295;
  svc.sched.table = null;
  return { ok: true, value: svc };
}
function ipVsDelService(ns, proto, addr3, port) {
  const s2 = ipvsOf(ns);
  const svc = s2.services.get(svcKey(proto, addr3, port));
  if (!svc) return err("ESRCH");
  for (const d of svc.dests) d.available = false;
  s2.services.delete(svcKey(proto, addr3, port));
  return { ok: true, value: void 0 };
}
function ipVsFindDest(svc, addr3, port) {
  return svc.dests.find((d) => d.addr === addr3 >>> 0 && d.port === port) ?? null;
}
function ipVsAddDest(svc, u) {
  if (u.weight < 0) return err("EINVAL");
  if (ipVsFindDest(svc, u.addr, u.port)) return err("EEXIST");
  const d = {
    addr: u.addr >>> 0,
    port: u.port,
    weight: u.weight,
    fwd: u.fwd ?? "masq",
    activeconns: 0,
    inactconns: 0,
    persistconns: 0,
    stats: newStats(),
    available: true
  };
  svc.dests.unshift(d);
  if (svc.sched.last >= 0) svc.sched.last++;
  svc.sched.table = null;
  return { ok: true, value: d };
}
function ipVsEditDest(svc, u) {
  if (u.weight < 0) return err("EINVAL");
  const d = ipVsFindDest(svc, u.addr, u.port);
  if (!d) return err("ENOENT");
  d.weight = u.weight;
  if (u.fwd) d.fwd = u.fwd;
  svc.sched.table = null;
  return { ok: true, value: d };
}
function ipVsDelDest(svc, addr3, port) {
  const i = svc.dests.findIndex((d) => d.addr === addr3 >>> 0 && d.port === port);
  if (i < 0) return err("ENOENT");
  svc.dests[i].available = false;
  svc.dests.splice(i, 1);
  if (svc.sched.last >= i) svc.sched.last--;
  svc.sched.table = null;
  return { ok: true, value: void 0 };
}

// src/kernel/ipvs/ip-vs-sched.ts
var usable = (d) => d.weight > 0;
function rr(svc) {
  const n2 = svc.dests.length;
  for (let k = 1; k <= n2; k++) {
    const i = (svc.sched.last + k + n2) % n2;
    const d = svc.dests[i];
    if (usable(d)) {
      svc.sched.last = i;
      return d;
    }
  }
  return null;
}
function gcd(a, b) {
  return b === 0 ? a : gcd(b, a % b);
}
function wrr(svc) {
  const ds = svc.dests;
  const weights = ds.map((d) => d.weight).filter((w2) => w2 > 0);
  if (weights.length === 0) return null;
  const di = weights.reduce(gcd);
  const mw = Math.max(...weights) - (di - 1);
  const st = svc.sched;
  for (let guard = 0; guard < ds.length * (mw / di + 2); guard++) {
    st.last++;
    if (st.last >= ds.length) {
      st.last = -1;
      st.cw -= di;
      if (st.cw <= 0) st.cw = mw;
      continue;
    }
    const d = ds[st.last];
    if (d.weight >= st.cw && d.weight > 0) return d;
  }
  return null;
}
function overhead(d) {
  return d.activeconns * 256 + d.inactconns;
}
function lc(svc) {
  let least = null;
  for (const d of svc.dests) if (usable(d) && (!least || overhead(d) < overhead(least))) least = d;
  return least;
}
function weighted(svc, oh) {
  let least = null;
  for (const d of svc.dests) {
    if (!usable(d)) continue;
    if (!least || oh(least) * d.weight > oh(d) * least.weight) least = d;
  }
  return least;
}
function nq(svc) {
  for (const d of svc.dests) if (usable(d) && d.activeconns === 0) return d;
  return weighted(svc, (d) => d.activeconns + 1);
}
var TAB_SIZE = 256;
function hash32(v, bits) {
  return Math.imul(v >>> 0, 1640531527) >>> 32 - bits;
}
function buildTable(svc, byWeight) {
  const t = [];
  const n2 = svc.dests.length;
  if (n2 === 0) return t;
  let p = 0;
  let count = 0;
  for (let i = 0; i < TAB_SIZE; i++) {
    t.push(p);
    if (!byWeight || ++count >= Math.max(1, svc.dests[p].weight)) {
      p = (p + 1) % n2;
      count = 0;
    }
  }
  return t;
}
function hashed(svc, key4, byWeight) {
  if (svc.dests.length === 0) return null;
  if (!svc.sched.table) svc.sched.table = buildTable(svc, byWeight);
  const d = svc.dests[svc.sched.table[key4] ?? 0] ?? null;
  return d && usable(d) ? d : null;
}
function ipVsSchedule(svc, in_) {
  switch (svc.scheduler) {
    case "rr":
      return rr(svc);
    case "wrr":
      return wrr(svc);
    case "lc":
      return lc(svc);
    case "wlc":
      return weighted(svc, overhead);
    case "sed":
      return weighted(svc, (d) => d.activeconns + 1);
    case "nq":
      return nq(svc);
    case "sh": {
      const port = svc.flags & IP_VS_SVC_F_SCHED2 ? in_.sport : 0;
      return hashed(svc, hash32(port + in_.saddr >>> 0, 8) % TAB_SIZE, true);
    }
    case "dh":
      return hashed(svc, Math.imul(in_.daddr >>> 0, 2654435761) >>> 0 & TAB_SIZE - 1, false);
    default:
      return null;
  }
}

// src/kernel/ipvs/ip-vs-core.ts
var PROTO_NAME = { 6: "TCP", 17: "UDP", 132: "SCTP" };
function protoNum(pkt) {
  return pkt.l4.proto === "tcp" ? 6 : pkt.l4.proto === "udp" ? 17 : null;
}
function ports(pkt) {
  const l4 = pkt.l4;
  return l4.proto === "icmp" ? { sport: 0, dport: 0 } : { sport: l4.sport, dport: l4.dport };
}
function tcpFlags2(pkt) {
  return pkt.l4.proto === "tcp" ? pkt.l4.flags : null;
}
var ap = (a, p) => `${formatIPv4(a)}:${p}`;
function hop(ns, detail, pkt) {
  if (ns.kernel.trace) ns.kernel.hop(ns, "ipvs", detail, describeIp(pkt));
}
function rewrite(pkt, side, addr3, port) {
  const l4 = pkt.l4;
  if (l4.proto === "icmp") return { ...pkt, [side]: addr3 };
  return side === "src" ? { ...pkt, src: addr3, l4: { ...l4, sport: port } } : { ...pkt, dst: addr3, l4: { ...l4, dport: port } };
}
function countPacket(cp, dir, pkt) {
  for (const st of [cp.dest?.stats, cp.svc?.stats]) {
    if (!st) continue;
    if (dir === "in") {
      st.inpkts++;
      st.inbytes += pkt.len;
    } else {
      st.outpkts++;
      st.outbytes += pkt.len;
    }
  }
}
function updateConntrack(skb, cp, outin) {
  const ct = skb.ct;
  if (!ct || ct.status & IPS_CONFIRMED) return;
  if (skb.ctinfo >= IP_CT_IS_REPLY) return;
  const r = ct.tuple[1];
  ct.tuple[1] = outin ? { ...r, src: cp.daddr, sport: cp.dport } : { ...r, dst: cp.vaddr, dport: cp.vport };
}
function schedPersist(ns, svc, caddr, sport, daddr) {
  const client = (caddr & svc.netmask) >>> 0;
  const tmpl = ipVsConnInGet(ns, svc.proto, client, 0, svc.addr, svc.port);
  const d = tmpl?.dest;
  const stale = !d?.available || d.weight === 0 && ns.sysctl.get("net.ipv4.vs.expire_quiescent_template") === "1";
  if (tmpl && d && !stale) {
    ipVsConnRefresh(ns, tmpl, svc.timeout);
    return d;
  }
  if (tmpl) ipVsConnExpireNow(ns, tmpl);
  const dest = ipVsSchedule(svc, { saddr: caddr, sport, daddr });
  if (!dest) return null;
  ipVsConnNew(
    ns,
    {
      proto: svc.proto,
      caddr: client,
      cport: 0,
      vaddr: svc.addr,
      vport: svc.port,
      daddr: dest.addr,
      dport: dest.port,
      dest,
      svc,
      flags: IP_VS_CONN_F_TEMPLATE
    },
    svc.timeout
  );
  return dest;
}
function schedule(ns, svc, pkt, proto) {
  const { sport, dport } = ports(pkt);
  const dest = svc.flags & IP_VS_SVC_F_PERSISTENT ? schedPersist(ns, svc, pkt.src, sport, pkt.dst) : ipVsSchedule(svc, { saddr: pkt.src, sport, daddr: pkt.dst });
  if (!dest) {
    ns.kernel.log(
      `IPVS: ${svc.scheduler}: ${PROTO_NAME[proto]} ${ap(svc.addr, svc.port)} - no destination available`
    );
    return null;
  }
  svc.stats.conns++;
  dest.stats.conns++;
  const nfct = ns.sysctl.get("net.ipv4.vs.conntrack") === "1" ? IP_VS_CONN_F_NFCT : 0;
  return ipVsConnNew(
    ns,
    {
      proto,
      caddr: pkt.src,
      cport: sport,
      vaddr: pkt.dst,
      vport: dport,
      daddr: dest.addr,
      dport: dest.port,
      dest,
      svc,
      flags: nfct
    },
    2
  );
}
function ipVsIn(ns, hook, pkt, skb) {
  const proto = protoNum(pkt);
  if (proto === null) return { verdict: "ACCEPT", pkt };
  const { sport, dport } = ports(pkt);
  const flags = tcpFlags2(pkt);
  let cp = ipVsConnInGet(ns, proto, pkt.src, sport, pkt.dst, dport);
  if (cp && flags?.syn && !flags.ack && ns.sysctl.get("net.ipv4.vs.conn_reuse_mode") !== "0" && (cp.state === "TIME_WAIT" || cp.state === "CLOSE" || !cp.dest?.available)) {
    ipVsConnExpireNow(ns, cp);
    cp = null;
  }
  if (cp && !cp.dest?.available) {
    if (ns.sysctl.get("net.ipv4.vs.expire_nodest_conn") === "1") ipVsConnExpireNow(ns, cp);
    hop(ns, `ip_vs_in: ${ap(cp.daddr, cp.dport)} is no longer a destination: dropped`, pkt);
    return { verdict: "DROP", reason: "IPVS: destination removed" };
  }
  if (!cp) {
    const svc = ipVsFindService(ns, proto, pkt.dst, dport);
    if (!svc) return { verdict: "ACCEPT", pkt };
    if (flags && (!flags.syn || flags.rst)) {
      hop(
        ns,
        `ip_vs_in: ${PROTO_NAME[proto]} ${ap(svc.addr, svc.port)}: not a SYN, no connection: passed on`,
        pkt
      );
      return { verdict: "ACCEPT", pkt };
    }
    cp = schedule(ns, svc, pkt, proto);
    if (!cp) {
      hop(
        ns,
        `ip_vs_in: ${PROTO_NAME[proto]} ${ap(svc.addr, svc.port)} ${svc.scheduler}: no destination available, ICMP port unreachable`,
        pkt
      );
      icmpSend(ns, pkt, 3, 3, null);
      return { verdict: "DROP", reason: "IPVS: no destination available" };
    }
    hop(
      ns,
      `ip_vs_in: ${PROTO_NAME[proto]} ${ap(svc.addr, svc.port)} ${svc.scheduler}${svc.flags & IP_VS_SVC_F_PERSISTENT ? ` persistent ${svc.timeout}` : ""}: new connection to ${ap(cp.daddr, cp.dport)} (Masq)`,
      pkt
    );
  } else
    hop(
      ns,
      `ip_vs_in: connection ${ap(cp.caddr, cp.cport)} -> ${ap(cp.vaddr, cp.vport)} -> ${ap(cp.daddr, cp.dport)} ${cp.state}`,
      pkt
    );
  countPacket(cp, "in", pkt);
  ipVsStateTransition(ns, cp, "in", flags);
  return natXmit(ns, hook, pkt, skb, cp);
}
function natXmit(ns, hook, pkt0, skb, cp) {
  const rt = routeOutput(ns, cp.daddr, {});
  if (!rt.ok) {
    hop(ns, `ip_vs_nat_xmit: no route to ${formatIPv4(cp.daddr)}`, pkt0);
    return { verdict: "DROP", reason: "IPVS: no route to the real server" };
  }
  const local = rt.rt.type === "local";
  if (local && hook === "remoteRequest" && cp.daddr >>> 24 === 127) {
    hop(ns, "ip_vs_nat_xmit(): stopping DNAT to loopback address", pkt0);
    return { verdict: "DROP", reason: "IPVS: DNAT to loopback" };
  }
  const pkt = rewrite(pkt0, "dst", cp.daddr, cp.dport);
  skbMove(pkt0, pkt);
  skb.ipvsProperty = true;
  if (cp.flags & IP_VS_CONN_F_NFCT) updateConntrack(skb, cp, true);
  else {
    skb.ct = null;
    skb.untracked = true;
  }
  hop(
    ns,
    `ip_vs_nat_xmit: destination rewritten to ${ap(cp.daddr, cp.dport)}${local ? " (local)" : ""}`,
    pkt
  );
  if (local) return { verdict: "ACCEPT", pkt };
  ipLocalOut(ns, pkt, rt.rt, skb.mark);
  return { verdict: "STOLEN" };
}
var ICMP_ERRORS = /* @__PURE__ */ new Set([3, 4, 11, 12]);
function ipVsOutIcmp(ns, pkt0, skb) {
  const l4 = pkt0.l4;
  if (l4.proto !== "icmp" || !l4.inner || !ICMP_ERRORS.has(l4.type)) return { verdict: "ACCEPT", pkt: pkt0 };
  const inner = l4.inner;
  const proto = protoNum(inner);
  if (proto === null) return { verdict: "ACCEPT", pkt: pkt0 };
  const { sport, dport } = ports(inner);
  const cp = ipVsConnOutGet(ns, proto, inner.dst, dport, inner.src, sport);
  if (!cp) return { verdict: "ACCEPT", pkt: pkt0 };
  const pkt = {
    ...pkt0,
    src: cp.vaddr,
    l4: { ...l4, inner: rewrite(inner, "dst", cp.vaddr, cp.vport) }
  };
  skbMove(pkt0, pkt);
  skb.ipvsProperty = true;
  hop(
    ns,
    `ip_vs_out_icmp: ICMP type ${l4.type} code ${l4.code} about ${ap(cp.daddr, cp.dport)}: now from ${ap(cp.vaddr, cp.vport)}`,
    pkt
  );
  return { verdict: "ACCEPT", pkt };
}
function ipVsOut(ns, pkt0, skb) {
  if (pkt0.l4.proto === "icmp") return ipVsOutIcmp(ns, pkt0, skb);
  const proto = protoNum(pkt0);
  if (proto === null) return { verdict: "ACCEPT", pkt: pkt0 };
  const { sport, dport } = ports(pkt0);
  const cp = ipVsConnOutGet(ns, proto, pkt0.src, sport, pkt0.dst, dport);
  if (!cp) return { verdict: "ACCEPT", pkt: pkt0 };
  const pkt = rewrite(pkt0, "src", cp.vaddr, cp.vport);
  skbMove(pkt0, pkt);
  skb.ipvsProperty = true;
  if (cp.flags & IP_VS_CONN_F_NFCT) updateConntrack(skb, cp, false);
  countPacket(cp, "out", pkt0);
  ipVsStateTransition(ns, cp, "out", tcpFlags2(pkt0));
  hop(
    ns,
    `ip_vs_out: reply of ${ap(cp.daddr, cp.dport)}: source rewritten to ${ap(cp.vaddr, cp.vport)}`,
    pkt
  );
  return { verdict: "ACCEPT", pkt };
}
function ipVsHook(ns, hook, pkt, skb) {
  if (skb.ipvsProperty) return { verdict: "ACCEPT", pkt };
  if (hook === "reply" || hook === "localReply") return ipVsOut(ns, pkt, skb);
  if (hook === "remoteRequest" && skb.pktType !== null && skb.pktType !== "HOST")
    return { verdict: "ACCEPT", pkt };
  return ipVsIn(ns, hook, pkt, skb);
}

// src/net/rand.ts
function createRng(seed) {
  let s2 = seed >>> 0;
  const next = () => {
    s2 = s2 + 2654435769 >>> 0;
    let z = s2;
    z = Math.imul(z ^ z >>> 16, 2246822507) >>> 0;
    z = Math.imul(z ^ z >>> 13, 3266489909) >>> 0;
    return ((z ^ z >>> 16) >>> 0) / 4294967296;
  };
  return { next, nextInt: (n2) => Math.floor(next() * n2) };
}

// src/kernel/clock.ts
var Clock = class {
  now = 0;
  timers = [];
  seq = 0;
  schedule(delayMs, fn) {
    const t = { at: this.now + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    let i = this.timers.length;
    while (i > 0) {
      const prev = this.timers[i - 1];
      if (prev.at < t.at || prev.at === t.at && prev.seq < t.seq) break;
      i--;
    }
    this.timers.splice(i, 0, t);
    return t;
  }
  /** Time of the next pending timer, or null. */
  nextDue() {
    while (this.timers.length > 0 && this.timers[0].cancelled) this.timers.shift();
    return this.timers[0]?.at ?? null;
  }
  /** Runs every timer due at or before `until`, moving `now` along, then sets now = until. */
  advanceTo(until, afterEach) {
    for (; ; ) {
      const due = this.nextDue();
      if (due === null || due > until) break;
      const t = this.timers.shift();
      this.now = Math.max(this.now, t.at);
      t.fn();
      afterEach();
    }
    this.now = Math.max(this.now, until);
  }
};

// src/kernel/netns.ts
var NetNs = class {
  devices = /* @__PURE__ */ new Map();
  byName = /* @__PURE__ */ new Map();
  /** Last allocated ifindex: allocation is cyclic from here, as dev_index_reserve does. */
  lastIfindex = 0;
  /** peernet2id: the ids this namespace gives to other namespaces. */
  nsids = /* @__PURE__ */ new Map();
  fib = new FibTables();
  rules = new FibRules();
  neigh;
  sysctl;
  sockets = new SocketTable();
  ipId = 0;
  kernel;
  /** The name under /run/netns, or null for a namespace without one (the root). */
  name;
  serial;
  constructor(kernel, name, serial, sysctl) {
    this.kernel = kernel;
    this.name = name;
    this.serial = serial;
    this.sysctl = sysctl;
    this.neigh = new NeighTable(this);
  }
  /** The label traces use for this namespace. */
  get label() {
    return this.name ?? "(root)";
  }
  dev(name) {
    return this.byName.get(name);
  }
  allocIfindex() {
    let i = this.lastIfindex + 1;
    while (this.devices.has(i) || i < 1) i = i >= 2147483647 ? 1 : i + 1;
    this.lastIfindex = i;
    return i;
  }
  /** peernet2id_alloc: the lowest free id, allocated on first use. */
  idOf(peer2) {
    const have = this.nsids.get(peer2);
    if (have !== void 0) return have;
    const used = new Set(this.nsids.values());
    let id = 0;
    while (used.has(id)) id++;
    this.nsids.set(peer2, id);
    return id;
  }
};

// src/kernel/sysctl.ts
var IPV4_CONF_DEFAULTS = {
  accept_local: "0",
  accept_redirects: "1",
  arp_accept: "0",
  arp_announce: "0",
  arp_filter: "0",
  arp_ignore: "0",
  arp_notify: "0",
  bootp_relay: "0",
  forwarding: "0",
  log_martians: "0",
  promote_secondaries: "0",
  proxy_arp: "0",
  proxy_arp_pvlan: "0",
  route_localnet: "0",
  rp_filter: "0",
  secure_redirects: "1",
  send_redirects: "1",
  src_valid_mark: "0"
};
var NEIGH_DEFAULTS = {
  app_solicit: "0",
  base_reachable_time_ms: "30000",
  delay_first_probe_time: "5",
  gc_stale_time: "60",
  locktime: "100",
  mcast_resolicit: "0",
  mcast_solicit: "3",
  proxy_delay: "80",
  proxy_qlen: "64",
  retrans_time_ms: "1000",
  ucast_solicit: "3",
  unres_qlen: "101",
  unres_qlen_bytes: "212992"
};
var IPV6_CONF_DEFAULTS = {
  accept_ra: "1",
  disable_ipv6: "0",
  forwarding: "0",
  accept_dad: "1",
  dad_transmits: "1"
};
var GLOBAL_DEFAULTS = {
  "net.ipv4.ip_forward": "0",
  "net.ipv4.ip_default_ttl": "64",
  "net.ipv4.ip_local_port_range": "32768	60999",
  "net.ipv4.icmp_echo_ignore_all": "0",
  "net.ipv4.icmp_echo_ignore_broadcasts": "1",
  "net.ipv4.icmp_ratelimit": "1000",
  "net.ipv4.ip_nonlocal_bind": "0",
  "net.ipv4.tcp_syn_retries": "6",
  "net.ipv4.ping_group_range": "0	2147483647",
  "net.ipv6.conf.all.disable_ipv6": "0",
  "net.ipv6.conf.default.disable_ipv6": "0",
  "net.ipv6.conf.all.forwarding": "0",
  "net.ipv6.conf.default.forwarding": "0",
  // ip_vs is loaded (kube-proxy's ipvs mode needs it); its defaults, per namespace.
  "net.ipv4.vs.conntrack": "0",
  "net.ipv4.vs.conn_reuse_mode": "1",
  "net.ipv4.vs.expire_nodest_conn": "0",
  "net.ipv4.vs.expire_quiescent_template": "0",
  "net.bridge.bridge-nf-call-iptables": "1",
  "net.bridge.bridge-nf-call-ip6tables": "1",
  "net.bridge.bridge-nf-call-arptables": "1"
};
var DEV_KEY = /^net\.(ipv4\.conf|ipv4\.neigh|ipv6\.conf)\.(.+)\.([^.]+)$/;
var Sysctl = class {
  /** Global keys and the `all`/`default` entries. */
  values = /* @__PURE__ */ new Map();
  /** Per-device entries, kept apart so that a device coming or going does not scan every key. */
  devs = /* @__PURE__ */ new Map();
  constructor(initial) {
    if (initial) {
      for (const [k, v] of initial.values) this.values.set(k, v);
      for (const scope of ["all", "default"])
        for (const [k, v] of Object.entries(IPV6_CONF_DEFAULTS))
          this.values.set(`net.ipv6.conf.${scope}.${k}`, v);
      for (const [k, v] of Object.entries(GLOBAL_DEFAULTS))
        if (k.startsWith("net.ipv6.conf.") || k.startsWith("net.bridge.") || k.startsWith("net.ipv4.vs."))
          this.values.set(k, v);
      return;
    }
    for (const [k, v] of Object.entries(GLOBAL_DEFAULTS)) this.values.set(k, v);
    for (const scope of ["all", "default"]) {
      for (const [k, v] of Object.entries(IPV4_CONF_DEFAULTS))
        this.values.set(`net.ipv4.conf.${scope}.${k}`, v);
      for (const [k, v] of Object.entries(IPV6_CONF_DEFAULTS))
        this.values.set(`net.ipv6.conf.${scope}.${k}`, v);
    }
  }
  static normalizeKey(key4) {
    return key4.replace(/\//g, ".").replace(/^\.+/, "");
  }
  /** Where a key lives: the device map and its local key, or the global map. */
  locate(key4) {
    const m = DEV_KEY.exec(key4);
    if (m && m[2] !== "all" && m[2] !== "default") {
      const d = this.devs.get(m[2]);
      return d ? { map: d, k: `${m[1]}.${m[3]}` } : null;
    }
    return { map: this.values, k: key4 };
  }
  get(key4) {
    const l = this.locate(key4);
    return l ? l.map.get(l.k) : void 0;
  }
  has(key4) {
    return this.get(key4) !== void 0;
  }
  keys() {
    const out = [...this.values.keys()];
    for (const [dev, m] of this.devs) {
      for (const k of m.keys()) {
        const dot = k.lastIndexOf(".");
        out.push(`net.${k.slice(0, dot)}.${dev}.${k.slice(dot + 1)}`);
      }
    }
    return out.sort();
  }
  num(key4) {
    return Number.parseInt(this.get(key4) ?? "0", 10);
  }
  set(key4, value) {
    const l = this.locate(key4);
    if (!l?.map.has(l.k)) return { ok: false, errno: "ENOENT" };
    const v = value.trim();
    if (key4 !== "net.ipv4.ip_local_port_range" && key4 !== "net.ipv4.ping_group_range") {
      if (!/^-?\d+$/.test(v)) return { ok: false, errno: "EINVAL" };
    }
    if (key4 === "net.ipv4.ip_forward" || key4 === "net.ipv4.conf.all.forwarding") {
      const n2 = String(Number.parseInt(v, 10));
      if (this.values.get(key4) === n2) return { ok: true };
      this.values.set("net.ipv4.ip_forward", n2);
      this.values.set("net.ipv4.conf.all.forwarding", n2);
      this.values.set("net.ipv4.conf.default.forwarding", n2);
      for (const m of this.devs.values()) m.set("ipv4.conf.forwarding", n2);
      return { ok: true };
    }
    l.map.set(l.k, v.replace(/\s+/g, "	"));
    return { ok: true };
  }
  addDevice(name) {
    const m = /* @__PURE__ */ new Map();
    for (const k of Object.keys(IPV4_CONF_DEFAULTS))
      m.set(`ipv4.conf.${k}`, this.values.get(`net.ipv4.conf.default.${k}`) ?? "0");
    for (const [k, v] of Object.entries(NEIGH_DEFAULTS)) m.set(`ipv4.neigh.${k}`, v);
    for (const k of Object.keys(IPV6_CONF_DEFAULTS))
      m.set(`ipv6.conf.${k}`, this.values.get(`net.ipv6.conf.default.${k}`) ?? "0");
    this.devs.set(name, m);
  }
  removeDevice(name) {
    this.devs.delete(name);
  }
  renameDevice(from, to) {
    const m = this.devs.get(from);
    if (!m) return;
    this.devs.delete(from);
    this.devs.set(to, m);
  }
  // The datapath reads these per packet: straight map lookups, no key parsing.
  allConf(attr) {
    return Number.parseInt(this.values.get(`net.ipv4.conf.all.${attr}`) ?? "0", 10);
  }
  devValue(dev, key4) {
    return Number.parseInt(this.devs.get(dev)?.get(key4) ?? "0", 10);
  }
  /** IN_DEV_ORCONF: the device's value or `all`'s. */
  orConf(dev, attr) {
    return this.allConf(attr) !== 0 || this.devValue(dev, `ipv4.conf.${attr}`) !== 0;
  }
  /** IN_DEV_MAXCONF. */
  maxConf(dev, attr) {
    return Math.max(this.allConf(attr), this.devValue(dev, `ipv4.conf.${attr}`));
  }
  /** IN_DEV_CONF_GET: the device's own value. */
  devConf(dev, attr) {
    return this.devValue(dev, `ipv4.conf.${attr}`);
  }
  neigh(dev, attr) {
    const v = this.devs.get(dev)?.get(`ipv4.neigh.${attr}`) ?? NEIGH_DEFAULTS[attr] ?? "0";
    return Number.parseInt(v, 10);
  }
};

// src/kernel/kernel.ts
function newSoftirqQueue() {
  return { work: [], running: false };
}
var Kernel = class {
  clock;
  rng;
  hostname;
  initNs;
  /** Namespaces by their /run/netns name. */
  named = /* @__PURE__ */ new Map();
  /** Every live namespace, named or not (a namespace lives while a device or name holds it). */
  all = /* @__PURE__ */ new Set();
  dmesg = [];
  trace = null;
  /** When set, new links without an explicit MAC are numbered (the oracle's pinned MACs) instead of random. */
  macSequence = null;
  /** Frames handed to devices so far: a cheap clock for simulated latency. */
  xmitCount = 0;
  nsSerial = 0;
  q;
  constructor(opts = {}) {
    this.clock = opts.clock ?? new Clock();
    this.q = opts.softirq ?? newSoftirqQueue();
    this.rng = createRng(opts.seed ?? 1);
    this.hostname = opts.hostname ?? "host";
    this.initNs = new NetNs(this, null, this.nsSerial++, new Sysctl());
    this.setupNs(this.initNs);
  }
  /** Every namespace starts with its loopback device (down) and the ARP protocol. */
  setupNs(ns) {
    this.all.add(ns);
    installArp(ns);
    registerDevice(ns, newDevice(ns, "lo", "loopback"));
  }
  /** copy_net_ns: a fresh namespace whose IPv4 settings start as the initial namespace's. */
  newNetns(name) {
    const ns = new NetNs(this, name, this.nsSerial++, new Sysctl(this.initNs.sysctl));
    this.setupNs(ns);
    if (name !== null) this.named.set(name, ns);
    return ns;
  }
  /** Queues work as a softirq would (a frame arriving on a device); runs it unless already draining. */
  raise(work) {
    this.q.work.push(work);
    if (!this.q.running) this.drain();
  }
  drain() {
    this.q.running = true;
    let i = 0;
    try {
      for (; i < this.q.work.length; i++) this.q.work[i]();
    } finally {
      this.q.work.splice(0, i);
      this.q.running = false;
    }
  }
  /** Runs `fn` with packet processing held back, then processes what it raised (a state change settles first). */
  hold(fn) {
    if (this.q.running) {
      fn();
      return;
    }
    this.q.running = true;
    try {
      fn();
    } finally {
      this.q.running = false;
    }
    this.drain();
  }
  /** Advances simulated time, running due timers and the work they raise. */
  advance(ms) {
    this.clock.advanceTo(this.clock.now + ms, () => {
      if (!this.q.running) this.drain();
    });
  }
  hop(ns, kind, detail, packet) {
    if (this.trace)
      this.trace.record({ host: this.hostname, netns: ns.label, kind, detail, packet });
  }
  log(msg) {
    const t = (this.clock.now / 1e3).toFixed(6).padStart(12, " ");
    this.dmesg.push(`[${t}] ${msg}`);
  }
};
function destroyNetns(k, ns) {
  if (ns.name !== null) k.named.delete(ns.name);
  for (const dev of [...ns.devices.values()]) if (ns.devices.has(dev.ifindex)) unregister(dev);
  k.all.delete(ns);
  for (const other of k.all) other.nsids.delete(ns);
}

// src/kernel/link/create.ts
function allocName(ns, pattern) {
  for (let i = 0; ; i++) {
    const n2 = pattern.replace("%d", String(i));
    if (!ns.byName.has(n2)) return n2;
  }
}
function make(a, kind, pattern) {
  const name = a.name === null ? allocName(a.ns, pattern) : a.name.includes("%d") ? allocName(a.ns, a.name) : a.name;
  if (a.ns.byName.has(name)) return fail("EEXIST");
  const dev = newDevice(a.ns, name, kind, a.mac);
  if (a.txqlen !== void 0) dev.txqlen = a.txqlen;
  if (a.mtu !== void 0) {
    const r = setMtu(dev, a.mtu);
    if (!r.ok) return r;
  }
  return ok(dev);
}
function createVeth(a, peer2) {
  const p = make(peer2, "veth", "veth%d");
  if (!p.ok) return p;
  const d = make(a, "veth", "veth%d");
  if (!d.ok) return d;
  if (a.ns === peer2.ns && d.value.name === p.value.name) return fail("EEXIST");
  const rp = registerDevice(peer2.ns, p.value);
  if (!rp.ok) return rp;
  const rd = registerDevice(a.ns, d.value);
  if (!rd.ok) {
    peer2.ns.devices.delete(p.value.ifindex);
    peer2.ns.byName.delete(p.value.name);
    peer2.ns.sysctl.removeDevice(p.value.name);
    return rd;
  }
  d.value.peer = p.value;
  p.value.peer = d.value;
  rtmsgIfinfo(d.value);
  return ok(d.value);
}
function createBridge(a) {
  const d = make(a, "bridge", "bridge%d");
  if (!d.ok) return d;
  d.value.bridge = newBridgeInfo();
  const r = registerDevice(a.ns, d.value);
  if (!r.ok) return r;
  if (a.mac !== void 0) brStpChangeBridgeId(d.value);
  return ok(d.value);
}
function createDummy(a) {
  const d = make(a, "dummy", "dummy%d");
  if (!d.ok) return d;
  const r = registerDevice(a.ns, d.value);
  return r.ok ? ok(d.value) : r;
}
function createVxlan(a, v) {
  for (const other of a.ns.devices.values())
    if (other.vxlan && other.vxlan.id === v.id && other.vxlan.dstport === v.dstport)
      return fail("EEXIST", "A VXLAN device with the specified VNI already exists");
  const d = make(
    // vxlan_config_apply: the lower device's MTU less VXLAN_HEADROOM; without one, ETH_DATA_LEN.
    { ...a, ...a.mtu === void 0 ? { mtu: v.dev ? v.dev.mtu - 50 : 1500 } : {} },
    "vxlan",
    "vxlan%d"
  );
  if (!d.ok) return d;
  d.value.vxlan = { ...v, ageing: v.ageing ?? VXLAN_AGEING_DEFAULT, fdb: /* @__PURE__ */ new Map() };
  const r = registerDevice(a.ns, d.value);
  if (!r.ok) return r;
  vxlanFdbCreateDefault(d.value, a.ns.kernel.clock.now);
  return ok(d.value);
}

// src/kernel/netfilter/ipset.ts
function maskOf2(len) {
  return len === 0 ? 0 : 4294967295 << 32 - len >>> 0;
}
function addrFor(pkt, dir) {
  return dir === "src" ? pkt.src : pkt.dst;
}
function portFor(pkt, dir) {
  const l4 = pkt.l4;
  return l4.proto === "icmp" ? 0 : dir === "src" ? l4.sport : l4.dport;
}
function ipsetKey(type, e) {
  switch (type) {
    case "hash:ip":
      return `${e.addr >>> 0}`;
    case "hash:net":
      return `${e.addr >>> 0}/${e.len}`;
    case "hash:ip,port":
      return `${e.addr >>> 0},${e.proto}:${e.port}`;
    case "hash:ip,port,ip":
      return `${e.addr >>> 0},${e.proto}:${e.port},${(e.addr2 ?? 0) >>> 0}`;
    case "hash:ip,port,net":
      return `${e.addr >>> 0},${e.proto}:${e.port},${(e.addr2 ?? 0) >>> 0}/${e.len2 ?? 32}`;
    case "bitmap:port":
      return `${e.port}`;
  }
}
function ipsetTest(set, pkt, flags) {
  const dir = flags[0] ?? "src";
  const addr3 = addrFor(pkt, dir);
  const l4 = pkt.l4;
  const portDir = flags[1] ?? dir;
  const port = portFor(pkt, portDir);
  switch (set.type) {
    case "hash:ip":
      return set.entries.has(`${addr3 >>> 0}`);
    case "hash:ip,port":
      return set.entries.has(`${addr3 >>> 0},${l4.proto}:${port}`);
    case "hash:ip,port,ip": {
      const a2 = addrFor(pkt, flags[2] ?? portDir);
      return set.entries.has(`${addr3 >>> 0},${l4.proto}:${port},${a2 >>> 0}`);
    }
    case "hash:ip,port,net": {
      const a2 = addrFor(pkt, flags[2] ?? portDir);
      for (const e of set.entries.values())
        if (e.addr >>> 0 === addr3 >>> 0 && e.proto === l4.proto && e.port === port && (a2 & maskOf2(e.len2 ?? 32)) >>> 0 === (e.addr2 ?? 0) >>> 0)
          return true;
      return false;
    }
    case "hash:net":
      for (const e of set.entries.values()) if ((addr3 & maskOf2(e.len)) >>> 0 === e.addr >>> 0) return true;
      return false;
    case "bitmap:port": {
      const p = l4.proto === "icmp" ? -1 : dir === "src" ? l4.sport : l4.dport;
      return set.entries.has(`${p}`);
    }
  }
}

// src/shell/commands/ipset.ts
var VERSION = "ipset v7.17";
var REVISION = {
  "hash:ip": 6,
  "hash:ip,port": 7,
  "hash:ip,port,ip": 6,
  "hash:ip,port,net": 8,
  "hash:net": 7,
  "bitmap:port": 3
};
var IpsetError = class extends Error {
};
function fail2(msg) {
  throw new IpsetError(msg);
}
function parseAddr(s2) {
  const a = parseIPv4(s2);
  if (a === null) fail2(`Syntax error: cannot parse ${s2}: resolving to IPv4 address failed`);
  return a;
}
function parseElement(set, text) {
  switch (set.type) {
    case "hash:ip": {
      const [a, l] = text.split("/");
      const addr3 = parseAddr(a ?? "");
      const len = l === void 0 ? 32 : Number(l);
      if (!Number.isInteger(len) || len < 1 || len > 32)
        fail2(`Syntax error: cannot parse ${text}: resolving to IPv4 address failed`);
      const base = (addr3 & maskOf(len)) >>> 0;
      const out = [];
      for (let i = 0; i < 2 ** (32 - len) && i < 65536; i++) {
        const x = base + i >>> 0;
        out.push({ addr: x, len: 32, proto: "", port: 0, text: formatIPv4(x) });
      }
      return out;
    }
    case "hash:net": {
      const [a, l] = text.split("/");
      const addr3 = parseAddr(a ?? "");
      const len = l === void 0 ? 32 : Number(l);
      if (!Number.isInteger(len) || len < 1 || len > 32)
        fail2(`Syntax error: '${l ?? ""}' is out of range 1-32`);
      const net = (addr3 & maskOf(len)) >>> 0;
      return [
        {
          addr: net,
          len,
          proto: "",
          port: 0,
          text: len === 32 ? formatIPv4(net) : `${formatIPv4(net)}/${len}`
        }
      ];
    }
    case "hash:ip,port":
    case "hash:ip,port,ip":
    case "hash:ip,port,net": {
      const [a, pp, third] = text.split(",");
      if (pp === void 0) fail2(`Syntax error: cannot parse ${text}: resolving to IPv4 address failed`);
      const addr3 = parseAddr(a ?? "");
      const [p1, p2] = pp.split(":");
      const proto = p2 === void 0 ? "tcp" : p1 ?? "tcp";
      const portText = p2 ?? p1 ?? "";
      if (!["tcp", "udp", "sctp", "udplite"].includes(proto))
        fail2(`Syntax error: cannot parse '${proto}' as a protocol`);
      const port = Number(portText);
      if (!/^\d+$/.test(portText) || port > 65535)
        fail2(`Syntax error: cannot parse '${portText}' as a ${proto} port`);
      const base = `${formatIPv4(addr3)},${proto}:${port}`;
      if (set.type === "hash:ip,port") return [{ addr: addr3, len: 32, proto, port, text: base }];
      if (third === void 0) fail2(`Syntax error: Third element is missing from ${text}.`);
      const [a2, l2] = third.split("/");
      const addr22 = parseAddr(a2 ?? "");
      const len2 = l2 === void 0 || set.type === "hash:ip,port,ip" ? 32 : Number(l2);
      if (!Number.isInteger(len2) || len2 < 1 || len2 > 32)
        fail2(`Syntax error: '${l2 ?? ""}' is out of range 1-32`);
      const net = (addr22 & maskOf(len2)) >>> 0;
      const t = len2 === 32 ? formatIPv4(net) : `${formatIPv4(net)}/${len2}`;
      return [{ addr: addr3, len: 32, proto, port, addr2: net, len2, text: `${base},${t}` }];
    }
    case "bitmap:port": {
      if (!/^\d+$/.test(text) || Number(text) > 65535) fail2(`Syntax error: cannot parse '${text}' as a port`);
      const port = Number(text);
      if (port < set.rangeLo || port > set.rangeHi) fail2("Element is out of the range of the set");
      return [{ addr: 0, len: 0, proto: "", port, text: String(port) }];
    }
  }
}
function coveredByNet(set, e, text) {
  if (set.type === "hash:net" && !text.includes("/"))
    return [...set.entries.values()].some((x) => (e.addr & maskOf(x.len)) >>> 0 === x.addr >>> 0);
  if (set.type === "hash:ip,port,net" && !(text.split(",")[2] ?? "").includes("/"))
    return [...set.entries.values()].some(
      (x) => x.addr >>> 0 === e.addr >>> 0 && x.proto === e.proto && x.port === e.port && ((e.addr2 ?? 0) & maskOf(x.len2 ?? 32)) >>> 0 === (x.addr2 ?? 0) >>> 0
    );
  return false;
}
function key2(set, e) {
  return ipsetKey(set.type, e);
}
function references2(ns, name) {
  let n2 = 0;
  for (const t of nfState(ns).tables.values()) {
    for (const c of t.chains.values())
      for (const r of c.rules) for (const m of r.matches) if (m.kind === "set" && m.name === name) n2++;
  }
  return n2;
}
function initval(set) {
  let h = 2166136261;
  for (const ch of set.name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `0x${h.toString(16).padStart(8, "0")}`;
}
function header(set) {
  const c = set.comment ? " comment" : "";
  if (set.type === "bitmap:port") return `range ${set.rangeLo}-${set.rangeHi}${c}`;
  return `family inet hashsize ${set.hashsize} maxelem ${set.maxelem}${c} bucketsize 12 initval ${initval(set)}`;
}
function memory(set) {
  return set.type === "bitmap:port" ? 200 : 256 + 48 * set.entries.size;
}
function listOne(ns, set, terse) {
  let s2 = `Name: ${set.name}
Type: ${set.type}
Revision: ${REVISION[set.type]}
Header: ${header(set)}
Size in memory: ${memory(set)}
References: ${references2(ns, set.name)}
Number of entries: ${set.entries.size}
`;
  if (!terse) s2 += `Members:
${[...set.entries.values()].map((e) => `${e.text}
`).join("")}`;
  return s2;
}
function getSet(ns, name) {
  if (name === void 0) fail2("Syntax error: Set name is missing");
  const set = nfState(ns).sets.get(name);
  if (!set) fail2("The set with the given name does not exist");
  return set;
}
function runIpset(ns, argv) {
  let exist = false;
  let quiet = false;
  const args = [];
  for (const a of argv) {
    if (a === "-exist" || a === "-!" || a === "--exist") exist = true;
    else if (a === "-q" || a === "-quiet" || a === "--quiet") quiet = true;
    else args.push(a);
  }
  const err2 = (msg, code = 1) => ({
    stdout: "",
    stderr: quiet ? "" : `${VERSION}: ${msg}
`,
    exitCode: code
  });
  const sets = nfState(ns).sets;
  try {
    const cmd = args[0];
    switch (cmd) {
      case void 0:
        return err2("No command specified: unknown argument -file\nTry `ipset help' for more information.", 1);
      case "version":
      case "-v":
      case "-V":
        return { stdout: `${VERSION}, protocol version: 7
`, stderr: "", exitCode: 0 };
      case "create":
      case "-N":
      case "n": {
        const name = args[1];
        const type = args[2];
        if (!name || !type) fail2("Syntax error: Missing mandatory argument: typename");
        if (!(type in REVISION)) fail2(`Syntax error: typename '${type}' is unknown`);
        if (sets.has(name)) {
          if (exist) return { stdout: "", stderr: "", exitCode: 0 };
          fail2("Set cannot be created: set with the same name already exists");
        }
        const set = {
          name,
          type,
          hashsize: 1024,
          maxelem: 65536,
          rangeLo: 0,
          rangeHi: 65535,
          entries: /* @__PURE__ */ new Map(),
          references: 0
        };
        for (let i = 3; i < args.length; i++) {
          const o = args[i];
          const v = args[++i];
          if (o === "hashsize" || o === "maxelem") {
            if (v === void 0 || !/^\d+$/.test(v))
              fail2(`Syntax error: cannot parse '${v ?? ""}' as a ${o} value`);
            if (o === "hashsize") set.hashsize = Math.max(64, 2 ** Math.ceil(Math.log2(Number(v))));
            else set.maxelem = Number(v);
          } else if (o === "range" && set.type === "bitmap:port") {
            const m = /^(\d+)-(\d+)$/.exec(v ?? "");
            if (!m) fail2(`Syntax error: cannot parse '${v ?? ""}' as a port range`);
            set.rangeLo = Number(m[1]);
            set.rangeHi = Number(m[2]);
          } else if (o === "family") {
            if (v !== "inet") fail2("Syntax error: kubetwin models only family inet sets");
          } else if (o === "comment") {
            set.comment = true;
            i--;
          } else if (o === "timeout" || o === "counters") {
            fail2(`Syntax error: kubetwin does not model the set option '${o}'`);
          } else fail2(`Syntax error: Unknown argument: '${o}'`);
        }
        if (set.type === "bitmap:port" && !args.includes("range"))
          fail2("Syntax error: Missing mandatory argument: range");
        sets.set(name, set);
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      case "add":
      case "-A":
      case "del":
      case "-D":
      case "test":
      case "-T": {
        const set = getSet(ns, args[1]);
        const elem = args[2];
        if (elem === void 0) fail2("Syntax error: Missing second mandatory argument to command add");
        if (args.length > 3) {
          if (args[3] === "timeout") fail2("Timeout cannot be used: set was created without timeout support");
          fail2(`Syntax error: Unknown argument: '${args[3]}'`);
        }
        const entries = parseElement(set, elem);
        if (cmd === "test" || cmd === "-T") {
          const present = entries.every((e) => set.entries.has(key2(set, e)) || coveredByNet(set, e, elem));
          return present ? { stdout: "", stderr: quiet ? "" : `Warning: ${elem} is in set ${set.name}.
`, exitCode: 0 } : { stdout: "", stderr: quiet ? "" : `${elem} is NOT in set ${set.name}.
`, exitCode: 1 };
        }
        if (cmd === "add" || cmd === "-A") {
          for (const e of entries) {
            const k = key2(set, e);
            if (set.entries.has(k)) {
              if (exist) continue;
              fail2("Element cannot be added to the set: it's already added");
            }
            if (set.entries.size >= set.maxelem) fail2("Hash is full, cannot add more elements");
            set.entries.set(k, e);
          }
        } else {
          for (const e of entries) {
            if (!set.entries.delete(key2(set, e)) && !exist)
              fail2("Element cannot be deleted from the set: it's not added");
          }
        }
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      case "list":
      case "-L":
      case "save":
      case "-S": {
        let names = false;
        let terse = false;
        let save = cmd === "save" || cmd === "-S";
        let target;
        for (let i = 1; i < args.length; i++) {
          const a = args[i];
          if (a === "-n" || a === "-name") names = true;
          else if (a === "-t" || a === "-terse") terse = true;
          else if (a === "-o" || a === "-output") save = args[++i] === "save";
          else target = a;
        }
        const list = target !== void 0 ? [getSet(ns, target)] : [...sets.values()];
        if (names) return { stdout: list.map((s2) => `${s2.name}
`).join(""), stderr: "", exitCode: 0 };
        if (save) {
          const out = list.map((s2) => {
            const create = s2.type === "bitmap:port" ? `create ${s2.name} ${s2.type} ${header(s2)}
` : `create ${s2.name} ${s2.type} ${header(s2)}
`;
            return create + [...s2.entries.values()].map((e) => `add ${s2.name} ${e.text}
`).join("");
          }).join("");
          return { stdout: out, stderr: "", exitCode: 0 };
        }
        return { stdout: list.map((s2) => listOne(ns, s2, terse)).join("\n"), stderr: "", exitCode: 0 };
      }
      case "flush":
      case "-F": {
        const list = args[1] !== void 0 ? [getSet(ns, args[1])] : [...sets.values()];
        for (const s2 of list) s2.entries.clear();
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      case "destroy":
      case "-X":
      case "x": {
        const list = args[1] !== void 0 ? [getSet(ns, args[1])] : [...sets.values()];
        for (const s2 of list)
          if (references2(ns, s2.name) > 0) fail2("Set cannot be destroyed: it is in use by a kernel component");
        for (const s2 of list) sets.delete(s2.name);
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      case "rename":
      case "-E":
      case "e": {
        const set = getSet(ns, args[1]);
        const to = args[2];
        if (!to) fail2("Syntax error: Missing second mandatory argument to command rename");
        if (sets.has(to)) fail2("Set cannot be created: set with the same name already exists");
        if (references2(ns, set.name) > 0) fail2("Set cannot be renamed: it is in use by another system");
        sets.delete(set.name);
        set.name = to;
        sets.set(to, set);
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      case "swap":
      case "-W":
      case "w": {
        const a = getSet(ns, args[1]);
        const b = getSet(ns, args[2]);
        if (a.type !== b.type) fail2("Sets cannot be swapped: their type does not match");
        const entries = a.entries;
        a.entries = b.entries;
        b.entries = entries;
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      default:
        fail2(`Syntax error: No command specified: unknown argument ${cmd}`);
    }
  } catch (e) {
    if (e instanceof IpsetError) return err2(e.message);
    throw e;
  }
}

// src/kernel/conntrack/nat.ts
function hookManip(hook) {
  return hook === "PREROUTING" || hook === "OUTPUT" ? "DST" : "SRC";
}
function natInitialized(c, m) {
  return (c.status & (m === "SRC" ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE)) !== 0;
}
function inRange(t, m, r) {
  const a = m === "SRC" ? t.src : t.dst;
  if (r.mapIps && (a >>> 0 < r.minAddr >>> 0 || a >>> 0 > r.maxAddr >>> 0)) return false;
  return protoInRange(t, m, r);
}
function protoInRange(t, m, r) {
  if (r.minPort === null || r.maxPort === null) return true;
  const p = key3(t, m);
  return p >= r.minPort && p <= r.maxPort;
}
function key3(t, m) {
  if (t.proto === IPPROTO_ICMP2) return t.sport;
  return m === "SRC" ? t.sport : t.dport;
}
function withKey(t, m, v) {
  if (t.proto === IPPROTO_ICMP2 || m === "SRC") return { ...t, sport: v };
  return { ...t, dport: v };
}
function withAddr(t, m, a) {
  return m === "SRC" ? { ...t, src: a } : { ...t, dst: a };
}
function usedTuple(ct, t, self) {
  const reply = invertTuple(t);
  return reply !== null && ct.taken(reply, self);
}
function bestIp(t, m, r) {
  if (!r.mapIps) return t;
  const span = (r.maxAddr >>> 0) - (r.minAddr >>> 0) + 1;
  if (span <= 1) return withAddr(t, m, r.minAddr);
  const h = (Math.imul(t.src ^ 2654435769, 2246822507) ^ (m === "DST" ? t.dst : 0)) >>> 0;
  return withAddr(t, m, (r.minAddr >>> 0) + h % span >>> 0);
}
function uniqueProto(ct, t0, r, m, self) {
  let min;
  let size;
  const cur = key3(t0, m);
  if (t0.proto === IPPROTO_ICMP2) {
    if (r.minPort === null || r.maxPort === null) {
      min = 0;
      size = 65536;
    } else {
      min = r.minPort;
      size = r.maxPort - r.minPort + 1;
    }
  } else if (r.minPort === null || r.maxPort === null) {
    if (m === "DST") return t0;
    if (cur < 1024) {
      if (cur < 512) {
        min = 1;
        size = 511;
      } else {
        min = 600;
        size = 1023 - 600 + 1;
      }
    } else {
      min = 1024;
      size = 65535 - 1024 + 1;
    }
  } else {
    const lo2 = Math.min(r.minPort, r.maxPort);
    const hi = Math.max(r.minPort, r.maxPort);
    min = lo2;
    size = hi - lo2 + 1;
  }
  const rng = ct.ns.kernel.rng;
  let off = r.random || r.randomFully || m !== "DST" ? rng.nextInt(65536) : 0;
  let attempts = Math.min(size, 128);
  let t = t0;
  for (; ; ) {
    for (let i = 0; i < attempts; i++, off++) {
      t = withKey(t0, m, min + off % size);
      if (!usedTuple(ct, t, self)) return t;
    }
    if (attempts >= size || attempts < 16) return t;
    attempts = Math.floor(attempts / 2);
    off = rng.nextInt(65536);
  }
}
function uniqueTuple(ct, orig, r, m, self) {
  if (m === "SRC" && !r.random && !r.randomFully) {
    if (inRange(orig, m, r) && !usedTuple(ct, orig, self)) return orig;
    if (!inRange(orig, m, r)) {
      for (const c of ct.conns) {
        if (!(c.status & IPS_SRC_NAT)) continue;
        const o = c.tuple[0];
        if (o.proto !== orig.proto || o.src !== orig.src || o.sport !== orig.sport) continue;
        const mapped = invertTuple(c.tuple[1]);
        if (!mapped) continue;
        const cand = { ...orig, src: mapped.src, sport: mapped.sport };
        if (inRange(cand, m, r) && !usedTuple(ct, cand, self)) return cand;
      }
    }
  }
  const t = bestIp(orig, m, r);
  if (!r.random && !r.randomFully) {
    if (r.minPort !== null && r.maxPort !== null) {
      if (protoInRange(t, m, r) && (r.minPort === r.maxPort || !usedTuple(ct, t, self))) return t;
    } else if (!usedTuple(ct, t, self)) return t;
  }
  return uniqueProto(ct, t, r, m, self);
}
function natSetupInfo(ct, c, r, m) {
  if (natInitialized(c, m)) return;
  const curr = invertTuple(c.tuple[1]);
  if (curr) {
    const next = uniqueTuple(ct, curr, r, m, c);
    if (!tupleEqual(next, curr)) {
      const reply = invertTuple(next);
      if (reply) {
        c.tuple[1] = reply;
        c.status |= m === "SRC" ? IPS_SRC_NAT : IPS_DST_NAT;
      }
    }
  }
  c.status |= m === "SRC" ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE;
}
function natNullBinding(ct, c, hook) {
  const m = hookManip(hook);
  const a = m === "SRC" ? c.tuple[1].dst : c.tuple[1].src;
  natSetupInfo(
    ct,
    c,
    {
      minAddr: a,
      maxAddr: a,
      mapIps: true,
      minPort: null,
      maxPort: null,
      random: false,
      randomFully: false,
      persistent: false
    },
    m
  );
}
function manipPkt(pkt, target, m, ports3 = true) {
  const l4 = pkt.l4;
  const addr3 = m === "SRC" ? { src: target.src } : { dst: target.dst };
  if (!ports3) return { ...pkt, ...addr3 };
  switch (l4.proto) {
    case "tcp":
    case "udp":
      return {
        ...pkt,
        ...addr3,
        l4: m === "SRC" ? { ...l4, sport: target.sport } : { ...l4, dport: target.dport }
      };
    case "icmp":
      if (l4.inner) return { ...pkt, ...addr3 };
      return { ...pkt, ...addr3, l4: { ...l4, id: target.sport } };
  }
}
function natPacket(c, ctinfo, hook, pkt) {
  const m = hookManip(hook);
  const dir = ctinfo >= IP_CT_IS_REPLY ? 1 : 0;
  let bit = m === "SRC" ? IPS_SRC_NAT : IPS_DST_NAT;
  if (dir === 1) bit = bit === IPS_SRC_NAT ? IPS_DST_NAT : IPS_SRC_NAT;
  if (!(c.status & bit)) return pkt;
  const l4 = pkt.l4;
  const other = c.tuple[dir === 1 ? 0 : 1];
  if (l4.proto === "icmp" && l4.inner) {
    const inverse = m === "SRC" ? "DST" : "SRC";
    const inner = manipPkt(l4.inner, other, inverse);
    const target2 = invertTuple(other);
    if (!target2) return pkt;
    return manipPkt({ ...pkt, l4: { ...l4, inner } }, target2, m, false);
  }
  const target = invertTuple(other);
  return target ? manipPkt(pkt, target, m) : pkt;
}

// src/kernel/netfilter/format.ts
var NO_QUOTE = /^[_\-0-9a-zA-Z]+$/;
function saveString(v) {
  if (NO_QUOTE.test(v)) return v;
  return `"${v.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}
function maskLen(mask) {
  const m = mask >>> 0;
  let len = 0;
  while (len < 32 && m & 2147483648 >>> len) len++;
  return (len === 0 ? 0 : 4294967295 << 32 - len >>> 0) === m ? len : null;
}
function addrMask(a, always = true) {
  const len = maskLen(a.mask);
  if (!always && len === 32) return formatIPv4(a.addr);
  return `${formatIPv4(a.addr)}/${len ?? formatIPv4(a.mask >>> 0)}`;
}
var PROTOCOLS = {
  1: "icmp",
  2: "igmp",
  3: "ggp",
  4: "ipencap",
  5: "st",
  6: "tcp",
  8: "egp",
  9: "igp",
  12: "pup",
  17: "udp",
  20: "hmp",
  22: "xns-idp",
  27: "rdp",
  29: "iso-tp4",
  33: "dccp",
  36: "xtp",
  37: "ddp",
  38: "idpr-cmtp",
  41: "ipv6",
  43: "ipv6-route",
  44: "ipv6-frag",
  45: "idrp",
  46: "rsvp",
  47: "gre",
  50: "esp",
  51: "ah",
  57: "skip",
  58: "ipv6-icmp",
  59: "ipv6-nonxt",
  60: "ipv6-opts",
  73: "rspf",
  81: "vmtp",
  88: "eigrp",
  89: "ospf",
  93: "ax.25",
  94: "ipip",
  97: "etherip",
  98: "encap",
  103: "pim",
  108: "ipcomp",
  112: "vrrp",
  115: "l2tp",
  124: "isis",
  132: "sctp",
  133: "fc",
  135: "mobility-header",
  136: "udplite",
  137: "mpls-in-ip",
  138: "manet",
  139: "hip",
  140: "shim6",
  141: "wesp",
  142: "rohc",
  143: "ethernet"
};
function protoName(n2) {
  return n2 === 0 ? "all" : PROTOCOLS[n2] ?? String(n2);
}
function limitRate(period) {
  const rates = [
    ["day", 1e4 * 24 * 60 * 60],
    ["hour", 1e4 * 60 * 60],
    ["min", 1e4 * 60],
    ["sec", 1e4]
  ];
  let i = 1;
  for (; i < rates.length; i++) {
    const mult2 = rates[i][1];
    if (period > mult2 || Math.floor(mult2 / period) < mult2 % period) break;
  }
  const [name, mult] = rates[i - 1];
  return `${Math.floor(mult / period)}/${name}`;
}
var LOG_FLAG_NAMES = [
  ["tcp-sequence", 1],
  ["tcp-options", 2],
  ["ip-options", 4],
  ["uid", 8],
  ["macdecode", 32]
];
function ports2(p) {
  return p.lo === p.hi ? `${p.lo}` : `${p.lo}:${p.hi}`;
}
function inv(b) {
  return b ? " !" : "";
}
var TCP_FLAG_NAMES = [
  ["FIN", 1],
  ["SYN", 2],
  ["RST", 4],
  ["PSH", 8],
  ["ACK", 16],
  ["URG", 32]
];
function ipvsOptions(m, prefix) {
  let s2 = "";
  if (m.ipvs) s2 += `${inv(m.ipvs.inv)} ${prefix}ipvs`;
  if (m.vproto) s2 += `${inv(m.vproto.inv)} ${prefix}vproto ${m.vproto.proto}`;
  if (m.vaddr) s2 += `${inv(m.vaddr.inv)} ${prefix}vaddr ${addrMask(m.vaddr)}`;
  if (m.vport) s2 += `${inv(m.vport.inv)} ${prefix}vport ${m.vport.port}`;
  if (m.vdir) s2 += `${inv(m.vdir.inv)} ${prefix}vdir ${m.vdir.dir}`;
  return s2;
}
function physdevOptions(m) {
  let s2 = "";
  if (m.isIn !== void 0) s2 += `${inv(!m.isIn)} --physdev-is-in`;
  if (m.in) s2 += `${inv(m.in.inv)} --physdev-in ${m.in.name}`;
  if (m.isOut !== void 0) s2 += `${inv(!m.isOut)} --physdev-is-out`;
  if (m.out) s2 += `${inv(m.out.inv)} --physdev-out ${m.out.name}`;
  if (m.isBridged !== void 0) s2 += `${inv(!m.isBridged)} --physdev-is-bridged`;
  return s2;
}
function tcpFlagNames(f) {
  const n2 = TCP_FLAG_NAMES.filter(([, b]) => f & b).map(([s2]) => s2);
  return n2.length ? n2.join(",") : "NONE";
}
var CT_STATE_NAMES = [
  ["INVALID", 1],
  ["NEW", 8],
  ["RELATED", 4],
  ["ESTABLISHED", 2],
  ["UNTRACKED", 1 << 8],
  ["SNAT", 1 << 9],
  ["DNAT", 1 << 10]
];
var STATE_NAMES = CT_STATE_NAMES.slice(0, 5);
function stateList(bits, names) {
  return names.filter(([, b]) => bits & b).map(([s2]) => s2).join(",");
}
var ADDRTYPE_NAMES = [
  "UNSPEC",
  "UNICAST",
  "LOCAL",
  "BROADCAST",
  "ANYCAST",
  "MULTICAST",
  "BLACKHOLE",
  "UNREACHABLE",
  "PROHIBIT",
  "THROW",
  "NAT",
  "XRESOLVE"
];
function addrtypeList(bits) {
  return ADDRTYPE_NAMES.filter((_, i) => bits & 1 << i).join(",");
}
function portsOpt(name, p) {
  return p ? `${inv(p.inv)} --${name} ${ports2(p)}` : "";
}
function hex(n2) {
  return `0x${(n2 >>> 0).toString(16)}`;
}
function probabilityText(p) {
  return (Math.round(p * 2147483648) / 2147483648).toFixed(11);
}
function saveMatch(m) {
  switch (m.kind) {
    case "tcp":
      return `-m tcp${portsOpt("sport", m.sport)}${portsOpt("dport", m.dport)}${m.flags ? `${inv(m.flags.inv)} --tcp-flags ${tcpFlagNames(m.flags.mask)} ${tcpFlagNames(m.flags.cmp)}` : ""}`;
    case "udp":
      return `-m udp${portsOpt("sport", m.sport)}${portsOpt("dport", m.dport)}`;
    case "sctp":
      return `-m sctp${portsOpt("sport", m.sport)}${portsOpt("dport", m.dport)}`;
    case "icmp": {
      const t = m.type === 255 ? "any" : m.codeLo === 0 && m.codeHi === 255 ? `${m.type}` : `${m.type}/${m.codeLo}`;
      return `-m icmp${inv(m.inv)} --icmp-type ${t}`;
    }
    case "state":
      return `-m state${inv(m.inv)} --state ${stateList(m.states, STATE_NAMES)}`;
    case "conntrack": {
      let s2 = "-m conntrack";
      if (m.ctstate) s2 += `${inv(m.ctstate.inv)} --ctstate ${stateList(m.ctstate.states, CT_STATE_NAMES)}`;
      if (m.ctproto) s2 += `${inv(m.ctproto.inv)} --ctproto ${m.ctproto.proto}`;
      const a = (n2, x) => x ? `${inv(x.inv)} --${n2} ${addrMask(x, false)}` : "";
      s2 += a("ctorigsrc", m.ctorigsrc) + a("ctorigdst", m.ctorigdst) + a("ctreplsrc", m.ctreplsrc) + a("ctrepldst", m.ctrepldst);
      const p = (n2, x) => x ? `${inv(x.inv)} --${n2} ${ports2(x)}` : "";
      s2 += p("ctorigsrcport", m.ctorigsrcport) + p("ctorigdstport", m.ctorigdstport) + p("ctreplsrcport", m.ctreplsrcport) + p("ctrepldstport", m.ctrepldstport);
      if (m.ctdir) s2 += ` --ctdir ${m.ctdir}`;
      return s2;
    }
    case "comment":
      return `-m comment --comment ${saveString(m.text)}`;
    case "mark":
      return `-m mark${inv(m.inv)} --mark ${hex(m.value)}${m.mask === 4294967295 ? "" : `/${hex(m.mask)}`}`;
    case "connmark":
      return `-m connmark${inv(m.inv)} --mark ${hex(m.value)}${m.mask === 4294967295 ? "" : `/${hex(m.mask)}`}`;
    case "multiport":
      return `-m multiport${inv(m.inv)} --${m.dir} ${m.ports.map(ports2).join(",")}`;
    case "addrtype": {
      let s2 = "-m addrtype";
      if (m.src) s2 += `${inv(m.src.inv)} --src-type ${addrtypeList(m.src.types)}`;
      if (m.dst) s2 += `${inv(m.dst.inv)} --dst-type ${addrtypeList(m.dst.types)}`;
      if (m.limitIn) s2 += " --limit-iface-in";
      if (m.limitOut) s2 += " --limit-iface-out";
      return s2;
    }
    case "statistic":
      if (m.mode === "random")
        return `-m statistic --mode random${inv(m.inv)} --probability ${probabilityText(m.probability)}`;
      return `-m statistic --mode nth${inv(m.inv)} --every ${m.every} --packet ${m.packet}`;
    case "recent": {
      let s2 = `-m recent${inv(m.inv)} --${m.cmd}`;
      if (m.seconds) s2 += ` --seconds ${m.seconds}`;
      if (m.reap) s2 += " --reap";
      if (m.hitcount) s2 += ` --hitcount ${m.hitcount}`;
      if (m.rttl) s2 += " --rttl";
      return `${s2} --name ${m.name} --mask ${formatIPv4(m.mask)} --${m.side === "source" ? "rsource" : "rdest"}`;
    }
    case "physdev":
      return `-m physdev${physdevOptions(m)}`;
    case "set":
      return `-m set${inv(m.inv)} --match-set ${m.name} ${m.flags.join(",")}`;
    case "limit":
      return `-m limit --limit ${limitRate(m.avg)}${m.burst !== 5 ? ` --limit-burst ${m.burst}` : ""}`;
    case "mac":
      return `-m mac${inv(m.inv)} --mac-source ${m.mac}`;
    case "ipvs":
      return `-m ipvs${ipvsOptions(m, "--")}`;
    case "iprange": {
      let s2 = "-m iprange";
      if (m.src) s2 += `${inv(m.src.inv)} --src-range ${formatIPv4(m.src.lo)}-${formatIPv4(m.src.hi)}`;
      if (m.dst) s2 += `${inv(m.dst.inv)} --dst-range ${formatIPv4(m.dst.lo)}-${formatIPv4(m.dst.hi)}`;
      return s2;
    }
    case "length":
      return `-m length${inv(m.inv)} --length ${m.lo === m.hi ? m.lo : `${m.lo}:${m.hi}`}`;
    case "ttl":
      return `-m ttl${m.mode === "ne" ? " ! --ttl-eq" : ` --ttl-${m.mode}`} ${m.value}`;
    case "pkttype":
      return `-m pkttype${inv(m.inv)} --pkt-type ${m.type}`;
  }
}
function natRangeText(r) {
  let s2 = "";
  if (r.mapIps) s2 += formatIPv4(r.minAddr) + (r.maxAddr !== r.minAddr ? `-${formatIPv4(r.maxAddr)}` : "");
  if (r.minPort !== null && r.maxPort !== null)
    s2 += `:${r.minPort}${r.maxPort !== r.minPort ? `-${r.maxPort}` : ""}`;
  return s2;
}
function portRangeText(r) {
  if (r.minPort === null || r.maxPort === null) return "";
  return `${r.minPort}${r.maxPort !== r.minPort ? `-${r.maxPort}` : ""}`;
}
function targetName(t) {
  switch (t.kind) {
    case "none":
      return "";
    case "jump":
      return t.chain;
    default:
      return t.kind;
  }
}
function saveTarget(t) {
  switch (t.kind) {
    case "none":
      return "";
    case "jump":
      return `${t.goto ? "-g" : "-j"} ${t.chain}`;
    case "ACCEPT":
    case "DROP":
    case "RETURN":
    case "NOTRACK":
    case "TRACE":
      return `-j ${t.kind}`;
    case "REJECT":
      return `-j REJECT --reject-with ${t.with}`;
    case "LOG":
      return `-j LOG${t.prefix !== null ? ` --log-prefix ${saveString(t.prefix)}` : ""}${t.level !== 4 ? ` --log-level ${t.level}` : ""}${LOG_FLAG_NAMES.filter(
        ([, b]) => t.flags & b
      ).map(([n2]) => ` --log-${n2}`).join("")}`;
    case "MARK":
      return `-j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case "CONNMARK":
      if (t.mode === "set") return `-j CONNMARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
      return `-j CONNMARK --${t.mode}-mark --nfmask ${hex(t.nfmask)} --ctmask ${hex(t.ctmask)}`;
    case "DNAT":
    case "SNAT": {
      const r = t.range;
      return `-j ${t.kind} --to-${t.kind === "DNAT" ? "destination" : "source"} ${natRangeText(r)}${r.random ? " --random" : ""}${r.randomFully ? " --random-fully" : ""}${r.persistent ? " --persistent" : ""}`;
    }
    case "MASQUERADE": {
      const p = portRangeText(t.range);
      return `-j MASQUERADE${p ? ` --to-ports ${p}` : ""}${t.range.random ? " --random" : ""}${t.range.randomFully ? " --random-fully" : ""}`;
    }
    case "REDIRECT": {
      const p = portRangeText(t.range);
      return `-j REDIRECT${p ? ` --to-ports ${p}` : ""}${t.range.random ? " --random" : ""}`;
    }
    case "CT":
      return `-j CT${t.notrack ? " --notrack" : ""}`;
  }
}
function ruleSpec(r) {
  const p = [];
  if (r.src) p.push(`${r.src.inv ? "! " : ""}-s ${addrMask(r.src)}`);
  if (r.dst) p.push(`${r.dst.inv ? "! " : ""}-d ${addrMask(r.dst)}`);
  if (r.inIface) p.push(`${r.inIface.inv ? "! " : ""}-i ${r.inIface.name}`);
  if (r.outIface) p.push(`${r.outIface.inv ? "! " : ""}-o ${r.outIface.name}`);
  if (r.proto && (r.proto.num !== 0 || r.proto.inv))
    p.push(`${r.proto.inv ? "! " : ""}-p ${protoName(r.proto.num)}`);
  if (r.frag !== void 0) p.push(r.frag ? "-f" : "! -f");
  for (const m of r.matches) p.push(saveMatch(m));
  const t = saveTarget(r.target);
  if (t) p.push(t);
  return p.join(" ");
}
function formatRule(chain, r) {
  const spec = ruleSpec(r);
  return `-A ${chain}${spec ? ` ${spec}` : ""}`;
}

// src/kernel/netfilter/core.ts
var IPVS_HOOK = {
  ipvsReply: "reply",
  ipvsRequest: "remoteRequest",
  ipvsLocalReply: "localReply",
  ipvsLocalRequest: "localRequest"
};
var STAGES = {
  PREROUTING: ["raw", "conntrack", "mangle", "natDst"],
  INPUT: ["mangle", "filter", "security", "ipvsReply", "ipvsRequest", "natSrc", "confirm"],
  FORWARD: ["mangle", "filter", "security", "ipvsReply"],
  OUTPUT: [
    "raw",
    "conntrack",
    "mangle",
    "natDst",
    "ipvsLocalReply",
    "ipvsLocalRequest",
    "filter",
    "security"
  ],
  POSTROUTING: ["mangle", "natSrc", "confirm"]
};
var MAX_DEPTH = 64;
function maskMatch(a, m) {
  return (a & m.mask) >>> 0 === m.addr >>> 0 !== m.inv;
}
function ifaceMatch(dev, m) {
  const name = typeof dev === "string" ? dev : dev?.name ?? "";
  const hit = m.name.endsWith("+") ? name.startsWith(m.name.slice(0, -1)) : name === m.name;
  return hit !== m.inv;
}
function portIn(p, r) {
  if (!r) return true;
  return (p >= r.lo && p <= r.hi) !== r.inv;
}
function tcpFlagsByte(s2) {
  const f = s2.flags;
  return (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.rst ? 4 : 0) | (f.psh ? 8 : 0) | (f.ack ? 16 : 0);
}
function ctStateBits(skb) {
  if (skb.untracked) return CT_STATE_UNTRACKED;
  const c = skb.ct;
  if (!c) return CT_STATE_INVALID;
  const base = skb.ctinfo % IP_CT_IS_REPLY;
  let bits = base === 0 ? CT_STATE_ESTABLISHED : base === 1 ? CT_STATE_RELATED : CT_STATE_NEW;
  if (c.status & IPS_SRC_NAT) bits |= CT_STATE_SNAT;
  if (c.status & IPS_DST_NAT) bits |= CT_STATE_DNAT;
  return bits;
}
function addrType(ns, a, dev) {
  if (a === 0 || a === 4294967295) return 1 << 3;
  if (isMulticast4(a)) return 1 << 5;
  const local = ns.fib.find(RT_TABLE_LOCAL);
  const r = local?.lookup(a, (x) => x.dstLen === 32 && (dev === null || x.dev === dev));
  if (r && r.dst === a) {
    if (r.type === "local") return 1 << 2;
    if (r.type === "broadcast") return 1 << 3;
  }
  return 1 << 1;
}
function matchOne(ctx, m) {
  const pkt = ctx.pkt;
  const l4 = pkt.l4;
  switch (m.kind) {
    case "tcp":
      if (l4.proto !== "tcp") return false;
      if (!portIn(l4.sport, m.sport) || !portIn(l4.dport, m.dport)) return false;
      if (m.flags && (tcpFlagsByte(l4) & m.flags.mask) === m.flags.cmp === m.flags.inv) return false;
      return true;
    case "udp":
      return l4.proto === "udp" && portIn(l4.sport, m.sport) && portIn(l4.dport, m.dport);
    case "sctp":
      return false;
    case "icmp": {
      if (l4.proto !== "icmp") return false;
      const hit = m.type === 255 || l4.type === m.type && l4.code >= m.codeLo && l4.code <= m.codeHi;
      return hit !== m.inv;
    }
    case "state":
      return (ctStateBits(ctx.skb) & m.states) !== 0 !== m.inv;
    case "conntrack": {
      const c = ctx.skb.ct;
      if (m.ctstate && (ctStateBits(ctx.skb) & m.ctstate.states) !== 0 === m.ctstate.inv) return false;
      const others = m.ctproto || m.ctorigsrc || m.ctorigdst || m.ctreplsrc || m.ctrepldst || m.ctorigsrcport || m.ctorigdstport || m.ctreplsrcport || m.ctrepldstport || m.ctstatus || m.ctdir;
      if (!others) return true;
      if (!c) return false;
      const [o, r] = c.tuple;
      if (m.ctproto && o.proto === m.ctproto.proto === m.ctproto.inv) return false;
      if (m.ctorigsrc && !maskMatch(o.src, m.ctorigsrc)) return false;
      if (m.ctorigdst && !maskMatch(o.dst, m.ctorigdst)) return false;
      if (m.ctreplsrc && !maskMatch(r.src, m.ctreplsrc)) return false;
      if (m.ctrepldst && !maskMatch(r.dst, m.ctrepldst)) return false;
      if (m.ctorigsrcport && !portIn(o.sport, m.ctorigsrcport)) return false;
      if (m.ctorigdstport && !portIn(o.dport, m.ctorigdstport)) return false;
      if (m.ctreplsrcport && !portIn(r.sport, m.ctreplsrcport)) return false;
      if (m.ctrepldstport && !portIn(r.dport, m.ctrepldstport)) return false;
      if (m.ctstatus && (c.status & m.ctstatus.status) !== 0 === m.ctstatus.inv) return false;
      if (m.ctdir && (ctx.skb.ctinfo >= IP_CT_IS_REPLY ? "REPLY" : "ORIGINAL") !== m.ctdir) return false;
      return true;
    }
    case "comment":
      return true;
    case "mark":
      return (ctx.skb.mark & m.mask) >>> 0 === m.value >>> 0 !== m.inv;
    case "connmark": {
      const c = ctx.skb.ct;
      if (!c) return false;
      return (c.mark & m.mask) >>> 0 === m.value >>> 0 !== m.inv;
    }
    case "multiport": {
      if (l4.proto !== "tcp" && l4.proto !== "udp") return false;
      const hit = m.ports.some(
        (r) => (m.dir === "sports" || m.dir === "ports") && l4.sport >= r.lo && l4.sport <= r.hi || (m.dir === "dports" || m.dir === "ports") && l4.dport >= r.lo && l4.dport <= r.hi
      );
      return hit !== m.inv;
    }
    case "addrtype": {
      if (m.src) {
        const dev = m.limitIn ? ctx.inDev : m.limitOut ? ctx.outDev : null;
        if ((addrType(ctx.ns, pkt.src, dev) & m.src.types) !== 0 === m.src.inv) return false;
      }
      if (m.dst) {
        const dev = m.limitIn ? ctx.inDev : m.limitOut ? ctx.outDev : null;
        if ((addrType(ctx.ns, pkt.dst, dev) & m.dst.types) !== 0 === m.dst.inv) return false;
      }
      return true;
    }
    case "statistic":
      if (m.mode === "random") {
        const draw = ctx.ns.kernel.rng.nextInt(2147483648);
        return draw < Math.round(m.probability * 2147483648) !== m.inv;
      } else {
        const o = m.counter.n;
        const n2 = o === m.every - 1 ? 0 : o + 1;
        m.counter.n = n2;
        return n2 === 0 !== m.inv;
      }
    case "recent":
      return recentMatch(ctx, m);
    case "physdev": {
      const s2 = ctx.skb;
      if (!s2.bridged) {
        if (m.isBridged === true || m.isIn === true || m.isOut === true) return false;
        if (m.in && !m.in.inv || m.out && !m.out.inv) return false;
        return true;
      }
      if (m.isBridged !== void 0 && s2.physOut !== null !== m.isBridged) return false;
      if (m.isIn !== void 0 && s2.physIn !== null !== m.isIn) return false;
      if (m.isOut !== void 0 && s2.physOut !== null !== m.isOut) return false;
      if (m.in && s2.physIn !== null && !ifaceMatch(s2.physIn, m.in)) return false;
      if (m.out && s2.physOut !== null && !ifaceMatch(s2.physOut, m.out)) return false;
      return true;
    }
    case "set": {
      const set = nfState(ctx.ns).sets.get(m.name);
      if (!set) return m.inv;
      return ipsetTest(set, pkt, m.flags) !== m.inv;
    }
    case "limit":
      return limitMatch(ctx, m);
    case "mac":
      if (ctx.skb.macSrc === null) return false;
      return ctx.skb.macSrc === m.mac !== m.inv;
    case "iprange": {
      const inRange2 = (a, r) => a >>> 0 >= r.lo >>> 0 && a >>> 0 <= r.hi >>> 0;
      if (m.src && inRange2(pkt.src, m.src) === m.src.inv) return false;
      if (m.dst && inRange2(pkt.dst, m.dst) === m.dst.inv) return false;
      return true;
    }
    case "length":
      return (pkt.len >= m.lo && pkt.len <= m.hi) !== m.inv;
    case "ttl":
      return m.mode === "eq" ? pkt.ttl === m.value : m.mode === "ne" ? pkt.ttl !== m.value : m.mode === "lt" ? pkt.ttl < m.value : pkt.ttl > m.value;
    case "ipvs":
      return ipvsMatch(ctx, m);
    case "pkttype": {
      const t = ctx.skb.pktType ?? "HOST";
      const name = t === "HOST" ? "unicast" : t === "BROADCAST" ? "broadcast" : "multicast";
      return name === m.type !== m.inv;
    }
  }
}
function ipvsMatch(ctx, m) {
  const skb = ctx.skb;
  if (m.ipvs && !m.vproto && !m.vaddr && !m.vport && !m.vdir) return skb.ipvsProperty !== m.ipvs.inv;
  if (!skb.ipvsProperty) return false;
  const pkt = ctx.pkt;
  const l4 = pkt.l4;
  const proto = l4.proto === "tcp" ? 6 : l4.proto === "udp" ? 17 : 1;
  if (m.vproto && proto === m.vproto.proto === m.vproto.inv) return false;
  if (l4.proto === "icmp") return false;
  const cp = ipVsConnOutGet(ctx.ns, proto, pkt.dst, l4.dport, pkt.src, l4.sport) ?? ipVsConnOutGet(ctx.ns, proto, pkt.src, l4.sport, pkt.dst, l4.dport);
  if (!cp) return false;
  if (m.vport && cp.vport === m.vport.port === m.vport.inv) return false;
  if (m.vdir) {
    if (!skb.ct) return false;
    const wantReply = m.vdir.dir === "REPLY" !== m.vdir.inv;
    if (skb.ctinfo >= IP_CT_IS_REPLY !== wantReply) return false;
  }
  if (m.vaddr && !maskMatch(cp.vaddr, m.vaddr)) return false;
  return true;
}
var HZ = 250;
var CREDITS_PER_JIFFY = 128;
function user2credits(user) {
  if (user > Math.floor(4294967295 / (HZ * CREDITS_PER_JIFFY)))
    return Math.floor(user / 1e4) * HZ * CREDITS_PER_JIFFY;
  return Math.floor(user * HZ * CREDITS_PER_JIFFY / 1e4);
}
function limitMatch(ctx, m) {
  const now = Math.floor(ctx.ns.kernel.clock.now / (1e3 / HZ));
  const st = m.state;
  const cap = user2credits(m.avg * m.burst);
  if (st.prev === null) {
    st.prev = now;
    st.credit = cap;
  }
  st.credit += (now - st.prev) * CREDITS_PER_JIFFY;
  st.prev = now;
  if (st.credit > cap) st.credit = cap;
  const cost = user2credits(m.avg);
  if (st.credit >= cost) {
    st.credit -= cost;
    return true;
  }
  return false;
}
function recentMatch(ctx, m) {
  const s2 = nfState(ctx.ns);
  let list = s2.recent.get(m.name);
  if (!list) s2.recent.set(m.name, list = /* @__PURE__ */ new Map());
  const a = ((m.side === "source" ? ctx.pkt.src : ctx.pkt.dst) & m.mask) >>> 0;
  const now = ctx.ns.kernel.clock.now;
  let e = list.get(a);
  if (m.cmd === "set") {
    if (!e) list.set(a, e = { addr: a, stamps: [], ttl: ctx.pkt.ttl });
    e.stamps.push(now);
    if (e.stamps.length > 20) e.stamps.shift();
    return !m.inv;
  }
  if (!e) return m.inv;
  if (m.cmd === "remove") {
    list.delete(a);
    return !m.inv;
  }
  let hit = true;
  if (m.seconds > 0 || m.hitcount > 0) {
    const since = m.seconds > 0 ? now - m.seconds * 1e3 : Number.NEGATIVE_INFINITY;
    const n2 = e.stamps.filter((t) => t >= since).length;
    hit = n2 >= Math.max(1, m.hitcount);
    if (m.reap && m.seconds > 0) e.stamps = e.stamps.filter((t) => t >= since);
  }
  if (hit && m.cmd === "update") e.stamps.push(now);
  return hit !== m.inv;
}
function ruleMatches2(ctx, r) {
  const pkt = ctx.pkt;
  if (r.src && !maskMatch(pkt.src, r.src)) return false;
  if (r.dst && !maskMatch(pkt.dst, r.dst)) return false;
  if (r.inIface && !ifaceMatch(ctx.inDev, r.inIface)) return false;
  if (r.outIface && !ifaceMatch(ctx.outDev, r.outIface)) return false;
  if (r.proto && r.proto.num !== 0) {
    const p = pkt.l4.proto === "icmp" ? 1 : pkt.l4.proto === "tcp" ? 6 : 17;
    if (p === r.proto.num === r.proto.inv) return false;
  }
  if (r.frag === true) return false;
  for (const m of r.matches) if (!matchOne(ctx, m)) return false;
  return true;
}
function logLine(ctx, prefix) {
  const p = ctx.pkt;
  const l4 = p.l4;
  let s2 = `${prefix}IN=${ctx.inDev?.name ?? ""} OUT=${ctx.outDev?.name ?? ""} SRC=${formatIPv4(p.src)} DST=${formatIPv4(p.dst)} LEN=${p.len} TOS=0x${p.tos.toString(16).padStart(2, "0").toUpperCase()} PREC=0x00 TTL=${p.ttl} ID=${p.id}`;
  if (l4.proto === "icmp")
    s2 += ` PROTO=ICMP TYPE=${l4.type} CODE=${l4.code}${l4.inner ? "" : ` ID=${l4.id} SEQ=${l4.seq}`}`;
  else if (l4.proto === "udp") s2 += ` PROTO=UDP SPT=${l4.sport} DPT=${l4.dport} LEN=${8 + l4.payload.length}`;
  else {
    const f = l4.flags;
    const fl = [
      f.ack ? "ACK" : "",
      f.psh ? "PSH" : "",
      f.rst ? "RST" : "",
      f.syn ? "SYN" : "",
      f.fin ? "FIN" : ""
    ].filter(Boolean).join(" ");
    s2 += ` PROTO=TCP SPT=${l4.sport} DPT=${l4.dport} WINDOW=64240 RES=0x00 ${fl} URGP=0`;
  }
  return s2;
}
var REJECT_CODES = {
  "icmp-net-unreachable": 0,
  "icmp-host-unreachable": 1,
  "icmp-proto-unreachable": 2,
  "icmp-port-unreachable": 3,
  "icmp-net-prohibited": 9,
  "icmp-host-prohibited": 10,
  "icmp-admin-prohibited": 13
};
function sendReset2(ns, pkt) {
  const s2 = pkt.l4;
  if (s2.proto !== "tcp" || s2.flags.rst) return;
  const l4 = s2.flags.ack ? { proto: "tcp", sport: s2.dport, dport: s2.sport, flags: { rst: true }, seq: s2.ack, ack: 0, payload: "" } : {
    proto: "tcp",
    sport: s2.dport,
    dport: s2.sport,
    flags: { rst: true, ack: true },
    seq: 0,
    ack: s2.seq + s2.payload.length + (s2.flags.syn ? 1 : 0) + (s2.flags.fin ? 1 : 0),
    payload: ""
  };
  const rt = routeOutput(ns, pkt.src, {});
  if (!rt.ok) return;
  const rst = {
    kind: "ipv4",
    src: pkt.dst,
    dst: pkt.src,
    ttl: ns.sysctl.num("net.ipv4.ip_default_ttl"),
    tos: 0,
    id: 0,
    len: 40,
    l4
  };
  ns.kernel.hop(ns, "send", "REJECT: tcp reset", describeIp(rst));
  ipLocalOut(ns, rst, rt.rt);
}
function natRangeFor(ctx, r) {
  const t = r.target;
  if (t.kind === "DNAT" || t.kind === "SNAT") return t.range;
  if (t.kind === "MASQUERADE") {
    const out = ctx.outDev;
    if (!out) return null;
    const rt = routeOutput(ctx.ns, ctx.pkt.dst, { oif: out });
    const nh = rt.ok ? rt.rt.nexthop : ctx.pkt.dst;
    const a = inetSelectAddr(out, nh, "global");
    if (!a) return null;
    return { ...t.range, minAddr: a, maxAddr: a, mapIps: true };
  }
  if (t.kind === "REDIRECT") {
    let a;
    if (ctx.hook === "OUTPUT") a = 2130706433;
    else {
      const first = ctx.inDev?.inet[0];
      if (!first) return null;
      a = first.local;
    }
    return { ...t.range, minAddr: a, maxAddr: a, mapIps: true };
  }
  return null;
}
function runTarget(ctx, r, depth) {
  const t = r.target;
  const k = ctx.ns.kernel;
  switch (t.kind) {
    case "none":
      return "NEXT";
    case "ACCEPT":
      return { v: "ACCEPT" };
    case "DROP":
      return { v: "DROP", reason: `${ctx.table.name} rule DROP` };
    case "RETURN":
      return { v: "CONTINUE" };
    case "jump": {
      const sub = ctx.table.chains.get(t.chain);
      if (!sub) return "NEXT";
      const res = runChain(ctx, sub, depth + 1);
      if (t.goto) return res;
      return res.v === "CONTINUE" ? "NEXT" : res;
    }
    case "REJECT": {
      if (t.with === "tcp-reset") sendReset2(ctx.ns, ctx.pkt);
      else icmpSend(ctx.ns, ctx.pkt, 3, REJECT_CODES[t.with] ?? 3, ctx.inDev);
      return { v: "DROP", reason: `REJECT --reject-with ${t.with}` };
    }
    case "LOG":
      k.log(logLine(ctx, t.prefix ?? ""));
      return "NEXT";
    case "MARK":
      ctx.skb.mark = (ctx.skb.mark & ~t.mask ^ t.value) >>> 0;
      return "NEXT";
    case "CONNMARK": {
      const c = ctx.skb.ct;
      if (!c) return "NEXT";
      if (t.mode === "set") c.mark = (c.mark & ~t.mask ^ t.value) >>> 0;
      else if (t.mode === "save") c.mark = (c.mark & ~t.ctmask ^ ctx.skb.mark & t.nfmask) >>> 0;
      else ctx.skb.mark = (ctx.skb.mark & ~t.nfmask ^ c.mark & t.ctmask) >>> 0;
      return "NEXT";
    }
    case "NOTRACK":
    case "CT":
      if (t.kind === "NOTRACK" || t.notrack) {
        ctx.skb.untracked = true;
        ctx.skb.ct = null;
      }
      return "NEXT";
    case "TRACE":
      ctx.skb.trace = true;
      return "NEXT";
    case "DNAT":
    case "SNAT":
    case "MASQUERADE":
    case "REDIRECT": {
      const c = ctx.skb.ct;
      if (!c) return { v: "ACCEPT" };
      const range = natRangeFor(ctx, r);
      if (!range) return { v: "DROP", reason: `${t.kind}: no address` };
      const m = hookManip(ctx.hook);
      natSetupInfo(conntrackOf(ctx.ns), c, range, m);
      if (k.trace)
        k.hop(
          ctx.ns,
          "nat",
          `${t.kind}: ${describeTuple(c.tuple[0])} reply ${describeTuple(c.tuple[1])}`,
          describeIp(ctx.pkt)
        );
      return { v: "ACCEPT" };
    }
  }
}
function describeTuple(t) {
  return `${formatIPv4(t.src)}:${t.sport} -> ${formatIPv4(t.dst)}:${t.dport}`;
}
function traceLog(ctx, chain, kind, n2) {
  const line = `TRACE: ${ctx.table.name}:${chain.name}:${kind}:${n2} ${logLine(ctx, "")}`;
  ctx.ns.kernel.log(line);
}
function* candidates(c, dst) {
  const idx = chainIndex(c);
  if (!idx) {
    for (let i2 = 0; i2 < c.rules.length; i2++) yield i2;
    return;
  }
  const a = idx.byDst.get(dst) ?? [];
  const b = idx.rest;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || i < a.length && a[i] < b[j]) yield a[i++];
    else yield b[j++];
  }
}
function runChain(ctx, c, depth) {
  if (depth > MAX_DEPTH) return { v: "DROP", reason: "chain loop" };
  const len = ctx.pkt.len;
  const rules = c.rules;
  for (const i of candidates(c, ctx.pkt.dst)) {
    const r = rules[i];
    if (!ruleMatches2(ctx, r)) continue;
    r.counters.pkts++;
    r.counters.bytes += len;
    if (ctx.skb.trace) traceLog(ctx, c, "rule", i + 1);
    const before = ctx.skb.trace;
    if (ctx.ns.kernel.trace)
      ctx.ns.kernel.hop(
        ctx.ns,
        "netfilter",
        `${ctx.hook} ${ctx.table.name}/${c.name} rule ${i + 1}: ${formatRule(c.name, r)}`,
        describeIp(ctx.pkt)
      );
    const res = runTarget(ctx, r, depth);
    if (!before && ctx.skb.trace) traceLog(ctx, c, "rule", i + 1);
    if (res === "NEXT") continue;
    if (res.v === "CONTINUE" && r.target.kind === "RETURN" && ctx.skb.trace)
      traceLog(ctx, c, "return", i + 1);
    return res;
  }
  return { v: "CONTINUE" };
}
function runTable(ctx) {
  const c = ctx.table.chains.get(ctx.hook);
  if (!c) return { v: "ACCEPT" };
  const res = runChain(ctx, c, 0);
  if (res.v !== "CONTINUE") return res;
  if (c.counting) {
    c.counters.pkts++;
    c.counters.bytes += ctx.pkt.len;
  }
  if (ctx.skb.trace) traceLog(ctx, c, "policy", c.rules.length + 1);
  if (ctx.ns.kernel.trace)
    ctx.ns.kernel.hop(
      ctx.ns,
      "netfilter",
      `${ctx.hook} ${ctx.table.name}/${c.name}: policy ${c.policy}`,
      describeIp(ctx.pkt)
    );
  if (c.policy === "DROP") return { v: "DROP", reason: `${ctx.table.name} ${c.name} policy DROP` };
  return { v: "ACCEPT" };
}
function nfHookImpl(ns, hook, pkt0, inDev, outDev) {
  const s2 = nfState(ns);
  const skb = skbOf(pkt0, ns);
  if (hook === "PREROUTING" && skb.brPrerouted) return { verdict: "ACCEPT", pkt: pkt0 };
  const ctOn = conntrackNeeded(s2) || ipvsActive(ns) && ns.sysctl.get("net.ipv4.vs.conntrack") === "1";
  const k = ns.kernel;
  let pkt = pkt0;
  const setPkt = (p) => {
    if (p !== pkt) {
      skbMove(pkt, p);
      pkt = p;
    }
  };
  for (const st of STAGES[hook]) {
    switch (st) {
      case "conntrack": {
        if (!ctOn || skb.untracked || skb.ct) break;
        const r = conntrackIn(ns, pkt);
        if (r.kind === "drop") return { verdict: "DROP", reason: r.reason };
        if (r.kind === "invalid") {
          if (k.trace) k.hop(ns, "conntrack", `INVALID: ${r.reason}`, describeIp(pkt));
          break;
        }
        skb.ct = r.conn;
        skb.ctinfo = r.ctinfo;
        if (k.trace)
          k.hop(
            ns,
            "conntrack",
            `${ctinfoName(r.ctinfo)}${r.created ? " (new flow)" : ""}: ${describeTuple(r.conn.tuple[0])}`,
            describeIp(pkt)
          );
        break;
      }
      case "natDst":
      case "natSrc": {
        const t = s2.tables.get("nat");
        const c = skb.ct;
        if (!t || !c) break;
        const m = hookManip(hook);
        const ci = skb.ctinfo;
        if (ci === IP_CT_NEW || ci === IP_CT_RELATED || ci === IP_CT_RELATED_REPLY) {
          if (!natInitialized(c, m)) {
            const res = runTable({ ns, hook, table: t, pkt, inDev, outDev, skb });
            if (res.v === "DROP") return { verdict: "DROP", reason: res.reason };
            if (!natInitialized(c, m)) natNullBinding(conntrackOf(ns), c, hook);
          }
        }
        const before = pkt;
        setPkt(natPacket(c, ci, hook, pkt));
        if (pkt !== before) {
          if (k.trace)
            k.hop(ns, "nat", `${m === "DST" ? "destination" : "source"} rewritten`, describeIp(pkt));
        }
        break;
      }
      case "ipvsReply":
      case "ipvsRequest":
      case "ipvsLocalReply":
      case "ipvsLocalRequest": {
        if (!ipvsActive(ns)) break;
        const v = ipVsHook(ns, IPVS_HOOK[st], pkt, skb);
        if (v.verdict !== "ACCEPT") return v;
        setPkt(v.pkt);
        break;
      }
      case "confirm": {
        const c = skb.ct;
        if (!c) break;
        if (!conntrackOf(ns).confirm(c)) return { verdict: "DROP", reason: "conntrack: clash on confirm" };
        break;
      }
      default: {
        const t = s2.tables.get(st);
        if (!t) break;
        const res = runTable({ ns, hook, table: t, pkt, inDev, outDev, skb });
        if (res.v === "DROP") return { verdict: "DROP", reason: res.reason };
      }
    }
  }
  return { verdict: "ACCEPT", pkt };
}
function ctinfoName(ci) {
  return ["ESTABLISHED", "RELATED", "NEW", "ESTABLISHED_REPLY", "RELATED_REPLY"][ci] ?? `ctinfo ${ci}`;
}
setHookInstaller((ns) => registerNfHooks(ns, nfHookImpl));

// src/shell/commands/services.ts
var SERVICES = {
  tcp: {
    1: "tcpmux",
    7: "echo",
    9: "discard",
    11: "systat",
    13: "daytime",
    15: "netstat",
    17: "qotd",
    19: "chargen",
    20: "ftp-data",
    21: "ftp",
    22: "ssh",
    23: "telnet",
    25: "smtp",
    37: "time",
    43: "whois",
    49: "tacacs",
    53: "domain",
    70: "gopher",
    79: "finger",
    80: "http",
    88: "kerberos",
    102: "iso-tsap",
    104: "acr-nema",
    106: "poppassd",
    110: "pop3",
    111: "sunrpc",
    113: "auth",
    119: "nntp",
    135: "epmap",
    139: "netbios-ssn",
    143: "imap2",
    161: "snmp",
    162: "snmp-trap",
    163: "cmip-man",
    164: "cmip-agent",
    174: "mailq",
    179: "bgp",
    199: "smux",
    209: "qmtp",
    210: "z3950",
    345: "pawserv",
    346: "zserv",
    369: "rpc2portmap",
    370: "codaauth2",
    389: "ldap",
    427: "svrloc",
    443: "https",
    444: "snpp",
    445: "microsoft-ds",
    464: "kpasswd",
    465: "submissions",
    487: "saft",
    512: "exec",
    513: "login",
    514: "shell",
    515: "printer",
    538: "gdomap",
    540: "uucp",
    543: "klogin",
    544: "kshell",
    548: "afpovertcp",
    554: "rtsp",
    563: "nntps",
    587: "submission",
    607: "nqs",
    628: "qmqp",
    631: "ipp",
    636: "ldaps",
    646: "ldp",
    655: "tinc",
    706: "silc",
    749: "kerberos-adm",
    750: "kerberos4",
    751: "kerberos-master",
    754: "krb-prop",
    775: "moira-db",
    777: "moira-update",
    783: "spamd",
    853: "domain-s",
    871: "supfilesrv",
    873: "rsync",
    989: "ftps-data",
    990: "ftps",
    992: "telnets",
    993: "imaps",
    995: "pop3s",
    1080: "socks",
    1093: "proofd",
    1094: "rootd",
    1099: "rmiregistry",
    1127: "supfiledbg",
    1178: "skkserv",
    1194: "openvpn",
    1236: "rmtcfg",
    1313: "xtel",
    1314: "xtelw",
    1352: "lotusnote",
    1433: "ms-sql-s",
    1524: "ingreslock",
    1645: "datametrics",
    1646: "sa-msg-port",
    1649: "kermit",
    1677: "groupwise",
    1812: "radius",
    1813: "radius-acct",
    2e3: "cisco-sccp",
    2049: "nfs",
    2086: "gnunet",
    2101: "rtcm-sc104",
    2119: "gsigatekeeper",
    2121: "iprop",
    2135: "gris",
    2401: "cvspserver",
    2430: "venus",
    2431: "venus-se",
    2432: "codasrv",
    2433: "codasrv-se",
    2583: "mon",
    2600: "zebrasrv",
    2601: "zebra",
    2602: "ripd",
    2603: "ripngd",
    2604: "ospfd",
    2605: "bgpd",
    2606: "ospf6d",
    2607: "ospfapi",
    2608: "isisd",
    2628: "dict",
    2792: "f5-globalsite",
    2811: "gsiftp",
    2947: "gpsd",
    3050: "gds-db",
    3205: "isns",
    3260: "iscsi-target",
    3306: "mysql",
    3389: "ms-wbt-server",
    3493: "nut",
    3632: "distcc",
    3689: "daap",
    3690: "svn",
    4031: "suucp",
    4094: "sysrqd",
    4190: "sieve",
    4353: "f5-iquery",
    4369: "epmd",
    4373: "remctl",
    4460: "ntske",
    4557: "fax",
    4559: "hylafax",
    4691: "mtn",
    4899: "radmin-port",
    4949: "munin",
    5060: "sip",
    5061: "sip-tls",
    5222: "xmpp-client",
    5269: "xmpp-server",
    5308: "cfengine",
    5432: "postgresql",
    5556: "freeciv",
    5666: "nrpe",
    5667: "nsca",
    5671: "amqps",
    5672: "amqp",
    5680: "canna",
    6e3: "x11",
    6001: "x11-1",
    6002: "x11-2",
    6003: "x11-3",
    6004: "x11-4",
    6005: "x11-5",
    6006: "x11-6",
    6007: "x11-7",
    6346: "gnutella-svc",
    6347: "gnutella-rtr",
    6379: "redis",
    6444: "sge-qmaster",
    6445: "sge-execd",
    6446: "mysql-proxy",
    6514: "syslog-tls",
    6566: "sane-port",
    6667: "ircd",
    6697: "ircs-u",
    7e3: "bbs",
    7100: "font-service",
    8021: "zope-ftp",
    8080: "http-alt",
    8081: "tproxy",
    8088: "omniorb",
    8140: "puppet",
    8990: "clc-build-daemon",
    9098: "xinetd",
    9101: "bacula-dir",
    9102: "bacula-fd",
    9103: "bacula-sd",
    9418: "git",
    9667: "xmms2",
    9673: "zope",
    1e4: "webmin",
    10050: "zabbix-agent",
    10051: "zabbix-trapper",
    10080: "amanda",
    10081: "kamanda",
    10082: "amandaidx",
    10083: "amidxtape",
    10809: "nbd",
    11112: "dicom",
    11371: "hkp",
    17004: "sgi-cad",
    17500: "db-lsp",
    22125: "dcap",
    22128: "gsidcap",
    22273: "wnn6",
    24554: "binkp",
    27374: "asp",
    30865: "csync2",
    57e3: "dircproxy",
    60177: "tfido",
    60179: "fido"
  },
  udp: {
    7: "echo",
    9: "discard",
    13: "daytime",
    19: "chargen",
    21: "fsp",
    37: "time",
    49: "tacacs",
    53: "domain",
    67: "bootps",
    68: "bootpc",
    69: "tftp",
    88: "kerberos",
    111: "sunrpc",
    123: "ntp",
    137: "netbios-ns",
    138: "netbios-dgm",
    161: "snmp",
    162: "snmp-trap",
    163: "cmip-man",
    164: "cmip-agent",
    177: "xdmcp",
    213: "ipx",
    319: "ptp-event",
    320: "ptp-general",
    369: "rpc2portmap",
    370: "codaauth2",
    371: "clearcase",
    389: "ldap",
    427: "svrloc",
    443: "https",
    464: "kpasswd",
    500: "isakmp",
    512: "biff",
    513: "who",
    514: "syslog",
    517: "talk",
    518: "ntalk",
    520: "route",
    538: "gdomap",
    546: "dhcpv6-client",
    547: "dhcpv6-server",
    554: "rtsp",
    623: "asf-rmcp",
    636: "ldaps",
    646: "ldp",
    655: "tinc",
    750: "kerberos4",
    751: "kerberos-master",
    752: "passwd-server",
    779: "moira-ureg",
    853: "domain-s",
    1194: "openvpn",
    1210: "predict",
    1434: "ms-sql-m",
    1645: "datametrics",
    1646: "sa-msg-port",
    1701: "l2f",
    1812: "radius",
    1813: "radius-acct",
    2049: "nfs",
    2086: "gnunet",
    2101: "rtcm-sc104",
    2102: "zephyr-srv",
    2103: "zephyr-clt",
    2104: "zephyr-hm",
    2430: "venus",
    2431: "venus-se",
    2432: "codasrv",
    2433: "codasrv-se",
    2583: "mon",
    3130: "icpv2",
    3205: "isns",
    3493: "nut",
    4500: "ipsec-nat-t",
    4569: "iax",
    5060: "sip",
    5061: "sip-tls",
    5353: "mdns",
    5555: "rplay",
    6346: "gnutella-svc",
    6347: "gnutella-rtr",
    6696: "babel",
    7e3: "afs3-fileserver",
    7001: "afs3-callback",
    7002: "afs3-prserver",
    7003: "afs3-vlserver",
    7004: "afs3-kaserver",
    7005: "afs3-volser",
    7007: "afs3-bos",
    7008: "afs3-update",
    7009: "afs3-rmtsys",
    17001: "sgi-cmsd",
    17002: "sgi-crsd",
    17003: "sgi-gcd",
    27374: "asp"
  }
};

// src/shell/commands/iptables/parse.ts
var VERSION2 = "iptables v1.8.9 (nf_tables)";
var IptError = class extends Error {
  code;
  help;
  bare;
  blank;
  /** A line the extension prints to stderr before the error itself. */
  preface = "";
  constructor(message, code, help, bare2 = false, blank = false) {
    super(message);
    this.code = code;
    this.help = help;
    this.bare = bare2;
    this.blank = blank;
  }
};
function paramProblem(msg, blank = false) {
  return new IptError(msg, 2, true, false, blank);
}
var LONG_CMDS = {
  "--append": "A",
  "--check": "C",
  "--delete": "D",
  "--insert": "I",
  "--replace": "R",
  "--list": "L",
  "--list-rules": "S",
  "--flush": "F",
  "--zero": "Z",
  "--new-chain": "N",
  "--new": "N",
  "--delete-chain": "X",
  "--policy": "P",
  "--rename-chain": "E"
};
function parseAddr2(s2) {
  const [a, m] = s2.split("/", 2);
  const addr3 = parseIPv4(a);
  if (addr3 === null) throw paramProblem(`host/network \`${a}' not found`);
  let mask = 4294967295;
  if (m !== void 0) {
    if (/^\d+$/.test(m)) {
      const n2 = Number(m);
      if (n2 > 32) throw paramProblem(`invalid mask \`${m}' specified`);
      mask = n2 === 0 ? 0 : 4294967295 << 32 - n2 >>> 0;
    } else {
      const mm = parseIPv4(m);
      if (mm === null) throw paramProblem(`invalid mask \`${m}' specified`);
      mask = mm >>> 0;
    }
  }
  return { addr: (addr3 & mask) >>> 0, mask, inv: false };
}
function parsePort(s2, proto) {
  if (/^\d+$/.test(s2)) {
    const n2 = Number(s2);
    if (n2 <= 65535) return n2;
  } else {
    const table = SERVICES[proto] ?? SERVICES.tcp;
    for (const [p, name] of Object.entries(table)) if (name === s2) return Number(p);
  }
  throw paramProblem(`invalid port/service \`${s2}' specified`);
}
function parsePorts(s2, proto, inv2) {
  const [a, b] = s2.split(":", 2);
  const lo2 = a === "" ? 0 : parsePort(a, proto);
  const hi = b === void 0 ? lo2 : b === "" ? 65535 : parsePort(b, proto);
  return { lo: Math.min(lo2, hi), hi: Math.max(lo2, hi), inv: inv2 };
}
function parseNum(s2, what) {
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(s2)) throw paramProblem(`Bad ${what} \`${s2}'`);
  return Number(s2) >>> 0;
}
function parseMarkMask(s2) {
  const [v, m] = s2.split("/", 2);
  return { value: parseNum(v, "mark value"), mask: m === void 0 ? 4294967295 : parseNum(m, "mark mask") };
}
var STATE_BITS = {
  INVALID: CT_STATE_INVALID,
  ESTABLISHED: CT_STATE_ESTABLISHED,
  RELATED: CT_STATE_RELATED,
  NEW: CT_STATE_NEW,
  UNTRACKED: CT_STATE_UNTRACKED,
  SNAT: CT_STATE_SNAT,
  DNAT: CT_STATE_DNAT
};
function parseStates(s2, withNat) {
  let bits = 0;
  for (const w2 of s2.split(",")) {
    const b = STATE_BITS[w2.toUpperCase()];
    if (b === void 0 || !withNat && (b === CT_STATE_SNAT || b === CT_STATE_DNAT))
      throw paramProblem(`Bad ctstate "${w2}"`);
    bits |= b;
  }
  return bits;
}
var ICMP_TYPES = {
  any: [255, 0, 255],
  "echo-reply": [0, 0, 255],
  pong: [0, 0, 255],
  "destination-unreachable": [3, 0, 255],
  "network-unreachable": [3, 0, 0],
  "host-unreachable": [3, 1, 1],
  "protocol-unreachable": [3, 2, 2],
  "port-unreachable": [3, 3, 3],
  "fragmentation-needed": [3, 4, 4],
  "source-route-failed": [3, 5, 5],
  "network-unknown": [3, 6, 6],
  "host-unknown": [3, 7, 7],
  "network-prohibited": [3, 9, 9],
  "host-prohibited": [3, 10, 10],
  "TOS-network-unreachable": [3, 11, 11],
  "TOS-host-unreachable": [3, 12, 12],
  "communication-prohibited": [3, 13, 13],
  "host-precedence-violation": [3, 14, 14],
  "precedence-cutoff": [3, 15, 15],
  "source-quench": [4, 0, 255],
  redirect: [5, 0, 255],
  "network-redirect": [5, 0, 0],
  "host-redirect": [5, 1, 1],
  "TOS-network-redirect": [5, 2, 2],
  "TOS-host-redirect": [5, 3, 3],
  "echo-request": [8, 0, 255],
  ping: [8, 0, 255],
  "router-advertisement": [9, 0, 255],
  "router-solicitation": [10, 0, 255],
  "time-exceeded": [11, 0, 255],
  "ttl-exceeded": [11, 0, 255],
  "ttl-zero-during-transit": [11, 0, 0],
  "ttl-zero-during-reassembly": [11, 1, 1],
  "parameter-problem": [12, 0, 255],
  "ip-header-bad": [12, 0, 0],
  "required-option-missing": [12, 1, 1],
  "timestamp-request": [13, 0, 255],
  "timestamp-reply": [14, 0, 255],
  "address-mask-request": [17, 0, 255],
  "address-mask-reply": [18, 0, 255]
};
function icmpTypeName(type, lo2, hi) {
  for (const [n2, [t, a, b]] of Object.entries(ICMP_TYPES))
    if (t === type && a === lo2 && b === hi && n2 !== "pong" && n2 !== "ping" && n2 !== "ttl-exceeded") return n2;
  return null;
}
function parseIcmpType(s2) {
  const named = ICMP_TYPES[s2];
  if (named) return named;
  const m = /^(\d+)(?:\/(\d+))?$/.exec(s2);
  if (!m) throw paramProblem(`Invalid ICMP type \`${s2}'`);
  const t = Number(m[1]);
  if (m[2] === void 0) return [t, 0, 255];
  return [t, Number(m[2]), Number(m[2])];
}
var TCP_FLAGS = {
  FIN: 1,
  SYN: 2,
  RST: 4,
  PSH: 8,
  ACK: 16,
  URG: 32,
  ALL: 63,
  NONE: 0
};
function parseTcpFlags(s2) {
  let f = 0;
  for (const w2 of s2.split(",")) {
    const b = TCP_FLAGS[w2.toUpperCase()];
    if (b === void 0) throw paramProblem(`Unknown TCP flag \`${w2}'`);
    f |= b;
  }
  return f;
}
var REJECT_ALIASES = {
  "icmp-net-unreachable": "icmp-net-unreachable",
  "net-unreach": "icmp-net-unreachable",
  "icmp-host-unreachable": "icmp-host-unreachable",
  "host-unreach": "icmp-host-unreachable",
  "icmp-proto-unreachable": "icmp-proto-unreachable",
  "proto-unreach": "icmp-proto-unreachable",
  "icmp-port-unreachable": "icmp-port-unreachable",
  "port-unreach": "icmp-port-unreachable",
  "icmp-net-prohibited": "icmp-net-prohibited",
  "net-prohib": "icmp-net-prohibited",
  "icmp-host-prohibited": "icmp-host-prohibited",
  "host-prohib": "icmp-host-prohibited",
  "icmp-admin-prohibited": "icmp-admin-prohibited",
  "admin-prohib": "icmp-admin-prohibited",
  "tcp-reset": "tcp-reset",
  "tcp-rst": "tcp-reset"
};
function rejectWith(s2) {
  const exact = REJECT_ALIASES[s2];
  if (exact) return exact;
  const hits = Object.keys(REJECT_ALIASES).filter((k) => k.startsWith(s2));
  if (hits.length > 0) return REJECT_ALIASES[hits[0]];
  const e = paramProblem(`unknown reject type "${s2}"`);
  if ("echo-reply".startsWith(s2.toLowerCase())) e.preface = "--reject-with echo-reply no longer supported\n";
  throw e;
}
var LOG_LEVELS = {
  emerg: 0,
  panic: 0,
  alert: 1,
  crit: 2,
  err: 3,
  error: 3,
  warn: 4,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7
};
function emptyRange() {
  return {
    minAddr: 0,
    maxAddr: 0,
    mapIps: false,
    minPort: null,
    maxPort: null,
    random: false,
    randomFully: false,
    persistent: false
  };
}
function natRange(s2, withAddr2) {
  const r = {
    minAddr: 0,
    maxAddr: 0,
    mapIps: false,
    minPort: null,
    maxPort: null,
    random: false,
    randomFully: false,
    persistent: false
  };
  let addrPart = s2;
  let portPart = null;
  if (withAddr2) {
    const i = s2.indexOf(":");
    if (i >= 0) {
      addrPart = s2.slice(0, i);
      portPart = s2.slice(i + 1);
    }
  } else {
    addrPart = "";
    portPart = s2;
  }
  if (addrPart) {
    const [a, b] = addrPart.split("-", 2);
    const lo2 = parseIPv4(a);
    const hi = b === void 0 ? lo2 : parseIPv4(b);
    if (lo2 === null || hi === null) throw paramProblem(`Bad IP address "${addrPart}"`);
    r.minAddr = lo2;
    r.maxAddr = hi;
    r.mapIps = true;
  }
  if (portPart !== null) {
    const [a, b] = portPart.split("-", 2);
    if (!/^\d+$/.test(a) || b !== void 0 && !/^\d+$/.test(b))
      throw paramProblem(`Port \`${portPart}' not valid`);
    r.minPort = Number(a);
    r.maxPort = b === void 0 ? r.minPort : Number(b);
  }
  return r;
}
function matchHandler(m, ctx) {
  const proto = () => ctx.proto;
  switch (m.kind) {
    case "tcp":
    case "udp":
    case "sctp":
      return (opt, inv2, next) => {
        if (opt === "--sport" || opt === "--source-port") m.sport = parsePorts(next(), proto(), inv2);
        else if (opt === "--dport" || opt === "--destination-port")
          m.dport = parsePorts(next(), proto(), inv2);
        else if (m.kind === "tcp" && opt === "--syn") m.flags = { mask: 23, cmp: 2, inv: inv2 };
        else if (m.kind === "tcp" && opt === "--tcp-flags")
          m.flags = { mask: parseTcpFlags(next()), cmp: parseTcpFlags(next()), inv: inv2 };
        else return false;
        return true;
      };
    case "icmp":
      return (opt, inv2, next) => {
        if (opt !== "--icmp-type") return false;
        const [t, lo2, hi] = parseIcmpType(next());
        m.type = t;
        m.codeLo = lo2;
        m.codeHi = hi;
        m.inv = inv2;
        return true;
      };
    case "state":
      return (opt, inv2, next) => {
        if (opt !== "--state") return false;
        m.states = parseStates(next(), false);
        m.inv = inv2;
        return true;
      };
    case "conntrack":
      return (opt, inv2, next) => {
        const addr3 = () => ({ ...parseAddr2(next()), inv: inv2 });
        switch (opt) {
          case "--ctstate":
            m.ctstate = { states: parseStates(next(), true), inv: inv2 };
            return true;
          case "--ctproto": {
            const p = next();
            m.ctproto = { proto: p === "tcp" ? 6 : p === "udp" ? 17 : p === "icmp" ? 1 : Number(p), inv: inv2 };
            return true;
          }
          case "--ctorigsrc":
            m.ctorigsrc = addr3();
            return true;
          case "--ctorigdst":
            m.ctorigdst = addr3();
            return true;
          case "--ctreplsrc":
            m.ctreplsrc = addr3();
            return true;
          case "--ctrepldst":
            m.ctrepldst = addr3();
            return true;
          case "--ctorigsrcport":
            m.ctorigsrcport = parsePorts(next(), "tcp", inv2);
            return true;
          case "--ctorigdstport":
            m.ctorigdstport = parsePorts(next(), "tcp", inv2);
            return true;
          case "--ctreplsrcport":
            m.ctreplsrcport = parsePorts(next(), "tcp", inv2);
            return true;
          case "--ctrepldstport":
            m.ctrepldstport = parsePorts(next(), "tcp", inv2);
            return true;
          case "--ctdir": {
            const d = next().toUpperCase();
            if (d !== "ORIGINAL" && d !== "REPLY") throw paramProblem(`Unknown --ctdir "${d}"`);
            m.ctdir = d;
            return true;
          }
          default:
            return false;
        }
      };
    case "comment":
      return (opt, _inv, next) => {
        if (opt !== "--comment") return false;
        m.text = next();
        return true;
      };
    case "mark":
    case "connmark":
      return (opt, inv2, next) => {
        if (opt !== "--mark") return false;
        const v = parseMarkMask(next());
        m.value = v.value;
        m.mask = v.mask;
        m.inv = inv2;
        return true;
      };
    case "multiport":
      return (opt, inv2, next) => {
        const dir = opt === "--sports" || opt === "--source-ports" ? "sports" : opt === "--dports" || opt === "--destination-ports" ? "dports" : opt === "--ports" ? "ports" : null;
        if (!dir) return false;
        m.dir = dir;
        m.inv = inv2;
        m.ports = next().split(",").map((p) => parsePorts(p, proto(), false)).map(({ lo: lo2, hi }) => ({ lo: lo2, hi }));
        return true;
      };
    case "addrtype":
      return (opt, inv2, next) => {
        const types = () => {
          let b = 0;
          for (const w2 of next().split(",")) {
            const i = ADDRTYPE_NAMES.indexOf(w2.toUpperCase());
            if (i < 0) throw paramProblem(`addrtype: bad type "${w2}"`);
            b |= 1 << i;
          }
          return b;
        };
        if (opt === "--src-type") m.src = { types: types(), inv: inv2 };
        else if (opt === "--dst-type") m.dst = { types: types(), inv: inv2 };
        else if (opt === "--limit-iface-in") m.limitIn = true;
        else if (opt === "--limit-iface-out") m.limitOut = true;
        else return false;
        return true;
      };
    case "statistic":
      return (opt, inv2, next) => {
        const mm = m;
        if (opt === "--mode") mm.mode = next();
        else if (opt === "--probability") {
          mm.probability = Number(next());
          mm.inv = inv2;
        } else if (opt === "--every") {
          mm.every = Number(next());
          mm.inv = inv2;
        } else if (opt === "--packet") {
          mm.packet = Number(next());
        } else return false;
        return true;
      };
    case "recent":
      return (opt, inv2, next) => {
        switch (opt) {
          case "--set":
          case "--rcheck":
          case "--update":
          case "--remove":
            m.cmd = opt.slice(2);
            m.inv = inv2;
            return true;
          case "--seconds":
            m.seconds = Number(next());
            return true;
          case "--reap":
            m.reap = true;
            return true;
          case "--hitcount":
            m.hitcount = Number(next());
            return true;
          case "--rttl":
            m.rttl = true;
            return true;
          case "--name":
            m.name = next();
            return true;
          case "--mask": {
            const a = parseIPv4(next());
            if (a === null) throw paramProblem("recent: bad mask");
            m.mask = a >>> 0;
            return true;
          }
          case "--rsource":
            m.side = "source";
            return true;
          case "--rdest":
            m.side = "dest";
            return true;
          default:
            return false;
        }
      };
    case "physdev":
      return (opt, inv2, next) => {
        if (opt === "--physdev-in") m.in = { name: next(), inv: inv2 };
        else if (opt === "--physdev-out") m.out = { name: next(), inv: inv2 };
        else if (opt === "--physdev-is-in") m.isIn = !inv2;
        else if (opt === "--physdev-is-out") m.isOut = !inv2;
        else if (opt === "--physdev-is-bridged") m.isBridged = !inv2;
        else return false;
        return true;
      };
    case "set":
      return (opt, inv2, next) => {
        if (opt !== "--match-set" && opt !== "--set") return false;
        m.name = next();
        m.flags = next().split(",");
        m.inv = inv2;
        return true;
      };
    case "limit":
      return (opt, inv2, next) => {
        if (opt !== "--limit" && opt !== "--limit-burst") return false;
        if (inv2) throw paramProblem(`limit: option "${opt}" cannot be inverted.`, true);
        const v = next();
        if (opt === "--limit") m.avg = parseRate(v);
        else {
          if (!/^\d+$/.test(v) || Number(v) > 1e4)
            throw paramProblem(
              `limit: Bad value for option "--limit-burst", or out of range (0-10000).`,
              true
            );
          m.burst = Number(v);
        }
        return true;
      };
    case "mac":
      return (opt, inv2, next) => {
        if (opt !== "--mac-source") return false;
        const v = next();
        if (!/^([0-9a-fA-F]{1,2}:){5}[0-9a-fA-F]{1,2}$/.test(v)) throw paramProblem(`Bad mac address "${v}"`);
        m.mac = v.split(":").map((b) => b.toLowerCase().padStart(2, "0")).join(":");
        m.inv = inv2;
        return true;
      };
    case "ipvs":
      return (opt, inv2, next) => {
        switch (opt) {
          case "--ipvs":
            m.ipvs = { inv: inv2 };
            return true;
          case "--vproto":
            m.vproto = { proto: protoNum2(next()), inv: inv2 };
            return true;
          case "--vaddr":
            m.vaddr = { ...parseAddr2(next()), inv: inv2 };
            return true;
          case "--vport": {
            const v = next();
            if (!/^\d+$/.test(v) || Number(v) > 65535) throw paramProblem(`ipvs: Bad port "${v}"`);
            m.vport = { port: Number(v), inv: inv2 };
            return true;
          }
          case "--vdir": {
            const v = next();
            if (v !== "ORIGINAL" && v !== "REPLY") throw paramProblem(`ipvs: Bad direction "${v}"`);
            m.vdir = { dir: v, inv: inv2 };
            return true;
          }
          default:
            return false;
        }
      };
    case "iprange":
      return (opt, inv2, next) => {
        if (opt !== "--src-range" && opt !== "--dst-range") return false;
        const v = next();
        const [a, b] = v.split("-", 2);
        const lo2 = parseIPv4(a);
        const hi = b === void 0 ? lo2 : parseIPv4(b);
        if (lo2 === null || hi === null)
          throw paramProblem(`iprange: Bad IP address "${b === void 0 || lo2 === null ? a : b}"`);
        const r = { lo: lo2, hi, inv: inv2 };
        if (opt === "--src-range") m.src = r;
        else m.dst = r;
        return true;
      };
    case "length":
      return (opt, inv2, next) => {
        if (opt !== "--length") return false;
        const v = next();
        const mm = /^(\d*)(?::(\d*))?$/.exec(v);
        if (!mm || mm[1] === "" && mm[2] === void 0) throw paramProblem(`length invalid: "${v}"`);
        m.lo = mm[1] === "" ? 0 : Number(mm[1]);
        m.hi = mm[2] === void 0 ? m.lo : mm[2] === "" ? 65535 : Number(mm[2]);
        m.inv = inv2;
        return true;
      };
    case "ttl":
      return (opt, inv2, next) => {
        const mode = opt === "--ttl-eq" ? "eq" : opt === "--ttl-lt" ? "lt" : opt === "--ttl-gt" ? "gt" : null;
        if (!mode) return false;
        if (inv2 && mode !== "eq") throw paramProblem(`ttl: unexpected \`!'`);
        const v = next();
        if (!/^\d+$/.test(v) || Number(v) > 255)
          throw paramProblem(`ttl: Bad value for option "${opt}", or out of range (0-255).`, true);
        m.mode = inv2 ? "ne" : mode;
        m.value = Number(v);
        return true;
      };
    case "pkttype":
      return (opt, inv2, next) => {
        if (opt !== "--pkt-type") return false;
        const v = next().toLowerCase();
        const t = v === "host" ? "unicast" : v;
        if (t !== "unicast" && t !== "broadcast" && t !== "multicast")
          throw paramProblem(`Bad packet type '${v}'`);
        m.type = t;
        m.inv = inv2;
        return true;
      };
  }
}
function parseRate(v) {
  const slash = v.indexOf("/");
  let mult = 1;
  if (slash >= 0) {
    const u = v.slice(slash + 1).toLowerCase();
    if (u === "") throw paramProblem(`bad rate "${v}"'`);
    if ("second".startsWith(u)) mult = 1;
    else if ("minute".startsWith(u)) mult = 60;
    else if ("hour".startsWith(u)) mult = 3600;
    else if ("day".startsWith(u)) mult = 86400;
    else throw paramProblem(`bad rate "${v}"'`);
  }
  const r = Number.parseInt(v, 10);
  if (!r) throw paramProblem(`bad rate "${v}"'`);
  const period = Math.floor(1e4 * mult / r);
  if (period === 0) throw paramProblem(`Rate too fast "${v}"`);
  return period;
}
function newMatch(name) {
  switch (name) {
    case "tcp":
      return { kind: "tcp" };
    case "udp":
      return { kind: "udp" };
    case "sctp":
      return { kind: "sctp" };
    case "icmp":
      return { kind: "icmp", type: 255, codeLo: 0, codeHi: 255, inv: false };
    case "state":
      return { kind: "state", states: 0, inv: false };
    case "conntrack":
      return { kind: "conntrack" };
    case "comment":
      return { kind: "comment", text: "" };
    case "mark":
      return { kind: "mark", value: 0, mask: 4294967295, inv: false };
    case "connmark":
      return { kind: "connmark", value: 0, mask: 4294967295, inv: false };
    case "multiport":
      return { kind: "multiport", dir: "dports", ports: [], inv: false };
    case "addrtype":
      return { kind: "addrtype", limitIn: false, limitOut: false };
    case "statistic":
      return { kind: "statistic", mode: "random", probability: 1, inv: false };
    case "recent":
      return {
        kind: "recent",
        cmd: "set",
        inv: false,
        seconds: 0,
        reap: false,
        hitcount: 0,
        rttl: false,
        name: "DEFAULT",
        mask: 4294967295,
        side: "source"
      };
    case "physdev":
      return { kind: "physdev" };
    case "set":
      return { kind: "set", name: "", flags: [], inv: false };
    case "limit":
      return { kind: "limit", avg: 1e4 * 3600 / 3, burst: 5, state: { credit: 0, prev: null } };
    case "mac":
      return { kind: "mac", mac: "", inv: false };
    case "iprange":
      return { kind: "iprange" };
    case "ipvs":
      return { kind: "ipvs" };
    case "length":
      return { kind: "length", lo: 0, hi: 65535, inv: false };
    case "ttl":
      return { kind: "ttl", mode: "eq", value: 0 };
    case "pkttype":
      return { kind: "pkttype", type: "unicast", inv: false };
    default:
      throw new IptError(`Couldn't load match \`${name}':No such file or directory`, 2, true);
  }
}
function finishMatch(m) {
  if (m.kind === "statistic") {
    const mm = m;
    if (mm.mode === "nth")
      return {
        kind: "statistic",
        mode: "nth",
        every: mm.every ?? 1,
        packet: mm.packet ?? 0,
        inv: mm.inv ?? false,
        // libxt_statistic starts the shared counter at every-1-packet, so packet P of each N matches.
        counter: { n: (mm.every ?? 1) - 1 - (mm.packet ?? 0) }
      };
    return {
      kind: "statistic",
      mode: "random",
      probability: mm.probability ?? 1,
      inv: mm.inv ?? false
    };
  }
  return m;
}
var BUILTIN_TARGETS = /* @__PURE__ */ new Set(["ACCEPT", "DROP", "RETURN"]);
function newTarget(name) {
  switch (name) {
    case "ACCEPT":
    case "DROP":
    case "RETURN":
      return { kind: name };
    case "REJECT":
      return { kind: "REJECT", with: "icmp-port-unreachable" };
    case "LOG":
      return { kind: "LOG", prefix: null, level: 4, flags: 0 };
    case "MARK":
      return { kind: "MARK", value: 0, mask: 0 };
    case "CONNMARK":
      return { kind: "CONNMARK", mode: "set", value: 0, mask: 0 };
    case "DNAT":
    case "SNAT":
      return { kind: name, range: emptyRange(), text: "" };
    case "MASQUERADE":
    case "REDIRECT":
      return { kind: name, range: emptyRange() };
    case "NOTRACK":
      return { kind: "NOTRACK" };
    case "CT":
      return { kind: "CT", notrack: false };
    case "TRACE":
      return { kind: "TRACE" };
    default:
      return { kind: "jump", chain: name, goto: false };
  }
}
function targetHandler(t) {
  switch (t.kind) {
    case "REJECT":
      return (opt, _inv, next) => {
        if (opt !== "--reject-with") return false;
        t.with = rejectWith(next());
        return true;
      };
    case "LOG":
      return (opt, _inv, next) => {
        if (opt === "--log-prefix") t.prefix = next();
        else if (opt === "--log-level") {
          const v = next();
          const n2 = /^\d+$/.test(v) ? Number(v) : LOG_LEVELS[v.toLowerCase()];
          if (n2 === void 0 || n2 > 7) throw paramProblem(`log-level \`${v}' unknown`);
          t.level = n2;
        } else if (["--log-tcp-sequence", "--log-tcp-options", "--log-ip-options", "--log-uid"].includes(opt)) {
          t.flags |= {
            "--log-tcp-sequence": 1,
            "--log-tcp-options": 2,
            "--log-ip-options": 4,
            "--log-uid": 8
          }[opt];
        } else if (opt === "--log-macdecode") t.flags |= 32;
        else return false;
        return true;
      };
    case "MARK":
      return (opt, _inv, next) => {
        const v = parseMarkMask(next());
        if (opt === "--set-xmark") {
          t.value = v.value;
          t.mask = v.mask;
        } else if (opt === "--set-mark") {
          t.value = v.value;
          t.mask = v.mask === 4294967295 ? 4294967295 : v.mask;
        } else if (opt === "--or-mark") {
          t.value = v.value;
          t.mask = v.value;
        } else if (opt === "--and-mark") {
          t.value = 0;
          t.mask = ~v.value >>> 0;
        } else if (opt === "--xor-mark") {
          t.value = v.value;
          t.mask = 0;
        } else return false;
        return true;
      };
    case "CONNMARK":
      return (opt, _inv, next) => {
        const c = t;
        if (opt === "--set-xmark" || opt === "--set-mark") {
          const v = parseMarkMask(next());
          Object.assign(c, { mode: "set", value: v.value, mask: v.mask });
        } else if (opt === "--save-mark" || opt === "--restore-mark") {
          Object.assign(c, {
            mode: opt === "--save-mark" ? "save" : "restore",
            nfmask: 4294967295,
            ctmask: 4294967295
          });
        } else if (opt === "--mask") {
          const v = parseNum(next(), "mask");
          Object.assign(c, { nfmask: v, ctmask: v });
        } else if (opt === "--nfmask") c.nfmask = parseNum(next(), "mask");
        else if (opt === "--ctmask") c.ctmask = parseNum(next(), "mask");
        else return false;
        return true;
      };
    case "DNAT":
    case "SNAT":
      return (opt, _inv, next) => {
        if (opt === (t.kind === "DNAT" ? "--to-destination" : "--to-source")) {
          const v = next();
          const flags = t.range;
          t.range = {
            ...natRange(v, true),
            random: flags.random,
            randomFully: flags.randomFully,
            persistent: flags.persistent
          };
          t.text = v;
        } else if (opt === "--random") t.range.random = true;
        else if (opt === "--random-fully") t.range.randomFully = true;
        else if (opt === "--persistent") t.range.persistent = true;
        else return false;
        return true;
      };
    case "MASQUERADE":
    case "REDIRECT":
      return (opt, _inv, next) => {
        if (opt === "--to-ports") {
          const r = natRange(next(), false);
          t.range.minPort = r.minPort;
          t.range.maxPort = r.maxPort;
        } else if (opt === "--random") t.range.random = true;
        else if (opt === "--random-fully" && t.kind === "MASQUERADE") t.range.randomFully = true;
        else return false;
        return true;
      };
    case "CT":
      return (opt) => {
        if (opt !== "--notrack") return false;
        t.notrack = true;
        return true;
      };
    default:
      return null;
  }
}
var PROTO_NUMS = { all: 0, ip: 0, icmpv6: 58, mh: 135, "ipv6-mh": 135 };
for (const [n2, name] of Object.entries(PROTOCOLS)) PROTO_NUMS[name] = Number(n2);
function protoNum2(s2) {
  const n2 = PROTO_NUMS[s2.toLowerCase()];
  if (n2 !== void 0) return n2;
  if (/^\d+$/.test(s2) && Number(s2) <= 255) return Number(s2);
  throw paramProblem(`unknown protocol "${s2}" specified`);
}
function ifaceArg(s2) {
  if (s2.length > 15) throw paramProblem(`interface name \`${s2}' must be shorter than IFNAMSIZ (15)`);
  return { name: s2, inv: false };
}
function parseIptables(argv) {
  const out = {
    cmd: "L",
    table: "filter",
    chain: null,
    num: null,
    arg: null,
    rule: null,
    numeric: false,
    verbose: false,
    exact: false,
    lineNumbers: false,
    counters: null
  };
  let cmd = null;
  const rule = {
    src: null,
    dst: null,
    inIface: null,
    outIface: null,
    proto: null,
    matches: [],
    target: { kind: "none" },
    counters: { pkts: 0, bytes: 0 }
  };
  const handlers = [];
  let tHandler = null;
  let targetSet = false;
  const ctx = { proto: "", argv, i: 0 };
  let inv2 = false;
  const positional = () => {
    const a = argv[ctx.i + 1];
    if (a !== void 0 && !a.startsWith("-")) {
      ctx.i++;
      return a;
    }
    return null;
  };
  const setCmd = (c) => {
    if (cmd !== null) throw paramProblem(`Cannot use -${c} with -${cmd}`);
    cmd = c;
  };
  for (ctx.i = 0; ctx.i < argv.length; ctx.i++) {
    let a = argv[ctx.i];
    if (a === "!") {
      if (inv2) throw paramProblem("multiple consecutive ! not allowed");
      inv2 = true;
      continue;
    }
    const next = () => {
      const v = argv[++ctx.i];
      if (v === void 0) throw paramProblem(`option "${a}" requires an argument`);
      return v;
    };
    if (/^-[A-Za-z]{2,}$/.test(a) && !a.startsWith("--")) {
      const letters = a.slice(1);
      if ("tjgmpsdio".includes(letters[0])) {
        argv = [...argv.slice(0, ctx.i), `-${letters[0]}`, letters.slice(1), ...argv.slice(ctx.i + 1)];
      } else {
        argv = [...argv.slice(0, ctx.i), ...letters.split("").map((l) => `-${l}`), ...argv.slice(ctx.i + 1)];
      }
      ctx.argv = argv;
      a = argv[ctx.i];
    }
    const long = LONG_CMDS[a];
    const c = long ?? (/^-[ACDIRLSFZNXPE]$/.test(a) ? a[1] : null);
    if (c) {
      setCmd(c);
      switch (c) {
        case "A":
        case "C":
        case "N":
          out.chain = next();
          break;
        case "D":
        case "I": {
          out.chain = next();
          const n2 = argv[ctx.i + 1] === "!" ? null : positional();
          if (n2 !== null) {
            if (!/^\d+$/.test(n2) || Number(n2) < 1) throw paramProblem(`Invalid rule number \`${n2}'`);
            out.num = Number(n2);
          }
          break;
        }
        case "R": {
          out.chain = next();
          const n2 = next();
          if (!/^\d+$/.test(n2) || Number(n2) < 1) throw paramProblem(`Invalid rule number \`${n2}'`);
          out.num = Number(n2);
          break;
        }
        case "L":
        case "S":
        case "F":
        case "Z":
        case "X": {
          out.chain = positional();
          if (out.chain !== null && (c === "S" || c === "Z" || c === "L")) {
            const n2 = positional();
            if (n2 !== null) out.num = Number(n2);
          }
          break;
        }
        case "P":
          out.chain = next();
          out.arg = next();
          break;
        case "E":
          out.chain = next();
          out.arg = next();
          break;
      }
      continue;
    }
    const wasInv = inv2;
    inv2 = false;
    switch (a) {
      case "-t":
      case "--table":
        out.table = next();
        continue;
      case "-n":
      case "--numeric":
        out.numeric = true;
        continue;
      case "-v":
      case "--verbose":
        out.verbose = true;
        continue;
      case "-x":
      case "--exact":
        out.exact = true;
        continue;
      case "--line-numbers":
        out.lineNumbers = true;
        continue;
      case "-w":
      case "--wait":
        positional();
        continue;
      case "-W":
      case "--wait-interval":
        next();
        continue;
      case "-c":
      case "--set-counters": {
        const p = next();
        const b = next();
        out.counters = { pkts: Number(p), bytes: Number(b) };
        continue;
      }
      case "-s":
      case "--source":
      case "--src":
        rule.src = { ...parseAddr2(next()), inv: wasInv };
        continue;
      case "-d":
      case "--destination":
      case "--dst":
        rule.dst = { ...parseAddr2(next()), inv: wasInv };
        continue;
      case "-i":
      case "--in-interface":
        rule.inIface = { ...ifaceArg(next()), inv: wasInv };
        continue;
      case "-o":
      case "--out-interface":
        rule.outIface = { ...ifaceArg(next()), inv: wasInv };
        continue;
      case "-p":
      case "--protocol": {
        const p = next();
        const n2 = protoNum2(p);
        rule.proto = { num: n2, inv: wasInv };
        ctx.proto = n2 === 6 ? "tcp" : n2 === 17 ? "udp" : n2 === 1 ? "icmp" : n2 === 132 ? "sctp" : "";
        continue;
      }
      case "-f":
      case "--fragment":
        rule.frag = !wasInv;
        continue;
      case "-m":
      case "--match": {
        const m = newMatch(next());
        for (const x of handlers) if (x.m.kind === m.kind) x.completed = true;
        rule.matches.push(m);
        handlers.push({ m, h: matchHandler(m, ctx) });
        continue;
      }
      case "-j":
      case "--jump":
      case "-g":
      case "--goto": {
        if (targetSet) throw paramProblem("multiple -j flags not allowed");
        const name = next();
        const t = newTarget(name);
        if (t.kind === "jump") t.goto = a === "-g" || a === "--goto";
        rule.target = t;
        tHandler = targetHandler(t);
        targetSet = true;
        continue;
      }
      default:
        break;
    }
    if (a.startsWith("-")) {
      let done = false;
      for (const { h, completed } of handlers) {
        if (!completed && h(a, wasInv, next)) {
          done = true;
          break;
        }
      }
      if (!done && tHandler && tHandler(a, wasInv, next)) done = true;
      if (!done && (ctx.proto === "tcp" || ctx.proto === "udp" || ctx.proto === "sctp" || ctx.proto === "icmp")) {
        const m = newMatch(ctx.proto);
        const h = matchHandler(m, ctx);
        if (h(a, wasInv, next)) {
          rule.matches.push(m);
          handlers.push({ m, h });
          done = true;
        }
      }
      if (!done) throw paramProblem(`unknown option "${a}"`);
      continue;
    }
    throw paramProblem(`Bad argument \`${a}'`);
  }
  if (cmd === null) throw paramProblem("no command specified");
  out.cmd = cmd;
  rule.matches = rule.matches.map(finishMatch);
  if (["A", "C", "D", "I", "R"].includes(cmd) && !(cmd === "D" && out.num !== null)) out.rule = rule;
  else if (cmd === "I" || cmd === "A") out.rule = rule;
  if (out.rule) {
    const t = out.rule.target;
    if (t.kind === "jump" && BUILTIN_TARGETS.has(t.chain)) out.rule.target = { kind: t.chain };
  }
  return out;
}

// src/shell/commands/iptables/list.ts
function padEnd(s2, n2) {
  return s2.length >= n2 ? s2 : s2 + " ".repeat(n2 - s2.length);
}
function padStart(s2, n2) {
  return s2.length >= n2 ? s2 : " ".repeat(n2 - s2.length) + s2;
}
function printNum(n2, o, notable = false) {
  if (o.exact) return notable ? `${n2} ` : `${padStart(String(n2), 8)} `;
  const f = (s2, w2) => notable ? `${s2} ` : `${padStart(s2, w2)} `;
  if (n2 <= 99999) return f(String(n2), 5);
  let v = Math.floor((n2 + 500) / 1e3);
  for (const u of ["K", "M", "G"]) {
    if (v <= 9999) return f(`${v}${u}`, 5);
    v = Math.floor((v + 500) / 1e3);
  }
  return f(`${v}T`, 5);
}
function service(port, proto, numeric) {
  if (numeric) return String(port);
  const name = SERVICES[proto]?.[port];
  return name && name !== "*" ? name : String(port);
}
function listPorts(label, p, proto, numeric) {
  if (!p || p.lo === 0 && p.hi === 65535 && !p.inv) return "";
  if (p.lo === p.hi) return ` ${label}:${p.inv ? "!" : ""}${service(p.lo, proto, numeric)}`;
  return ` ${label}s:${p.inv ? "!" : ""}${service(p.lo, proto, numeric)}:${service(p.hi, proto, numeric)}`;
}
function mark(v, m) {
  return m === 4294967295 ? ` ${hex(v)}` : ` ${hex(v)}/${hex(m)}`;
}
function addr(a) {
  return a.mask === 4294967295 ? formatIPv4(a.addr) : `${formatIPv4(a.addr)}/${maskText(a.mask)}`;
}
function maskText(m) {
  let len = 0;
  while (len < 32 && m & 2147483648 >>> len) len++;
  return (len === 0 ? 0 : 4294967295 << 32 - len >>> 0) === m >>> 0 ? String(len) : formatIPv4(m >>> 0);
}
function rangeText(p, proto, numeric) {
  return p.lo === p.hi ? service(p.lo, proto, numeric) : `${service(p.lo, proto, numeric)}:${service(p.hi, proto, numeric)}`;
}
function listMatch(m, numeric, proto) {
  switch (m.kind) {
    case "tcp": {
      let s2 = ` tcp${listPorts("spt", m.sport, "tcp", numeric)}${listPorts("dpt", m.dport, "tcp", numeric)}`;
      if (m.flags) {
        const f = numeric ? `0x${m.flags.mask.toString(16).toUpperCase().padStart(2, "0")}/0x${m.flags.cmp.toString(16).toUpperCase().padStart(2, "0")}` : `${tcpFlagNames(m.flags.mask)}/${tcpFlagNames(m.flags.cmp)}`;
        s2 += ` flags:${m.flags.inv ? "!" : ""}${f}`;
      }
      return s2;
    }
    case "udp":
      return ` udp${listPorts("spt", m.sport, "udp", numeric)}${listPorts("dpt", m.dport, "udp", numeric)}`;
    case "sctp":
      return ` sctp${listPorts("spt", m.sport, "sctp", numeric)}${listPorts("dpt", m.dport, "sctp", numeric)}`;
    case "icmp": {
      if (numeric) {
        const code = m.codeLo === m.codeHi ? ` code ${m.codeLo}` : "";
        return m.inv ? ` icmp !type ${m.type}${code}` : ` icmptype ${m.type}${code}`;
      }
      if (m.type === 255) return ` icmp ${m.inv ? "!" : ""}any`;
      const name = icmpTypeName(m.type, m.codeLo, m.codeHi);
      const text = name ?? (m.codeLo === 0 && m.codeHi === 255 ? `type ${m.type}` : `type ${m.type} code ${m.codeLo}`);
      return ` icmp ${m.inv ? "!" : ""}${text}`;
    }
    case "state":
      return `${m.inv ? " !" : ""} state ${stateList(m.states, CT_STATE_NAMES)}`;
    case "conntrack": {
      let s2 = "";
      const inv2 = (b) => b ? " !" : "";
      if (m.ctstate) s2 += `${inv2(m.ctstate.inv)} ctstate ${stateList(m.ctstate.states, CT_STATE_NAMES)}`;
      if (m.ctproto) s2 += `${inv2(m.ctproto.inv)} ctproto ${m.ctproto.proto}`;
      const a = (n2, x) => x ? `${inv2(x.inv)} ${n2} ${addr(x)}` : "";
      s2 += a("ctorigsrc", m.ctorigsrc) + a("ctorigdst", m.ctorigdst) + a("ctreplsrc", m.ctreplsrc) + a("ctrepldst", m.ctrepldst);
      const p = (n2, x) => x ? `${inv2(x.inv)} ${n2} ${x.lo === x.hi ? x.lo : `${x.lo}:${x.hi}`}` : "";
      s2 += p("ctorigsrcport", m.ctorigsrcport) + p("ctorigdstport", m.ctorigdstport) + p("ctreplsrcport", m.ctreplsrcport) + p("ctrepldstport", m.ctrepldstport);
      if (m.ctdir) s2 += ` ctdir ${m.ctdir}`;
      return s2;
    }
    case "comment":
      return ` /* ${m.text} */`;
    case "mark":
      return ` mark match${m.inv ? " !" : ""}${mark(m.value, m.mask)}`;
    case "connmark":
      return ` connmark match ${m.inv ? "!" : ""}${mark(m.value, m.mask)}`;
    case "multiport":
      return ` multiport ${m.dir} ${m.inv ? " !" : ""}${m.ports.map((p) => rangeText(p, proto || "tcp", numeric)).join(",")}`;
    case "addrtype": {
      let s2 = " ADDRTYPE match";
      if (m.src) s2 += ` src-type ${m.src.inv ? "!" : ""}${addrtypeList(m.src.types)}`;
      if (m.dst) s2 += ` dst-type ${m.dst.inv ? "!" : ""}${addrtypeList(m.dst.types)}`;
      if (m.limitIn) s2 += " limit-in";
      if (m.limitOut) s2 += " limit-out";
      return s2;
    }
    case "statistic":
      if (m.mode === "random")
        return ` statistic mode random${m.inv ? " !" : ""} probability ${probabilityText(m.probability)}`;
      return ` statistic mode nth${m.inv ? " !" : ""} every ${m.every}${m.packet ? ` packet ${m.packet}` : ""}`;
    case "recent": {
      const cmd = { set: "SET", rcheck: "CHECK", update: "UPDATE", remove: "REMOVE" }[m.cmd];
      let s2 = `${m.inv ? " !" : ""} recent: ${cmd}`;
      if (m.seconds) s2 += ` seconds: ${m.seconds}`;
      if (m.reap) s2 += " reap";
      if (m.hitcount) s2 += ` hit_count: ${m.hitcount}`;
      if (m.rttl) s2 += " TTL-Match";
      return `${s2} name: ${m.name} side: ${m.side} mask: ${formatIPv4(m.mask)}`;
    }
    case "physdev":
      return ` PHYSDEV match${physdevOptions(m)}`;
    case "set":
      return `${m.inv ? " !" : ""} match-set ${m.name} ${m.flags.join(",")}`;
    case "limit":
      return ` limit: avg ${limitRate(m.avg)} burst ${m.burst}`;
    case "mac":
      return ` MAC${m.inv ? " !" : ""} ${m.mac}`;
    case "ipvs":
      return ipvsOptions(m, "");
    case "iprange": {
      let s2 = "";
      if (m.src)
        s2 += ` source IP range${m.src.inv ? " !" : ""} ${formatIPv4(m.src.lo)}-${formatIPv4(m.src.hi)}`;
      if (m.dst)
        s2 += ` destination IP range${m.dst.inv ? " !" : ""} ${formatIPv4(m.dst.lo)}-${formatIPv4(m.dst.hi)}`;
      return s2;
    }
    case "length":
      return ` length ${m.inv ? "!" : ""}${m.lo === m.hi ? m.lo : `${m.lo}:${m.hi}`}`;
    case "ttl":
      return ` TTL match TTL ${{ eq: "==", ne: "!=", lt: "<", gt: ">" }[m.mode]} ${m.value}`;
    case "pkttype":
      return ` PKTTYPE ${m.inv ? "!" : ""}= ${m.type}`;
  }
}
function markTarget(label, v, m) {
  if (v === 0) return ` ${label} and ${hex(~m >>> 0)}`;
  if (v === m) return ` ${label} or ${hex(v)}`;
  if (m === 0) return ` ${label} xor ${hex(v)}`;
  if (m === 4294967295) return ` ${label} set ${hex(v)}`;
  return ` ${label} xset ${hex(v)}/${hex(m)}`;
}
var LEVEL_NAMES = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"];
function listTarget(t, numeric) {
  switch (t.kind) {
    case "REJECT":
      return ` reject-with ${t.with}`;
    case "LOG": {
      const p = t.prefix !== null ? ` prefix "${t.prefix}"` : "";
      const f = LOG_FLAG_NAMES.filter(([, b]) => t.flags & b).map(([n2]) => ` ${n2}`).join("");
      return numeric ? ` LOG flags ${t.flags} level ${t.level}${p}` : ` LOG level ${LEVEL_NAMES[t.level]}${f}${p}`;
    }
    case "MARK":
      return markTarget("MARK", t.value, t.mask);
    case "CONNMARK":
      if (t.mode === "set") return markTarget("CONNMARK", t.value, t.mask);
      if (t.nfmask === 4294967295 && t.ctmask === 4294967295) return ` CONNMARK ${t.mode}`;
      if (t.nfmask === t.ctmask) return ` CONNMARK ${t.mode} mask ${hex(t.nfmask)}`;
      return ` CONNMARK ${t.mode} nfmask ${hex(t.nfmask)} ctmask ~${hex(t.ctmask)}`;
    case "DNAT":
    case "SNAT": {
      const r = t.range;
      return ` to:${natRangeText(r)}${r.random ? " random" : ""}${r.randomFully ? " random-fully" : ""}${r.persistent ? " persistent" : ""}`;
    }
    case "MASQUERADE": {
      const r = t.range;
      const p = r.minPort !== null ? ` masq ports: ${r.minPort}${r.maxPort !== r.minPort ? `-${r.maxPort}` : ""}` : "";
      return `${p}${r.random ? " random" : ""}${r.randomFully ? " random-fully" : ""}`;
    }
    case "REDIRECT": {
      const r = t.range;
      const p = r.minPort !== null ? ` redir ports ${r.minPort}${r.maxPort !== r.minPort ? `-${r.maxPort}` : ""}` : "";
      return `${p}${r.random ? " random" : ""}`;
    }
    case "CT":
      return t.notrack ? " CT notrack" : "";
    case "NOTRACK":
      return " NOTRACK";
    default:
      return "";
  }
}
var NETWORKS = /* @__PURE__ */ new Map([
  [2130706432, "loopback"],
  [2851995648, "link-local"]
]);
function hostText(a, numeric) {
  if (!a || a.mask === 0 && !a.inv) return numeric ? "0.0.0.0/0" : "anywhere";
  if (!numeric && a.addr === 2130706433 && a.mask === 4294967295) return "localhost";
  if (!numeric && a.mask !== 4294967295) {
    const net = NETWORKS.get(a.addr);
    if (net) return `${net}/${maskText(a.mask)}`;
  }
  return addr(a);
}
function protoText(r, numeric) {
  const n2 = r.proto?.num ?? 0;
  if (numeric) return String(n2);
  return protoName(n2);
}
function listRule(r, num, o) {
  let s2 = "";
  if (o.lineNumbers) s2 += `${padEnd(String(num), 4)} `;
  if (o.verbose) s2 += printNum(r.counters.pkts, o) + printNum(r.counters.bytes, o);
  const tname = r.target.kind === "NOTRACK" ? "CT" : targetName(r.target);
  s2 += `${padEnd(tname, 9)} `;
  s2 += r.proto?.inv ? "!" : " ";
  s2 += `${padEnd(protoText(r, o.numeric), 4)} `;
  s2 += r.frag === void 0 ? "-- " : r.frag ? "-f " : "!f ";
  if (o.verbose) {
    const iface = (m) => m ? `${m.inv ? "!" : ""}${m.name}` : o.numeric ? "*" : "any";
    s2 += ` ${padEnd(iface(r.inIface), 6)} ${padEnd(iface(r.outIface), 6)} `;
  }
  s2 += `${r.src?.inv ? "!" : " "}${padEnd(hostText(r.src, o.numeric), 19)} `;
  s2 += `${r.dst?.inv ? "!" : " "}${padEnd(hostText(r.dst, o.numeric), 19)} `;
  const proto = r.proto?.num === 6 ? "tcp" : r.proto?.num === 17 ? "udp" : "";
  for (const m of r.matches) s2 += listMatch(m, o.numeric, proto);
  s2 += listTarget(r.target, o.numeric);
  return `${s2}
`;
}
function listHeader(t, c, o) {
  let s2 = `Chain ${c.name}`;
  if (c.builtin) {
    s2 += ` (policy ${c.policy}`;
    if (o.verbose)
      s2 += ` ${printNum(c.counters.pkts, o, true)}packets, ${printNum(c.counters.bytes, o, true)}bytes`;
    s2 += ")\n";
  } else s2 += ` (${references(t, c.name)} references)
`;
  if (o.lineNumbers) s2 += "num  ";
  if (o.verbose) s2 += o.exact ? `${padStart("pkts", 8)} ${padStart("bytes", 10)} ` : " pkts bytes ";
  s2 += "target     prot opt ";
  if (o.verbose) s2 += "in     out     ";
  s2 += "source               destination         \n";
  return s2;
}
function listChain(t, c, o) {
  let s2 = listHeader(t, c, o);
  c.rules.forEach((r, i) => {
    s2 += listRule(r, i + 1, o);
  });
  return s2;
}

// src/shell/commands/iptables/index.ts
var TABLES = /* @__PURE__ */ new Set(["raw", "mangle", "nat", "filter", "security"]);
var HELP = "Try `iptables -h' or 'iptables --help' for more information.\n";
function bare(msg, code = 1) {
  return new IptError(msg, code, false, true);
}
var NO_CHAIN = "iptables: No chain/target/match by that name.";
function errText(e, prog = "iptables") {
  if (e.bare) return `${e.message}
`;
  const v = prog === "iptables" ? VERSION2 : VERSION2.replace("iptables", prog);
  return `${e.preface}${v}: ${e.message}
${e.blank ? "\n" : ""}${e.help ? HELP.replace(/iptables/g, prog) : ""}`;
}
function viewTable(s2, name) {
  const t = s2.tables.get(name);
  if (t) return t;
  const v = { name, chains: /* @__PURE__ */ new Map() };
  for (const c of BUILTIN_CHAINS[name]) v.chains.set(c, newChain(c, true));
  return v;
}
function chainsInOrder(t) {
  const builtin = BUILTIN_CHAINS[t.name].map((n2) => t.chains.get(n2)).filter((c) => !!c);
  const user = [...t.chains.values()].filter((c) => !c.builtin).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...builtin, ...user];
}
var NAT_DST = /* @__PURE__ */ new Set(["PREROUTING", "OUTPUT"]);
var NAT_SRC = /* @__PURE__ */ new Set(["POSTROUTING", "INPUT"]);
function validTarget(table, chain, r) {
  const k = r.target.kind;
  const builtin = chain.builtin;
  switch (k) {
    case "DNAT":
    case "REDIRECT":
      return table === "nat" && (!builtin || NAT_DST.has(chain.name));
    case "SNAT":
    case "MASQUERADE":
      return table === "nat" && (!builtin || NAT_SRC.has(chain.name));
    case "REJECT":
      if (r.target.kind === "REJECT" && r.target.with === "tcp-reset" && (r.proto?.num !== 6 || r.proto.inv))
        return false;
      return !builtin || ["INPUT", "FORWARD", "OUTPUT"].includes(chain.name);
    case "CT":
    case "NOTRACK":
    case "TRACE":
      return table === "raw";
    default:
      return true;
  }
}
function checkIfaces(chain, r) {
  if (r.inIface && (chain === "OUTPUT" || chain === "POSTROUTING"))
    throw paramProblem(`Can't use -i with ${chain}`, true);
  if (r.outIface && (chain === "INPUT" || chain === "PREROUTING"))
    throw paramProblem(`Can't use -o with ${chain}`, true);
}
function checkRule(t, chain, r, op) {
  const tg = r.target;
  if (tg.kind === "jump" && !t.chains.has(tg.chain)) throw paramProblem(`Chain '${tg.chain}' does not exist`);
  if (tg.kind === "jump" && t.chains.get(tg.chain)?.builtin)
    throw new IptError(`${op} failed (Invalid argument): rule in chain ${chain.name}`, 4, false);
  if (!validTarget(t.name, chain, r))
    throw new IptError(` ${op} failed (Invalid argument): rule in chain ${chain.name}`, 4, false);
  for (const m of r.matches) {
    if (m.kind === "statistic" && m.mode === "nth" && m.every < 1)
      throw paramProblem("statistic: --every must be > 0");
    if (m.kind === "set") {
      const set = nfState0.current?.sets.get(m.name);
      if (!set) throw paramProblem(`Set ${m.name} doesn't exist.`, true);
    }
  }
}
var nfState0 = { current: null };
function findRule(c, r) {
  const spec = ruleSpec(r);
  return c.rules.findIndex((x) => ruleSpec(x) === spec);
}
function listedChain(t, tname, name) {
  const c = t.chains.get(name);
  if (!c)
    throw new IptError(`chain \`${name}' in table \`${tname}' is incompatible, use 'nft' tool.`, 1, false);
  return c;
}
function runParsed(s2, p) {
  if (!TABLES.has(p.table))
    throw new IptError(
      `table '${p.table}' does not exist
Perhaps iptables or your kernel needs to be upgraded.`,
      3,
      false
    );
  nfState0.current = s2;
  const tname = p.table;
  const o = { numeric: p.numeric, verbose: p.verbose, exact: p.exact, lineNumbers: p.lineNumbers };
  if (p.rule && p.chain) checkIfaces(p.chain, p.rule);
  switch (p.cmd) {
    case "L": {
      const t = viewTable(s2, tname);
      if (p.chain !== null) {
        const c = listedChain(t, tname, p.chain);
        if (p.num !== null) {
          const r = c.rules[p.num - 1];
          return r ? listRule(r, p.num, o) : "";
        }
        return listChain(t, c, o);
      }
      return chainsInOrder(t).map((c) => listChain(t, c, o)).join("\n");
    }
    case "S": {
      const t = viewTable(s2, tname);
      const line = (c, r) => `${formatRule(c.name, r)}${p.verbose ? ` -c ${r.counters.pkts} ${r.counters.bytes}` : ""}
`;
      const head = (c) => c.builtin ? `-P ${c.name} ${c.policy}${p.verbose ? ` -c ${c.counters.pkts} ${c.counters.bytes}` : ""}
` : `-N ${c.name}
`;
      if (p.chain !== null) {
        const c = listedChain(t, tname, p.chain);
        if (p.num !== null) {
          const r = c.rules[p.num - 1];
          return r ? line(c, r) : "";
        }
        return head(c) + c.rules.map((r) => line(c, r)).join("");
      }
      const cs = chainsInOrder(t);
      return cs.map(head).join("") + cs.map((c) => c.rules.map((r) => line(c, r)).join("")).join("");
    }
    case "A":
    case "I":
    case "R":
    case "C":
    case "D": {
      const exists = s2.tables.get(tname);
      const t = p.cmd === "A" || p.cmd === "I" ? ensureTable(s2, tname) : viewTable(s2, tname);
      const c = t.chains.get(p.chain);
      if (!c) {
        if (p.cmd === "A" || p.cmd === "I" || p.cmd === "R" || p.cmd === "D" || p.cmd === "C") {
          if (p.rule?.target.kind === "jump" && !t.chains.has(p.rule.target.chain) && !exists)
            throw paramProblem(`Chain '${p.rule.target.chain}' does not exist`);
          throw bare(NO_CHAIN);
        }
      }
      const chain = c;
      const r = p.rule;
      if (p.cmd === "D" && p.num !== null && !r) {
        if (p.num > chain.rules.length) throw bare("iptables: Index of deletion too big.");
        countRefs(t, chain.rules.splice(p.num - 1, 1), -1);
        changed(s2, chain);
        return "";
      }
      if (!r) return "";
      if (p.counters) r.counters = { ...p.counters };
      if (p.cmd === "C" || p.cmd === "D") {
        if (r.target.kind === "jump" && !t.chains.has(r.target.chain))
          throw paramProblem(`Chain '${r.target.chain}' does not exist`);
        const i = findRule(chain, r);
        if (i < 0) throw bare("iptables: Bad rule (does a matching rule exist in that chain?).");
        if (p.cmd === "D") {
          countRefs(t, chain.rules.splice(i, 1), -1);
          changed(s2, chain);
        }
        return "";
      }
      const op = p.cmd === "A" ? "RULE_APPEND" : p.cmd === "I" ? "RULE_INSERT" : "RULE_REPLACE";
      try {
        checkRule(t, chain, r, op);
      } catch (e) {
        if (!exists) s2.tables.delete(tname);
        throw e;
      }
      chain.instantiated = true;
      if (p.cmd === "A") chain.rules.push(r);
      else if (p.cmd === "I") {
        const n2 = p.num ?? 1;
        if (n2 > chain.rules.length + 1) throw bare("iptables: Index of insertion too big.");
        chain.rules.splice(n2 - 1, 0, r);
      } else {
        const n2 = p.num;
        if (n2 > chain.rules.length) throw bare("iptables: Index of replacement too big.");
        countRefs(t, [chain.rules[n2 - 1]], -1);
        chain.rules[n2 - 1] = r;
      }
      countRefs(t, [r], 1);
      changed(s2, chain);
      return "";
    }
    case "N": {
      const name = p.chain;
      const t = ensureTable(s2, tname);
      if (t.chains.has(name)) throw bare("iptables: Chain already exists.");
      if (name.length > 28) throw paramProblem(`chain name \`${name}' too long (must be under 29 chars)`);
      if (name.startsWith("-") || name.startsWith("!"))
        throw paramProblem(`chain name not allowed to start with \`${name[0]}'`);
      t.chains.set(name, newChain(name, false));
      changed(s2);
      return "";
    }
    case "X": {
      const t = s2.tables.get(tname);
      if (p.chain === null) {
        if (!t) return "";
        for (const c2 of [...t.chains.values()]) {
          if (c2.builtin) continue;
          if (references(t, c2.name) > 0)
            throw new IptError(` CHAIN_DEL failed (Device or resource busy): chain ${c2.name}`, 4, false);
        }
        for (const c2 of [...t.chains.values()]) if (!c2.builtin) t.chains.delete(c2.name);
        delete t.refs;
        changed(s2);
        return "";
      }
      const c = t?.chains.get(p.chain);
      if (!t || !c) {
        if (BUILTIN_CHAINS[tname].includes(p.chain))
          throw new IptError(` CHAIN_DEL failed (Device or resource busy): chain ${p.chain}`, 4, false);
        throw bare(NO_CHAIN);
      }
      if (c.builtin || references(t, c.name) > 0)
        throw new IptError(` CHAIN_DEL failed (Device or resource busy): chain ${c.name}`, 4, false);
      if (c.rules.length > 0)
        throw new IptError(` CHAIN_DEL failed (Device or resource busy): chain ${c.name}`, 4, false);
      t.chains.delete(c.name);
      changed(s2);
      return "";
    }
    case "F": {
      const t = s2.tables.get(tname);
      if (p.chain !== null) {
        const c = t?.chains.get(p.chain);
        if (!c) {
          if (!t && BUILTIN_CHAINS[tname].includes(p.chain)) return "";
          throw bare(NO_CHAIN);
        }
        if (t) countRefs(t, c.rules, -1);
        c.rules = [];
        changed(s2, c);
        return "";
      }
      if (!t) return "";
      for (const c of t.chains.values()) {
        c.rules = [];
        changed(s2, c);
      }
      t.refs = /* @__PURE__ */ new Map();
      return "";
    }
    case "Z": {
      const t = s2.tables.get(tname);
      if (!t) return "";
      const cs = p.chain !== null ? [t.chains.get(p.chain)] : [...t.chains.values()];
      for (const c of cs) {
        if (!c) throw bare(NO_CHAIN);
        c.counters = { pkts: 0, bytes: 0 };
        if (c.builtin && c.instantiated) c.counting = true;
        for (const r of c.rules) r.counters = { pkts: 0, bytes: 0 };
      }
      return "";
    }
    case "P": {
      const name = p.chain;
      if (!BUILTIN_CHAINS[tname].includes(name)) throw bare("iptables: Bad built-in chain name.");
      if (p.arg !== "ACCEPT" && p.arg !== "DROP")
        throw bare("iptables: Bad policy name. Run `dmesg' for more information.");
      const t = ensureTable(s2, tname);
      const c = t.chains.get(name);
      c.policy = p.arg;
      c.counting = true;
      c.instantiated = true;
      c.counters = p.counters ? { ...p.counters } : { pkts: 0, bytes: 0 };
      changed(s2);
      return "";
    }
    case "E": {
      const t = s2.tables.get(tname);
      const c = t?.chains.get(p.chain);
      if (!t || !c || c.builtin) throw bare(NO_CHAIN);
      if (t.chains.has(p.arg)) throw bare("iptables: Chain already exists.");
      t.chains.delete(c.name);
      c.name = p.arg;
      t.chains.set(c.name, c);
      for (const ch of t.chains.values())
        for (const r of ch.rules)
          if (r.target.kind === "jump" && r.target.chain === p.chain) r.target.chain = c.name;
      if (t.refs) {
        const n2 = t.refs.get(p.chain);
        t.refs.delete(p.chain);
        if (n2 !== void 0) t.refs.set(c.name, n2);
      }
      changed(s2);
      return "";
    }
  }
}
function iptablesErrorText(e) {
  return e instanceof IptError ? errText(e) : null;
}
var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function ctime(k) {
  const d = new Date(Date.UTC(2025, 0, 1) + k.clock.now);
  const two = (n2) => String(n2).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
function saveTable(t, counters, date) {
  const lines = [`# Generated by iptables-save v1.8.9 (nf_tables) on ${date}`, `*${t.name}`];
  const cs = chainsInOrder(t);
  for (const c of cs)
    lines.push(
      `:${c.name} ${c.builtin ? c.policy : "-"} [${c.builtin ? c.counters.pkts : 0}:${c.builtin ? c.counters.bytes : 0}]`
    );
  for (const c of cs)
    for (const r of c.rules)
      lines.push(`${counters ? `[${r.counters.pkts}:${r.counters.bytes}] ` : ""}${formatRule(c.name, r)}`);
  lines.push("COMMIT", `# Completed on ${date}`);
  return `${lines.join("\n")}
`;
}
function saveTables(ns, only, counters) {
  const s2 = nfState(ns);
  const date = ctime(ns.kernel);
  let out = "";
  for (const name of TABLE_ORDER) {
    if (only !== null && name !== only) continue;
    const t = s2.tables.get(name);
    if (t) out += saveTable(t, counters, date);
  }
  return out;
}
function tokenize(line) {
  const out = [];
  let cur = "";
  let have = false;
  let q = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === "\\" && q === '"' && i + 1 < line.length) {
        cur += line[++i];
        continue;
      }
      if (ch === q) q = null;
      else cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      q = ch;
      have = true;
      continue;
    }
    if (ch === " " || ch === "	") {
      if (have) out.push(cur);
      cur = "";
      have = false;
      continue;
    }
    cur += ch;
    have = true;
  }
  if (have) out.push(cur);
  return out;
}
var parsedLines = /* @__PURE__ */ new Map();
var PARSED_LINES_MAX = 2e5;
var LONG_CHAIN = 32;
function statelessRule(r) {
  return r.matches.every((m) => !("counter" in m) && !("state" in m));
}
function parseRestoreLine(text, chainLength) {
  if (text.startsWith("-A ")) {
    const end = text.indexOf(" ", 3);
    if (end > 0 && chainLength(text.slice(3, end)) < LONG_CHAIN) return parseIptables(tokenize(text));
  }
  const known = parsedLines.get(text);
  if (known)
    return {
      ...known,
      rule: known.rule && {
        ...known.rule,
        target: { ...known.rule.target },
        counters: { pkts: 0, bytes: 0 }
      }
    };
  const p = parseIptables(tokenize(text));
  if (p.rule && p.chain !== null && chainLength(p.chain) >= LONG_CHAIN && statelessRule(p.rule)) {
    if (parsedLines.size >= PARSED_LINES_MAX) parsedLines.clear();
    parsedLines.set(text, {
      ...p,
      rule: { ...p.rule, target: { ...p.rule.target }, counters: { pkts: 0, bytes: 0 } }
    });
  }
  return p;
}
function restore(s2, text, o) {
  const lines = text.split("\n");
  let cur = null;
  let undo = null;
  const own = (name) => {
    if (!cur || !undo || name === null || undo.has(name)) return;
    const c = cur.table.chains.get(name);
    undo.set(name, c);
    if (c) cur.table.chains.set(name, { ...c, rules: [...c.rules], index: null });
  };
  const ownAll = () => {
    if (cur) for (const n2 of [...cur.table.chains.keys()]) own(n2);
  };
  const before = /* @__PURE__ */ new Map();
  const appended = /* @__PURE__ */ new Map();
  const reuse = (text2) => {
    if (!cur || !text2.startsWith("-A ")) return false;
    const end = text2.indexOf(" ", 3);
    if (end < 0) return false;
    const name = text2.slice(3, end);
    const prev = before.get(name);
    const chain = cur.table.chains.get(name);
    const list = appended.get(name);
    if (!prev || !chain || !list) return false;
    const i = chain.rules.length;
    if (prev.lines[i] !== text2) return false;
    const old = prev.rules[i];
    const tg = old.target;
    if (tg.kind === "jump" && !cur.table.chains.has(tg.chain)) return false;
    if (old.matches.some((m) => m.kind === "set" || "counter" in m || "state" in m)) return false;
    const r2 = { ...old, target: { ...tg }, counters: { pkts: 0, bytes: 0 } };
    chain.instantiated = true;
    chain.rules.push(r2);
    countRefs(cur.table, [r2], 1);
    chain.index = null;
    list.push(text2);
    return true;
  };
  const rollback = () => {
    if (!cur || !undo) return;
    delete cur.table.refs;
    for (const [n2, c] of undo) {
      if (c) cur.table.chains.set(n2, c);
      else cur.table.chains.delete(n2);
    }
    undo = null;
  };
  let stage = null;
  let tmp = null;
  const fail3 = (msg, line) => ({
    error: `iptables-restore v1.8.9 (nf_tables): ${msg}
Error occurred at line: ${line}
Try \`iptables-restore -h' or 'iptables-restore --help' for more information.
`,
    code: 2
  });
  const lineFailed = (line, msg) => ({
    error: `iptables-restore: line ${line} failed${msg ? `: ${msg}` : ""}
`,
    code: 1
  });
  const commitLine = (i) => {
    for (let j = i; j < lines.length; j++) if (lines[j].trim() === "COMMIT") return j + 1;
    return lines.length;
  };
  const run = () => {
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i];
      const line = raw.trim();
      const ln = i + 1;
      if (line === "" || line.startsWith("#")) continue;
      if (line.startsWith("*")) {
        const name = line.slice(1).trim();
        if (!TABLES.has(name)) return fail3(`iptables-restore: line ${ln} table name '${name}' invalid`, ln);
        const tn = name;
        stage = { ...s2, tables: new Map(s2.tables), generation: s2.generation };
        const old = s2.tables.get(tn);
        undo = old && o.noflush ? /* @__PURE__ */ new Map() : null;
        before.clear();
        appended.clear();
        const table = old && o.noflush ? old : { name: tn, chains: /* @__PURE__ */ new Map() };
        if (!undo) {
          for (const c of BUILTIN_CHAINS[tn]) {
            const prev = old?.chains.get(c);
            table.chains.set(c, { ...newChain(c, true), policy: prev?.policy ?? "ACCEPT" });
          }
          if (old && !o.noflush) {
          }
        }
        stage.tables.set(tn, table);
        cur = { name: tn, table, startLine: ln };
        tmp = { ...stage, tables: /* @__PURE__ */ new Map([[tn, table]]) };
        continue;
      }
      if (!cur || !stage || !tmp) return lineFailed(ln);
      if (line === "COMMIT") {
        if ((o.table === null || o.table === cur.name) && !o.test) {
          s2.tables.set(cur.name, cur.table);
          for (const [n2, l] of appended) {
            const c = cur.table.chains.get(n2);
            if (c && c.rules.length === l.length) c.lines = l;
          }
          if (!undo) for (const c of cur.table.chains.values()) c.index = null;
          else
            for (const n2 of undo.keys()) {
              const c = cur.table.chains.get(n2);
              if (c) c.index = null;
            }
          undo = null;
          s2.generation++;
        } else rollback();
        cur = null;
        stage = null;
        tmp = null;
        continue;
      }
      if (line.startsWith(":")) {
        const m = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?/.exec(line);
        if (!m) return fail3(`Bad chain line`, ln);
        const [, name, policy, pk, by] = m;
        own(name);
        const existing = cur.table.chains.get(name);
        if (BUILTIN_CHAINS[cur.name].includes(name)) {
          if (policy !== "ACCEPT" && policy !== "DROP") return lineFailed(ln, "Bad policy name.");
          const c = existing ?? newChain(name, true);
          c.policy = policy;
          c.counting = true;
          c.instantiated = true;
          c.counters = o.counters && pk !== void 0 ? { pkts: Number(pk), bytes: Number(by) } : { pkts: 0, bytes: 0 };
          cur.table.chains.set(name, c);
        } else if (existing) {
          if (existing.lines && existing.lines.length === existing.rules.length)
            before.set(name, { lines: existing.lines, rules: existing.rules });
          countRefs(cur.table, existing.rules, -1);
          existing.rules = [];
          existing.index = null;
          delete existing.lines;
          appended.set(name, []);
        } else {
          cur.table.chains.set(name, newChain(name, false));
          appended.set(name, []);
        }
        continue;
      }
      let counters = null;
      let text2 = line;
      const cm = /^\[(\d+):(\d+)\]\s+/.exec(line);
      if (cm) {
        if (o.counters) counters = { pkts: Number(cm[1]), bytes: Number(cm[2]) };
        text2 = line.slice(cm[0].length);
      }
      if (!counters && undo && reuse(text2)) continue;
      try {
        const table = cur.table;
        const p = parseRestoreLine(text2, (c) => table.chains.get(c)?.rules.length ?? 0);
        p.table = cur.name;
        if (p.cmd === "E" || (p.cmd === "F" || p.cmd === "Z" || p.cmd === "X") && p.chain === null)
          ownAll();
        else own(p.chain);
        if (counters && p.rule) p.counters = counters;
        tmp.tables.set(cur.name, cur.table);
        runParsed(tmp, p);
        cur.table = tmp.tables.get(cur.name);
        const list = p.chain !== null ? appended.get(p.chain) : void 0;
        if (list && p.cmd === "A" && !counters) list.push(text2);
        else if (p.chain !== null) appended.delete(p.chain);
        else appended.clear();
      } catch (e) {
        if (e instanceof IptError) {
          if (e.bare) return lineFailed(ln, e.message.replace(/^iptables: /, ""));
          if (e.code === 4 && o.test) continue;
          if (e.code === 4)
            return {
              error: `iptables-restore v1.8.9 (nf_tables): 
line ${ln}: ${e.message.trim()}
`,
              code: 4
            };
          if (/^Chain '.*' does not exist$/.test(e.message.trim()))
            return fail3(e.message.trim(), commitLine(i));
          return fail3(e.message.trim(), ln);
        }
        throw e;
      }
    }
    if (cur) return { error: `iptables-restore: COMMIT expected at line ${lines.length}
`, code: 1 };
    return null;
  };
  let r = null;
  try {
    r = run();
  } finally {
    if (r !== null || undo) rollback();
  }
  return r;
}

// src/host/host.ts
var HostError = class extends Error {
  errno;
  constructor(errno, message) {
    super(message);
    this.errno = errno;
  }
};

// src/host/sim/serve.ts
var HTTP_REQUEST = /^[A-Z]+ \S+ HTTP\/1\.[01]\r?\n/;
function answer(request, reply) {
  const body = `${reply}
`;
  if (!HTTP_REQUEST.test(request)) return body;
  return `HTTP/1.1 200 OK\r
Content-Type: text/plain\r
Content-Length: ${body.length}\r
Connection: close\r
\r
${body}`;
}
function serve(ns, s2) {
  if (s2.proto === "udp") {
    if (ns.sockets.portInUse("udp", 0, s2.port))
      throw new HostError("EADDRINUSE", `udp port ${s2.port} in use`);
    ns.sockets.udp.push({
      addr: 0,
      port: s2.port,
      onDatagram: (p, data) => {
        if (p.l4.proto !== "udp") return;
        ipSend(ns, {
          dst: p.src,
          src: p.dst,
          l4: { proto: "udp", sport: s2.port, dport: p.l4.sport, payload: answer(data, s2.reply) }
        });
      }
    });
    return;
  }
  const r = tcpListen(ns, 0, s2.port, (c) => {
    c.onEvent = (ev) => {
      if (ev.kind === "data") {
        tcpSend(ns, c, answer(ev.data, s2.reply));
        tcpClose(ns, c);
      } else if (ev.kind === "closed") tcpClose(ns, c);
    };
  });
  if (!r.ok) throw new HostError(r.err.errno, `tcp port ${s2.port}: Address already in use`);
}

// src/host/sim/sim-host.ts
function check(r, what) {
  if (!r.ok) throw new HostError(r.err.errno, `${what}: ${r.err.extack ?? STRERROR[r.err.errno]}`);
  return r.value;
}
function addr2(s2) {
  const a = parseIPv4(s2);
  if (a === null) throw new HostError("EINVAL", `invalid IPv4 address "${s2}"`);
  return a;
}
function cidr(s2) {
  if (s2 === "default") return { addr: 0, len: 0 };
  const [a, l] = s2.split("/");
  const len = l === void 0 ? 32 : Number(l);
  if (!Number.isInteger(len) || len < 0 || len > 32) throw new HostError("EINVAL", `invalid prefix "${s2}"`);
  return { addr: addr2(a ?? ""), len };
}
var PROTO_NUM = { TCP: 6, UDP: 17, SCTP: 132 };
var PROTO_NAME2 = { 6: "TCP", 17: "UDP", 132: "SCTP" };
var SimHost = class {
  kind = "sim";
  kernel;
  /** The namespace this host stands for (a node's root namespace). */
  root;
  constructor(kernel, root) {
    this.kernel = kernel;
    this.root = root ?? kernel.initNs;
  }
  ns(ref) {
    if (ref === null) return this.root;
    const ns = this.kernel.named.get(ref);
    if (!ns) throw new HostError("ENOENT", `netns "${ref}": No such file or directory`);
    return ns;
  }
  dev(ns, name) {
    const d = ns.byName.get(name);
    if (!d) throw new HostError("ENODEV", `Cannot find device "${name}"`);
    return d;
  }
  async netnsAdd(name) {
    if (this.kernel.named.has(name)) throw new HostError("EEXIST", `netns "${name}": File exists`);
    this.kernel.newNetns(name);
  }
  async netnsDel(name) {
    destroyNetns(this.kernel, this.ns(name));
  }
  async netnsList() {
    return [...this.kernel.named.entries()].filter(([, ns]) => ns !== this.root).map(([n2]) => n2).sort();
  }
  async vethAdd(ref, s2) {
    const ns = this.ns(ref);
    const peerNs = s2.peerNs === void 0 ? ns : this.ns(s2.peerNs);
    check(
      createVeth(
        {
          name: s2.name,
          ns,
          ...s2.mac ? { mac: s2.mac } : {},
          ...s2.mtu ? { mtu: s2.mtu } : {},
          ...s2.txqlen !== void 0 ? { txqlen: s2.txqlen } : {}
        },
        {
          name: s2.peer,
          ns: peerNs,
          ...s2.peerMac ? { mac: s2.peerMac } : {},
          ...s2.mtu ? { mtu: s2.mtu } : {},
          ...s2.txqlen !== void 0 ? { txqlen: s2.txqlen } : {}
        }
      ),
      `veth ${s2.name}`
    );
  }
  async bridgeAdd(ref, name, opts = {}) {
    check(
      createBridge({
        name,
        ns: this.ns(ref),
        ...opts.mac ? { mac: opts.mac } : {},
        ...opts.mtu ? { mtu: opts.mtu } : {}
      }),
      `bridge ${name}`
    );
  }
  async vxlanAdd(ref, s2) {
    const ns = this.ns(ref);
    check(
      createVxlan(
        { name: s2.name, ns },
        {
          id: s2.id,
          remote: null,
          local: s2.local ? addr2(s2.local) : null,
          group: null,
          dev: s2.dev ? this.dev(ns, s2.dev) : null,
          dstport: s2.dstport ?? 8472,
          learning: s2.learning ?? true,
          ttl: 0
        }
      ),
      `vxlan ${s2.name}`
    );
  }
  async linkSet(ref, name, c) {
    const ns = this.ns(ref);
    const d = this.dev(ns, name);
    if (c.netns !== void 0) check(changeNetns(d, this.ns(c.netns), c.name), `${name} netns`);
    else if (c.name !== void 0) check(rename(d, c.name), `${name} name`);
    if (c.mac !== void 0) {
      const m = parseMac(c.mac);
      if (!m) throw new HostError("EINVAL", `invalid MAC "${c.mac}"`);
      check(setMac(d, m), `${name} address`);
    }
    if (c.mtu !== void 0) check(setMtu(d, c.mtu), `${name} mtu`);
    if (c.master !== void 0) {
      if (c.master === null) {
        if (d.master) brDelIf(d.master, d);
      } else check(brAddIf(this.dev(d.ns, c.master), d), `${name} master`);
    }
    if (c.hairpin !== void 0) {
      if (!d.brport) throw new HostError("EOPNOTSUPP", `${name} is not a bridge port`);
      d.brport.hairpin = c.hairpin;
    }
    if (c.promisc !== void 0) d.promisc = c.promisc ? 1 : 0;
    if (c.up !== void 0) setUp(d, c.up);
  }
  async linkDel(ref, name) {
    unregister(this.dev(this.ns(ref), name));
  }
  async linkList(ref) {
    return [...this.ns(ref).devices.values()].sort((a, b) => a.ifindex - b.ifindex).map((d) => ({
      ifindex: d.ifindex,
      name: d.name,
      kind: d.kind,
      mac: d.mac,
      mtu: d.mtu,
      up: d.up,
      master: d.master?.name ?? null,
      peerIfindex: d.peer?.ifindex ?? null
    }));
  }
  async addrAdd(ref, dev, c, opts = {}) {
    const p = cidr(c);
    const d = this.dev(this.ns(ref), dev);
    const hostBits = p.len === 0 ? 4294967295 : 2 ** (32 - p.len) - 1 >>> 0;
    check(
      inetAddAddr(d, {
        local: p.addr,
        prefixlen: p.len,
        broadcast: opts.broadcast && p.len < 31 ? (p.addr | hostBits) >>> 0 : null,
        scope: null,
        label: null,
        noprefixroute: false,
        metric: 0
      }),
      `address ${c}`
    );
  }
  async addrDel(ref, dev, c) {
    const p = cidr(c);
    check(inetDelAddr(this.dev(this.ns(ref), dev), p.addr, p.len), `address ${c}`);
  }
  async addrList(ref, family = 4) {
    const out = [];
    for (const d of [...this.ns(ref).devices.values()].sort((a, b) => a.ifindex - b.ifindex)) {
      if (family === 6) {
        for (const a of d.inet6)
          out.push({
            dev: d.name,
            cidr: `${formatIPv6(a.local)}/${a.prefixlen}`,
            scope: a.scope,
            secondary: false
          });
        continue;
      }
      for (const a of d.inet)
        out.push({
          dev: d.name,
          cidr: `${formatIPv4(a.local)}/${a.prefixlen}`,
          scope: a.scope,
          secondary: a.secondary
        });
    }
    return out;
  }
  spec(ns, s2) {
    const p = cidr(s2.dst);
    const type = s2.type ?? "unicast";
    const scope = s2.scope ?? (type === "local" ? "host" : type === "unicast" && !s2.via ? "link" : "global");
    return {
      table: s2.table ?? RT_TABLE_MAIN,
      type,
      dst: p.addr,
      dstLen: p.len,
      metric: s2.metric ?? 0,
      protocol: s2.proto ?? "boot",
      scope,
      prefsrc: s2.src ? addr2(s2.src) : null,
      gateway: s2.via ? addr2(s2.via) : null,
      dev: s2.dev ? this.dev(ns, s2.dev) : null,
      onlink: s2.onlink ?? false
    };
  }
  async routeAdd(ref, s2) {
    const ns = this.ns(ref);
    check(routeAdd(ns, this.spec(ns, s2), "add"), `route ${s2.dst}`);
  }
  async routeReplace(ref, s2) {
    const ns = this.ns(ref);
    check(routeAdd(ns, this.spec(ns, s2), "replace"), `route ${s2.dst}`);
  }
  async routeDel(ref, s2) {
    const ns = this.ns(ref);
    const x = this.spec(ns, s2);
    check(
      routeDel(ns, {
        table: x.table,
        dst: x.dst,
        dstLen: x.dstLen,
        type: s2.type ?? null,
        metric: s2.metric ?? null,
        protocol: null,
        gateway: x.gateway,
        dev: x.dev,
        prefsrc: null
      }),
      `route ${s2.dst}`
    );
  }
  async routeList(ref, table = RT_TABLE_MAIN) {
    const t = this.ns(ref).fib.find(table);
    if (!t) return [];
    return t.routes.filter((r) => r.family === 4).map((r) => {
      const info2 = {
        dst: r.dstLen === 0 ? "default" : `${formatIPv4(r.dst)}/${r.dstLen}`,
        table: r.table,
        type: r.type === "broadcast" || r.type === "multicast" || r.type === "throw" ? "unicast" : r.type,
        proto: r.protocol,
        scope: r.scope === "global" ? "global" : r.scope === "host" ? "host" : "link"
      };
      if (r.gateway !== null) info2.via = formatIPv4(r.gateway);
      if (r.dev) info2.dev = r.dev.name;
      if (r.prefsrc !== null) info2.src = formatIPv4(r.prefsrc);
      if (r.metric) info2.metric = r.metric;
      if (r.onlink) info2.onlink = true;
      return info2;
    });
  }
  async neighAdd(ref, s2) {
    const ns = this.ns(ref);
    const d = this.dev(ns, s2.dev);
    const mac = parseMac(s2.lladdr);
    if (!mac) throw new HostError("EINVAL", `invalid lladdr "${s2.lladdr}"`);
    const state = s2.state === "reachable" ? "REACHABLE" : s2.state === "noarp" ? "NOARP" : "PERMANENT";
    const ip = addr2(s2.dst);
    const n2 = ns.neigh.lookup(d, ip) ?? ns.neigh.create(d, ip, state, mac);
    n2.state = state;
    n2.lladdr = mac;
  }
  async fdbAdd(ref, s2) {
    const ns = this.ns(ref);
    const d = this.dev(ns, s2.dev);
    const mac = parseMac(s2.mac);
    if (!mac) throw new HostError("EINVAL", `invalid MAC "${s2.mac}"`);
    if (d.kind === "vxlan") {
      if (!s2.dst) throw new HostError("EINVAL", `fdb ${s2.mac} dev ${s2.dev}: a vxlan entry needs dst`);
      check(vxlanFdbAdd(d, mac, addr2(s2.dst)), `fdb ${s2.mac} dev ${s2.dev}`);
      return;
    }
    if (!d.master?.bridge) throw new HostError("EOPNOTSUPP", `${s2.dev} is not a bridge port`);
    d.master.bridge.fdb.set(mac, { mac, port: d, kind: "static", updated: this.kernel.clock.now, used: 0 });
  }
  async sysctlSet(ref, key4, value) {
    const r = this.ns(ref).sysctl.set(key4, value);
    if (!r.ok) throw new HostError(r.errno, `sysctl ${key4}: ${STRERROR[r.errno]}`);
  }
  async sysctlGet(ref, key4) {
    const v = this.ns(ref).sysctl.get(key4);
    if (v === void 0) throw new HostError("ENOENT", `sysctl ${key4}: No such file or directory`);
    return v;
  }
  async iptables(ref, args) {
    const ns = this.ns(ref);
    const a = args[0] === "-w" || args[0] === "--wait" ? args.slice(1) : args;
    try {
      return runParsed(nfState(ns), parseIptables(a));
    } catch (e) {
      const text = iptablesErrorText(e);
      if (text === null) throw e;
      throw new HostError("EINVAL", `iptables ${a.join(" ")}: ${text.trim()}`);
    }
  }
  async iptablesSave(ref, table) {
    return saveTables(this.ns(ref), table ?? null, false);
  }
  async iptablesRestore(ref, payload, opts = {}) {
    const err2 = restore(nfState(this.ns(ref)), payload, {
      noflush: opts.noflush ?? false,
      counters: false,
      test: false,
      table: null
    });
    if (err2) throw new HostError("EINVAL", `iptables-restore: ${err2.error.trim()}`);
  }
  async dummyAdd(ref, name) {
    check(createDummy({ name, ns: this.ns(ref) }), `dummy ${name}`);
  }
  async ipset(ref, args) {
    const r = runIpset(this.ns(ref), args);
    if (r.exitCode !== 0) throw new HostError("EINVAL", r.stderr.trim());
    return r.stdout;
  }
  ipvsSvc(ref, v) {
    const ns = this.ns(ref);
    const proto = PROTO_NUM[v.protocol];
    return { ns, svc: ipVsFindService(ns, proto, addr2(v.address), v.port), proto };
  }
  async ipvsServiceList(ref) {
    return [...ipvsOf(this.ns(ref)).services.values()].sort((x, y) => x.proto - y.proto || (x.addr >>> 0) - (y.addr >>> 0) || x.port - y.port).map((x) => ({
      protocol: PROTO_NAME2[x.proto],
      address: formatIPv4(x.addr),
      port: x.port,
      scheduler: x.scheduler,
      ...x.flags & IP_VS_SVC_F_PERSISTENT ? { persistent: true, timeout: x.timeout } : {},
      ...x.flags & IP_VS_SVC_F_SCHED2 ? { sourceHash: true } : {}
    }));
  }
  ipvsUser(v) {
    return {
      proto: PROTO_NUM[v.protocol],
      addr: addr2(v.address),
      port: v.port,
      scheduler: v.scheduler,
      flags: (v.persistent ? IP_VS_SVC_F_PERSISTENT : 0) | (v.sourceHash ? IP_VS_SVC_F_SCHED2 : 0),
      timeout: v.persistent ? v.timeout ?? 0 : 0
    };
  }
  async ipvsServiceAdd(ref, v) {
    check(ipVsAddService(this.ns(ref), this.ipvsUser(v)), `ipvs add service ${v.address}:${v.port}`);
  }
  async ipvsServiceUpdate(ref, v) {
    check(ipVsEditService(this.ns(ref), this.ipvsUser(v)), `ipvs update service ${v.address}:${v.port}`);
  }
  async ipvsServiceDel(ref, v) {
    const { ns, svc, proto } = this.ipvsSvc(ref, v);
    if (svc) ipVsConnFlushService(ns, svc);
    check(ipVsDelService(ns, proto, addr2(v.address), v.port), `ipvs delete service ${v.address}:${v.port}`);
  }
  needSvc(ref, v) {
    const { svc } = this.ipvsSvc(ref, v);
    if (!svc) throw new HostError("ESRCH", `ipvs service ${v.address}:${v.port}: No such process`);
    return svc;
  }
  async ipvsDestList(ref, v) {
    return [...this.needSvc(ref, v).dests].sort((x, y) => (x.addr >>> 0) - (y.addr >>> 0) || x.port - y.port).map((d) => ({
      address: formatIPv4(d.addr),
      port: d.port,
      weight: d.weight,
      activeConns: d.activeconns,
      inactiveConns: d.inactconns
    }));
  }
  async ipvsDestAdd(ref, v, d) {
    const u = { addr: addr2(d.address), port: d.port, weight: d.weight, fwd: "masq" };
    check(ipVsAddDest(this.needSvc(ref, v), u), `ipvs add destination ${d.address}:${d.port}`);
  }
  async ipvsDestUpdate(ref, v, d) {
    const u = { addr: addr2(d.address), port: d.port, weight: d.weight, fwd: "masq" };
    check(ipVsEditDest(this.needSvc(ref, v), u), `ipvs update destination ${d.address}:${d.port}`);
  }
  async ipvsDestDel(ref, v, d) {
    check(
      ipVsDelDest(this.needSvc(ref, v), addr2(d.address), d.port),
      `ipvs delete destination ${d.address}:${d.port}`
    );
  }
  async serve(ref, s2) {
    serve(this.ns(ref), s2);
  }
};

// src/host/iptables-ensure.ts
async function ensureChain(host, table, chain, ns = null) {
  const have = (await host.iptables(ns, ["-t", table, "-S"])).split("\n");
  if (!have.includes(`-N ${chain}`)) await host.iptables(ns, ["-t", table, "-N", chain]);
}
async function ensureRule(host, table, chain, spec, position = "append", ns = null) {
  try {
    await host.iptables(ns, ["-t", table, "-C", chain, ...spec]);
  } catch {
    await host.iptables(ns, ["-t", table, position === "append" ? "-A" : "-I", chain, ...spec]);
  }
}

// src/proxy/iptables/chain-names.ts
import { createHash } from "node:crypto";
var kubeServicesChain = "KUBE-SERVICES";
var kubeExternalServicesChain = "KUBE-EXTERNAL-SERVICES";
var kubeNodePortsChain = "KUBE-NODEPORTS";
var kubePostroutingChain = "KUBE-POSTROUTING";
var kubeMarkMasqChain = "KUBE-MARK-MASQ";
var kubeForwardChain = "KUBE-FORWARD";
var kubeProxyFirewallChain = "KUBE-PROXY-FIREWALL";
var kubeProxyCanaryChain = "KUBE-PROXY-CANARY";
var kubeletFirewallChain = "KUBE-FIREWALL";
var servicePortPolicyClusterChainNamePrefix = "KUBE-SVC-";
var servicePortPolicyLocalChainNamePrefix = "KUBE-SVL-";
var serviceFirewallChainNamePrefix = "KUBE-FW-";
var serviceExternalChainNamePrefix = "KUBE-EXT-";
var servicePortEndpointChainNamePrefix = "KUBE-SEP-";
var BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function base32StdEncode(bytes) {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = value << 8 | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[value >>> bits - 5 & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[value << 5 - bits & 31];
  while (out.length % 8 !== 0) out += "=";
  return out;
}
var hashCache = /* @__PURE__ */ new Map();
var hashCacheMax = 1 << 18;
function clearChainNameCache() {
  hashCache.clear();
}
function hash16(s2) {
  let h = hashCache.get(s2);
  if (h === void 0) {
    h = base32StdEncode(createHash("sha256").update(s2).digest().subarray(0, 10));
    if (hashCache.size >= hashCacheMax) hashCache.clear();
    hashCache.set(s2, h);
  }
  return h;
}
function portProtoHash(servicePortName, protocol) {
  return hash16(servicePortName + protocol);
}
function servicePortPolicyClusterChain(servicePortName, protocol) {
  return servicePortPolicyClusterChainNamePrefix + portProtoHash(servicePortName, protocol);
}
function servicePortPolicyLocalChainName(servicePortName, protocol) {
  return servicePortPolicyLocalChainNamePrefix + portProtoHash(servicePortName, protocol);
}
function serviceFirewallChainName(servicePortName, protocol) {
  return serviceFirewallChainNamePrefix + portProtoHash(servicePortName, protocol);
}
function serviceExternalChainName(servicePortName, protocol) {
  return serviceExternalChainNamePrefix + portProtoHash(servicePortName, protocol);
}
function servicePortEndpointChainName(servicePortName, protocol, endpoint) {
  return servicePortEndpointChainNamePrefix + hash16(servicePortName + protocol + endpoint);
}
function isServiceChainName(chain) {
  return [
    servicePortPolicyClusterChainNamePrefix,
    servicePortPolicyLocalChainNamePrefix,
    servicePortEndpointChainNamePrefix,
    serviceFirewallChainNamePrefix,
    serviceExternalChainNamePrefix
  ].some((p) => chain.startsWith(p));
}

// src/proxy/service-port.ts
function servicePortNameString(n2) {
  return n2.port === "" ? `${n2.namespace}/${n2.name}` : `${n2.namespace}/${n2.name}:${n2.port}`;
}
function servicePortKey(n2) {
  return `${servicePortNameString(n2)}/${n2.protocol}`;
}
function externallyAccessible(s2) {
  return s2.nodePort !== 0 || s2.loadBalancerVIPs.length !== 0 || s2.externalIPs.length !== 0;
}
function usesClusterEndpoints(s2) {
  return !s2.internalPolicyLocal || externallyAccessible(s2);
}
function usesLocalEndpoints(s2) {
  return s2.internalPolicyLocal || s2.externalPolicyLocal && externallyAccessible(s2);
}
function serviceExternallyAccessible(svc) {
  const t = svc.spec?.type ?? "ClusterIP";
  return t === "LoadBalancer" || t === "NodePort" || t === "ClusterIP" && (svc.spec?.externalIPs?.length ?? 0) > 0;
}
function externalPolicyLocalOf(svc) {
  return serviceExternallyAccessible(svc) && svc.spec?.externalTrafficPolicy === "Local";
}
function needsHealthCheck(svc) {
  return svc.spec?.type === "LoadBalancer" && externalPolicyLocalOf(svc);
}
function clusterIPv4(svc) {
  const ips = svc.spec?.clusterIPs ?? [];
  if (ips.length === 0) {
    const ip = svc.spec?.clusterIP ?? "";
    return parseIPv4(ip) !== null ? ip : "";
  }
  return ips.find((ip) => parseIPv4(ip) !== null) ?? "";
}
function shouldSkipService(svc) {
  const ip = svc.spec?.clusterIP ?? "";
  return ip === "" || ip === "None" || svc.spec?.type === "ExternalName";
}
function normaliseCIDR(s2) {
  const [a, l] = s2.trim().split("/");
  const ip = parseIPv4(a ?? "");
  const len = Number(l);
  if (ip === null || l === void 0 || !/^\d+$/.test(l) || len > 32) return null;
  return `${formatIPv4(networkOf(ip, len))}/${len}`;
}
function newBaseServiceInfo(svc, port, clusterIP) {
  const name = {
    namespace: svc.metadata.namespace ?? "default",
    name: svc.metadata.name,
    port: port.name ?? "",
    protocol: port.protocol ?? "TCP"
  };
  const affinity = svc.spec?.sessionAffinity === "ClientIP" ? "ClientIP" : "None";
  return {
    name,
    nameString: servicePortNameString(name),
    clusterIP,
    port: port.port,
    protocol: name.protocol,
    nodePort: port.nodePort ?? 0,
    loadBalancerVIPs: (svc.status?.loadBalancer?.ingress ?? []).filter((i) => i.ip && i.ipMode !== "Proxy" && parseIPv4(i.ip) !== null).map((i) => i.ip),
    loadBalancerSourceRanges: (svc.spec?.loadBalancerSourceRanges ?? []).map(normaliseCIDR).filter((c) => c !== null),
    externalIPs: (svc.spec?.externalIPs ?? []).filter((ip) => parseIPv4(ip) !== null),
    sessionAffinityType: affinity,
    // The API server defaults timeoutSeconds to 10800 when ClientIP is set.
    stickyMaxAgeSeconds: affinity === "ClientIP" ? svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 : 0,
    healthCheckNodePort: needsHealthCheck(svc) ? svc.spec?.healthCheckNodePort ?? 0 : 0,
    externalPolicyLocal: externalPolicyLocalOf(svc),
    internalPolicyLocal: svc.spec?.internalTrafficPolicy === "Local"
  };
}
function serviceToServicePortMap(svc) {
  const out = /* @__PURE__ */ new Map();
  if (shouldSkipService(svc)) return out;
  const clusterIP = clusterIPv4(svc);
  if (clusterIP === "") return out;
  for (const p of svc.spec?.ports ?? []) {
    const info2 = newBaseServiceInfo(svc, p, clusterIP);
    out.set(servicePortKey(info2.name), info2);
  }
  return out;
}

// src/proxy/topology.ts
function servingTerminating(e) {
  return e.serving && e.terminating;
}
function categorizeEndpoints(endpoints, svcInfo) {
  let clusterEndpoints = [];
  let localEndpoints = [];
  let hasAnyEndpoints = false;
  let useServingTerminatingEndpoints = false;
  if (usesClusterEndpoints(svcInfo)) {
    clusterEndpoints = endpoints.filter((e) => e.ready);
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter(servingTerminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(svcInfo)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }
  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const e of endpoints) {
    if (e.ready) {
      hasAnyEndpoints = true;
      if (e.isLocal) hasLocalReady = true;
    } else if (servingTerminating(e)) {
      hasAnyEndpoints = true;
      if (e.isLocal) hasLocalServingTerminating = true;
    }
  }
  if (hasLocalReady) {
    localEndpoints = endpoints.filter((e) => e.isLocal && e.ready);
  } else if (hasLocalServingTerminating) {
    useServingTerminatingEndpoints = true;
    localEndpoints = endpoints.filter((e) => e.isLocal && servingTerminating(e));
  }
  if (!usesClusterEndpoints(svcInfo)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints };
  }
  if (!useServingTerminatingEndpoints) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }
  const merged = /* @__PURE__ */ new Map();
  for (const e of [...clusterEndpoints, ...localEndpoints]) merged.set(e.endpoint, e);
  const allReachableEndpoints = [...merged.values()].sort(
    (a, b) => a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0
  );
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints };
}

// src/proxy/iptables/proxier.ts
var largeClusterEndpointsThreshold = 1e3;
var ctStateInvalidDroppedNFAcctCounter = "ct_state_invalid_dropped_pkts";
var localhostNodePortAcceptedNFAcctCounter = "localhost_nps_accepted_pkts";
var ctNew = ["-m", "conntrack", "--ctstate", "NEW"];
var iptablesJumpChains = [
  {
    table: "filter",
    dstChain: kubeExternalServicesChain,
    srcChain: "INPUT",
    comment: "kubernetes externally-visible service portals",
    extraArgs: ctNew
  },
  {
    table: "filter",
    dstChain: kubeExternalServicesChain,
    srcChain: "FORWARD",
    comment: "kubernetes externally-visible service portals",
    extraArgs: ctNew
  },
  {
    table: "filter",
    dstChain: kubeNodePortsChain,
    srcChain: "INPUT",
    comment: "kubernetes health check service ports",
    extraArgs: []
  },
  {
    table: "filter",
    dstChain: kubeServicesChain,
    srcChain: "FORWARD",
    comment: "kubernetes service portals",
    extraArgs: ctNew
  },
  {
    table: "filter",
    dstChain: kubeServicesChain,
    srcChain: "OUTPUT",
    comment: "kubernetes service portals",
    extraArgs: ctNew
  },
  {
    table: "filter",
    dstChain: kubeForwardChain,
    srcChain: "FORWARD",
    comment: "kubernetes forwarding rules",
    extraArgs: []
  },
  {
    table: "filter",
    dstChain: kubeProxyFirewallChain,
    srcChain: "INPUT",
    comment: "kubernetes load balancer firewall",
    extraArgs: ctNew
  },
  {
    table: "filter",
    dstChain: kubeProxyFirewallChain,
    srcChain: "OUTPUT",
    comment: "kubernetes load balancer firewall",
    extraArgs: ctNew
  },
  {
    table: "filter",
    dstChain: kubeProxyFirewallChain,
    srcChain: "FORWARD",
    comment: "kubernetes load balancer firewall",
    extraArgs: ctNew
  },
  {
    table: "nat",
    dstChain: kubeServicesChain,
    srcChain: "OUTPUT",
    comment: "kubernetes service portals",
    extraArgs: []
  },
  {
    table: "nat",
    dstChain: kubeServicesChain,
    srcChain: "PREROUTING",
    comment: "kubernetes service portals",
    extraArgs: []
  },
  {
    table: "nat",
    dstChain: kubePostroutingChain,
    srcChain: "POSTROUTING",
    comment: "kubernetes postrouting rules",
    extraArgs: []
  },
  // Duplicates of the chains kubelet creates.
  { table: "filter", dstChain: kubeletFirewallChain, srcChain: "INPUT", comment: "", extraArgs: [] },
  { table: "filter", dstChain: kubeletFirewallChain, srcChain: "OUTPUT", comment: "", extraArgs: [] }
];
function jumpRules() {
  return iptablesJumpChains.map((j) => ({
    table: j.table,
    chain: j.srcChain,
    position: "prepend",
    ensureChain: j.dstChain,
    args: [
      ...j.extraArgs,
      ...j.comment !== "" ? ["-m", "comment", "--comment", j.comment] : [],
      "-j",
      j.dstChain
    ]
  }));
}
function computeProbability(n2) {
  return (1 / n2).toFixed(10);
}
function masqueradeMarkOf(bit) {
  return `0x${(2 ** bit).toString(16).padStart(8, "0")}`;
}
function makeChainLine(chain) {
  return `:${chain} - [0:0]`;
}
function detectorArgs(d, local) {
  if (!d) return null;
  const not = local ? [] : ["!"];
  switch (d.mode) {
    case "ClusterCIDR":
      return [...not, "-s", d.cidr];
    case "BridgeInterface":
      return [...not, "-i", d.bridge];
    case "InterfaceNamePrefix":
      return [...not, "-i", `${d.prefix}+`];
  }
}
function cidrContains(cidr2, ip) {
  const [a, l] = cidr2.split("/");
  const net = parseIPv4(a ?? "");
  const addr3 = parseIPv4(ip);
  return net !== null && addr3 !== null && inPrefix(addr3, net, Number(l ?? "32"));
}
function nodePortAddresses(cidrs) {
  const v4 = cidrs.map((c) => c.trim()).filter((c) => parseIPv4(c.split("/")[0] ?? "") !== null);
  const matchAll = v4.length === 0 || v4.some((c) => c.endsWith("/0"));
  const containsIPv4Loopback = v4.length === 0 || v4.some((c) => {
    const ip = parseIPv4(c.split("/")[0] ?? "");
    return ip !== null && ip >>> 24 === 127 || cidrContains(c, "127.0.0.0");
  });
  return { matchAll, cidrs: v4, containsIPv4Loopback };
}
var Lines = class {
  lines = [];
  /** One line's words, reused: words.flat().join(" ") without a new array per line. */
  words = [];
  write(...words) {
    const buf = this.words;
    buf.length = 0;
    for (const w2 of words) {
      if (typeof w2 === "string") buf.push(w2);
      else for (const x of w2) buf.push(x);
    }
    this.lines.push(buf.join(" "));
  }
};
var DiscardLines = class extends Lines {
  write() {
  }
};
function serviceComment(ctx, comment) {
  return ctx.largeClusterMode ? [] : ["-m", "comment", "--comment", comment];
}
function syncProxyRules(input) {
  const cfg = input.config ?? {};
  const { svcPortMap, endpointsMap } = input.state;
  const npa = nodePortAddresses(cfg.nodePortAddresses ?? []);
  const fullSync2 = input.updatedServices === void 0;
  let totalEndpoints = 0;
  for (const k of svcPortMap.keys()) totalEndpoints += endpointsMap.get(k)?.length ?? 0;
  const ctx = {
    masqueradeMark: cfg.masqueradeMark ?? masqueradeMarkOf(cfg.masqueradeBit ?? 14),
    masqueradeAll: cfg.masqueradeAll ?? false,
    localDetector: cfg.localDetector ?? (cfg.clusterCIDR ? { mode: "ClusterCIDR", cidr: cfg.clusterCIDR } : void 0),
    nodeIP: input.node.ips[0] ?? "",
    // NewProxier: localhost NodePorts only if nodePortAddresses allows loopback.
    localhostNodePorts: (cfg.localhostNodePorts ?? true) && npa.containsIPv4Loopback,
    nfacct: cfg.hasNfacct ?? false,
    largeClusterMode: totalEndpoints > largeClusterEndpointsThreshold
  };
  const mark2 = ctx.masqueradeMark;
  const filterChains = new Lines();
  const filterRules = new Lines();
  const natChains = new Lines();
  const natRules = new Lines();
  const skipped = new DiscardLines();
  for (const c of [
    kubeServicesChain,
    kubeExternalServicesChain,
    kubeForwardChain,
    kubeNodePortsChain,
    kubeProxyFirewallChain
  ])
    filterChains.write(makeChainLine(c));
  for (const c of [kubeServicesChain, kubeNodePortsChain, kubePostroutingChain, kubeMarkMasqChain])
    natChains.write(makeChainLine(c));
  natRules.write("-A", kubePostroutingChain, "-m", "mark", "!", "--mark", `${mark2}/${mark2}`, "-j", "RETURN");
  natRules.write("-A", kubePostroutingChain, "-j", "MARK", "--xor-mark", mark2);
  natRules.write(
    "-A",
    kubePostroutingChain,
    "-m",
    "comment",
    "--comment",
    `"kubernetes service traffic requiring SNAT"`,
    "-j",
    "MASQUERADE",
    cfg.hasRandomFully ? ["--random-fully"] : []
  );
  natRules.write("-A", kubeMarkMasqChain, "-j", "MARK", "--or-mark", mark2);
  if (ctx.localhostNodePorts) {
    filterChains.write(makeChainLine(kubeletFirewallChain));
    filterRules.write(
      "-A",
      kubeletFirewallChain,
      "-m",
      "comment",
      "--comment",
      `"block incoming localnet connections"`,
      "-d",
      "127.0.0.0/8",
      "!",
      "-s",
      "127.0.0.0/8",
      "-m",
      "conntrack",
      "!",
      "--ctstate",
      "RELATED,ESTABLISHED,DNAT",
      "-j",
      "DROP"
    );
  }
  const cache = input.cache;
  let existing = input.existingNatChains;
  const ctxKey = cache ? JSON.stringify([ctx, npa, input.node.ips]) : "";
  if (cache && cache.ctxKey !== ctxKey) {
    const old = [...existing ?? []];
    for (const out of cache.ports.values()) pushAll(old, out.activeNATChains);
    existing = old;
    cache.ports.clear();
    cache.ctxKey = ctxKey;
  }
  const trackActive = !cache || existing !== void 0;
  const activeNATChains = /* @__PURE__ */ new Set();
  const stale = /* @__PURE__ */ new Set();
  for (const [key4, svcInfo] of svcPortMap) {
    const eps = endpointsMap.get(key4) ?? noEndpoints;
    let writeToNat = fullSync2 || input.updatedServices.has(`${svcInfo.name.namespace}/${svcInfo.name.name}`);
    if (!cache) {
      writeServicePort(ctx, svcInfo, eps, {
        filterRules,
        natChains: writeToNat ? natChains : skipped,
        natRules: writeToNat ? natRules : skipped,
        kubeServicesNat: natRules,
        activeNATChains
      });
      continue;
    }
    let out = cache.ports.get(key4);
    if (!out || out.info !== svcInfo || out.endpoints !== eps) {
      const next = servicePortOutput(ctx, svcInfo, eps);
      if (out) {
        for (const c of out.activeNATChains) if (!next.activeNATChains.includes(c)) stale.add(c);
        writeToNat = true;
      }
      out = next;
      cache.ports.set(key4, out);
    }
    pushAll(filterRules.lines, out.filterRules);
    if (writeToNat) {
      pushAll(natChains.lines, out.natChains);
      pushAll(natRules.lines, out.natRules);
    } else pushAll(natRules.lines, out.kubeServicesNat);
    if (trackActive) for (const c of out.activeNATChains) activeNATChains.add(c);
  }
  if (cache && cache.ports.size > svcPortMap.size) {
    for (const [k, out] of [...cache.ports])
      if (!svcPortMap.has(k)) {
        for (const c of out.activeNATChains) stale.add(c);
        cache.ports.delete(k);
      }
  }
  for (const chain of existing ?? [])
    if (!activeNATChains.has(chain) && isServiceChainName(chain)) stale.add(chain);
  for (const chain of [...stale].sort()) {
    natChains.write(makeChainLine(chain));
    natRules.write("-X", chain);
  }
  const lastRuleComment = `"kubernetes service nodeports; NOTE: this must be the last rule in this chain"`;
  if (npa.matchAll) {
    const destinations = ["-m", "addrtype", "--dst-type", "LOCAL"];
    if (!ctx.localhostNodePorts) destinations.push("!", "-d", "127.0.0.0/8");
    natRules.write(
      "-A",
      kubeServicesChain,
      "-m",
      "comment",
      "--comment",
      lastRuleComment,
      destinations,
      "-j",
      kubeNodePortsChain
    );
  } else {
    const addrs = [.../* @__PURE__ */ new Set(["127.0.0.1", ...input.node.ips])];
    for (const ip of addrs.filter((a) => npa.cidrs.some((c) => cidrContains(c, a)))) {
      if (ip.startsWith("127.") && !ctx.localhostNodePorts) continue;
      natRules.write(
        "-A",
        kubeServicesChain,
        "-m",
        "comment",
        "--comment",
        lastRuleComment,
        "-d",
        ip,
        "-j",
        kubeNodePortsChain
      );
    }
  }
  if (!cfg.conntrackTCPBeLiberal) {
    filterRules.write(
      "-A",
      kubeForwardChain,
      "-m",
      "conntrack",
      "--ctstate",
      "INVALID",
      ctx.nfacct ? ["-m", "nfacct", "--nfacct-name", ctStateInvalidDroppedNFAcctCounter] : [],
      "-j",
      "DROP"
    );
  }
  filterRules.write(
    "-A",
    kubeForwardChain,
    "-m",
    "comment",
    "--comment",
    `"kubernetes forwarding rules"`,
    "-m",
    "mark",
    "--mark",
    `${mark2}/${mark2}`,
    "-j",
    "ACCEPT"
  );
  filterRules.write(
    "-A",
    kubeForwardChain,
    "-m",
    "comment",
    "--comment",
    `"kubernetes forwarding conntrack rule"`,
    "-m",
    "conntrack",
    "--ctstate",
    "RELATED,ESTABLISHED",
    "-j",
    "ACCEPT"
  );
  const payload = [
    "*filter",
    ...filterChains.lines,
    ...filterRules.lines,
    "COMMIT",
    "*nat",
    ...natChains.lines,
    ...natRules.lines,
    "COMMIT",
    ""
  ].join("\n");
  return {
    payload,
    fullSync: fullSync2,
    jumpRules: fullSync2 ? jumpRules() : [],
    get activeNatChains() {
      if (trackActive) return [...activeNATChains];
      const all = [];
      for (const out of cache.ports.values()) pushAll(all, out.activeNATChains);
      return all;
    }
  };
}
function newProxierCache() {
  return { ctxKey: "", ports: /* @__PURE__ */ new Map() };
}
var noEndpoints = [];
function pushAll(to, from) {
  for (const x of from) to.push(x);
}
var TeeLines = class extends Lines {
  all;
  constructor(all) {
    super();
    this.all = all;
  }
  write(...words) {
    super.write(...words);
    this.all.lines.push(this.lines[this.lines.length - 1]);
  }
};
function servicePortOutput(ctx, info2, endpoints) {
  const filterRules = new Lines();
  const natChains = new Lines();
  const natRules = new Lines();
  const kubeServicesNat = new TeeLines(natRules);
  const active = /* @__PURE__ */ new Set();
  writeServicePort(ctx, info2, endpoints, {
    filterRules,
    natChains,
    natRules,
    kubeServicesNat,
    activeNATChains: active
  });
  return {
    info: info2,
    endpoints,
    filterRules: filterRules.lines,
    natChains: natChains.lines,
    natRules: natRules.lines,
    kubeServicesNat: kubeServicesNat.lines,
    activeNATChains: [...active]
  };
}
function writeServicePort(ctx, svcInfo, allEndpoints, b) {
  const protocol = svcInfo.protocol.toLowerCase();
  const svcPortNameString = svcInfo.nameString;
  const port = String(svcInfo.port);
  const {
    clusterEndpoints,
    localEndpoints,
    allReachableEndpoints,
    hasAnyEndpoints: hasEndpoints
  } = categorizeEndpoints(allEndpoints, svcInfo);
  const clusterPolicyChain = servicePortPolicyClusterChain(svcPortNameString, protocol);
  const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(svcInfo);
  const localPolicyChain = servicePortPolicyLocalChainName(svcPortNameString, protocol);
  const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(svcInfo);
  let internalTrafficChain = clusterPolicyChain;
  let hasInternalEndpoints = hasEndpoints;
  if (svcInfo.internalPolicyLocal) {
    internalTrafficChain = localPolicyChain;
    if (localEndpoints.length === 0) hasInternalEndpoints = false;
  }
  let externalPolicyChain = clusterPolicyChain;
  let hasExternalEndpoints = hasEndpoints;
  if (svcInfo.externalPolicyLocal) {
    externalPolicyChain = localPolicyChain;
    if (localEndpoints.length === 0) hasExternalEndpoints = false;
  }
  const externalTrafficChain = serviceExternalChainName(svcPortNameString, protocol);
  const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svcInfo);
  const fwChain = serviceFirewallChainName(svcPortNameString, protocol);
  const usesFWChain = hasEndpoints && svcInfo.loadBalancerVIPs.length > 0 && svcInfo.loadBalancerSourceRanges.length > 0;
  const loadBalancerTrafficChain = usesFWChain ? fwChain : externalTrafficChain;
  let internalTrafficFilterTarget = "";
  let internalTrafficFilterComment = "";
  let externalTrafficFilterTarget = "";
  let externalTrafficFilterComment = "";
  if (!hasEndpoints) {
    internalTrafficFilterTarget = externalTrafficFilterTarget = "REJECT";
    internalTrafficFilterComment = externalTrafficFilterComment = `"${svcPortNameString} has no endpoints"`;
  } else {
    if (!hasInternalEndpoints) {
      internalTrafficFilterTarget = "DROP";
      internalTrafficFilterComment = `"${svcPortNameString} has no local endpoints"`;
    }
    if (!hasExternalEndpoints) {
      externalTrafficFilterTarget = "DROP";
      externalTrafficFilterComment = `"${svcPortNameString} has no local endpoints"`;
    }
  }
  const { filterRules, natChains, natRules, kubeServicesNat } = b;
  const proto = ["-m", protocol, "-p", protocol];
  if (hasInternalEndpoints) {
    kubeServicesNat.write(
      "-A",
      kubeServicesChain,
      "-m",
      "comment",
      "--comment",
      `"${svcPortNameString} cluster IP"`,
      proto,
      "-d",
      svcInfo.clusterIP,
      "--dport",
      port,
      "-j",
      internalTrafficChain
    );
  } else {
    filterRules.write(
      "-A",
      kubeServicesChain,
      "-m",
      "comment",
      "--comment",
      internalTrafficFilterComment,
      proto,
      "-d",
      svcInfo.clusterIP,
      "--dport",
      port,
      "-j",
      internalTrafficFilterTarget
    );
  }
  for (const externalIP of svcInfo.externalIPs) {
    if (hasEndpoints) {
      kubeServicesNat.write(
        "-A",
        kubeServicesChain,
        "-m",
        "comment",
        "--comment",
        `"${svcPortNameString} external IP"`,
        proto,
        "-d",
        externalIP,
        "--dport",
        port,
        "-j",
        externalTrafficChain
      );
    }
    if (!hasExternalEndpoints) {
      filterRules.write(
        "-A",
        kubeExternalServicesChain,
        "-m",
        "comment",
        "--comment",
        externalTrafficFilterComment,
        proto,
        "-d",
        externalIP,
        "--dport",
        port,
        "-j",
        externalTrafficFilterTarget
      );
    }
  }
  for (const lbip of svcInfo.loadBalancerVIPs) {
    if (hasEndpoints) {
      kubeServicesNat.write(
        "-A",
        kubeServicesChain,
        "-m",
        "comment",
        "--comment",
        `"${svcPortNameString} loadbalancer IP"`,
        proto,
        "-d",
        lbip,
        "--dport",
        port,
        "-j",
        loadBalancerTrafficChain
      );
    }
    if (usesFWChain) {
      filterRules.write(
        "-A",
        kubeProxyFirewallChain,
        "-m",
        "comment",
        "--comment",
        `"${svcPortNameString} traffic not accepted by ${fwChain}"`,
        proto,
        "-d",
        lbip,
        "--dport",
        port,
        "-j",
        "DROP"
      );
    }
  }
  if (!hasExternalEndpoints) {
    for (const lbip of svcInfo.loadBalancerVIPs) {
      filterRules.write(
        "-A",
        kubeExternalServicesChain,
        "-m",
        "comment",
        "--comment",
        externalTrafficFilterComment,
        proto,
        "-d",
        lbip,
        "--dport",
        port,
        "-j",
        externalTrafficFilterTarget
      );
    }
  }
  if (svcInfo.nodePort !== 0) {
    const nodePort = String(svcInfo.nodePort);
    if (hasEndpoints) {
      if (ctx.localhostNodePorts && ctx.nfacct) {
        kubeServicesNat.write(
          "-A",
          kubeNodePortsChain,
          "-m",
          "comment",
          "--comment",
          svcPortNameString,
          proto,
          "-d",
          "127.0.0.0/8",
          "--dport",
          nodePort,
          "-m",
          "nfacct",
          "--nfacct-name",
          localhostNodePortAcceptedNFAcctCounter,
          "-j",
          externalTrafficChain
        );
      }
      kubeServicesNat.write(
        "-A",
        kubeNodePortsChain,
        "-m",
        "comment",
        "--comment",
        svcPortNameString,
        proto,
        "--dport",
        nodePort,
        "-j",
        externalTrafficChain
      );
    }
    if (!hasExternalEndpoints) {
      filterRules.write(
        "-A",
        kubeExternalServicesChain,
        "-m",
        "comment",
        "--comment",
        externalTrafficFilterComment,
        "-m",
        "addrtype",
        "--dst-type",
        "LOCAL",
        proto,
        "--dport",
        nodePort,
        "-j",
        externalTrafficFilterTarget
      );
    }
  }
  if (svcInfo.healthCheckNodePort !== 0) {
    filterRules.write(
      "-A",
      kubeNodePortsChain,
      "-m",
      "comment",
      "--comment",
      `"${svcPortNameString} health check node port"`,
      "-m",
      "tcp",
      "-p",
      "tcp",
      "--dport",
      String(svcInfo.healthCheckNodePort),
      "-j",
      "ACCEPT"
    );
  }
  if (hasInternalEndpoints) {
    const args = [
      "-m",
      "comment",
      "--comment",
      `"${svcPortNameString} cluster IP"`,
      ...proto,
      "-d",
      svcInfo.clusterIP,
      "--dport",
      port
    ];
    if (ctx.masqueradeAll) {
      natRules.write("-A", internalTrafficChain, args, "-j", kubeMarkMasqChain);
    } else if (ctx.localDetector) {
      natRules.write(
        "-A",
        internalTrafficChain,
        args,
        detectorArgs(ctx.localDetector, false),
        "-j",
        kubeMarkMasqChain
      );
    }
  }
  if (usesExternalTrafficChain) {
    natChains.write(makeChainLine(externalTrafficChain));
    b.activeNATChains.add(externalTrafficChain);
    if (!svcInfo.externalPolicyLocal) {
      natRules.write(
        "-A",
        externalTrafficChain,
        "-m",
        "comment",
        "--comment",
        `"masquerade traffic for ${svcPortNameString} external destinations"`,
        "-j",
        kubeMarkMasqChain
      );
    } else {
      if (ctx.localDetector) {
        natRules.write(
          "-A",
          externalTrafficChain,
          "-m",
          "comment",
          "--comment",
          `"pod traffic for ${svcPortNameString} external destinations"`,
          detectorArgs(ctx.localDetector, true),
          "-j",
          clusterPolicyChain
        );
      }
      natRules.write(
        "-A",
        externalTrafficChain,
        "-m",
        "comment",
        "--comment",
        `"masquerade LOCAL traffic for ${svcPortNameString} external destinations"`,
        "-m",
        "addrtype",
        "--src-type",
        "LOCAL",
        "-j",
        kubeMarkMasqChain
      );
      natRules.write(
        "-A",
        externalTrafficChain,
        "-m",
        "comment",
        "--comment",
        `"route LOCAL traffic for ${svcPortNameString} external destinations"`,
        "-m",
        "addrtype",
        "--src-type",
        "LOCAL",
        "-j",
        clusterPolicyChain
      );
    }
    if (hasExternalEndpoints) natRules.write("-A", externalTrafficChain, "-j", externalPolicyChain);
  }
  if (usesFWChain) {
    natChains.write(makeChainLine(fwChain));
    b.activeNATChains.add(fwChain);
    const args = ["-A", fwChain, "-m", "comment", "--comment", `"${svcPortNameString} loadbalancer IP"`];
    let allowFromNode = false;
    for (const cidr2 of svcInfo.loadBalancerSourceRanges) {
      natRules.write(args, "-s", cidr2, "-j", externalTrafficChain);
      if (cidrContains(cidr2, ctx.nodeIP)) allowFromNode = true;
    }
    if (allowFromNode) {
      for (const lbip of svcInfo.loadBalancerVIPs)
        natRules.write(args, "-s", lbip, "-j", externalTrafficChain);
    }
    natRules.write(
      "-A",
      fwChain,
      "-m",
      "comment",
      "--comment",
      `"other traffic to ${svcPortNameString} will be dropped by KUBE-PROXY-FIREWALL"`
    );
  }
  if (usesClusterPolicyChain) {
    natChains.write(makeChainLine(clusterPolicyChain));
    b.activeNATChains.add(clusterPolicyChain);
    writeServiceToEndpointRules(ctx, natRules, svcInfo, clusterPolicyChain, clusterEndpoints);
  }
  if (usesLocalPolicyChain) {
    natChains.write(makeChainLine(localPolicyChain));
    b.activeNATChains.add(localPolicyChain);
    writeServiceToEndpointRules(ctx, natRules, svcInfo, localPolicyChain, localEndpoints);
  }
  for (const ep of allReachableEndpoints) {
    const endpointChain = servicePortEndpointChainName(svcPortNameString, protocol, ep.endpoint);
    natChains.write(makeChainLine(endpointChain));
    b.activeNATChains.add(endpointChain);
    const args = ["-A", endpointChain, ...serviceComment(ctx, svcPortNameString)];
    natRules.write(args, "-s", ep.ip, "-j", kubeMarkMasqChain);
    const affinity = svcInfo.sessionAffinityType === "ClientIP" ? ["-m", "recent", "--name", endpointChain, "--set"] : [];
    natRules.write(args, affinity, proto, "-j", "DNAT", "--to-destination", ep.endpoint);
  }
}
function writeServiceToEndpointRules(ctx, natRules, svcInfo, svcChain, endpoints) {
  const protocol = svcInfo.protocol.toLowerCase();
  const chainOf = (ep) => servicePortEndpointChainName(svcInfo.nameString, protocol, ep.endpoint);
  if (svcInfo.sessionAffinityType === "ClientIP") {
    for (const ep of endpoints) {
      natRules.write(
        "-A",
        svcChain,
        serviceComment(ctx, `"${svcInfo.nameString} -> ${ep.endpoint}"`),
        "-m",
        "recent",
        "--name",
        chainOf(ep),
        "--rcheck",
        "--seconds",
        String(svcInfo.stickyMaxAgeSeconds),
        "--reap",
        "-j",
        chainOf(ep)
      );
    }
  }
  endpoints.forEach((ep, i) => {
    const n2 = endpoints.length;
    const stat = i < n2 - 1 ? ["-m", "statistic", "--mode", "random", "--probability", computeProbability(n2 - i)] : [];
    natRules.write(
      "-A",
      svcChain,
      serviceComment(ctx, `"${svcInfo.nameString} -> ${ep.endpoint}"`),
      stat,
      "-j",
      chainOf(ep)
    );
  });
}

// src/proxy/types.ts
var LABEL_SERVICE_NAME = "kubernetes.io/service-name";

// src/proxy/endpoint.ts
function byString(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function addEndpoints(set, slice, portNum, nodeName) {
  for (const ep of slice.endpoints) {
    const ip = ep.addresses[0];
    if (ip === void 0 || parseIPv4(ip) === null) continue;
    const c = ep.conditions ?? {};
    const terminating = c.terminating === true;
    const e = {
      ip,
      port: portNum,
      endpoint: `${ip}:${portNum}`,
      isLocal: nodeName !== "" && (ep.nodeName ?? "") === nodeName,
      ready: c.ready ?? true,
      serving: c.serving ?? true,
      terminating,
      nodeName: ep.nodeName ?? "",
      zone: ep.zone ?? ""
    };
    if (!set.has(e.endpoint) || !terminating) set.set(e.endpoint, e);
  }
}
function buildEndpointsMap(slices, nodeName) {
  const bySP = /* @__PURE__ */ new Map();
  const sorted = [...slices].sort(
    (a, b) => byString(`${a.metadata.namespace}/${a.metadata.name}`, `${b.metadata.namespace}/${b.metadata.name}`)
  );
  for (const slice of sorted) {
    const svcName = slice.metadata.labels?.[LABEL_SERVICE_NAME];
    if (!svcName || slice.addressType !== "IPv4") continue;
    for (const p of slice.ports ?? []) {
      if (p.name === null) continue;
      if (p.port === void 0 || p.port === null || p.port === 0) continue;
      const spn = {
        namespace: slice.metadata.namespace ?? "default",
        name: svcName,
        port: p.name ?? "",
        protocol: p.protocol ?? "TCP"
      };
      const key4 = servicePortKey(spn);
      let set = bySP.get(key4);
      if (!set) bySP.set(key4, set = /* @__PURE__ */ new Map());
      addEndpoints(set, slice, p.port, nodeName);
    }
  }
  const out = /* @__PURE__ */ new Map();
  for (const key4 of [...bySP.keys()].sort(byString)) {
    const eps = [...bySP.get(key4).values()].sort((a, b) => byString(a.endpoint, b.endpoint));
    if (eps.length > 0) out.set(key4, eps);
  }
  return out;
}

// src/proxy/ipvs/ipsets.ts
var kubeLoopBackIPSet = "KUBE-LOOP-BACK";
var kubeClusterIPSet = "KUBE-CLUSTER-IP";
var kubeExternalIPSet = "KUBE-EXTERNAL-IP";
var kubeExternalIPLocalSet = "KUBE-EXTERNAL-IP-LOCAL";
var kubeLoadBalancerSet = "KUBE-LOAD-BALANCER";
var kubeLoadBalancerFWSet = "KUBE-LOAD-BALANCER-FW";
var kubeLoadBalancerLocalSet = "KUBE-LOAD-BALANCER-LOCAL";
var kubeLoadBalancerSourceIPSet = "KUBE-LOAD-BALANCER-SOURCE-IP";
var kubeLoadBalancerSourceCIDRSet = "KUBE-LOAD-BALANCER-SOURCE-CIDR";
var kubeNodePortSetTCP = "KUBE-NODE-PORT-TCP";
var kubeNodePortLocalSetTCP = "KUBE-NODE-PORT-LOCAL-TCP";
var kubeNodePortSetUDP = "KUBE-NODE-PORT-UDP";
var kubeNodePortLocalSetUDP = "KUBE-NODE-PORT-LOCAL-UDP";
var kubeNodePortSetSCTP = "KUBE-NODE-PORT-SCTP-HASH";
var kubeNodePortLocalSetSCTP = "KUBE-NODE-PORT-LOCAL-SCTP-HASH";
var kubeHealthCheckNodePortSet = "KUBE-HEALTH-CHECK-NODE-PORT";
var kubeIPVSSet = "KUBE-IPVS-IPS";
var IPSET_INFO = [
  {
    name: kubeLoopBackIPSet,
    type: "hash:ip,port,ip",
    comment: "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose"
  },
  {
    name: kubeClusterIPSet,
    type: "hash:ip,port",
    comment: "Kubernetes service cluster ip + port for masquerade purpose"
  },
  {
    name: kubeExternalIPSet,
    type: "hash:ip,port",
    comment: "Kubernetes service external ip + port for masquerade and filter purpose"
  },
  {
    name: kubeExternalIPLocalSet,
    type: "hash:ip,port",
    comment: "Kubernetes service external ip + port with externalTrafficPolicy=local"
  },
  { name: kubeLoadBalancerSet, type: "hash:ip,port", comment: "Kubernetes service lb portal" },
  {
    name: kubeLoadBalancerFWSet,
    type: "hash:ip,port",
    comment: "Kubernetes service load balancer ip + port for load balancer with sourceRange"
  },
  {
    name: kubeLoadBalancerLocalSet,
    type: "hash:ip,port",
    comment: "Kubernetes service load balancer ip + port with externalTrafficPolicy=local"
  },
  {
    name: kubeLoadBalancerSourceIPSet,
    type: "hash:ip,port,ip",
    comment: "Kubernetes service load balancer ip + port + source IP for packet filter purpose"
  },
  {
    name: kubeLoadBalancerSourceCIDRSet,
    type: "hash:ip,port,net",
    comment: "Kubernetes service load balancer ip + port + source cidr for packet filter purpose"
  },
  {
    name: kubeNodePortSetTCP,
    type: "bitmap:port",
    comment: "Kubernetes nodeport TCP port for masquerade purpose"
  },
  {
    name: kubeNodePortLocalSetTCP,
    type: "bitmap:port",
    comment: "Kubernetes nodeport TCP port with externalTrafficPolicy=local"
  },
  {
    name: kubeNodePortSetUDP,
    type: "bitmap:port",
    comment: "Kubernetes nodeport UDP port for masquerade purpose"
  },
  {
    name: kubeNodePortLocalSetUDP,
    type: "bitmap:port",
    comment: "Kubernetes nodeport UDP port with externalTrafficPolicy=local"
  },
  {
    name: kubeNodePortSetSCTP,
    type: "hash:ip,port",
    comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'"
  },
  {
    name: kubeNodePortLocalSetSCTP,
    type: "hash:ip,port",
    comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'"
  },
  { name: kubeHealthCheckNodePortSet, type: "bitmap:port", comment: "Kubernetes health check node port" },
  { name: kubeIPVSSet, type: "hash:ip", comment: "Addresses on the ipvs interface" }
];
var IPSET_BY_NAME = new Map(IPSET_INFO.map((i) => [i.name, i]));
function createSetArgs(set) {
  const args = ["create", set.name, set.type];
  if (set.type === "bitmap:port") args.push("range", "0-65535");
  else args.push("family", "inet", "hashsize", "1024", "maxelem", "65536");
  args.push("-exist");
  return args;
}
function setComment(name) {
  return `"${IPSET_BY_NAME.get(name)?.comment ?? ""}"`;
}
function ipPortEntry(ip, proto, port) {
  return `${ip},${proto}:${port}`;
}
function ipPortIpEntry(ip, proto, port, ip2) {
  return `${ip},${proto}:${port},${ip2}`;
}

// src/proxy/ipvs/proxier.ts
var kubeServicesChain2 = "KUBE-SERVICES";
var kubeProxyFirewallChain2 = "KUBE-PROXY-FIREWALL";
var kubeSourceRangesFirewallChain = "KUBE-SOURCE-RANGES-FIREWALL";
var kubePostroutingChain2 = "KUBE-POSTROUTING";
var kubeMarkMasqChain2 = "KUBE-MARK-MASQ";
var kubeNodePortChain = "KUBE-NODE-PORT";
var kubeForwardChain2 = "KUBE-FORWARD";
var kubeLoadBalancerChain = "KUBE-LOAD-BALANCER";
var kubeIPVSFilterChain = "KUBE-IPVS-FILTER";
var kubeIPVSOutFilterChain = "KUBE-IPVS-OUT-FILTER";
var defaultScheduler = "rr";
var defaultDummyDevice = "kube-ipvs0";
function ipvsSysctls(cfg) {
  const s2 = [
    ["net.ipv4.vs.conntrack", "1"],
    ["net.ipv4.vs.expire_nodest_conn", "1"],
    ["net.ipv4.vs.expire_quiescent_template", "1"],
    ["net.ipv4.ip_forward", "1"]
  ];
  if (cfg.strictARP) s2.push(["net.ipv4.conf.all.arp_ignore", "1"], ["net.ipv4.conf.all.arp_announce", "2"]);
  return s2;
}
var iptablesJumpChain = [
  { table: "nat", from: "OUTPUT", to: kubeServicesChain2, comment: "kubernetes service portals" },
  { table: "nat", from: "PREROUTING", to: kubeServicesChain2, comment: "kubernetes service portals" },
  { table: "nat", from: "POSTROUTING", to: kubePostroutingChain2, comment: "kubernetes postrouting rules" },
  { table: "filter", from: "FORWARD", to: kubeForwardChain2, comment: "kubernetes forwarding rules" },
  { table: "filter", from: "INPUT", to: kubeNodePortChain, comment: "kubernetes health check rules" },
  { table: "filter", from: "INPUT", to: kubeProxyFirewallChain2, comment: "kube-proxy firewall rules" },
  { table: "filter", from: "FORWARD", to: kubeProxyFirewallChain2, comment: "kube-proxy firewall rules" },
  { table: "filter", from: "INPUT", to: kubeIPVSFilterChain, comment: "kubernetes ipvs access filter" },
  { table: "filter", from: "OUTPUT", to: kubeIPVSOutFilterChain, comment: "kubernetes ipvs access filter" }
];
var iptablesChains = [
  { table: "nat", chain: kubeServicesChain2 },
  { table: "nat", chain: kubePostroutingChain2 },
  { table: "nat", chain: kubeNodePortChain },
  { table: "nat", chain: kubeLoadBalancerChain },
  { table: "nat", chain: kubeMarkMasqChain2 },
  { table: "filter", chain: kubeForwardChain2 },
  { table: "filter", chain: kubeNodePortChain },
  { table: "filter", chain: kubeProxyFirewallChain2 },
  { table: "filter", chain: kubeSourceRangesFirewallChain },
  { table: "filter", chain: kubeIPVSFilterChain },
  { table: "filter", chain: kubeIPVSOutFilterChain }
];
var ipsetWithIptablesChain = [
  {
    name: kubeLoopBackIPSet,
    table: "nat",
    from: kubePostroutingChain2,
    to: "MASQUERADE",
    matchType: "dst,dst,src",
    protocolMatch: ""
  },
  {
    name: kubeLoadBalancerSet,
    table: "nat",
    from: kubeServicesChain2,
    to: kubeLoadBalancerChain,
    matchType: "dst,dst",
    protocolMatch: ""
  },
  {
    name: kubeLoadBalancerLocalSet,
    table: "nat",
    from: kubeLoadBalancerChain,
    to: "RETURN",
    matchType: "dst,dst",
    protocolMatch: ""
  },
  {
    name: kubeNodePortLocalSetTCP,
    table: "nat",
    from: kubeNodePortChain,
    to: "RETURN",
    matchType: "dst",
    protocolMatch: "tcp"
  },
  {
    name: kubeNodePortSetTCP,
    table: "nat",
    from: kubeNodePortChain,
    to: kubeMarkMasqChain2,
    matchType: "dst",
    protocolMatch: "tcp"
  },
  {
    name: kubeNodePortLocalSetUDP,
    table: "nat",
    from: kubeNodePortChain,
    to: "RETURN",
    matchType: "dst",
    protocolMatch: "udp"
  },
  {
    name: kubeNodePortSetUDP,
    table: "nat",
    from: kubeNodePortChain,
    to: kubeMarkMasqChain2,
    matchType: "dst",
    protocolMatch: "udp"
  },
  {
    name: kubeNodePortLocalSetSCTP,
    table: "nat",
    from: kubeNodePortChain,
    to: "RETURN",
    matchType: "dst,dst",
    protocolMatch: "sctp"
  },
  {
    name: kubeNodePortSetSCTP,
    table: "nat",
    from: kubeNodePortChain,
    to: kubeMarkMasqChain2,
    matchType: "dst,dst",
    protocolMatch: "sctp"
  },
  {
    name: kubeLoadBalancerFWSet,
    table: "filter",
    from: kubeProxyFirewallChain2,
    to: kubeSourceRangesFirewallChain,
    matchType: "dst,dst",
    protocolMatch: ""
  },
  {
    name: kubeLoadBalancerSourceCIDRSet,
    table: "filter",
    from: kubeSourceRangesFirewallChain,
    to: "RETURN",
    matchType: "dst,dst,src",
    protocolMatch: ""
  },
  {
    name: kubeLoadBalancerSourceIPSet,
    table: "filter",
    from: kubeSourceRangesFirewallChain,
    to: "RETURN",
    matchType: "dst,dst,src",
    protocolMatch: ""
  }
];
function detectorArgs2(d) {
  switch (d.mode) {
    case "ClusterCIDR":
      return ["!", "-s", d.cidr];
    case "BridgeInterface":
      return ["!", "-i", d.bridge];
    case "InterfaceNamePrefix":
      return ["!", "-i", `${d.prefix}+`];
  }
}
function cidrContains2(cidr2, ip) {
  const [a, l] = cidr2.split("/");
  const net = parseIPv4(a ?? "");
  const addr3 = parseIPv4(ip);
  return net !== null && addr3 !== null && inPrefix(addr3, net, Number(l ?? 32));
}
function nodePortIPs(nodeAddresses, nodePortAddresses2) {
  if (nodePortAddresses2.length === 0) return [...nodeAddresses];
  return nodeAddresses.filter((ip) => nodePortAddresses2.some((c) => cidrContains2(c, ip)));
}
function syncIpvsProxyRules(input) {
  const { state, node, config } = input;
  const scheduler = config.scheduler || defaultScheduler;
  const mark2 = config.masqueradeMark ?? masqueradeMarkOf(config.masqueradeBit ?? 14);
  const localDetector = config.localDetector ?? (config.clusterCIDR ? { mode: "ClusterCIDR", cidr: config.clusterCIDR } : void 0);
  const nodeAddressSet = new Set(input.nodeAddresses);
  const sets = new Map(IPSET_INFO.map((i) => [i.name, /* @__PURE__ */ new Set()]));
  const add = (set, e) => {
    sets.get(set).add(e);
  };
  const virtualServers = [];
  const activeBindAddrs = /* @__PURE__ */ new Set();
  const lbNoNodeAccess = [];
  const hasNodePort = [...state.svcPortMap.values()].some((s2) => s2.nodePort !== 0);
  const nodeIPs = hasNodePort ? nodePortIPs(input.nodeAddresses, config.nodePortAddresses ?? []) : [];
  const vsFor = (svc, address, port) => ({
    protocol: svc.protocol,
    address,
    port,
    scheduler,
    ...svc.sessionAffinityType === "ClientIP" ? { persistent: true, timeout: svc.stickyMaxAgeSeconds } : {},
    ...scheduler === "mh" ? { sourceHash: true } : {}
  });
  const destsFor = (key4, svc, onlyNodeLocal) => {
    const eps = state.endpointsMap.get(key4) ?? [];
    const c = categorizeEndpoints(eps, svc);
    const chosen = onlyNodeLocal && c.localEndpoints.length > 0 ? c.localEndpoints : c.clusterEndpoints;
    const uniq = new Map(chosen.map((e) => [e.endpoint, e]));
    return [...uniq.values()].sort((a, b) => a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0).map((e) => ({ address: e.ip, port: e.port, weight: 1 }));
  };
  const push = (svc, key4, spec, bind, local) => {
    virtualServers.push({ spec, bind, dests: destsFor(key4, svc, local), servicePort: svc.nameString });
    if (bind) activeBindAddrs.add(spec.address);
  };
  for (const [key4, svc] of [...state.svcPortMap.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    const protocol = svc.protocol.toLowerCase();
    for (const ep of state.endpointsMap.get(key4) ?? []) {
      if (!ep.isLocal || ep.ip === "" || ep.port === 0) continue;
      add(kubeLoopBackIPSet, ipPortIpEntry(ep.ip, protocol, ep.port, ep.ip));
    }
    add(kubeClusterIPSet, ipPortEntry(svc.clusterIP, protocol, svc.port));
    push(svc, key4, vsFor(svc, svc.clusterIP, svc.port), true, svc.internalPolicyLocal);
    for (const eip of svc.externalIPs) {
      add(
        svc.externalPolicyLocal ? kubeExternalIPLocalSet : kubeExternalIPSet,
        ipPortEntry(eip, protocol, svc.port)
      );
      push(svc, key4, vsFor(svc, eip, svc.port), !nodeAddressSet.has(eip), svc.externalPolicyLocal);
    }
    for (const ingress of svc.loadBalancerVIPs) {
      const entry = ipPortEntry(ingress, protocol, svc.port);
      add(kubeLoadBalancerSet, entry);
      if (svc.externalPolicyLocal) add(kubeLoadBalancerLocalSet, entry);
      if (svc.loadBalancerSourceRanges.length !== 0) {
        add(kubeLoadBalancerFWSet, entry);
        let allowFromNode = false;
        for (const cidr2 of svc.loadBalancerSourceRanges) {
          add(kubeLoadBalancerSourceCIDRSet, ipPortIpEntry(ingress, protocol, svc.port, cidr2));
          if (node.ips[0] !== void 0 && cidrContains2(cidr2, node.ips[0])) allowFromNode = true;
        }
        if (allowFromNode)
          add(kubeLoadBalancerSourceIPSet, ipPortIpEntry(ingress, protocol, svc.port, ingress));
        else lbNoNodeAccess.push({ ip: ingress, protocol, port: svc.port });
      }
      push(svc, key4, vsFor(svc, ingress, svc.port), !nodeAddressSet.has(ingress), svc.externalPolicyLocal);
    }
    if (svc.nodePort !== 0 && nodeIPs.length > 0) {
      const entries = protocol === "sctp" ? nodeIPs.map((ip) => ipPortEntry(ip, protocol, svc.nodePort)) : [String(svc.nodePort)];
      const set = protocol === "tcp" ? kubeNodePortSetTCP : protocol === "udp" ? kubeNodePortSetUDP : kubeNodePortSetSCTP;
      for (const e of entries) add(set, e);
      if (svc.externalPolicyLocal) {
        const local = protocol === "tcp" ? kubeNodePortLocalSetTCP : protocol === "udp" ? kubeNodePortLocalSetUDP : kubeNodePortLocalSetSCTP;
        for (const e of entries) add(local, e);
      }
      for (const ip of nodeIPs) push(svc, key4, vsFor(svc, ip, svc.nodePort), false, svc.externalPolicyLocal);
    }
    if (svc.healthCheckNodePort !== 0) add(kubeHealthCheckNodePortSet, String(svc.healthCheckNodePort));
  }
  for (const a of activeBindAddrs) add(kubeIPVSSet, a);
  const ipsets = /* @__PURE__ */ new Map();
  for (const [name, entries] of sets) ipsets.set(name, [...entries].sort());
  const empty = (name) => (ipsets.get(name)?.length ?? 0) === 0;
  const natChains = ["*nat"];
  const filterChains = ["*filter"];
  for (const c of iptablesChains) (c.table === "nat" ? natChains : filterChains).push(`:${c.chain} - [0:0]`);
  const natRules = [];
  const filterRules = [];
  const w2 = (buf, ...args) => {
    buf.push(args.join(" "));
  };
  w2(natRules, "-A", kubeServicesChain2, "-s", "127.0.0.0/8", "-j", "RETURN");
  for (const s2 of ipsetWithIptablesChain) {
    if (empty(s2.name)) continue;
    const args = ["-A", s2.from, ...s2.protocolMatch ? ["-p", s2.protocolMatch] : []];
    args.push(
      "-m",
      "comment",
      "--comment",
      setComment(s2.name),
      "-m",
      "set",
      "--match-set",
      s2.name,
      s2.matchType
    );
    w2(s2.table === "filter" ? filterRules : natRules, ...args, "-j", s2.to);
  }
  if (!empty(kubeClusterIPSet)) {
    const args = ["-A", kubeServicesChain2, "-m", "comment", "--comment", setComment(kubeClusterIPSet)];
    args.push("-m", "set", "--match-set", kubeClusterIPSet);
    if (config.masqueradeAll) w2(natRules, ...args, "dst,dst", "-j", kubeMarkMasqChain2);
    else if (localDetector)
      w2(natRules, ...args, "dst,dst", ...detectorArgs2(localDetector), "-j", kubeMarkMasqChain2);
    else w2(natRules, ...args, "src,dst", "-j", kubeMarkMasqChain2);
  }
  const externalIPRules = (args) => {
    w2(
      natRules,
      ...args,
      "-m",
      "physdev",
      "!",
      "--physdev-is-in",
      "-m",
      "addrtype",
      "!",
      "--src-type",
      "LOCAL",
      "-j",
      "ACCEPT"
    );
    w2(natRules, ...args, "-m", "addrtype", "--dst-type", "LOCAL", "-j", "ACCEPT");
  };
  if (!empty(kubeExternalIPSet)) {
    const args = ["-A", kubeServicesChain2, "-m", "comment", "--comment", setComment(kubeExternalIPSet)];
    args.push("-m", "set", "--match-set", kubeExternalIPSet, "dst,dst");
    w2(natRules, ...args, "-j", kubeMarkMasqChain2);
    externalIPRules(args);
  }
  if (!empty(kubeExternalIPLocalSet)) {
    const args = ["-A", kubeServicesChain2, "-m", "comment", "--comment", setComment(kubeExternalIPLocalSet)];
    args.push("-m", "set", "--match-set", kubeExternalIPLocalSet, "dst,dst");
    externalIPRules(args);
  }
  w2(natRules, "-A", kubeServicesChain2, "-m", "addrtype", "--dst-type", "LOCAL", "-j", kubeNodePortChain);
  w2(natRules, "-A", kubeLoadBalancerChain, "-j", kubeMarkMasqChain2);
  w2(filterRules, "-A", kubeSourceRangesFirewallChain, "-j", "DROP");
  for (const e of lbNoNodeAccess)
    w2(
      filterRules,
      "-A",
      kubeIPVSOutFilterChain,
      "-s",
      e.ip,
      "-m",
      "ipvs",
      "--vaddr",
      e.ip,
      "--vproto",
      e.protocol,
      "--vport",
      String(e.port),
      "-j",
      "DROP"
    );
  for (const set of [kubeClusterIPSet, kubeLoadBalancerSet]) {
    if (empty(set)) continue;
    const matchType = IPSET_BY_NAME.get(set)?.type === "bitmap:port" ? "dst" : "dst,dst";
    w2(natRules, "-A", kubeServicesChain2, "-m", "set", "--match-set", set, matchType, "-j", "ACCEPT");
  }
  w2(
    filterRules,
    "-A",
    kubeForwardChain2,
    "-m",
    "comment",
    "--comment",
    `"kubernetes forwarding rules"`,
    "-m",
    "mark",
    "--mark",
    `${mark2}/${mark2}`,
    "-j",
    "ACCEPT"
  );
  w2(
    filterRules,
    "-A",
    kubeForwardChain2,
    "-m",
    "comment",
    "--comment",
    `"kubernetes forwarding conntrack rule"`,
    "-m",
    "conntrack",
    "--ctstate",
    "RELATED,ESTABLISHED",
    "-j",
    "ACCEPT"
  );
  w2(
    filterRules,
    "-A",
    kubeNodePortChain,
    "-m",
    "comment",
    "--comment",
    setComment(kubeHealthCheckNodePortSet),
    "-m",
    "set",
    "--match-set",
    kubeHealthCheckNodePortSet,
    "dst",
    "-j",
    "ACCEPT"
  );
  for (const set of [kubeLoadBalancerSet, kubeClusterIPSet, kubeExternalIPSet, kubeExternalIPLocalSet])
    w2(filterRules, "-A", kubeIPVSFilterChain, "-m", "set", "--match-set", set, "dst,dst", "-j", "RETURN");
  w2(
    filterRules,
    "-A",
    kubeIPVSFilterChain,
    "-m",
    "set",
    "--match-set",
    kubeHealthCheckNodePortSet,
    "dst",
    "-j",
    "RETURN"
  );
  w2(
    filterRules,
    "-A",
    kubeIPVSFilterChain,
    "-m",
    "conntrack",
    "--ctstate",
    "NEW",
    "-m",
    "set",
    "--match-set",
    kubeIPVSSet,
    "dst",
    "-j",
    "REJECT"
  );
  w2(natRules, "-A", kubePostroutingChain2, "-m", "mark", "!", "--mark", `${mark2}/${mark2}`, "-j", "RETURN");
  w2(natRules, "-A", kubePostroutingChain2, "-j", "MARK", "--xor-mark", mark2);
  const masq = [
    "-A",
    kubePostroutingChain2,
    "-m",
    "comment",
    "--comment",
    `"kubernetes service traffic requiring SNAT"`,
    "-j",
    "MASQUERADE"
  ];
  if (config.hasRandomFully) masq.push("--random-fully");
  w2(natRules, ...masq);
  w2(natRules, "-A", kubeMarkMasqChain2, "-j", "MARK", "--or-mark", mark2);
  filterRules.push("COMMIT");
  natRules.push("COMMIT");
  const payload = `${[...natChains, ...natRules, ...filterChains, ...filterRules].join("\n")}
`;
  return {
    virtualServers,
    bindAddrs: [...activeBindAddrs].sort(),
    ipsets,
    payload,
    jumpRules: iptablesJumpChain.map((j) => ({
      table: j.table,
      chain: j.from,
      ensureChain: j.to,
      args: ["-m", "comment", "--comment", j.comment, "-j", j.to]
    }))
  };
}

// src/proxy/ipvs/sync.ts
var vsKey = (v) => `${v.address}:${v.port}/${v.protocol}`;
var rsKey = (d) => `${d.address}:${d.port}`;
function sameService(a, b) {
  return a.scheduler === b.scheduler && (a.persistent ?? false) === (b.persistent ?? false) && (a.persistent ? a.timeout === b.timeout : true) && (a.sourceHash ?? false) === (b.sourceHash ?? false);
}
async function localAddresses(host, dev, except) {
  const addrs = await host.addrList(null, 4);
  return addrs.filter((a) => (dev === null || a.dev === dev) && (except === null || a.dev !== except) && a.dev !== "lo").map((a) => a.cidr.split("/")[0]).filter((ip) => !ip.startsWith("127."));
}
async function ensureBase(host, plan) {
  for (const c of iptablesChains) await ensureChain(host, c.table, c.chain);
  for (const j of plan.jumpRules) await ensureRule(host, j.table, j.chain, j.args, "prepend");
  const links = await host.linkList(null);
  if (!links.some((l) => l.name === defaultDummyDevice)) await host.dummyAdd(null, defaultDummyDevice);
  for (const set of IPSET_INFO) await host.ipset(null, createSetArgs(set));
}
async function listEntries(host, name) {
  const out = await host.ipset(null, ["list", name]);
  const i = out.indexOf("Members:\n");
  if (i < 0) return [];
  return out.slice(i + "Members:\n".length).split("\n").map((l) => l.trim()).filter((l) => l !== "");
}
async function syncIpsetEntries(host, name, want) {
  const have = new Set(await listEntries(host, name));
  const wanted = new Set(want);
  for (const e of [...have].filter((x) => !wanted.has(x)).sort()) await host.ipset(null, ["del", name, e]);
  for (const e of [...wanted].filter((x) => !have.has(x)).sort())
    await host.ipset(null, ["add", name, e, "-exist"]);
}
async function gracefulDelete(host, vs, d) {
  const conns = (d.activeConns ?? 0) + (d.inactiveConns ?? 0);
  if (vs.protocol !== "TCP" || conns === 0) {
    await host.ipvsDestDel(null, vs, d);
    return;
  }
  if (d.weight !== 0) await host.ipvsDestUpdate(null, vs, { address: d.address, port: d.port, weight: 0 });
}
async function applyIpvsPlan(host, plan, st) {
  await ensureBase(host, plan);
  const alreadyBound = new Set(await localAddresses(host, defaultDummyDevice, null));
  const current = new Map((await host.ipvsServiceList(null)).map((v) => [vsKey(v), v]));
  const active = /* @__PURE__ */ new Set();
  for (const vs of plan.virtualServers) {
    const applied = current.get(vsKey(vs.spec));
    if (!applied) await host.ipvsServiceAdd(null, vs.spec);
    else if (!sameService(applied, vs.spec)) await host.ipvsServiceUpdate(null, vs.spec);
    current.set(vsKey(vs.spec), vs.spec);
    if (vs.bind && !alreadyBound.has(vs.spec.address)) {
      await host.addrAdd(null, defaultDummyDevice, `${vs.spec.address}/32`);
      alreadyBound.add(vs.spec.address);
    }
    active.add(vsKey(vs.spec));
    const curDests = await host.ipvsDestList(null, vs.spec);
    const cur = new Map(curDests.map((d) => [rsKey(d), d]));
    const want = new Set(vs.dests.map(rsKey));
    for (const d of vs.dests) {
      const have = cur.get(rsKey(d));
      if (!have) await host.ipvsDestAdd(null, vs.spec, d);
      else if (have.weight !== d.weight && (st.initialSync || have.weight === 0))
        await host.ipvsDestUpdate(null, vs.spec, d);
    }
    for (const d of curDests) if (!want.has(rsKey(d))) await gracefulDelete(host, vs.spec, d);
  }
  for (const [name, entries] of plan.ipsets) await syncIpsetEntries(host, name, entries);
  await host.iptablesRestore(null, plan.payload, { noflush: true });
  const wantBound = new Set(plan.bindAddrs);
  for (const a of await localAddresses(host, defaultDummyDevice, null))
    if (!wantBound.has(a)) await host.addrDel(null, defaultDummyDevice, `${a}/32`);
  for (const v of await host.ipvsServiceList(null))
    if (!active.has(vsKey(v))) await host.ipvsServiceDel(null, v);
  st.initialSync = false;
}

// src/proxy/tracker.ts
function serviceKey(s2) {
  return `${s2.metadata.namespace ?? "default"}/${s2.metadata.name}`;
}
function sliceKey(s2) {
  return `${s2.metadata.namespace ?? "default"}/${s2.metadata.name}`;
}
function sliceService(s2) {
  const svc = s2.metadata.labels?.[LABEL_SERVICE_NAME];
  return svc ? `${s2.metadata.namespace ?? "default"}/${svc}` : null;
}
function sameJSON(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}
function byKey(m) {
  return new Map([...m].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}
var ProxyStateTracker = class {
  nodeName;
  services = /* @__PURE__ */ new Map();
  slices = /* @__PURE__ */ new Map();
  /** Slices by their service, so one service's endpoints are rebuilt from its own slices only. */
  slicesByService = /* @__PURE__ */ new Map();
  pendingServices = /* @__PURE__ */ new Set();
  pendingEndpoints = /* @__PURE__ */ new Set();
  /** svcPortMap and endpointsMap in key order (the order the proxier writes services in). */
  svcPortMap = /* @__PURE__ */ new Map();
  endpointsMap = /* @__PURE__ */ new Map();
  /** Which keys of each map a service owns. */
  portKeys = /* @__PURE__ */ new Map();
  endpointKeys = /* @__PURE__ */ new Map();
  constructor(nodeName) {
    this.nodeName = nodeName;
  }
  onServiceAdd(svc) {
    this.services.set(serviceKey(svc), svc);
    this.pendingServices.add(serviceKey(svc));
  }
  onServiceUpdate(_old, svc) {
    this.onServiceAdd(svc);
  }
  onServiceDelete(svc) {
    this.services.delete(serviceKey(svc));
    this.pendingServices.add(serviceKey(svc));
  }
  onEndpointSliceAdd(slice) {
    this.onEndpointSliceDelete(slice);
    const svc = sliceService(slice);
    this.slices.set(sliceKey(slice), slice);
    if (svc === null) return;
    let m = this.slicesByService.get(svc);
    if (!m) this.slicesByService.set(svc, m = /* @__PURE__ */ new Map());
    m.set(sliceKey(slice), slice);
    this.pendingEndpoints.add(svc);
  }
  onEndpointSliceUpdate(_old, slice) {
    this.onEndpointSliceAdd(slice);
  }
  onEndpointSliceDelete(slice) {
    const old = this.slices.get(sliceKey(slice));
    if (!old) return;
    this.slices.delete(sliceKey(slice));
    const svc = sliceService(old);
    if (svc === null) return;
    this.slicesByService.get(svc)?.delete(sliceKey(slice));
    this.pendingEndpoints.add(svc);
  }
  /**
   * Brings the tracker to these lists of objects, as the informers would
   * report them: an object of the same identity as last time is unchanged.
   */
  replaceAll(services, slices) {
    const seenSvc = /* @__PURE__ */ new Set();
    for (const s2 of services) {
      const k = serviceKey(s2);
      seenSvc.add(k);
      if (this.services.get(k) !== s2) this.onServiceAdd(s2);
    }
    for (const [k, s2] of this.services) if (!seenSvc.has(k)) this.onServiceDelete(s2);
    const seenSlice = /* @__PURE__ */ new Set();
    for (const s2 of slices) {
      const k = sliceKey(s2);
      seenSlice.add(k);
      if (this.slices.get(k) !== s2) this.onEndpointSliceAdd(s2);
    }
    for (const [k, s2] of this.slices) if (!seenSlice.has(k)) this.onEndpointSliceDelete(s2);
  }
  /** Update: applies the pending changes to both maps and says which services they changed. */
  update() {
    const updatedServices = /* @__PURE__ */ new Set();
    let reorderPorts = false;
    for (const svc of this.pendingServices) {
      const obj = this.services.get(svc);
      const next = obj ? serviceToServicePortMap(obj) : /* @__PURE__ */ new Map();
      const oldKeys = this.portKeys.get(svc) ?? [];
      let changed2 = oldKeys.length !== next.size;
      for (const k of oldKeys)
        if (!next.has(k)) {
          this.svcPortMap.delete(k);
          changed2 = true;
        }
      for (const [k, info2] of next) {
        const prev = this.svcPortMap.get(k);
        if (prev && sameJSON(prev, info2)) continue;
        if (!prev) reorderPorts = true;
        this.svcPortMap.set(k, info2);
        changed2 = true;
      }
      if (next.size > 0) this.portKeys.set(svc, [...next.keys()]);
      else this.portKeys.delete(svc);
      if (changed2) updatedServices.add(svc);
    }
    let reorderEndpoints = false;
    for (const svc of this.pendingEndpoints) {
      const own = this.slicesByService.get(svc);
      const next = buildEndpointsMap(own ? [...own.values()] : [], this.nodeName);
      const oldKeys = this.endpointKeys.get(svc) ?? [];
      let changed2 = oldKeys.length !== next.size;
      for (const k of oldKeys)
        if (!next.has(k)) {
          this.endpointsMap.delete(k);
          changed2 = true;
        }
      for (const [k, eps] of next) {
        const prev = this.endpointsMap.get(k);
        if (prev && sameJSON(prev, eps)) continue;
        if (!prev) reorderEndpoints = true;
        this.endpointsMap.set(k, eps);
        changed2 = true;
      }
      if (next.size > 0) this.endpointKeys.set(svc, [...next.keys()]);
      else this.endpointKeys.delete(svc);
      if (changed2) updatedServices.add(svc);
    }
    if (reorderPorts) this.svcPortMap = byKey(this.svcPortMap);
    if (reorderEndpoints) this.endpointsMap = byKey(this.endpointsMap);
    this.pendingServices.clear();
    this.pendingEndpoints.clear();
    return { updatedServices };
  }
};

// src/proxy/agent.ts
var KubeProxy = class {
  host;
  node;
  config;
  mode;
  /** The informers' side: OnServiceAdd/Update/Delete and OnEndpointSliceAdd/Update/Delete land here. */
  tracker;
  cache = newProxierCache();
  synced = false;
  ipvsState = { initialSync: true };
  /** What the last iptables-mode sync wrote (for `kubetwin` to show and tests to read). */
  last = null;
  /** What the last ipvs-mode sync programmed. */
  lastIpvs = null;
  constructor(host, node, config) {
    this.host = host;
    this.node = node;
    this.config = config;
    this.mode = config.mode ?? "iptables";
    this.tracker = new ProxyStateTracker(node.name);
  }
  /** NewProxier: the sysctls the mode needs, and (iptables) the canaries ipt.Monitor watches. */
  async start() {
    if (this.mode === "ipvs") {
      for (const [k, v] of ipvsSysctls(this.config))
        if (await this.host.sysctlGet(null, k) !== v) await this.host.sysctlSet(null, k, v);
      return;
    }
    if (this.config.localhostNodePorts ?? true)
      await this.host.sysctlSet(null, "net.ipv4.conf.all.route_localnet", "1");
    for (const t of ["mangle", "nat", "filter"]) await ensureChain(this.host, t, kubeProxyCanaryChain);
  }
  /** The cluster's Services and EndpointSlices as the informers last listed them; then a sync. */
  async sync(services, slices) {
    this.tracker.replaceAll(services, slices);
    return this.syncProxyRules();
  }
  /** syncProxyRules with the changes the tracker holds: the iptables result, or the ipvs plan. */
  async syncProxyRules() {
    const { updatedServices } = this.tracker.update();
    const state = {
      nodeName: this.node.name,
      svcPortMap: this.tracker.svcPortMap,
      endpointsMap: this.tracker.endpointsMap
    };
    return this.mode === "ipvs" ? this.syncIpvs(state) : this.syncIptables(state, updatedServices);
  }
  /** iptables mode: a full sync the first time, then only the services that changed. */
  async syncIptables(state, updatedServices) {
    const cfg = this.config;
    const r = syncProxyRules({
      state,
      node: this.node,
      config: cfg,
      cache: this.cache,
      ...this.synced ? { updatedServices } : {}
    });
    for (const j of r.jumpRules) {
      await ensureChain(this.host, j.table, j.ensureChain);
      await ensureRule(this.host, j.table, j.chain, j.args, "prepend");
    }
    await this.host.iptablesRestore(null, r.payload, { noflush: true });
    this.synced = true;
    this.last = r;
    return r;
  }
  /** ipvs mode: always a full sync (upstream's ipvs proxier has no partial sync). */
  async syncIpvs(state) {
    const plan = syncIpvsProxyRules({
      state,
      node: this.node,
      config: this.config,
      nodeAddresses: await localAddresses(this.host, null, "kube-ipvs0")
    });
    await applyIpvsPlan(this.host, plan, this.ipvsState);
    this.lastIpvs = plan;
    return plan;
  }
};

// src/proxy/iptables/fixtures.ts
function makeTestService(namespace, name, f) {
  const svc = { metadata: { namespace, name, annotations: {} }, spec: {}, status: {} };
  f(svc);
  return svc;
}
function makeTestEndpointSlice(namespace, name, sliceNum, f) {
  const eps = {
    metadata: { namespace, name: `${name}-${sliceNum}`, labels: { "kubernetes.io/service-name": name } },
    addressType: "IPv4",
    endpoints: []
  };
  f(eps);
  return eps;
}

// bench/proxy.ts
var proxyNode = { name: "node-0", ips: ["172.18.0.2"] };
var proxyConfig = {
  clusterCIDR: "10.244.0.0/16",
  hasRandomFully: true,
  hasNfacct: false
};
var podsPerNode = 240;
var pods = 250 * podsPerNode;
var endpointsPerService = 10;
function ip4(n2) {
  return `${n2 >>> 24}.${n2 >>> 16 & 255}.${n2 >>> 8 & 255}.${n2 & 255}`;
}
function clusterIPOf(i) {
  return ip4((10 << 24 | 96 << 16) + 10 + i);
}
function pod(p) {
  const node = Math.floor(p / podsPerNode);
  return { ip: `10.244.${node}.${p % podsPerNode + 2}`, nodeName: `node-${node}` };
}
function sliceOf(i, endpoints) {
  return makeTestEndpointSlice("default", `svc${i}`, 1, (e) => {
    e.endpoints = endpoints.map((p) => ({ addresses: [p.ip], nodeName: p.nodeName }));
    e.ports = [{ name: "http", port: 8080, protocol: "TCP" }];
  });
}
function proxyWorkload(n2) {
  const services = [];
  const slices = [];
  for (let i = 0; i < n2; i++) {
    services.push(
      makeTestService("default", `svc${i}`, (s2) => {
        s2.spec = {
          type: "ClusterIP",
          clusterIP: clusterIPOf(i),
          clusterIPs: [clusterIPOf(i)],
          ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }]
        };
      })
    );
    slices.push(
      sliceOf(
        i,
        Array.from({ length: endpointsPerService }, (_, j) => pod((i * endpointsPerService + j) % pods))
      )
    );
  }
  return { services, slices };
}
function withOneEndpointReplaced(w2, i, flip) {
  const old = w2.slices[i];
  const eps = old.endpoints.map((e) => ({ ip: e.addresses[0], nodeName: e.nodeName ?? "" }));
  eps[0] = flip ? { ip: "10.244.255.200", nodeName: "node-255" } : pod(i * endpointsPerService % pods);
  const out = w2.slices.slice();
  out[i] = sliceOf(i, eps);
  return out;
}
async function fullSync(w2) {
  clearChainNameCache();
  const host = new SimHost(new Kernel({ seed: 1 }));
  const proxy = new KubeProxy(host, proxyNode, proxyConfig);
  await proxy.start();
  await proxy.sync(w2.services, w2.slices);
  return { host, proxy };
}

// bench/zz-p3.mts
import { Session } from "node:inspector/promises";
var w = proxyWorkload(1e4);
var n = await fullSync(w);
var s = new Session();
s.connect();
await s.post("Profiler.enable");
await s.post("Profiler.start");
for (let k = 0; k < 10; k++) {
  const slices = withOneEndpointReplaced(w, 5e3, k % 2 === 0);
  const t = performance.now();
  await n.proxy.sync(w.services, slices);
  console.log("partial", (performance.now() - t).toFixed(1));
}
var { profile } = await s.post("Profiler.stop");
(await import("node:fs")).writeFileSync("/tmp/kt/p.cpuprofile", JSON.stringify(profile));
