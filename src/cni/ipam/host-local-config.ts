/**
 * @module cni/ipam/host-local-config
 * host-local's configuration as v1.1.1 loads it (allocator/config.go,
 * range.go, range_set.go): the legacy single range and `ranges`, the
 * requested addresses from CNI_ARGS, `args.cni.ips` and
 * `runtimeConfig.ips`, each range filled in and checked, and the error
 * text the reference gives for each mistake.
 */

import { versionAtLeast } from "../skel-checks.js";
import {
  formatGoCIDR,
  formatGoIP,
  type GoCIDR,
  type GoIP,
  ipBits,
  ipCmp,
  lastOf,
  networkOf,
  nextIP,
  parseGoCIDR,
  parseGoIP,
  subnetContains,
} from "./go-ip.js";
import {
  type GoCtx,
  GoDecodeError,
  GoDecoder,
  goFields,
  goString,
  isObject,
  sub,
  withContext,
} from "./go-json.js";

/** One range after Canonicalize: every field filled in. */
export interface Range {
  readonly subnet: GoCIDR;
  readonly rangeStart: GoIP;
  readonly rangeEnd: GoIP;
  readonly gateway: GoIP;
}

/** One address per range set is allocated; the set's ranges are tried in order. */
export type RangeSet = readonly Range[];

/** A configured route; `dst` is null when the config left it out (Go prints it as "<nil>"). */
export interface RouteConf {
  readonly dst: GoCIDR | null;
  readonly gw: GoIP | null;
}

export interface IpamConfig {
  readonly name: string;
  /** As written in the config ("" when absent). */
  readonly cniVersion: string;
  readonly type: string;
  readonly ranges: readonly RangeSet[];
  readonly routes: readonly RouteConf[];
  readonly dataDir: string;
  readonly resolvConf: string;
  /** The addresses asked for, in the order host-local gathers them. */
  readonly requestedIps: readonly GoIP[];
}

/** A range as decoded, before defaults: absent fields are null. */
interface RawRange {
  subnet: GoCIDR | null;
  rangeStart: GoIP | null;
  rangeEnd: GoIP | null;
  gateway: GoIP | null;
}

const emptyRaw = (): RawRange => ({ subnet: null, rangeStart: null, rangeEnd: null, gateway: null });

/** A config error: host-local returns it as a plain error, which skel reports with code 999. */
export class IpamConfigError extends Error {}

/** `types.IPNet.UnmarshalJSON`: a string through ParseCIDR; its errors end decoding. */
function decodeIPNet(d: GoDecoder, v: unknown, ctx: GoCtx): GoCIDR {
  if (v !== null && typeof v !== "string") d.fatalMismatch(v, "string", ctx);
  const s = v ?? "";
  const c = parseGoCIDR(s);
  if (c === null) throw new GoDecodeError(`invalid CIDR address: ${s}`);
  return c;
}

/** `net.IP.UnmarshalText`: "" and null mean unset; a bad string ends decoding, a non-string does not. */
function decodeNetIP(d: GoDecoder, v: unknown, ctx: GoCtx): GoIP | null | undefined {
  if (v === null || v === "") return null;
  if (typeof v !== "string") {
    d.mismatch(v, "net.IP", ctx);
    return undefined;
  }
  const ip = parseGoIP(v);
  if (ip === null) throw new GoDecodeError(`invalid IP address: ${v}`);
  return ip;
}

/** pkg/ip's `IP`: an address or an address/prefix; its own error text has no colon. */
export function parsePluginIP(s: string): GoIP | null {
  return parseGoIP(s) ?? parseGoCIDR(s)?.ip ?? null;
}

const RANGE_FIELDS = ["rangeStart", "rangeEnd", "subnet", "gateway"] as const;

/** Fills `r` from a Range's JSON members (shared by `ranges` entries and the legacy fields). */
function decodeRangeField(d: GoDecoder, r: RawRange, field: string, v: unknown, ctx: GoCtx): void {
  if (field === "subnet") r.subnet = decodeIPNet(d, v, sub(ctx, field));
  else if (field === "rangeStart" || field === "rangeEnd" || field === "gateway") {
    const ip = decodeNetIP(d, v, sub(ctx, field));
    if (ip !== undefined) r[field] = ip;
  }
}

