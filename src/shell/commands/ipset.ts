/**
 * @module shell/commands/ipset
 * ipset 7.17: create, add, del, test, list (-n, -t), save, flush, destroy,
 * rename, swap and version over the namespace's sets, with ipset's own
 * messages ("ipset v7.17: …") and exit statuses. `-m set` in iptables tests
 * packets against the same sets.
 */
import { type IpSet, type IpSetEntry, type IpSetType, ipsetKey } from "../../kernel/netfilter/ipset.js";
import { nfState } from "../../kernel/netfilter/tables.js";
import type { NetNs } from "../../kernel/netns.js";
import { formatIPv4, maskOf, parseIPv4 } from "../../net/ip.js";
import type { CmdContext, CmdResult } from "../types.js";

const VERSION = "ipset v7.17";
const REVISION: Record<IpSetType, number> = {
  "hash:ip": 6,
  "hash:ip,port": 7,
  "hash:ip,port,ip": 6,
  "hash:ip,port,net": 8,
  "hash:net": 7,
  "bitmap:port": 3,
};

class IpsetError extends Error {}

function fail(msg: string): never {
  throw new IpsetError(msg);
}

function parseAddr(s: string): number {
  const a = parseIPv4(s);
  if (a === null) fail(`Syntax error: cannot parse ${s}: resolving to IPv4 address failed`);
  return a;
}

/** Entries an element text stands for (a CIDR in hash:ip is every address in it). */
function parseElement(set: IpSet, text: string): IpSetEntry[] {
  switch (set.type) {
    case "hash:ip": {
      const [a, l] = text.split("/");
      const addr = parseAddr(a ?? "");
      const len = l === undefined ? 32 : Number(l);
      if (!Number.isInteger(len) || len < 1 || len > 32)
        fail(`Syntax error: cannot parse ${text}: resolving to IPv4 address failed`);
      const base = (addr & maskOf(len)) >>> 0;
      const out: IpSetEntry[] = [];
      for (let i = 0; i < 2 ** (32 - len) && i < 65536; i++) {
        const x = (base + i) >>> 0;
        out.push({ addr: x, len: 32, proto: "", port: 0, text: formatIPv4(x) });
      }
      return out;
    }
    case "hash:net": {
      const [a, l] = text.split("/");
      const addr = parseAddr(a ?? "");
      const len = l === undefined ? 32 : Number(l);
      if (!Number.isInteger(len) || len < 1 || len > 32)
        fail(`Syntax error: '${l ?? ""}' is out of range 1-32`);
      const net = (addr & maskOf(len)) >>> 0;
      return [
        {
          addr: net,
          len,
          proto: "",
          port: 0,
          text: len === 32 ? formatIPv4(net) : `${formatIPv4(net)}/${len}`,
        },
      ];
    }
    case "hash:ip,port":
    case "hash:ip,port,ip":
    case "hash:ip,port,net": {
      const [a, pp, third] = text.split(",");
      if (pp === undefined) fail(`Syntax error: cannot parse ${text}: resolving to IPv4 address failed`);
      const addr = parseAddr(a ?? "");
      const [p1, p2] = pp.split(":");
      const proto = p2 === undefined ? "tcp" : (p1 ?? "tcp");
      const portText = p2 ?? p1 ?? "";
      if (!["tcp", "udp", "sctp", "udplite"].includes(proto))
        fail(`Syntax error: cannot parse '${proto}' as a protocol`);
      const port = Number(portText);
      if (!/^\d+$/.test(portText) || port > 65535)
        fail(`Syntax error: cannot parse '${portText}' as a ${proto} port`);
      const base = `${formatIPv4(addr)},${proto}:${port}`;
      if (set.type === "hash:ip,port") return [{ addr, len: 32, proto, port, text: base }];
      if (third === undefined) fail(`Syntax error: Third element is missing from ${text}.`);
      const [a2, l2] = third.split("/");
      const addr2 = parseAddr(a2 ?? "");
      const len2 = l2 === undefined || set.type === "hash:ip,port,ip" ? 32 : Number(l2);
      if (!Number.isInteger(len2) || len2 < 1 || len2 > 32)
        fail(`Syntax error: '${l2 ?? ""}' is out of range 1-32`);
      const net = (addr2 & maskOf(len2)) >>> 0;
      const t = len2 === 32 ? formatIPv4(net) : `${formatIPv4(net)}/${len2}`;
      return [{ addr, len: 32, proto, port, addr2: net, len2, text: `${base},${t}` }];
    }
    case "bitmap:port": {
      if (!/^\d+$/.test(text) || Number(text) > 65535) fail(`Syntax error: cannot parse '${text}' as a port`);
      const port = Number(text);
      if (port < set.rangeLo || port > set.rangeHi) fail("Element is out of the range of the set");
      return [{ addr: 0, len: 0, proto: "", port, text: String(port) }];
    }
  }
}

