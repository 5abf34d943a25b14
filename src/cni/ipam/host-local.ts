/**
 * @module cni/ipam/host-local
 * The `host-local` IPAM plugin of containernetworking-plugins v1.1.1 as
 * pure functions over an IpamStore: the allocator (round robin from the
 * address after `last_reserved_ip.<n>`, wrapping, skipping the gateway and
 * addresses already on file), the disk backend's file format, and ADD/DEL/
 * CHECK with the reference's error messages. Errors are thrown as CniError
 * (code 999 for everything host-local itself reports, as skel wraps it).
 *
 * @example
 * const store = memoryIpamStore();
 * const conf = { cniVersion: "1.0.0", name: "kind", ipam: { type: "host-local", subnet: "10.244.1.0/24" } };
 * hostLocalAdd(conf, { containerId: "c1", ifName: "eth0" }, store).ips[0].address; // "10.244.1.2/24"
 */
import { CNI_ERR, CniError } from "../error.js";
import type { IpamResult } from "../result.js";
import { checkCheckVersion, checkInvocation } from "../skel-checks.js";
import { formatGoCIDR, formatGoIP, type GoIP, ipEqual, nextIP, parseGoIP } from "./go-ip.js";
import {
  type IpamConfig,
  IpamConfigError,
  loadIpamConfig,
  type Range,
  type RangeSet,
  rangeContains,
  rangeSetContains,
  rangeSetString,
} from "./host-local-config.js";
import type { IpamStore } from "./store.js";

export type { IpamResult } from "../result.js";
export { printResult, resultForVersion } from "../result.js";
export type { IpamConfig } from "./host-local-config.js";
export { loadIpamConfig } from "./host-local-config.js";
export type { IpamStore } from "./store.js";
export { DEFAULT_DATA_DIR, fsIpamStore, memoryIpamStore } from "./store.js";

export interface HostLocalArgs {
  containerId: string;
  ifName: string;
  /** CNI_ARGS ("IgnoreUnknown=1;IP=10.1.2.3"), where host-local reads a requested IP. */
  cniArgs?: string;
}

/** What host-local reads from the host besides its store: the `resolvConf` file. */
export interface HostLocalEnv {
  /** A file's contents; throws (with Go's "open PATH: …" text) when it cannot be read. */
  readFile(path: string): string;
}

/** Without a host filesystem every resolvConf path is missing, as Go would report it. */
const NO_FILES: HostLocalEnv = {
  readFile(path) {
    throw new Error(`open ${path}: no such file or directory`);
  },
};

const LINE_BREAK = "\r\n";
const LAST_IP_PREFIX = "last_reserved_ip.";

const internal = (msg: string) => new CniError(CNI_ERR.INTERNAL, msg);

/** disk.New: the lock file exists once the plugin has opened the network's directory. */
function openStore(store: IpamStore): void {
  if (store.read("lock") === null) store.write("lock", "");
}

/** The files in the order filepath.Walk visits them (lexical). */
function walk(store: IpamStore): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of [...store.list()].sort()) {
    const data = store.read(name);
    if (data !== null) out.push([name, data]);
  }
  return out;
}

/** What an address file holds: the trimmed container ID, CRLF, the interface name. */
const fileKey = (id: string, ifName: string) => id.trim() + LINE_BREAK + ifName;

/** Store.Reserve: create the address's file unless it exists, then record it as the range set's last. */
function reserve(store: IpamStore, id: string, ifName: string, ip: GoIP, rangeId: number): boolean {
  const name = formatGoIP(ip);
  if (store.read(name) !== null) return false;
  store.write(name, fileKey(id, ifName));
  store.write(LAST_IP_PREFIX + rangeId, name);
  return true;
}

