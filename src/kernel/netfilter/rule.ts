/**
 * @module kernel/netfilter/rule
 * struct ipt_entry as plain data: the IP header part every rule has
 * (addresses with masks, interfaces, protocol, each invertible), the
 * extension matches in the order they were given, one target, and the
 * packet and byte counters.
 */
import type { IPv4 } from "../../net/ip.js";
import type { NatRange } from "../conntrack/nat.js";

export interface AddrMatch {
  addr: IPv4;
  mask: number;
  inv: boolean;
}

export interface IfaceMatch {
  /** Interface name; a trailing `+` matches every name with that prefix. */
  name: string;
  inv: boolean;
}

export interface PortRange {
  lo: number;
  hi: number;
}

export interface InvPorts extends PortRange {
  inv: boolean;
}

/** conntrack state bits as xt_state/xt_conntrack define them. */
export const CT_STATE_INVALID = 1 << 0;
export const CT_STATE_ESTABLISHED = 1 << 1;
export const CT_STATE_RELATED = 1 << 2;
export const CT_STATE_NEW = 1 << 3;
export const CT_STATE_UNTRACKED = 1 << 8;
export const CT_STATE_SNAT = 1 << 9;
export const CT_STATE_DNAT = 1 << 10;

export type Match =
  | { kind: "tcp"; sport?: InvPorts; dport?: InvPorts; flags?: { mask: number; cmp: number; inv: boolean } }
  | { kind: "udp"; sport?: InvPorts; dport?: InvPorts }
  /** xt_sctp's ports (chunk types are not modelled); the packet model carries no SCTP, so it never matches. */
  | { kind: "sctp"; sport?: InvPorts; dport?: InvPorts }
  | { kind: "icmp"; type: number; codeLo: number; codeHi: number; inv: boolean }
  | { kind: "state"; states: number; inv: boolean }
  | {
      kind: "conntrack";
      ctstate?: { states: number; inv: boolean };
      ctproto?: { proto: number; inv: boolean };
      ctorigsrc?: AddrMatch;
      ctorigdst?: AddrMatch;
      ctreplsrc?: AddrMatch;
      ctrepldst?: AddrMatch;
      ctorigsrcport?: InvPorts;
      ctorigdstport?: InvPorts;
      ctreplsrcport?: InvPorts;
      ctrepldstport?: InvPorts;
      ctstatus?: { status: number; inv: boolean };
      ctdir?: "ORIGINAL" | "REPLY";
    }
  | { kind: "comment"; text: string }
  | { kind: "mark"; value: number; mask: number; inv: boolean }
  | { kind: "connmark"; value: number; mask: number; inv: boolean }
  | { kind: "multiport"; dir: "sports" | "dports" | "ports"; ports: PortRange[]; inv: boolean }
  | {
      kind: "addrtype";
      src?: { types: number; inv: boolean };
      dst?: { types: number; inv: boolean };
      limitIn: boolean;
      limitOut: boolean;
    }
  | { kind: "statistic"; mode: "random"; probability: number; inv: boolean }
  | { kind: "statistic"; mode: "nth"; every: number; packet: number; inv: boolean; counter: { n: number } }
  | {
      kind: "recent";
      cmd: "set" | "rcheck" | "update" | "remove";
      inv: boolean;
      seconds: number;
      reap: boolean;
      hitcount: number;
      rttl: boolean;
      name: string;
      mask: IPv4;
      side: "source" | "dest";
    }
  | {
      kind: "physdev";
      in?: IfaceMatch;
      out?: IfaceMatch;
      isIn?: boolean;
      isOut?: boolean;
      isBridged?: boolean;
    }
  | { kind: "set"; name: string; flags: ("src" | "dst")[]; inv: boolean }
  | {
      kind: "limit";
      /** Period per packet in 1/10000 s (XT_LIMIT_SCALE), and the burst. */
      avg: number;
      burst: number;
      /** xt_limit_priv: credits left and the jiffy they were last topped up. */
      state: { credit: number; prev: number | null };
    }
  | { kind: "mac"; mac: string; inv: boolean }
  | { kind: "iprange"; src?: IpRange; dst?: IpRange }
  | { kind: "length"; lo: number; hi: number; inv: boolean }
  | { kind: "ttl"; mode: "eq" | "ne" | "lt" | "gt"; value: number }
  | { kind: "pkttype"; type: "unicast" | "broadcast" | "multicast"; inv: boolean }
  | {
      /** xt_ipvs: the packet belongs to an IPVS connection (with this virtual address, protocol, port). */
      kind: "ipvs";
      ipvs?: { inv: boolean };
      vproto?: { proto: number; inv: boolean };
      vaddr?: AddrMatch;
      vport?: { port: number; inv: boolean };
      vdir?: { dir: "ORIGINAL" | "REPLY"; inv: boolean };
    };

export interface IpRange {
  lo: IPv4;
  hi: IPv4;
  inv: boolean;
}

export type RejectWith =
  | "icmp-net-unreachable"
  | "icmp-host-unreachable"
  | "icmp-port-unreachable"
  | "icmp-proto-unreachable"
  | "icmp-net-prohibited"
  | "icmp-host-prohibited"
  | "icmp-admin-prohibited"
  | "tcp-reset";

export type Target =
  | { kind: "none" }
  | { kind: "ACCEPT" | "DROP" | "RETURN" }
  | { kind: "jump"; chain: string; goto: boolean }
  | { kind: "REJECT"; with: RejectWith }
  | { kind: "LOG"; prefix: string | null; level: number; flags: number }
  | { kind: "MARK"; value: number; mask: number }
  | { kind: "CONNMARK"; mode: "set"; value: number; mask: number }
  | { kind: "CONNMARK"; mode: "save" | "restore"; nfmask: number; ctmask: number }
  | { kind: "DNAT" | "SNAT"; range: NatRange; text: string }
  | { kind: "MASQUERADE" | "REDIRECT"; range: NatRange }
  | { kind: "NOTRACK" }
  | { kind: "CT"; notrack: boolean }
  | { kind: "TRACE" };