function decodeRange(d: GoDecoder, v: unknown, ctx: GoCtx): RawRange {
  const r = emptyRaw();
  if (v === null) return r;
  if (!isObject(v)) {
    d.mismatch(v, "allocator.Range", ctx);
    return r;
  }
  const inner = { struct: "Range", path: ctx.path };
  for (const [f, x] of goFields(v, RANGE_FIELDS)) decodeRangeField(d, r, f, x, inner);
  return r;
}

function decodeRangeSets(d: GoDecoder, v: unknown, ctx: GoCtx): RawRange[][] {
  if (v === null) return [];
  if (!Array.isArray(v)) {
    d.mismatch(v, "[]allocator.RangeSet", ctx);
    return [];
  }
  return v.map((set) => {
    if (set === null) return [];
    if (!Array.isArray(set)) {
      d.mismatch(set, "allocator.RangeSet", ctx);
      return [];
    }
    return set.map((r) => decodeRange(d, r, ctx));
  });
}

/** `[]*ip.IP`: each element's own UnmarshalJSON errors end decoding. */
function decodePluginIPs(d: GoDecoder, v: unknown, ctx: GoCtx): GoIP[] {
  if (v === null) return [];
  if (!Array.isArray(v)) {
    d.mismatch(v, "[]*ip.IP", ctx);
    return [];
  }
  const out: GoIP[] = [];
  for (const x of v) {
    if (x === null) continue;
    if (typeof x !== "string") d.fatalMismatch(x, "string", ctx);
    const ip = parsePluginIP(x);
    if (ip === null) throw new GoDecodeError(`invalid IP address ${x}`);
    out.push(ip);
  }
  return out;
}

/** `types.Route.UnmarshalJSON`: a nested Unmarshal, so any error in it ends decoding, relabelled. */
function decodeRoutes(d: GoDecoder, v: unknown, ctx: GoCtx): RouteConf[] {
  if (v === null) return [];
  if (!Array.isArray(v)) {
    d.mismatch(v, "[]*types.Route", ctx);
    return [];
  }
  const out: RouteConf[] = [];
  for (const x of v) {
    // A JSON null leaves a nil *Route; the model drops it (Go would print "null" for it).
    if (x === null) continue;
    try {
      const inner = new GoDecoder();
      const root: GoCtx = { struct: "", path: [] };
      if (!isObject(x)) inner.fatalMismatch(x, "types.route", root);
      const route: { dst: GoCIDR | null; gw: GoIP | null } = { dst: null, gw: null };
      for (const [f, y] of goFields(x, ["dst", "gw"])) {
        if (f === "dst") route.dst = decodeIPNet(inner, y, { struct: "route", path: ["dst"] });
        else {
          const gw = decodeNetIP(inner, y, { struct: "route", path: ["gw"] });
          if (gw !== undefined) route.gw = gw;
        }
      }
      inner.finish();
      out.push(route);
    } catch (e) {
      throw withContext(e, ctx);
    }
  }
  return out;
}

interface RawIpam {
  type: string;
  name: string;
  routes: RouteConf[];
  dataDir: string;
  resolvConf: string;
  ranges: RawRange[][];
  legacy: RawRange;
}

const IPAM_FIELDS = ["type", "routes", "dataDir", "resolvConf", "ranges", "Name", ...RANGE_FIELDS] as const;

function decodeIpam(d: GoDecoder, v: Record<string, unknown>): RawIpam {
  const ctx: GoCtx = { struct: "IPAMConfig", path: ["ipam"] };
  const out: RawIpam = {
    type: "",
    name: "",
    routes: [],
    dataDir: "",
    resolvConf: "",
    ranges: [],
    legacy: emptyRaw(),
  };
  for (const [f, x] of goFields(v, IPAM_FIELDS)) {
    const at = sub(ctx, f);
    if (f === "type") out.type = goString(d, x, at) ?? out.type;
    else if (f === "Name") out.name = goString(d, x, at) ?? out.name;
    else if (f === "dataDir") out.dataDir = goString(d, x, at) ?? out.dataDir;
    else if (f === "resolvConf") out.resolvConf = goString(d, x, at) ?? out.resolvConf;
    else if (f === "routes") out.routes = decodeRoutes(d, x, at);
    else if (f === "ranges") out.ranges = decodeRangeSets(d, x, at);
    else decodeRangeField(d, out.legacy, f, x, ctx);
  }
  return out;
}

