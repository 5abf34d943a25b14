/**
 * @module cni/plugins/portmap
 * plugins/meta/portmap (v1.1.1): hostPort forwarding, chained after the main
 * plugin. Everything lives in the nat table:
 *
 *   PREROUTING, OUTPUT  -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
 *   CNI-HOSTPORT-DNAT   -p tcp -m multiport --dports 8080,… -j CNI-DN-<hash>   (one per pod and protocol)
 *   CNI-DN-<hash>       hairpin and localhost sources -j CNI-HOSTPORT-SETMARK, then DNAT to pod:port
 *   CNI-HOSTPORT-SETMARK sets the masquerade mark, and CNI-HOSTPORT-MASQ (first in POSTROUTING)
 *                       masquerades what carries it
 *
 * The shared chains are never removed; DEL removes only the pod's chain and
 * its jumps. Without port mappings ADD passes the previous result through.
 */

import { ensureChain, ensureRule } from "../../host/iptables-ensure.js";
import { inPrefix, parseIPv4 } from "../../net/ip.js";
import { CNI_ERR, CniError } from "../error.js";
import type { CniArgs, CniResult, NetConf, PortMapping } from "../types.js";
import type { PluginEnv } from "./env.js";
import { formatChainName } from "./ip.js";

const TOP_DNAT = "CNI-HOSTPORT-DNAT";
const SETMARK = "CNI-HOSTPORT-SETMARK";
const MARK_MASQ = "CNI-HOSTPORT-MASQ";
/** Older plugins made a per-pod SNAT chain under this one; DEL still tears it down. */
const OLD_TOP_SNAT = "CNI-HOSTPORT-SNAT";
/** Kubernetes uses mark bits 14 and 15, Calico 20–31: 13 is portmap's own. */
const DEFAULT_MARK_BIT = 13;
/** multiport takes at most 15 ports in one rule. */
const MULTIPORT_MAX = 15;
/** The comment match's limit. */
const COMMENT_MAX = 255;

interface PortMapConf {
  name: string;
  containerId: string;
  snat: boolean;
  markMasqBit: number;
  externalSetMarkChain: string | null;
  masqAll: boolean;
  conditionsV4: string[];
  mappings: PortMapping[];
  /** The container's first IPv4 address with its prefix ("10.244.1.2/24"), from prevResult. */
  contIPv4: string | null;
  contIPv6: string | null;
}

/** A chain and the rules that jump to it, set up and torn down as one. */
interface Chain {
  name: string;
  entryChains: string[];
  /** Each entry rule gets `-j name` appended. */
  entryRules: string[][];
  rules: string[][];
  /** Only the MASQ jump goes first: after the main plugins' own masquerade rules it would never be reached. */
  prependEntry: boolean;
}

// ---- configuration ----

/** json.Unmarshal's type error, as the reference prints it for a mistyped field. */
function typeError(value: unknown, path: string, type: string): Error {
  const got = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  return new Error(
    `failed to parse network configuration: json: cannot unmarshal ${got} into Go struct field ${path} of type ${type}`,
  );
}

function parseMapping(v: unknown): PortMapping {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw typeError(v, "PortMapConf.runtimeConfig.portMappings", "main.PortMapEntry");
  const o = v as Record<string, unknown>;
  const int = (k: string): number => {
    const x = o[k] ?? 0;
    if (typeof x !== "number" || !Number.isInteger(x))
      throw typeError(x, `PortMapEntry.runtimeConfig.portMappings.${k}`, "int");
    return x;
  };
  const str = (k: string): string => {
    const x = o[k] ?? "";
    if (typeof x !== "string") throw typeError(x, `PortMapEntry.runtimeConfig.portMappings.${k}`, "string");
    return x;
  };
  const m: PortMapping = {
    hostPort: int("hostPort"),
    containerPort: int("containerPort"),
    protocol: str("protocol"),
  };
  const hostIP = str("hostIP");
  return hostIP ? { ...m, hostIP } : m;
}