/** Store.GetByID: the addresses whose file names this container and interface (or, pre-0.7, the ID alone). */
function getById(store: IpamStore, id: string, ifName: string): GoIP[] {
  const match = fileKey(id, ifName);
  const old = id.trim();
  const out: GoIP[] = [];
  for (const [name, data] of walk(store)) {
    const d = data.trim();
    if (d !== match && d !== old) continue;
    const ip = parseGoIP(name);
    if (ip) out.push(ip);
  }
  return out;
}

/** Store.ReleaseByID: remove every file for container+interface; failing that, files with the ID alone. */
function releaseById(store: IpamStore, id: string, ifName: string): void {
  const byKey = (key: string) => {
    let found = false;
    for (const [name, data] of walk(store))
      if (data.trim() === key) {
        store.remove(name);
        found = true;
      }
    return found;
  };
  if (!byKey(fileKey(id, ifName))) byKey(id.trim());
}

/**
 * RangeIter: starts after the last reserved address when it is still in
 * the set (else at the first range's start), walks each range from start
 * to end inclusive, moves to the next range and wraps, skips the gateway,
 * and stops on coming back to where it started.
 */
function* candidates(set: RangeSet, last: GoIP | null): Generator<{ ip: GoIP; range: Range }> {
  let idx = 0;
  let cur: GoIP | null = null;
  let start: GoIP | null = null;
  if (last && rangeSetContains(set, last)) {
    idx = set.findIndex((r) => rangeContains(r, last));
    cur = last;
  }
  for (;;) {
    let r = set[idx]!;
    if (cur === null) {
      cur = r.rangeStart;
      start = cur;
    } else {
      if (ipEqual(cur, r.rangeEnd)) {
        idx = (idx + 1) % set.length;
        r = set[idx]!;
        cur = r.rangeStart;
      } else {
        cur = nextIP(cur);
        if (cur === null) return;
      }
      if (start === null) start = cur;
      else if (ipEqual(cur, start)) return;
    }
    if (!ipEqual(cur, r.gateway)) yield { ip: cur, range: r };
  }
}

/** IPAllocator.Get for one range set. */
function allocate(
  store: IpamStore,
  set: RangeSet,
  rangeId: number,
  id: string,
  ifName: string,
  requested: GoIP | null,
): { address: string; gateway: string } {
  const config = (ip: GoIP, r: Range) => ({
    address: formatGoCIDR({ ip, ones: r.subnet.ones, bits: r.subnet.bits }),
    gateway: formatGoIP(r.gateway),
  });
  if (requested) {
    const r = set.find((x) => rangeContains(x, requested));
    if (!r) throw new Error(`${formatGoIP(requested)} not in range set ${rangeSetString(set)}`);
    if (ipEqual(requested, r.gateway))
      throw new Error(`requested ip ${formatGoIP(requested)} is subnet's gateway`);
    if (!reserve(store, id, ifName, requested, rangeId))
      throw new Error(
        `requested IP address ${formatGoIP(requested)} is not available in range set ${rangeSetString(set)}`,
      );
    return config(requested, r);
  }
  // The spec forbids a second ADD for the same container and interface.
  for (const ip of getById(store, id, ifName))
    if (rangeSetContains(set, ip))
      throw new Error(`${formatGoIP(ip)} has been allocated to ${id}, duplicate allocation is not allowed`);
  const lastText = store.read(LAST_IP_PREFIX + rangeId);
  const last = lastText === null ? null : parseGoIP(lastText);
  for (const { ip, range } of candidates(set, last))
    if (reserve(store, id, ifName, ip, rangeId)) return config(ip, range);
  throw new Error(`no IP addresses available in range set: ${rangeSetString(set)}`);
}

/** parseResolvConf: nameserver, domain, search and options lines; comments and one-word lines skipped. */
export function parseResolvConf(text: string): IpamResult["dns"] {
  const dns: IpamResult["dns"] = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line[0] === "#" || line[0] === ";") continue;
    const f = line.split(/\s+/);
    if (f.length < 2) continue;
    const [key, first = "", ...rest] = f;
    if (key === "nameserver") (dns.nameservers ??= []).push(first);
    else if (key === "domain") dns.domain = first;
    else if (key === "search") (dns.search ??= []).push(first, ...rest);
    else if (key === "options") (dns.options ??= []).push(first, ...rest);
  }
  return dns;
}