const ANON_RUNTIME =
  'struct { IPRanges []allocator.RangeSet "json:\\"ipRanges,omitempty\\""; IPs []*ip.IP "json:\\"ips,omitempty\\"" }';
const ANON_ARGS = 'struct { A *allocator.IPAMArgs "json:\\"cni\\"" }';

/** `json.Unmarshal` into host-local's `Net` struct. */
function decodeNet(conf: unknown): {
  name: string;
  cniVersion: string;
  ipam: RawIpam | null;
  ipRanges: RawRange[][];
  runtimeIps: GoIP[];
  argsIps: GoIP[];
} {
  const d = new GoDecoder();
  const out = {
    name: "",
    cniVersion: "",
    ipam: null as RawIpam | null,
    ipRanges: [] as RawRange[][],
    runtimeIps: [] as GoIP[],
    argsIps: [] as GoIP[],
  };
  if (!isObject(conf)) {
    if (conf !== null) d.fatalMismatch(conf, "allocator.Net", { struct: "", path: [] });
    return out;
  }
  const ctx: GoCtx = { struct: "Net", path: [] };
  for (const [f, v] of goFields(conf, ["name", "cniVersion", "ipam", "runtimeConfig", "args"])) {
    const at = sub(ctx, f);
    if (f === "name") out.name = goString(d, v, at) ?? out.name;
    else if (f === "cniVersion") out.cniVersion = goString(d, v, at) ?? out.cniVersion;
    else if (f === "ipam") {
      if (v === null) out.ipam = null;
      else if (isObject(v)) out.ipam = decodeIpam(d, v);
      else d.mismatch(v, "allocator.IPAMConfig", at);
    } else if (f === "runtimeConfig") {
      if (v === null) continue;
      if (!isObject(v)) {
        d.mismatch(v, ANON_RUNTIME, at);
        continue;
      }
      const rc: GoCtx = { struct: "", path: at.path };
      for (const [g, x] of goFields(v, ["ipRanges", "ips"])) {
        if (g === "ips") out.runtimeIps = decodePluginIPs(d, x, sub(rc, g));
        else out.ipRanges = decodeRangeSets(d, x, sub(rc, g));
      }
    } else if (f === "args") {
      if (v === null) continue;
      if (!isObject(v)) {
        d.mismatch(v, ANON_ARGS, at);
        continue;
      }
      for (const [, x] of goFields(v, ["cni"])) {
        const cniCtx: GoCtx = { struct: "", path: [...at.path, "cni"] };
        if (x === null) continue;
        if (!isObject(x)) {
          d.mismatch(x, "allocator.IPAMArgs", cniCtx);
          continue;
        }
        const ac: GoCtx = { struct: "IPAMArgs", path: cniCtx.path };
        for (const [, y] of goFields(x, ["ips"])) out.argsIps = decodePluginIPs(d, y, sub(ac, "ips"));
      }
    }
  }
  d.finish();
  return out;
}