function parseMappings(conf: NetConf): PortMapping[] {
  const pm = conf.runtimeConfig?.portMappings ?? [];
  if (!Array.isArray(pm))
    throw typeError(pm, "PortMapConf.runtimeConfig.portMappings", "[]main.PortMapEntry");
  return pm.map(parseMapping);
}

/** Ports are checked after the mark bit, as the reference orders its checks. */
function checkPorts(mappings: PortMapping[]): void {
  for (const m of mappings) {
    if (m.containerPort <= 0) throw new Error(`Invalid container port number: ${m.containerPort}`);
    if (m.hostPort <= 0) throw new Error(`Invalid host port number: ${m.hostPort}`);
  }
}

function parseMarkBit(conf: NetConf): number {
  const bit = conf.markMasqBit;
  if (
    bit !== undefined &&
    bit !== null &&
    conf.externalSetMarkChain !== undefined &&
    conf.externalSetMarkChain !== null
  )
    throw new Error("Cannot specify externalSetMarkChain and markMasqBit");
  const b = bit ?? DEFAULT_MARK_BIT;
  if (typeof b !== "number" || !Number.isInteger(b)) throw typeError(b, "PortMapConf.markMasqBit", "int");
  if (b < 0 || b > 31) throw new Error("MasqMarkBit must be between 0 and 31");
  return b;
}

/**
 * The container's addresses: the first of each family on the interface
 * CNI_IFNAME names in the sandbox (an IP pointing at a host-side interface,
 * such as bridge's cni0 or the host veth, is skipped).
 */
function containerIps(prev: CniResult | undefined, ifName: string): { v4: string | null; v6: string | null } {
  const found: { v4: string | null; v6: string | null } = { v4: null, v6: null };
  const ifaces = prev?.interfaces ?? [];
  for (const ip of prev?.ips ?? []) {
    const fam = ip.address.includes(":") ? "v6" : "v4";
    if (found[fam] !== null) continue;
    const i = ip.interface;
    const iface = i !== undefined && i >= 0 && i < ifaces.length ? ifaces[i] : undefined;
    if (iface && (iface.name !== ifName || !iface.sandbox)) continue;
    found[fam] = ip.address;
  }
  return found;
}

function parseConfig(conf: NetConf, args: CniArgs): PortMapConf {
  const mappings = parseMappings(conf);
  const markMasqBit = parseMarkBit(conf);
  checkPorts(mappings);
  const ext = conf.externalSetMarkChain;
  const cond = conf.conditionsV4;
  const ips = containerIps(conf.prevResult, args.ifName);
  return {
    name: conf.name,
    containerId: args.containerId,
    snat: conf.snat !== false,
    markMasqBit,
    externalSetMarkChain: typeof ext === "string" ? ext : null,
    masqAll: conf.masqAll === true,
    conditionsV4: Array.isArray(cond) ? cond.map(String) : [],
    mappings,
    contIPv4: ips.v4,
    contIPv6: ips.v6,
  };
}

// ---- the chains ----

/** The pod's own chain: the masquerade chain's hash behind "CNI-DN-", so fewer hex digits survive the cut. */
function dnatChainName(c: PortMapConf): string {
  return formatChainName(c.name, c.containerId, "DN-");
}

/** Go's %#x/%#x of the mark bit. */
function markDef(bit: number): string {
  const v = `0x${(2 ** bit).toString(16)}`;
  return `${v}/${v}`;
}

function setMarkChain(bit: number): Chain {
  const rule = [
    "-m",
    "comment",
    "--comment",
    "CNI portfwd masquerade mark",
    "-j",
    "MARK",
    "--set-xmark",
    markDef(bit),
  ];
  return { name: SETMARK, entryChains: [], entryRules: [], rules: [rule], prependEntry: false };
}

function markMasqChain(bit: number): Chain {
  return {
    name: MARK_MASQ,
    entryChains: ["POSTROUTING"],
    entryRules: [["-m", "comment", "--comment", "CNI portfwd requiring masquerade"]],
    rules: [["-m", "mark", "--mark", markDef(bit), "-j", "MASQUERADE"]],
    prependEntry: true,
  };
}