/** `ipset test` with a plain address on a set of networks: any network containing it answers. */
function coveredByNet(set: IpSet, e: IpSetEntry, text: string): boolean {
  if (set.type === "hash:net" && !text.includes("/"))
    return [...set.entries.values()].some((x) => (e.addr & maskOf(x.len)) >>> 0 === x.addr >>> 0);
  if (set.type === "hash:ip,port,net" && !(text.split(",")[2] ?? "").includes("/"))
    return [...set.entries.values()].some(
      (x) =>
        x.addr >>> 0 === e.addr >>> 0 &&
        x.proto === e.proto &&
        x.port === e.port &&
        ((e.addr2 ?? 0) & maskOf(x.len2 ?? 32)) >>> 0 === (x.addr2 ?? 0) >>> 0,
    );
  return false;
}

function key(set: IpSet, e: IpSetEntry): string {
  return ipsetKey(set.type, e);
}

function references(ns: NetNs, name: string): number {
  let n = 0;
  for (const t of nfState(ns).tables.values()) {
    for (const c of t.chains.values())
      for (const r of c.rules) for (const m of r.matches) if (m.kind === "set" && m.name === name) n++;
  }
  return n;
}

/** The kernel's hash seed for the set (shown as initval). */
function initval(set: IpSet): string {
  let h = 0x811c9dc5;
  for (const ch of set.name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `0x${h.toString(16).padStart(8, "0")}`;
}

function header(set: IpSet): string {
  const c = set.comment ? " comment" : "";
  if (set.type === "bitmap:port") return `range ${set.rangeLo}-${set.rangeHi}${c}`;
  return `family inet hashsize ${set.hashsize} maxelem ${set.maxelem}${c} bucketsize 12 initval ${initval(set)}`;
}

/** Memory figures are the kernel's allocation sizes; the model gives plausible ones (docs/fidelity.md). */
function memory(set: IpSet): number {
  return set.type === "bitmap:port" ? 200 : 256 + 48 * set.entries.size;
}

function listOne(ns: NetNs, set: IpSet, terse: boolean): string {
  let s = `Name: ${set.name}\nType: ${set.type}\nRevision: ${REVISION[set.type]}\nHeader: ${header(set)}\nSize in memory: ${memory(set)}\nReferences: ${references(ns, set.name)}\nNumber of entries: ${set.entries.size}\n`;
  if (!terse) s += `Members:\n${[...set.entries.values()].map((e) => `${e.text}\n`).join("")}`;
  return s;
}

function getSet(ns: NetNs, name: string | undefined): IpSet {
  if (name === undefined) fail("Syntax error: Set name is missing");
  const set = nfState(ns).sets.get(name);
  if (!set) fail("The set with the given name does not exist");
  return set;
}

export function ipsetCommand(argv: string[], ctx: CmdContext): CmdResult {
  return runIpset(ctx.ns, argv);
}

/** One ipset command line in a namespace (what the shell and the simulated host's ipset run). */
export function runIpset(ns: NetNs, argv: string[]): CmdResult {
  let exist = false;
  let quiet = false;
  const args: string[] = [];
  for (const a of argv) {
    if (a === "-exist" || a === "-!" || a === "--exist") exist = true;
    else if (a === "-q" || a === "-quiet" || a === "--quiet") quiet = true;
    else args.push(a);
  }
  const err = (msg: string, code = 1): CmdResult => ({
    stdout: "",
    stderr: quiet ? "" : `${VERSION}: ${msg}\n`,
    exitCode: code,
  });
  const sets = nfState(ns).sets;
  try {
    const cmd = args[0];
    switch (cmd) {
      case undefined:
        return err("No command specified: unknown argument -file\nTry `ipset help' for more information.", 1);
      case "version":
      case "-v":
      case "-V":
        return { stdout: `${VERSION}, protocol version: 7\n`, stderr: "", exitCode: 0 };
      case "create":
      case "-N":
      case "n": {
        const name = args[1];
        const type = args[2];
        if (!name || !type) fail("Syntax error: Missing mandatory argument: typename");
        if (!(type in REVISION)) fail(`Syntax error: typename '${type}' is unknown`);
        if (sets.has(name)) {
          if (exist) return { stdout: "", stderr: "", exitCode: 0 };
          fail("Set cannot be created: set with the same name already exists");
        }
        const set: IpSet = {
          name,
          type: type as IpSetType,
          hashsize: 1024,
          maxelem: 65536,
          rangeLo: 0,
          rangeHi: 65535,
          entries: new Map(),
          references: 0,
        };
        for (let i = 3; i < args.length; i++) {
          const o = args[i]!;
          const v = args[++i];
          if (o === "hashsize" || o === "maxelem") {
            if (v === undefined || !/^\d+$/.test(v))
              fail(`Syntax error: cannot parse '${v ?? ""}' as a ${o} value`);
            if (o === "hashsize") set.hashsize = Math.max(64, 2 ** Math.ceil(Math.log2(Number(v))));
            else set.maxelem = Number(v);
          } else if (o === "range" && set.type === "bitmap:port") {
            const m = /^(\d+)-(\d+)$/.exec(v ?? "");
            if (!m) fail(`Syntax error: cannot parse '${v ?? ""}' as a port range`);
            set.rangeLo = Number(m[1]);
            set.rangeHi = Number(m[2]);
          } else if (o === "family") {
            if (v !== "inet") fail("Syntax error: kubetwin models only family inet sets");
          } else if (o === "comment") {
            set.comment = true;
            i--;
          } else if (o === "timeout" || o === "counters") {
            fail(`Syntax error: kubetwin does not model the set option '${o}'`);
          } else fail(`Syntax error: Unknown argument: '${o}'`);
        }
        if (set.type === "bitmap:port" && !args.includes("range"))
          fail("Syntax error: Missing mandatory argument: range");
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
        if (elem === undefined) fail("Syntax error: Missing second mandatory argument to command add");
        if (args.length > 3) {
          if (args[3] === "timeout") fail("Timeout cannot be used: set was created without timeout support");
          fail(`Syntax error: Unknown argument: '${args[3]}'`);
        }
        const entries = parseElement(set, elem);
        if (cmd === "test" || cmd === "-T") {
          const present = entries.every((e) => set.entries.has(key(set, e)) || coveredByNet(set, e, elem));
          return present
            ? { stdout: "", stderr: quiet ? "" : `Warning: ${elem} is in set ${set.name}.\n`, exitCode: 0 }
            : { stdout: "", stderr: quiet ? "" : `${elem} is NOT in set ${set.name}.\n`, exitCode: 1 };
        }
        if (cmd === "add" || cmd === "-A") {
          for (const e of entries) {
            const k = key(set, e);
            if (set.entries.has(k)) {
              if (exist) continue;
              fail("Element cannot be added to the set: it's already added");
            }
            if (set.entries.size >= set.maxelem) fail("Hash is full, cannot add more elements");
            set.entries.set(k, e);
          }
        } else {
          for (const e of entries) {
            if (!set.entries.delete(key(set, e)) && !exist)
              fail("Element cannot be deleted from the set: it's not added");
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
        let target: string | undefined;
        for (let i = 1; i < args.length; i++) {
          const a = args[i]!;
          if (a === "-n" || a === "-name") names = true;
          else if (a === "-t" || a === "-terse") terse = true;
          else if (a === "-o" || a === "-output") save = args[++i] === "save";
          else target = a;
        }
        const list = target !== undefined ? [getSet(ns, target)] : [...sets.values()];
        if (names) return { stdout: list.map((s) => `${s.name}\n`).join(""), stderr: "", exitCode: 0 };
        if (save) {
          const out = list
            .map((s) => {
              const create =
                s.type === "bitmap:port"
                  ? `create ${s.name} ${s.type} ${header(s)}\n`
                  : `create ${s.name} ${s.type} ${header(s)}\n`;
              return create + [...s.entries.values()].map((e) => `add ${s.name} ${e.text}\n`).join("");
            })
            .join("");
          return { stdout: out, stderr: "", exitCode: 0 };
        }
        return { stdout: list.map((s) => listOne(ns, s, terse)).join("\n"), stderr: "", exitCode: 0 };
      }
      case "flush":
      case "-F": {
        const list = args[1] !== undefined ? [getSet(ns, args[1])] : [...sets.values()];
        for (const s of list) s.entries.clear();
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      case "destroy":
      case "-X":
      case "x": {
        const list = args[1] !== undefined ? [getSet(ns, args[1])] : [...sets.values()];
        for (const s of list)
          if (references(ns, s.name) > 0) fail("Set cannot be destroyed: it is in use by a kernel component");
        for (const s of list) sets.delete(s.name);
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      case "rename":
      case "-E":
      case "e": {
        const set = getSet(ns, args[1]);
        const to = args[2];
        if (!to) fail("Syntax error: Missing second mandatory argument to command rename");
        if (sets.has(to)) fail("Set cannot be created: set with the same name already exists");
        if (references(ns, set.name) > 0) fail("Set cannot be renamed: it is in use by another system");
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
        if (a.type !== b.type) fail("The sets cannot be swapped: their type does not match");
        const entries = a.entries;
        a.entries = b.entries;
        b.entries = entries;
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      default:
        fail(`Syntax error: No command specified: unknown argument ${cmd}`);
    }
  } catch (e) {
    if (e instanceof IpsetError) return err(e.message);
    throw e;
  }
}