/** skel's checks, then LoadIPAMConfig; config errors become code 999 as the reference reports them. */
function load(conf: unknown, args: HostLocalArgs): IpamConfig {
  checkInvocation(conf, args);
  return loadConfig(conf, args);
}

function loadConfig(conf: unknown, args: HostLocalArgs): IpamConfig {
  try {
    return loadIpamConfig(conf, args.cniArgs ?? "");
  } catch (e) {
    if (e instanceof IpamConfigError) throw internal(e.message);
    throw e;
  }
}

/**
 * CNI ADD: one address from each range set for this container and
 * interface, recorded in `store` (the network's directory). Throws
 * CniError. The result is the 1.0.0 form; printResult converts it to the
 * config's cniVersion.
 */
export function hostLocalAdd(
  conf: unknown,
  args: HostLocalArgs,
  store: IpamStore,
  env: HostLocalEnv = NO_FILES,
): IpamResult {
  const c = load(conf, args);
  const result: IpamResult = { cniVersion: "1.0.0", ips: [], dns: {} };
  if (c.resolvConf !== "") {
    let text: string;
    try {
      text = env.readFile(c.resolvConf);
    } catch (e) {
      throw internal(e instanceof Error ? e.message : String(e));
    }
    result.dns = parseResolvConf(text);
  }
  openStore(store);

  // Each requested address goes to the first range set containing it (Go walks a map here, so
  // with two requests in one set its pick is random; the model takes them in order).
  const requested = new Map<string, GoIP>();
  for (const ip of c.requestedIps) requested.set(formatGoIP(ip), ip);
  let allocated = 0;
  const rollback = () => {
    for (let i = 0; i < allocated; i++) releaseById(store, args.containerId, args.ifName);
  };
  c.ranges.forEach((set, idx) => {
    let want: GoIP | null = null;
    for (const [k, ip] of requested)
      if (rangeSetContains(set, ip)) {
        want = ip;
        requested.delete(k);
        break;
      }
    try {
      result.ips.push(allocate(store, set, idx, args.containerId, args.ifName, want));
    } catch (e) {
      rollback();
      throw internal(`failed to allocate for range ${idx}: ${e instanceof Error ? e.message : String(e)}`);
    }
    allocated++;
  });
  if (requested.size > 0) {
    rollback();
    throw internal(`failed to allocate all requested IPs: ${[...requested.keys()].join(" ")}`);
  }
  if (c.routes.length > 0)
    result.routes = c.routes.map((r) => {
      const dst = r.dst ? formatGoCIDR(r.dst) : "<nil>";
      return r.gw ? { dst, gw: formatGoIP(r.gw) } : { dst };
    });
  return result;
}

/** CNI DEL: release whatever this container and interface hold; nothing held is not an error. */
export function hostLocalDel(conf: unknown, args: HostLocalArgs, store: IpamStore): void {
  const c = load(conf, args);
  openStore(store);
  // The reference releases once per range set; each pass covers the whole directory.
  for (let i = 0; i < c.ranges.length; i++) releaseById(store, args.containerId, args.ifName);
}

/** CNI CHECK: some address on file for this container and interface (needs cniVersion 0.4.0 or later). */
export function hostLocalCheck(conf: unknown, args: HostLocalArgs, store: IpamStore): void {
  checkCheckVersion(conf, args);
  loadConfig(conf, args);
  openStore(store);
  const key = fileKey(args.containerId, args.ifName);
  const files = walk(store).map(([, d]) => d.trim());
  if (!files.includes(key) && !files.includes(args.containerId.trim()))
    throw internal(`host-local: Failed to find address added by container ${args.containerId}`);
}