export interface Counters {
  pkts: number;
  bytes: number;
}

/**
 * The counters of a rule nothing has hit yet, shared (and frozen): a restore of four hundred
 * thousand rules then makes no counters object until a packet counts. Whatever counts first
 * gives the rule its own (countRule).
 */
export const UNCOUNTED: Counters = Object.freeze({ pkts: 0, bytes: 0 }) as Counters;

/** Counts a packet of `len` bytes against a rule. */
export function countRule(r: { counters: Counters }, len: number): void {
  if (r.counters === UNCOUNTED) r.counters = { pkts: 1, bytes: len };
  else {
    r.counters.pkts++;
    r.counters.bytes += len;
  }
}

export interface Rule {
  src: AddrMatch | null;
  dst: AddrMatch | null;
  inIface: IfaceMatch | null;
  outIface: IfaceMatch | null;
  /** Protocol number (0 = all) and inversion. */
  proto: { num: number; inv: boolean } | null;
  /** `-f` (true) or `! -f` (false): second and later fragments. */
  frag?: boolean;
  matches: Match[];
  target: Target;
  counters: Counters;
}

/** Extensions that need conntrack in the namespace (nf_ct_netns_get from their checkentry). */
export function needsConntrack(r: Rule): boolean {
  for (const m of r.matches)
    if (m.kind === "state" || m.kind === "conntrack" || m.kind === "connmark") return true;
  const t = r.target.kind;
  return (
    t === "DNAT" ||
    t === "SNAT" ||
    t === "MASQUERADE" ||
    t === "REDIRECT" ||
    t === "CONNMARK" ||
    t === "CT" ||
    t === "NOTRACK"
  );
}

/**
 * A rule iptables-restore appended, kept as the line it came from and parsed again on first use.
 * A kube-proxy sync restores hundreds of thousands of rules a packet may never reach; each one kept
 * as a parsed structure costs a dozen objects, this costs one. Only stateless rules are kept so (the
 * parse is then a pure function of the line), and what the table needs without a packet is kept
 * with it: the chain a rule jumps to (the use counts) and whether it needs conntrack.
 */
export class RestoredRule implements Rule {
  counters: Counters = UNCOUNTED;
  #rule: Rule | null = null;
  /**
   * The text the line is part of (the payload that last wrote it), and where in it: no string of its
   * own. A later restore that writes the same line again moves it there.
   */
  #in: RestoredText;
  #at: number;
  readonly len: number;
  readonly jump: string | null;
  readonly tracks: boolean;
  readonly #parse: (line: string) => Rule;

  constructor(text: RestoredText, at: number, len: number, parsed: Rule, parse: (line: string) => Rule) {
    this.#in = text;
    this.#at = at;
    this.len = len;
    this.jump = parsed.target.kind === "jump" ? parsed.target.chain : null;
    this.tracks = needsConntrack(parsed);
    this.#parse = parse;
  }

  /** The text the line stands in now. */
  get in(): RestoredText {
    return this.#in;
  }

  /** The line, as written. */
  get line(): string {
    return this.#in.text.slice(this.#at, this.#at + this.len);
  }

  /** Whether the line is `text` (without copying it out). */
  isLine(text: string): boolean {
    return text.length === this.len && this.#in.text.startsWith(text, this.#at);
  }

  /** Whether this line directly follows `prev`'s in the same text (one newline between). */
  follows(prev: RestoredRule): boolean {
    return this.#in === prev.#in && this.#at === prev.#at + prev.len + 1;
  }

  /** The same line, written again at `at` of `text`: the rule now stands there. */
  moveTo(text: RestoredText, at: number): void {
    this.#in = text;
    this.#at = at;
  }

  /** The stretch of `text` from this line to `last`'s (lines that follow each other). */
  through(last: RestoredRule): string {
    return this.#in.text.slice(this.#at, last.#at + last.len);
  }

  /** The parsed rule (made on first use). */
  get rule(): Rule {
    if (this.#rule === null) this.#rule = this.#parse(this.line);
    return this.#rule;
  }
  get src(): AddrMatch | null {
    return this.rule.src;
  }
  get dst(): AddrMatch | null {
    return this.rule.dst;
  }
  get inIface(): IfaceMatch | null {
    return this.rule.inIface;
  }
  get outIface(): IfaceMatch | null {
    return this.rule.outIface;
  }
  get proto(): { num: number; inv: boolean } | null {
    return this.rule.proto;
  }
  get frag(): boolean | undefined {
    return this.rule.frag;
  }
  get matches(): Match[] {
    return this.rule.matches;
  }
  get target(): Target {
    return this.rule.target;
  }
}

/**
 * A text restored rules are lines of. An object, not the string itself: two payloads are told apart
 * by identity, never by comparing megabytes of equal text.
 */
export interface RestoredText {
  readonly text: string;
}

/** The parsed form of a rule, for reading it field by field (a restored rule's getters once, not per field). */
export function ruleOf(r: Rule): Rule {
  return r instanceof RestoredRule ? r.rule : r;
}

/** The chain a rule jumps or goes to, if any (without parsing a restored rule). */
export function jumpOf(r: Rule): string | null {
  if (r instanceof RestoredRule) return r.jump;
  return r.target.kind === "jump" ? r.target.chain : null;
}

/** needsConntrack without parsing a restored rule. */
export function ruleTracks(r: Rule): boolean {
  return r instanceof RestoredRule ? r.tracks : needsConntrack(r);
}