/** `types.LoadArgs` into IPAMEnvArgs (fields IgnoreUnknown and IP), returning the IP asked for. */
export function parseCniArgs(args: string): GoIP | null {
  if (args === "") return null;
  let ip: GoIP | null = null;
  let ignoreUnknown = false;
  const unknown: string[] = [];
  for (const pair of args.split(";")) {
    const kv = pair.split("=");
    if (kv.length !== 2) throw new IpamConfigError(`ARGS: invalid pair ${JSON.stringify(pair)}`);
    const [key = "", value = ""] = kv;
    if (key === "IP") {
      const parsed = parsePluginIP(value);
      if (parsed === null)
        throw new IpamConfigError(
          `ARGS: error parsing value of pair ${JSON.stringify(pair)}: invalid IP address ${value}`,
        );
      ip = parsed;
    } else if (key === "IgnoreUnknown") {
      const b = value.toLowerCase();
      if (b !== "1" && b !== "true" && b !== "0" && b !== "false")
        throw new IpamConfigError(
          `ARGS: error parsing value of pair ${JSON.stringify(pair)}: boolean unmarshal error: invalid input ${value}`,
        );
      ignoreUnknown = b === "1" || b === "true";
    } else if (key === "CommonArgs") {
      throw new IpamConfigError(
        "ARGS: cannot unmarshal into field 'CommonArgs' - type 'types.CommonArgs' does not implement encoding.TextUnmarshaler",
      );
    } else unknown.push(pair);
  }
  if (unknown.length > 0 && !ignoreUnknown)
    throw new IpamConfigError(`ARGS: unknown args [${unknown.map((u) => JSON.stringify(u)).join(" ")}]`);
  return ip;
}

/** `Range.Contains`: same family, inside the subnet, and within start/end where those are set. */
function rawContains(r: RawRange & { subnet: GoCIDR }, addr: GoIP): boolean {
  if (addr.v4 !== r.subnet.ip.v4 || !subnetContains(r.subnet, addr)) return false;
  if (r.rangeStart && ipCmp(addr, r.rangeStart) < 0) return false;
  if (r.rangeEnd && ipCmp(addr, r.rangeEnd) > 0) return false;
  return true;
}

export function rangeContains(r: Range, addr: GoIP): boolean {
  return rawContains(r, addr);
}

export function rangeString(r: Range): string {
  return `${formatGoIP(r.rangeStart)}-${formatGoIP(r.rangeEnd)}`;
}

export function rangeSetString(s: RangeSet): string {
  return s.map(rangeString).join(",");
}

export function rangeSetContains(s: RangeSet, addr: GoIP): boolean {
  return s.some((r) => rangeContains(r, addr));
}

/** `Range.Canonicalize`: the defaults (.1 gateway, .1 start, broadcast-1 end) and the checks, in Go's order. */
function canonicalizeRange(raw: RawRange): Range {
  const subnet = raw.subnet;
  if (subnet === null) throw new IpamConfigError("IP <nil> not v4 nor v6");
  if (subnet.ones > subnet.bits - 2)
    throw new IpamConfigError(`Network ${formatGoCIDR(subnet)} too small to allocate from`);
  if (ipBits(subnet.ip) !== subnet.bits) throw new IpamConfigError("IPNet IP and Mask version mismatch");
  const network = networkOf(subnet);
  if (network.n !== subnet.ip.n)
    throw new IpamConfigError(
      `Network has host bits set. For a subnet mask of length ${subnet.ones} the network address is ${formatGoIP(network)}`,
    );
  const first = nextIP(subnet.ip);
  if (first === null) throw new IpamConfigError(`Network ${formatGoCIDR(subnet)} too small to allocate from`);
  // v1.1.1 accepts a gateway outside the subnet; it is only skipped while iterating.
  const gateway = raw.gateway ?? first;
  const r = { ...raw, subnet };
  // rangeStart is checked while rangeEnd is still as written, so a start after the end fails here.
  if (raw.rangeStart && !rawContains(r, raw.rangeStart))
    throw new IpamConfigError(
      `RangeStart ${formatGoIP(raw.rangeStart)} not in network ${formatGoCIDR(subnet)}`,
    );
  const rangeStart = raw.rangeStart ?? first;
  r.rangeStart = rangeStart;
  if (raw.rangeEnd && !rawContains(r, raw.rangeEnd))
    throw new IpamConfigError(`RangeEnd ${formatGoIP(raw.rangeEnd)} not in network ${formatGoCIDR(subnet)}`);
  // By default the subnet's last address, less one for IPv4 (the broadcast); IPv6 keeps it.
  const last = lastOf(subnet);
  const rangeEnd = raw.rangeEnd ?? (subnet.ip.v4 ? { v4: true, n: last.n - 1n } : last);
  return { subnet, rangeStart, rangeEnd, gateway };
}

