/**
 * @module shell/commands/iptables/parse
 * iptables' command line (xshared.c do_parse and the libxt_* extensions):
 * one command, the rule's IP header options, `-m` matches (and the
 * protocol match loaded implicitly by `-p tcp --dport …`), one target with
 * its options. Problems are reported as iptables reports them.
 */
import type { NatRange } from "../../../kernel/conntrack/nat.js";
import { ADDRTYPE_NAMES, PROTOCOLS } from "../../../kernel/netfilter/format.js";
import {
  type AddrMatch,
  CT_STATE_DNAT,
  CT_STATE_ESTABLISHED,
  CT_STATE_INVALID,
  CT_STATE_NEW,
  CT_STATE_RELATED,
  CT_STATE_SNAT,
  CT_STATE_UNTRACKED,
  type IfaceMatch,
  type InvPorts,
  type Match,
  type RejectWith,
  type Rule,
  type Target,
  UNCOUNTED,
} from "../../../kernel/netfilter/rule.js";
import { parseIPv4 } from "../../../net/ip.js";
import { SERVICES } from "../services.js";

export const VERSION = "iptables v1.8.9 (nf_tables)";

/** A user error: the message after "iptables v1.8.9 (nf_tables): " (or whole, when `bare`). */
export class IptError extends Error {
  readonly code: number;
  readonly help: boolean;
  readonly bare: boolean;
  readonly blank: boolean;
  /** A line the extension prints to stderr before the error itself. */
  preface = "";
  /** Printed without the program and version in front ("Bad argument `x'"), though with the help line. */
  unprefixed = false;
  constructor(message: string, code: number, help: boolean, bare = false, blank = false) {
    super(message);
    this.code = code;
    this.help = help;
    this.bare = bare;
    this.blank = blank;
  }
}

export function paramProblem(msg: string, blank = false): IptError {
  return new IptError(msg, 2, true, false, blank);
}

/** do_parse's "Bad argument": a word no option takes, printed without the version. */
function badArgument(word: string): IptError {
  const e = paramProblem(`Bad argument \`${word}'`);
  e.unprefixed = true;
  return e;
}

export type CommandKind = "A" | "C" | "D" | "I" | "R" | "L" | "S" | "F" | "Z" | "N" | "X" | "P" | "E";

export interface ParsedCommand {
  cmd: CommandKind;
  table: string;
  chain: string | null;
  /** -I/-R/-D/-S/-Z rule number; -P policy; -E new name. */
  num: number | null;
  arg: string | null;
  rule: Rule | null;
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
  /** `-c PKTS BYTES` (iptables-restore -c lines). */
  counters: { pkts: number; bytes: number } | null;
}

const LONG_CMDS = new Map<string, CommandKind>(
  Object.entries({
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
    "--rename-chain": "E",
  } satisfies Record<string, CommandKind>),
);

function parseAddr(s: string, inv = false): AddrMatch {
  const slash = s.indexOf("/");
  const a = slash < 0 ? s : s.slice(0, slash);
  const rest = slash < 0 ? undefined : s.slice(slash + 1);
  // As split("/", 2): a second slash ends the mask.
  const m = rest === undefined || !rest.includes("/") ? rest : rest.slice(0, rest.indexOf("/"));
  const addr = parseIPv4(a);
  if (addr === null) throw paramProblem(`host/network \`${a}' not found`);
  let mask = 0xffffffff;
  if (m !== undefined) {
    if (/^\d+$/.test(m)) {
      const n = Number(m);
      if (n > 32) throw paramProblem(`invalid mask \`${m}' specified`);
      mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
    } else {
      const mm = parseIPv4(m);
      if (mm === null) throw paramProblem(`invalid mask \`${m}' specified`);
      mask = mm >>> 0;
    }
  }
  return { addr: (addr & mask) >>> 0, mask, inv };
}

function parsePort(s: string, proto: string): number {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n <= 65535) return n;
  } else {
    const table = SERVICES[proto] ?? SERVICES.tcp!;
    for (const [p, name] of Object.entries(table)) if (name === s) return Number(p);
  }
  throw paramProblem(`invalid port/service \`${s}' specified`);
}

/**
 * A port or "lo:hi" range. A backwards range is an error where the extension checks it (`backwards`:
 * libxt_tcp's message, multiport's); udp and sctp keep it as given, a range no port is in.
 */
function parsePorts(s: string, proto: string, inv: boolean, backwards: string | null = null): InvPorts {
  const [a, b] = s.split(":", 2) as [string, string | undefined];
  const lo = a === "" ? 0 : parsePort(a, proto);
  const hi = b === undefined ? lo : b === "" ? 65535 : parsePort(b, proto);
  if (lo > hi && backwards !== null) throw paramProblem(backwards);
  return { lo, hi, inv };
}

/** multiport's limit (XT_MULTI_PORTS): a range takes two of the fifteen places. */
const MULTI_PORTS = 15;

function parseNum(s: string, what: string): number {
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(s)) throw paramProblem(`Bad ${what} \`${s}'`);
  return Number(s) >>> 0;
}