function topDnatChain(): Chain {
  return {
    name: TOP_DNAT,
    entryChains: ["PREROUTING", "OUTPUT"],
    entryRules: [["-m", "addrtype", "--dst-type", "LOCAL"]],
    rules: [],
    prependEntry: false,
  };
}

function trimComment(s: string): string {
  return s.length <= COMMENT_MAX ? s : `${s.slice(0, COMMENT_MAX - 2)}...`;
}

/** Host ports by protocol, protocols sorted (a stable order), each list cut into multiport-sized pieces. */
function portsByProto(mappings: PortMapping[]): Array<[string, string]> {
  const by = new Map<string, number[]>();
  for (const m of mappings) by.set(m.protocol, [...(by.get(m.protocol) ?? []), m.hostPort]);
  const out: Array<[string, string]> = [];
  for (const [proto, ports] of [...by].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    for (let i = 0; i < ports.length; i += MULTIPORT_MAX)
      out.push([proto, ports.slice(i, i + MULTIPORT_MAX).join(",")]);
  return out;
}

function dnatEntryRules(c: PortMapConf): string[][] {
  const comment = trimComment(`dnat name: "${c.name}" id: "${c.containerId}"`);
  return portsByProto(c.mappings).map(([proto, ports]) => [
    ...["-m", "comment", "--comment", comment, "-m", "multiport", "-p", proto, "--destination-ports", ports],
    ...c.conditionsV4,
  ]);
}

/**
 * One mapping's rules: mark hairpin traffic (the pod reaching itself through
 * the host port) and, for IPv4, traffic from 127.0.0.1 for masquerading —
 * the marks must come before the DNAT, which ends the chain's walk.
 */
function mappingRules(c: PortMapConf, m: PortMapping, contCidr: string): string[][] {
  const base = ["-p", m.protocol, "--dport", String(m.hostPort)];
  // An unspecified hostIP means every address, so no -d.
  if (m.hostIP && m.hostIP !== "0.0.0.0") base.push("-d", m.hostIP);
  const mark = c.externalSetMarkChain ?? SETMARK;
  const rules: string[][] = [];
  if (c.snat) {
    rules.push([...base, "-s", c.masqAll ? "0.0.0.0/0" : contCidr, "-j", mark]);
    if (!c.masqAll) rules.push([...base, "-s", "127.0.0.1", "-j", mark]);
  }
  rules.push([...base, "-j", "DNAT", "--to-destination", `${contCidr.split("/")[0]}:${m.containerPort}`]);
  return rules;
}

/** What net.ParseIP(hostIP).To4() decides: anything that is not an IPv4 address belongs to the IPv6 chain. */
function forIPv4(m: PortMapping): boolean {
  return !m.hostIP || parseIPv4(m.hostIP) !== null;
}

function dnatChain(c: PortMapConf, contCidr: string): Chain {
  const mine = c.mappings.filter(forIPv4);
  return {
    name: dnatChainName(c),
    entryChains: [TOP_DNAT],
    entryRules: dnatEntryRules(c),
    rules: mine.flatMap((m) => mappingRules(c, m, contCidr)),
    prependEntry: false,
  };
}

// ---- go-iptables over the host interface (nat table) ----

function nat(env: PluginEnv, args: string[]): Promise<string> {
  return env.host.iptables(null, ["-t", "nat", ...args]);
}

async function listChains(env: PluginEnv): Promise<string[]> {
  const out = await nat(env, ["-S"]);
  return out
    .split("\n")
    .filter((l) => l.startsWith("-N ") || l.startsWith("-P "))
    .map((l) => l.split(" ")[1]!);
}

/** go-iptables Exists (-C): a rule that does not match is simply absent (CHECK). */
async function ruleExists(env: PluginEnv, chain: string, rule: string[]): Promise<boolean> {
  try {
    await nat(env, ["-C", chain, ...rule]);
    return true;
  } catch {
    return false;
  }
}

async function setupChain(env: PluginEnv, c: Chain): Promise<void> {
  await ensureChain(env.host, "nat", c.name);
  for (const r of c.rules) await ensureRule(env.host, "nat", c.name, r);
  for (const entry of c.entryChains)
    for (const r of c.entryRules)
      await ensureRule(env.host, "nat", entry, [...r, "-j", c.name], c.prependEntry ? "prepend" : "append");
}

/** go-shellwords, for the rules `-S` prints: words split on blanks, double quotes with backslash escapes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\\.|[^\s"'\\])+/g;
  let cur: string | null = null;
  let last = 0;
  for (const m of line.matchAll(re)) {
    const part = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[0].replace(/\\(.)/g, "$1"));
    // Pieces with no blank between them are one word (a"b"c).
    if (cur !== null && m.index === last) cur += part;
    else {
      if (cur !== null) words.push(cur);
      cur = part;
    }
    last = m.index + m[0].length;
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** The jumps to the chain from one entry chain, as `-S` prints them (`-A ENTRY …` cut off). */
async function jumpsTo(env: PluginEnv, entry: string, name: string): Promise<string[][]> {
  let lines: string[];
  try {
    lines = (await nat(env, ["-S", entry])).split("\n").filter((l) => l !== "");
  } catch {
    // No such entry chain: nothing jumps from it.
    return [];
  }
  return lines
    .slice(1)
    .filter((l) => l.endsWith(`-j ${name}`))
    .map((l) => shellWords(l).slice(2));
}

/**
 * chain.teardown: flush the chain (creating it if missing, as go-iptables'
 * ClearChain does, so the delete after it always has a chain), delete the
 * jumps to it, delete it. Each step tolerates what is already gone.
 */
async function teardownChain(env: PluginEnv, name: string, entry: string): Promise<void> {
  if ((await listChains(env)).includes(name)) await nat(env, ["-F", name]);
  else await nat(env, ["-N", name]);
  for (const rule of await jumpsTo(env, entry, name)) await nat(env, ["-D", entry, ...rule]).catch(() => "");
  await nat(env, ["-X", name]).catch(() => "");
}

/** Go's %s of a [][]string, as CHECK's messages print the rules. */
function goRules(rules: string[][]): string {
  return `[${rules.map((r) => `[${r.join(" ")}]`).join(" ")}]`;
}

/** chain.check: the chain, its rules (last first) and the jumps to it must all be there. */
async function checkChain(env: PluginEnv, c: Chain): Promise<void> {
  if (!(await listChains(env)).includes(c.name))
    throw new Error(`chain ${c.name} not found in iptables table nat`);
  for (const r of [...c.rules].reverse())
    if (!(await ruleExists(env, c.name, r)))
      throw new Error(`rule ${goRules(c.rules)} in chain ${c.name} not found in table nat`);
  for (const entry of c.entryChains)
    for (const r of [...c.entryRules].reverse())
      if (!(await ruleExists(env, entry, [...r, "-j", c.name])))
        throw new Error(`rule ${goRules(c.entryRules)} in chain ${entry} not found in table nat`);
}

// ---- the plugin ----

/** forwardPorts for an IPv4 container address. */
async function forwardPorts(env: PluginEnv, c: PortMapConf, contCidr: string): Promise<void> {
  if (c.snat) {
    if (c.externalSetMarkChain === null) {
      await setupChain(env, setMarkChain(c.markMasqBit)).catch((e: Error) => {
        throw new Error(`unable to create chain ${SETMARK}: ${e.message}`);
      });
      await setupChain(env, markMasqChain(c.markMasqBit)).catch((e: Error) => {
        // The reference names the SETMARK chain here too.
        throw new Error(`unable to create chain ${SETMARK}: ${e.message}`);
      });
    }
    await enableLocalnetRouting(env, contCidr);
  }
  await setupChain(env, topDnatChain()).catch((e: Error) => {
    throw new Error(`failed to create top-level DNAT chain: ${e.message}`);
  });
  await setupChain(env, dnatChain(c, contCidr)).catch((e: Error) => {
    throw new Error(`unable to setup DNAT: ${e.message}`);
  });
}

/**
 * netlink.RouteGet's interface for the pod's address, from the main table:
 * the longest matching prefix, the lowest metric among equals. null when no
 * usable route leads there.
 */
async function routableHostIf(env: PluginEnv, ip: string): Promise<string | null> {
  const a = parseIPv4(ip);
  if (a === null) return null;
  let best: { len: number; metric: number; dev: string | null } | null = null;
  for (const r of await env.host.routeList(null)) {
    const [net, l] = r.dst === "default" ? ["0.0.0.0", "0"] : r.dst.split("/");
    const len = Number(l ?? 32);
    const n = parseIPv4(net ?? "");
    if (n === null || !inPrefix(a, n, len)) continue;
    const metric = r.metric ?? 0;
    if (best && (len < best.len || (len === best.len && metric >= best.metric))) continue;
    best = { len, metric, dev: (r.type ?? "unicast") === "unicast" ? (r.dev ?? null) : null };
  }
  return best?.dev ?? null;
}

/**
 * route_localnet on the host interface that routes to the pod, so that a
 * connection from 127.0.0.1, DNATed to the pod, is not dropped as martian
 * on its way out.
 */
async function enableLocalnetRouting(env: PluginEnv, contCidr: string): Promise<void> {
  const dev = await routableHostIf(env, contCidr.split("/")[0]!);
  if (dev === null) return;
  try {
    await env.host.sysctlSet(null, `net.ipv4.conf.${dev}.route_localnet`, "1");
  } catch (e) {
    throw new Error(`unable to enable route_localnet: ${(e as Error).message}`);
  }
}

function parseOrWrap(conf: NetConf, args: CniArgs): PortMapConf {
  try {
    return parseConfig(conf, args);
  } catch (e) {
    throw new Error(`failed to parse config: ${(e as Error).message}`);
  }
}

/** The host interface has no ip6tables: an IPv6 pod address cannot get its forwarding. */
function refuseIPv6(c: PortMapConf): void {
  if (c.contIPv6 !== null)
    throw new CniError(
      CNI_ERR.INTERNAL,
      "portmap: IPv6 port mappings are not modelled (the host interface has no ip6tables)",
    );
}

export async function portmapAdd(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<CniResult> {
  const c = parseOrWrap(conf, args);
  if (!conf.prevResult) throw new Error("must be called as chained plugin");
  if (c.mappings.length === 0) return conf.prevResult;
  refuseIPv6(c);
  if (c.contIPv4 !== null) await forwardPorts(env, c, c.contIPv4);
  return conf.prevResult;
}

export async function portmapDel(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<void> {
  const c = parseOrWrap(conf, args);
  // 1.1.1 learns nothing to delete without the mappings: a DEL without runtimeConfig leaves the rules.
  if (c.mappings.length === 0) return;
  await teardownChain(env, dnatChainName(c), TOP_DNAT);
  // The per-pod SNAT chain of older plugins, if one is left; its failures do not fail DEL.
  await teardownChain(env, formatChainName(c.name, c.containerId, "SN-"), OLD_TOP_SNAT).catch(
    () => undefined,
  );
}

export async function portmapCheck(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<void> {
  const c = parseConfig(conf, args);
  if (!conf.prevResult) throw new Error("Required prevResult missing");
  if (c.mappings.length === 0 || c.contIPv4 === null) return;
  const chain = dnatChain(c, c.contIPv4);
  try {
    await checkChain(env, chain);
  } catch (e) {
    throw new Error(`could not check ipv4 dnat: ${(e as Error).message}`);
  }
  // 1.1.1 then checks the same chain in ip6tables without asking whether it
  // exists there: on a node with ip6tables, an IPv4-only pod's CHECK fails.
  throw new Error(`could not check ipv6 dnat: chain ${chain.name} not found in iptables table nat`);
}