function overlaps(a: Range, b: Range): boolean {
  if (a.rangeStart.v4 !== b.rangeStart.v4) return false;
  return (
    rangeContains(a, b.rangeStart) ||
    rangeContains(a, b.rangeEnd) ||
    rangeContains(b, a.rangeStart) ||
    rangeContains(b, a.rangeEnd)
  );
}

function canonicalizeSet(raw: RawRange[]): Range[] {
  if (raw.length === 0) throw new IpamConfigError("empty range set");
  const set: Range[] = [];
  for (const r of raw) {
    const c = canonicalizeRange(r);
    if (set.length > 0 && set[0]?.rangeStart.v4 !== c.rangeStart.v4)
      throw new IpamConfigError("mixed address families");
    set.push(c);
  }
  for (let i = 0; i < set.length; i++)
    for (let j = i + 1; j < set.length; j++) {
      const a = set[i]!;
      const b = set[j]!;
      if (overlaps(a, b))
        throw new IpamConfigError(`subnets ${rangeString(a)} and ${rangeString(b)} overlap`);
    }
  return set;
}

function setsOverlap(a: RangeSet, b: RangeSet): boolean {
  return a.some((r) => b.some((r1) => overlaps(r, r1)));
}

/** `version.GreaterThanOrEqualTo(v, "0.3.0")`; an unparsable version is never greater. */
function atLeast030(v: string): boolean {
  try {
    return versionAtLeast(v, "0.3.0");
  } catch {
    return false;
  }
}

/**
 * `allocator.LoadIPAMConfig`: the whole network config (not just `ipam`)
 * and CNI_ARGS in, the filled-in configuration out; throws IpamConfigError
 * with the reference's message.
 */
export function loadIpamConfig(conf: unknown, cniArgs = ""): IpamConfig {
  let net: ReturnType<typeof decodeNet>;
  try {
    net = decodeNet(conf);
  } catch (e) {
    if (e instanceof GoDecodeError) throw new IpamConfigError(e.message);
    throw e;
  }
  const ipam = net.ipam;
  if (ipam === null) throw new IpamConfigError("IPAM config missing 'ipam' key");

  const requested: GoIP[] = [];
  const envIp = parseCniArgs(cniArgs);
  if (envIp) requested.push(envIp);
  requested.push(...net.argsIps, ...net.runtimeIps);

  let rawSets = ipam.ranges;
  // The legacy single range comes first, runtime ipRanges before everything.
  if (ipam.legacy.subnet !== null) rawSets = [[ipam.legacy], ...rawSets];
  if (net.ipRanges.length > 0) rawSets = [...net.ipRanges, ...rawSets];
  if (rawSets.length === 0) throw new IpamConfigError("no IP ranges specified");

  const ranges: Range[][] = [];
  let v4 = 0;
  let v6 = 0;
  rawSets.forEach((raw, i) => {
    try {
      ranges.push(canonicalizeSet(raw));
    } catch (e) {
      if (e instanceof IpamConfigError) throw new IpamConfigError(`invalid range set ${i}: ${e.message}`);
      throw e;
    }
    if (ranges[i]?.[0]?.rangeStart.v4) v4++;
    else v6++;
  });
  if ((v4 > 1 || v6 > 1) && !atLeast030(net.cniVersion))
    throw new IpamConfigError(
      `CNI version ${net.cniVersion} does not support more than 1 address per family`,
    );
  for (let i = 0; i < ranges.length - 1; i++)
    for (let j = i + 1; j < ranges.length; j++)
      if (setsOverlap(ranges[i]!, ranges[j]!)) throw new IpamConfigError(`range set ${i} overlaps with ${j}`);

  return {
    name: net.name,
    cniVersion: net.cniVersion,
    type: ipam.type,
    ranges,
    routes: ipam.routes,
    dataDir: ipam.dataDir,
    resolvConf: ipam.resolvConf,
    requestedIps: requested,
  };
}