function parseMarkMask(s: string): { value: number; mask: number } {
  const [v, m] = s.split("/", 2) as [string, string | undefined];
  return { value: parseNum(v, "mark value"), mask: m === undefined ? 0xffffffff : parseNum(m, "mark mask") };
}

const STATE_BITS: Record<string, number> = {
  INVALID: CT_STATE_INVALID,
  ESTABLISHED: CT_STATE_ESTABLISHED,
  RELATED: CT_STATE_RELATED,
  NEW: CT_STATE_NEW,
  UNTRACKED: CT_STATE_UNTRACKED,
  SNAT: CT_STATE_SNAT,
  DNAT: CT_STATE_DNAT,
};

function parseStates(s: string, withNat: boolean): number {
  let bits = 0;
  for (const w of s.split(",")) {
    const b = STATE_BITS[w.toUpperCase()];
    if (b === undefined || (!withNat && (b === CT_STATE_SNAT || b === CT_STATE_DNAT)))
      throw paramProblem(`Bad ${withNat ? "ctstate" : "state"} "${w}"`);
    bits |= b;
  }
  return bits;
}

const ICMP_TYPES: Record<string, [number, number, number]> = {
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
  "address-mask-reply": [18, 0, 255],
};

export function icmpTypeName(type: number, lo: number, hi: number): string | null {
  for (const [n, [t, a, b]] of Object.entries(ICMP_TYPES))
    if (t === type && a === lo && b === hi && n !== "pong" && n !== "ping" && n !== "ttl-exceeded") return n;
  return null;
}

function parseIcmpType(s: string): [number, number, number] {
  const named = ICMP_TYPES[s];
  if (named) return named;
  // parse_icmp: a type number up to 255, then a code up to 255 after "/", else which of them is unknown.
  const slash = s.indexOf("/");
  const type = slash < 0 ? s : s.slice(0, slash);
  if (!/^\d+$/.test(type) || Number(type) > 255) throw paramProblem(`Unknown ICMP type \`${s}'`);
  const t = Number(type);
  if (slash < 0) return [t, 0, 255];
  const code = s.slice(slash + 1);
  if (!/^\d+$/.test(code) || Number(code) > 255) throw paramProblem(`Unknown ICMP code \`${s}'`);
  return [t, Number(code), Number(code)];
}

const TCP_FLAGS: Record<string, number> = {
  FIN: 1,
  SYN: 2,
  RST: 4,
  PSH: 8,
  ACK: 16,
  URG: 32,
  ALL: 63,
  NONE: 0,
};

function parseTcpFlags(s: string): number {
  let f = 0;
  for (const w of s.split(",")) {
    const b = TCP_FLAGS[w.toUpperCase()];
    if (b === undefined) throw paramProblem(`Unknown TCP flag \`${w}'`);
    f |= b;
  }
  return f;
}

const REJECT_ALIASES: Record<string, RejectWith> = {
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
  "tcp-rst": "tcp-reset",
};

function rejectWith(s: string): RejectWith {
  // Like iptables, an unambiguous prefix of a name is accepted (icmp-port-unreach).
  const exact = REJECT_ALIASES[s];
  if (exact) return exact;
  const hits = Object.keys(REJECT_ALIASES).filter((k) => k.startsWith(s));
  if (hits.length > 0) return REJECT_ALIASES[hits[0]!]!;
  const e = paramProblem(`unknown reject type "${s}"`);
  if ("echo-reply".startsWith(s.toLowerCase())) e.preface = "--reject-with echo-reply no longer supported\n";
  throw e;
}

const LOG_LEVELS: Record<string, number> = {
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
  debug: 7,
};

function emptyRange(): NatRange {
  return {
    minAddr: 0,
    maxAddr: 0,
    mapIps: false,
    minPort: null,
    maxPort: null,
    random: false,
    randomFully: false,
    persistent: false,
  };
}

/** split("-", 2): the part before the first dash and the one after it, up to a second. */
function firstTwo(s: string): [string, string | undefined] {
  const d = s.indexOf("-");
  if (d < 0) return [s, undefined];
  const e = s.indexOf("-", d + 1);
  return [s.slice(0, d), s.slice(d + 1, e < 0 ? s.length : e)];
}

/** /^\d+$/ without a regular expression. */
function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A NAT target's range; `flags` carries the --random… options given before it. */
/** A NAT target's range; `proto` is the rule's protocol so far (0: none), which ports need. */
function natRange(s: string, withAddr: boolean, flags?: NatRange, proto = -1): NatRange {
  const r: NatRange = {
    minAddr: 0,
    maxAddr: 0,
    mapIps: false,
    minPort: null,
    maxPort: null,
    random: flags?.random ?? false,
    randomFully: flags?.randomFully ?? false,
    persistent: flags?.persistent ?? false,
  };
  let addrPart = s;
  let portPart: string | null = null;
  if (withAddr) {
    const i = s.indexOf(":");
    if (i >= 0) {
      addrPart = s.slice(0, i);
      portPart = s.slice(i + 1);
    }
  } else {
    addrPart = "";
    portPart = s;
  }
  if (addrPart) {
    const [a, b] = firstTwo(addrPart);
    const lo = parseIPv4(a);
    const hi = b === undefined ? lo : parseIPv4(b);
    if (lo === null || hi === null) throw paramProblem(`Bad IP address "${addrPart}"`);
    r.minAddr = lo;
    r.maxAddr = hi;
    r.mapIps = true;
  }
  if (portPart !== null) {
    if (proto === 0) throw paramProblem("Need TCP, UDP, SCTP or DCCP with port specification");
    // parse_ports: each end a port number (xtables_parse_port), the range not backwards.
    const [a, b] = firstTwo(portPart);
    for (const p of b === undefined ? [a] : [a, b])
      if (!isDigits(p) || Number(p) > 65535) throw paramProblem(`Port \`${p}' not valid`);
    r.minPort = Number(a);
    r.maxPort = b === undefined ? r.minPort : Number(b);
    if (r.maxPort < r.minPort) throw paramProblem(`Port range \`${b}' funky`);
  }
  return r;
}

/** The next argument if it is not an option (a chain name or rule number may follow a command). */
function positional(ctx: Ctx): string | null {
  const a = ctx.argv[ctx.i + 1];
  if (a !== undefined && !a.startsWith("-")) {
    ctx.i++;
    return a;
  }
  return null;
}

interface Ctx {
  proto: string;
  argv: string[];
  i: number;
}

/**
 * An option of match `m` (its libxt parse function): true when the match took it. A plain function
 * of the match, not a closure made per match: a large restore parses a million options.
 */
function matchOption(m: Match, ctx: Ctx, opt: string, inv: boolean, next: () => string): boolean {
  switch (m.kind) {
    case "tcp":
    case "udp":
    case "sctp": {
      const backwards = m.kind === "tcp" ? "invalid portrange (min > max)" : null;
      if (opt === "--sport" || opt === "--source-port")
        m.sport = parsePorts(next(), ctx.proto, inv, backwards);
      else if (opt === "--dport" || opt === "--destination-port")
        m.dport = parsePorts(next(), ctx.proto, inv, backwards);
      else if (m.kind === "tcp" && opt === "--syn") m.flags = { mask: 0x17, cmp: 0x02, inv };
      else if (m.kind === "tcp" && opt === "--tcp-flags")
        m.flags = { mask: parseTcpFlags(next()), cmp: parseTcpFlags(next()), inv };
      else return false;
      return true;
    }
    case "icmp": {
      if (opt !== "--icmp-type") return false;
      const [t, lo, hi] = parseIcmpType(next());
      m.type = t;
      m.codeLo = lo;
      m.codeHi = hi;
      m.inv = inv;
      return true;
    }
    case "state": {
      if (opt !== "--state") return false;
      m.states = parseStates(next(), false);
      m.inv = inv;
      return true;
    }
    case "conntrack": {
      switch (opt) {
        case "--ctstate":
          m.ctstate = { states: parseStates(next(), true), inv };
          return true;
        case "--ctproto": {
          const p = next();
          m.ctproto = { proto: p === "tcp" ? 6 : p === "udp" ? 17 : p === "icmp" ? 1 : Number(p), inv };
          return true;
        }
        // Each option sets the field of its own name.
        case "--ctorigsrc":
        case "--ctorigdst":
        case "--ctreplsrc":
        case "--ctrepldst":
          m[opt.slice(2) as "ctorigsrc" | "ctorigdst" | "ctreplsrc" | "ctrepldst"] = parseAddr(next(), inv);
          return true;
        case "--ctorigsrcport":
        case "--ctorigdstport":
        case "--ctreplsrcport":
        case "--ctrepldstport":
          m[opt.slice(2) as "ctorigsrcport" | "ctorigdstport" | "ctreplsrcport" | "ctrepldstport"] =
            parsePorts(next(), "tcp", inv);
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
    }
    case "comment": {
      if (opt !== "--comment") return false;
      m.text = next();
      return true;
    }
    case "mark":
    case "connmark": {
      if (opt !== "--mark") return false;
      const v = parseMarkMask(next());
      m.value = v.value;
      m.mask = v.mask;
      m.inv = inv;
      return true;
    }
    case "multiport": {
      const dir =
        opt === "--sports" || opt === "--source-ports"
          ? "sports"
          : opt === "--dports" || opt === "--destination-ports"
            ? "dports"
            : opt === "--ports"
              ? "ports"
              : null;
      if (!dir) return false;
      m.dir = dir;
      m.inv = inv;
      m.ports = next()
        .split(",")
        .map((p) => parsePorts(p, ctx.proto, false, "invalid portrange specified"))
        .map(({ lo, hi }) => ({ lo, hi }));
      if (m.ports.reduce((n, r) => n + (r.lo === r.hi ? 1 : 2), 0) > MULTI_PORTS)
        throw paramProblem("too many ports specified");
      return true;
    }
    case "addrtype": {
      const types = (): number => {
        let b = 0;
        for (const w of next().split(",")) {
          const i = ADDRTYPE_NAMES.indexOf(w.toUpperCase());
          if (i < 0) throw paramProblem(`addrtype: bad type "${w}"`);
          b |= 1 << i;
        }
        return b;
      };
      if (opt === "--src-type") m.src = { types: types(), inv };
      else if (opt === "--dst-type") m.dst = { types: types(), inv };
      else if (opt === "--limit-iface-in") m.limitIn = true;
      else if (opt === "--limit-iface-out") m.limitOut = true;
      else return false;
      return true;
    }
    case "statistic": {
      const mm = m as unknown as Record<string, unknown>;
      if (opt === "--mode") mm.mode = next();
      else if (opt === "--probability") {
        mm.probability = Number(next());
        mm.inv = inv;
      } else if (opt === "--every") {
        mm.every = Number(next());
        mm.inv = inv;
      } else if (opt === "--packet") {
        mm.packet = Number(next());
      } else return false;
      return true;
    }
    case "recent": {
      switch (opt) {
        case "--set":
        case "--rcheck":
        case "--update":
        case "--remove":
          m.cmd = opt.slice(2) as typeof m.cmd;
          m.inv = inv;
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
    }
    case "physdev": {
      if (opt === "--physdev-in") m.in = { name: next(), inv };
      else if (opt === "--physdev-out") m.out = { name: next(), inv };
      else if (opt === "--physdev-is-in") m.isIn = !inv;
      else if (opt === "--physdev-is-out") m.isOut = !inv;
      else if (opt === "--physdev-is-bridged") m.isBridged = !inv;
      else return false;
      return true;
    }
    case "set": {
      if (opt !== "--match-set" && opt !== "--set") return false;
      m.name = next();
      m.flags = next().split(",") as ("src" | "dst")[];
      m.inv = inv;
      return true;
    }
    case "limit": {
      if (opt !== "--limit" && opt !== "--limit-burst") return false;
      if (inv) throw paramProblem(`limit: option "${opt}" cannot be inverted.`, true);
      const v = next();
      if (opt === "--limit") m.avg = parseRate(v);
      else {
        if (!/^\d+$/.test(v) || Number(v) > 10000)
          throw paramProblem(`limit: Bad value for option "--limit-burst", or out of range (0-10000).`, true);
        m.burst = Number(v);
      }
      return true;
    }
    case "mac": {
      if (opt !== "--mac-source") return false;
      const v = next();
      if (!/^([0-9a-fA-F]{1,2}:){5}[0-9a-fA-F]{1,2}$/.test(v)) throw paramProblem(`Bad mac address "${v}"`);
      m.mac = v
        .split(":")
        .map((b) => b.toLowerCase().padStart(2, "0"))
        .join(":");
      m.inv = inv;
      return true;
    }
    case "ipvs": {
      switch (opt) {
        case "--ipvs":
          m.ipvs = { inv };
          return true;
        case "--vproto":
          m.vproto = { proto: protoNum(next()), inv };
          return true;
        case "--vaddr":
          m.vaddr = parseAddr(next(), inv);
          return true;
        case "--vport": {
          const v = next();
          if (!/^\d+$/.test(v) || Number(v) > 65535) throw paramProblem(`ipvs: Bad port "${v}"`);
          m.vport = { port: Number(v), inv };
          return true;
        }
        case "--vdir": {
          const v = next();
          if (v !== "ORIGINAL" && v !== "REPLY") throw paramProblem(`ipvs: Bad direction "${v}"`);
          m.vdir = { dir: v, inv };
          return true;
        }
        default:
          return false;
      }
    }
    case "iprange": {
      if (opt !== "--src-range" && opt !== "--dst-range") return false;
      const v = next();
      const [a, b] = v.split("-", 2) as [string, string | undefined];
      const lo = parseIPv4(a);
      const hi = b === undefined ? lo : parseIPv4(b);
      if (lo === null || hi === null)
        throw paramProblem(`iprange: Bad IP address "${b === undefined || lo === null ? a : b}"`);
      const r = { lo, hi, inv };
      if (opt === "--src-range") m.src = r;
      else m.dst = r;
      return true;
    }
    case "length": {
      if (opt !== "--length") return false;
      const v = next();
      const mm = /^(\d*)(?::(\d*))?$/.exec(v);
      if (!mm || (mm[1] === "" && mm[2] === undefined)) throw paramProblem(`length invalid: "${v}"`);
      m.lo = mm[1] === "" ? 0 : Number(mm[1]);
      m.hi = mm[2] === undefined ? m.lo : mm[2] === "" ? 0xffff : Number(mm[2]);
      m.inv = inv;
      return true;
    }
    case "ttl": {
      const mode = opt === "--ttl-eq" ? "eq" : opt === "--ttl-lt" ? "lt" : opt === "--ttl-gt" ? "gt" : null;
      if (!mode) return false;
      if (inv && mode !== "eq") throw paramProblem(`ttl: unexpected \`!'`);
      const v = next();
      if (!/^\d+$/.test(v) || Number(v) > 255)
        throw paramProblem(`ttl: Bad value for option "${opt}", or out of range (0-255).`, true);
      m.mode = inv ? "ne" : mode;
      m.value = Number(v);
      return true;
    }
    case "pkttype": {
      if (opt !== "--pkt-type") return false;
      const v = next().toLowerCase();
      const t = v === "host" ? "unicast" : v;
      if (t !== "unicast" && t !== "broadcast" && t !== "multicast")
        throw paramProblem(`Bad packet type '${v}'`);
      m.type = t;
      m.inv = inv;
      return true;
    }
  }
}

/** libxt_limit's parse_rate: the period per packet in 1/10000 s. */
function parseRate(v: string): number {
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
  const period = Math.floor((10000 * mult) / r);
  if (period === 0) throw paramProblem(`Rate too fast "${v}"`);
  return period;
}

function newMatch(name: string): Match {
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
      return { kind: "mark", value: 0, mask: 0xffffffff, inv: false };
    case "connmark":
      return { kind: "connmark", value: 0, mask: 0xffffffff, inv: false };
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
        mask: 0xffffffff,
        side: "source",
      };
    case "physdev":
      return { kind: "physdev" };
    case "set":
      return { kind: "set", name: "", flags: [], inv: false };
    case "limit":
      return { kind: "limit", avg: (10000 * 3600) / 3, burst: 5, state: { credit: 0, prev: null } };
    case "mac":
      return { kind: "mac", mac: "", inv: false };
    case "iprange":
      return { kind: "iprange" };
    case "ipvs":
      return { kind: "ipvs" };
    case "length":
      return { kind: "length", lo: 0, hi: 0xffff, inv: false };
    case "ttl":
      return { kind: "ttl", mode: "eq", value: 0 };
    case "pkttype":
      return { kind: "pkttype", type: "unicast", inv: false };
    default:
      throw new IptError(`Couldn't load match \`${name}':No such file or directory`, 2, true);
  }
}

/** Fixes up a statistic match into its final shape once all its options are read. */
function finishMatch(m: Match): Match {
  if (m.kind === "statistic") {
    const mm = m as unknown as Record<string, unknown>;
    if (mm.mode === "nth")
      return {
        kind: "statistic",
        mode: "nth",
        every: (mm.every as number) ?? 1,
        packet: (mm.packet as number) ?? 0,
        inv: (mm.inv as boolean) ?? false,
        // libxt_statistic starts the shared counter at every-1-packet, so packet P of each N matches.
        counter: { n: ((mm.every as number) ?? 1) - 1 - ((mm.packet as number) ?? 0) },
      };
    return {
      kind: "statistic",
      mode: "random",
      probability: (mm.probability as number) ?? 1,
      inv: (mm.inv as boolean) ?? false,
    };
  }
  return m;
}

const BUILTIN_TARGETS = new Set(["ACCEPT", "DROP", "RETURN"]);

function newTarget(name: string): Target {
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

/** An option of target `t` (its libxt parse function): true when the target took it. */
const MARK_OPTS = new Set(["--set-xmark", "--set-mark", "--or-mark", "--and-mark", "--xor-mark"]);

function targetOption(t: Target, opt: string, next: () => string, proto: number): boolean {
  switch (t.kind) {
    case "REJECT": {
      if (opt !== "--reject-with") return false;
      t.with = rejectWith(next());
      return true;
    }
    case "LOG": {
      if (opt === "--log-prefix") t.prefix = next();
      else if (opt === "--log-level") {
        const v = next();
        const n = /^\d+$/.test(v) ? Number(v) : LOG_LEVELS[v.toLowerCase()];
        if (n === undefined || n > 7) throw paramProblem(`log-level \`${v}' unknown`);
        t.level = n;
      } else if (["--log-tcp-sequence", "--log-tcp-options", "--log-ip-options", "--log-uid"].includes(opt)) {
        t.flags |= {
          "--log-tcp-sequence": 1,
          "--log-tcp-options": 2,
          "--log-ip-options": 4,
          "--log-uid": 8,
        }[opt as "--log-uid"];
      } else if (opt === "--log-macdecode") t.flags |= 32;
      else return false;
      return true;
    }
    case "MARK": {
      // The option is known before its value is read: another one's word is not this one's value.
      if (!MARK_OPTS.has(opt)) return false;
      const v = parseMarkMask(next());
      if (opt === "--set-xmark") {
        t.value = v.value;
        t.mask = v.mask;
      } else if (opt === "--set-mark") {
        t.value = v.value;
        t.mask = v.mask === 0xffffffff ? 0xffffffff : v.mask;
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
    }
    case "CONNMARK": {
      const c = t as Record<string, unknown>;
      if (opt === "--set-xmark" || opt === "--set-mark") {
        const v = parseMarkMask(next());
        Object.assign(c, { mode: "set", value: v.value, mask: v.mask });
      } else if (opt === "--save-mark" || opt === "--restore-mark") {
        Object.assign(c, {
          mode: opt === "--save-mark" ? "save" : "restore",
          nfmask: 0xffffffff,
          ctmask: 0xffffffff,
        });
      } else if (opt === "--mask") {
        const v = parseNum(next(), "mask");
        Object.assign(c, { nfmask: v, ctmask: v });
      } else if (opt === "--nfmask") c.nfmask = parseNum(next(), "mask");
      else if (opt === "--ctmask") c.ctmask = parseNum(next(), "mask");
      else return false;
      return true;
    }
    case "DNAT":
    case "SNAT": {
      if (opt === (t.kind === "DNAT" ? "--to-destination" : "--to-source")) {
        const v = next();
        t.range = natRange(v, true, t.range, proto);
        t.text = v;
      } else if (opt === "--random") t.range.random = true;
      else if (opt === "--random-fully") t.range.randomFully = true;
      else if (opt === "--persistent") t.range.persistent = true;
      else return false;
      return true;
    }
    case "MASQUERADE":
    case "REDIRECT": {
      if (opt === "--to-ports") {
        const r = natRange(next(), false, undefined, proto);
        t.range.minPort = r.minPort;
        t.range.maxPort = r.maxPort;
      } else if (opt === "--random") t.range.random = true;
      else if (opt === "--random-fully" && t.kind === "MASQUERADE") t.range.randomFully = true;
      else return false;
      return true;
    }
    case "CT":
      if (opt !== "--notrack") return false;
      t.notrack = true;
      return true;
    default:
      return false;
  }
}

const PROTO_NUMS: Record<string, number> = { all: 0, ip: 0, icmpv6: 58, mh: 135, "ipv6-mh": 135 };
for (const [n, name] of Object.entries(PROTOCOLS)) PROTO_NUMS[name] = Number(n);

function protoNum(s: string): number {
  const n = PROTO_NUMS[s.toLowerCase()];
  if (n !== undefined) return n;
  if (/^\d+$/.test(s) && Number(s) <= 255) return Number(s);
  throw paramProblem(`unknown protocol "${s}" specified`);
}

function ifaceArg(s: string, inv: boolean): IfaceMatch {
  if (s.length > 15) throw paramProblem(`interface name \`${s}' must be shorter than IFNAMSIZ (15)`);
  return { name: s, inv };
}

/** Parses one iptables invocation (without the program name). */
const SHORT_CMDS = "ACDIRLSFZNXPE";

/**
 * Long options getopt_long knows, by who brings them (iptables' own, then each match's and target's
 * extra_opts once loaded), each with the option it stands for: getopt_long takes any abbreviation
 * that names one option (`--to` for DNAT's --to-destination, `--app` for --append) and refuses one
 * that names several, which iptables reports as an unknown option.
 */
const MAIN_LONG_OPTS = [
  ...LONG_CMDS.keys(),
  "--source",
  "--src=--source",
  "--destination",
  "--dst=--destination",
  "--protocol",
  "--in-interface",
  "--out-interface",
  "--jump",
  "--goto",
  "--table",
  "--match",
  "--numeric",
  "--verbose",
  "--wait",
  "--wait-interval",
  "--exact",
  "--fragment",
  "--line-numbers",
  "--set-counters",
];
const PORT_OPTS = ["--sport", "--source-port=--sport", "--dport", "--destination-port=--dport"];
const EXT_LONG_OPTS: Record<string, string[]> = {
  tcp: [...PORT_OPTS, "--syn", "--tcp-flags"],
  udp: PORT_OPTS,
  sctp: PORT_OPTS,
  icmp: ["--icmp-type"],
  state: ["--state"],
  conntrack: [
    "--ctstate",
    "--ctproto",
    "--ctorigsrc",
    "--ctorigdst",
    "--ctreplsrc",
    "--ctrepldst",
    "--ctorigsrcport",
    "--ctorigdstport",
    "--ctreplsrcport",
    "--ctrepldstport",
    "--ctdir",
    "--ctstatus",
    "--ctexpire",
  ],
  comment: ["--comment"],
  mark: ["--mark"],
  connmark: ["--mark"],
  multiport: ["--sports", "--source-ports=--sports", "--dports", "--destination-ports=--dports", "--ports"],
  addrtype: ["--src-type", "--dst-type", "--limit-iface-in", "--limit-iface-out"],
  statistic: ["--mode", "--probability", "--every", "--packet"],
  recent: [
    "--set",
    "--rcheck",
    "--update",
    "--remove",
    "--seconds",
    "--reap",
    "--hitcount",
    "--rttl",
    "--name",
    "--mask",
    "--rsource",
    "--rdest",
  ],
  physdev: ["--physdev-in", "--physdev-out", "--physdev-is-in", "--physdev-is-out", "--physdev-is-bridged"],
  set: ["--match-set", "--set=--match-set"],
  limit: ["--limit", "--limit-burst"],
  mac: ["--mac-source"],
  ipvs: ["--ipvs", "--vproto", "--vaddr", "--vport", "--vdir"],
  iprange: ["--src-range", "--dst-range"],
  length: ["--length"],
  ttl: ["--ttl-eq", "--ttl-lt", "--ttl-gt"],
  pkttype: ["--pkt-type"],
  REJECT: ["--reject-with"],
  LOG: [
    "--log-level",
    "--log-prefix",
    "--log-tcp-sequence",
    "--log-tcp-options",
    "--log-ip-options",
    "--log-uid",
    "--log-macdecode",
  ],
  MARK: ["--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark"],
  CONNMARK: [
    "--set-xmark",
    "--set-mark",
    "--save-mark",
    "--restore-mark",
    "--and-mark",
    "--or-mark",
    "--xor-mark",
    "--mask",
    "--nfmask",
    "--ctmask",
  ],
  DNAT: ["--to-destination", "--random", "--persistent"],
  SNAT: ["--to-source", "--random", "--random-fully", "--persistent"],
  MASQUERADE: ["--to-ports", "--random", "--random-fully"],
  REDIRECT: ["--to-ports", "--random"],
  CT: ["--notrack"],
};

/** The option an abbreviation names among these (each "name" or "alias=name"), or null (none, or several). */
function expandLongOpt(abbrev: string, known: readonly string[]): string | null {
  let found: string | null = null;
  for (const k of known) {
    const eq = k.indexOf("=");
    const name = eq < 0 ? k : k.slice(0, eq);
    if (!name.startsWith(abbrev)) continue;
    const stands = eq < 0 ? k : k.slice(eq + 1);
    if (found !== null && found !== stands) return null;
    found = stands;
  }
  return found;
}

export function parseIptables(argv: string[]): ParsedCommand {
  const out: ParsedCommand = {
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
    counters: null,
  };
  let cmd: CommandKind | null = null;
  const rule: Rule = {
    src: null,
    dst: null,
    inIface: null,
    outIface: null,
    proto: null,
    matches: [],
    target: { kind: "none" },
    counters: UNCOUNTED,
  };
  // The matches given so far (xtables' match list), each taking its options until another of its kind follows.
  const handlers: { m: Match; completed: boolean }[] = [];
  let targetSet = false;
  // set_option: these options may be given once (their letters; "0" is --line-numbers).
  let given = "";
  const once = (letter: string): void => {
    if (given.includes(letter)) throw paramProblem(`multiple -${letter} flags not allowed`);
    given += letter;
  };
  const ctx: Ctx = { proto: "", argv, i: 0 };
  let inv = false;
  // The option being read, for next()'s error: one function for every option, not one each.
  let opt = "";
  const next = (): string => {
    const v = argv[++ctx.i];
    if (v === undefined) throw paramProblem(`option "${opt}" requires an argument`);
    return v;
  };
  for (ctx.i = 0; ctx.i < argv.length; ctx.i++) {
    let a = argv[ctx.i]!;
    if (a === "!") {
      if (inv) throw paramProblem("multiple consecutive ! not allowed");
      inv = true;
      continue;
    }
    // Short options may carry their value (-tnat) or be bundled (-nvL).
    if (a.length > 2 && a.charCodeAt(0) === 45 && a.charCodeAt(1) !== 45 && /^-[A-Za-z]{2,}$/.test(a)) {
      const letters = a.slice(1);
      if ("tjgmpsdio".includes(letters[0]!)) {
        argv = [...argv.slice(0, ctx.i), `-${letters[0]}`, letters.slice(1), ...argv.slice(ctx.i + 1)];
      } else {
        argv = [...argv.slice(0, ctx.i), ...letters.split("").map((l) => `-${l}`), ...argv.slice(ctx.i + 1)];
      }
      ctx.argv = argv;
      a = argv[ctx.i]!;
    }
    opt = a;
    const c =
      a.length === 2 && a.charCodeAt(0) === 45 && SHORT_CMDS.includes(a[1]!)
        ? (a[1] as CommandKind)
        : a.charCodeAt(1) === 45
          ? (LONG_CMDS.get(a) ?? null)
          : null;
    if (c) {
      if (cmd !== null) throw paramProblem(`Cannot use -${c} with -${cmd}`);
      cmd = c;
      switch (c) {
        case "A":
        case "C":
        case "N":
          out.chain = next();
          break;
        case "D":
        case "I": {
          out.chain = next();
          // A rule number, unless the rule specification starts here ("!" inverts its first option).
          const n = argv[ctx.i + 1] === "!" ? null : positional(ctx);
          if (n !== null) {
            if (!/^\d+$/.test(n) || Number(n) < 1) throw paramProblem(`Invalid rule number \`${n}'`);
            out.num = Number(n);
          }
          break;
        }
        case "R": {
          out.chain = next();
          const n = next();
          if (!/^\d+$/.test(n) || Number(n) < 1) throw paramProblem(`Invalid rule number \`${n}'`);
          out.num = Number(n);
          break;
        }
        case "L":
        case "S":
        case "F":
        case "Z":
        case "X": {
          out.chain = positional(ctx);
          if (out.chain !== null && (c === "S" || c === "Z" || c === "L")) {
            const n = positional(ctx);
            if (n !== null) out.num = Number(n);
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
    const wasInv: boolean = inv;
    inv = false;
    switch (a) {
      case "-t":
      case "--table":
        out.table = next();
        continue;
      case "-n":
      case "--numeric":
        once("n");
        out.numeric = true;
        continue;
      case "-v":
      case "--verbose":
        out.verbose = true;
        continue;
      case "-x":
      case "--exact":
        once("x");
        out.exact = true;
        continue;
      case "--line-numbers":
        once("0");
        out.lineNumbers = true;
        continue;
      case "-w":
      case "--wait":
        positional(ctx);
        continue;
      case "-W":
      case "--wait-interval":
        next();
        continue;
      case "-c":
      case "--set-counters": {
        once("c");
        const p = next();
        const b = next();
        out.counters = { pkts: Number(p), bytes: Number(b) };
        continue;
      }
      case "-s":
      case "--source":
      case "--src":
        once("s");
        rule.src = parseAddr(next(), wasInv);
        continue;
      case "-d":
      case "--destination":
      case "--dst":
        once("d");
        rule.dst = parseAddr(next(), wasInv);
        continue;
      case "-i":
      case "--in-interface":
        once("i");
        rule.inIface = ifaceArg(next(), wasInv);
        continue;
      case "-o":
      case "--out-interface":
        once("o");
        rule.outIface = ifaceArg(next(), wasInv);
        continue;
      case "-p":
      case "--protocol": {
        once("p");
        const p = next();
        const n = protoNum(p);
        rule.proto = { num: n, inv: wasInv };
        ctx.proto = n === 6 ? "tcp" : n === 17 ? "udp" : n === 1 ? "icmp" : n === 132 ? "sctp" : "";
        continue;
      }
      case "-f":
      case "--fragment":
        once("f");
        rule.frag = !wasInv;
        continue;
      case "-m":
      case "--match": {
        const m = newMatch(next());
        // xtables_find_match: an earlier instance of the same match takes no more options.
        for (const x of handlers) if (x.m.kind === m.kind) x.completed = true;
        rule.matches.push(m);
        handlers.push({ m, completed: false });
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
        targetSet = true;
        continue;
      }
      default:
        break;
    }
    if (a.startsWith("-")) {
      let done = false;
      for (const { m, completed } of handlers) {
        if (!completed && matchOption(m, ctx, a, wasInv, next)) {
          done = true;
          break;
        }
      }
      if (!done && targetSet && targetOption(rule.target, a, next, rule.proto?.num ?? 0)) done = true;
      if (
        !done &&
        (ctx.proto === "tcp" || ctx.proto === "udp" || ctx.proto === "sctp" || ctx.proto === "icmp")
      ) {
        // The protocol's match is loaded implicitly the first time one of its options appears.
        const m = newMatch(ctx.proto);
        if (matchOption(m, ctx, a, wasInv, next)) {
          rule.matches.push(m);
          handlers.push({ m, completed: false });
          done = true;
        }
      }
      if (!done) {
        // Not an option by its full name: getopt_long's abbreviation of one it knows now (the protocol's
        // match counts, as iptables loads it and parses the word again), read again by that name.
        const known = [...MAIN_LONG_OPTS];
        for (const { m } of handlers) known.push(...(EXT_LONG_OPTS[m.kind] ?? []));
        if (targetSet) known.push(...(EXT_LONG_OPTS[rule.target.kind] ?? []));
        let full = a.startsWith("--") && a.length > 2 ? expandLongOpt(a, known) : null;
        // What getopt_long refused (no option, or several) is tried again with the protocol's match loaded.
        if (
          full === null &&
          a.startsWith("--") &&
          ctx.proto !== "" &&
          !handlers.some((h) => h.m.kind === ctx.proto)
        )
          full = expandLongOpt(a, [...known, ...(EXT_LONG_OPTS[ctx.proto] ?? [])]);
        if (full === null || full === a) throw paramProblem(`unknown option "${a}"`);
        argv = argv.slice();
        argv[ctx.i] = full;
        ctx.argv = argv;
        inv = wasInv;
        ctx.i--;
      }
      continue;
    }
    throw badArgument(a);
  }
  if (cmd === null) throw paramProblem("no command specified");
  out.cmd = cmd;
  // x6_fcheck: a NAT target's mandatory option (the message ends with an empty line, as xtables prints it).
  const tg = rule.target;
  if ((tg.kind === "DNAT" || tg.kind === "SNAT") && tg.text === "")
    throw paramProblem(
      `${tg.kind}: option "${tg.kind === "DNAT" ? "--to-destination" : "--to-source"}" must be specified\n`,
    );
  for (let k = 0; k < rule.matches.length; k++) rule.matches[k] = finishMatch(rule.matches[k]!);
  if (["A", "C", "D", "I", "R"].includes(cmd) && !(cmd === "D" && out.num !== null)) out.rule = rule;
  else if (cmd === "I" || cmd === "A") out.rule = rule;
  if (out.rule) {
    const t = out.rule.target;
    if (t.kind === "jump" && BUILTIN_TARGETS.has(t.chain)) out.rule.target = { kind: t.chain as "ACCEPT" };
  }
  return out;
}
