/**
 * @module kernel/netfilter/tables
 * A namespace's xtables as the nf_tables backend of iptables 1.8.9 keeps
 * them: a table exists once a command created it, with its built-in chains
 * (policy and counters) and user chains holding rules. Long chains get a
 * destination index (see chainIndex) that only skips rules which cannot
 * match, so first-match order, counters and statistic draws are unchanged.
 */
import type { NetNs } from "../netns.js";
import { registerNfHooks } from "./hooks.js";
import type { IpSet } from "./ipset.js";
import { type Counters, jumpOf, type Rule, ruleTracks, UNCOUNTED } from "./rule.js";

export type TableName = "raw" | "mangle" | "nat" | "filter" | "security";

/** Tables in the order iptables-save lists them (enum nft_table_type). */
export const TABLE_ORDER: TableName[] = ["mangle", "security", "raw", "filter", "nat"];

export const BUILTIN_CHAINS: Record<TableName, string[]> = {
  raw: ["PREROUTING", "OUTPUT"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  security: ["INPUT", "FORWARD", "OUTPUT"],
};

export interface Chain {
  name: string;
  builtin: boolean;
  policy: "ACCEPT" | "DROP";
  counters: Counters;
  /** Built-in chains count policy hits only once a policy was set (-P or a restore line), as the nft backend does. */
  counting: boolean;
  /** Whether the nft base chain exists: iptables-nft creates a built-in chain only when a rule or policy needs it. */
  instantiated: boolean;
  rules: Rule[];
  /** Lazily built index over `rules`; dropped whenever they change. */
  index: ChainIndex | null;
  /**
   * The lines of its restored rules as runs of consecutive lines of the payload that last wrote them,
   * each a slice of it starting at rule `from` (kept for a long chain of restored rules written in few
   * runs, while nothing else changes it): a restore writing a run again unchanged is recognised with
   * one comparison instead of one per line.
   */
  runs?: LineRun[] | undefined;
  /**
   * The iptables-restore transaction that made this copy of the chain (0: none). nf_tables marks a
   * transaction's objects by generation likewise; a chain already the transaction's own is changed
   * in place, known without looking its name up again.
   */
  txn: number;
}

export interface LineRun {
  from: number;
  text: string;
}

export interface Table {
  name: TableName;
  chains: Map<string, Chain>;
  /**
   * How many rules jump or go to each chain (nft_chain's use count): built
   * on first need, then kept by every rule change, so deleting one chain of
   * a hundred thousand does not walk every rule. Absent means "count again".
   */
  refs?: Map<string, number>;
}

export interface RecentEntry {
  addr: number;
  stamps: number[];
  ttl: number;
}

export interface NfState {
  tables: Map<TableName, Table>;
  sets: Map<string, IpSet>;
  recent: Map<string, Map<number, RecentEntry>>;
  /** Bumped on every ruleset change (conntrack need is recomputed then). */
  generation: number;
  ctNeeded: { gen: number; value: boolean };
}

const states = new WeakMap<NetNs, NfState>();
let hookImpl: ((ns: NetNs) => void) | null = null;

/** The netfilter core registers its hook function here (avoids an import cycle). */
export function setHookInstaller(fn: (ns: NetNs) => void): void {
  hookImpl = fn;
}

export function nfState(ns: NetNs): NfState {
  let s = states.get(ns);
  if (!s) {
    s = {
      tables: new Map(),
      sets: new Map(),
      recent: new Map(),
      generation: 0,
      ctNeeded: { gen: -1, value: false },
    };
    states.set(ns, s);
    if (hookImpl) hookImpl(ns);
    else registerNfHooks(ns, (_n, _h, pkt) => ({ verdict: "ACCEPT", pkt }));
  }
  return s;
}

export function peekNfState(ns: NetNs): NfState | undefined {
  return states.get(ns);
}

export function newChain(name: string, builtin: boolean): Chain {
  return {
    name,
    builtin,
    policy: "ACCEPT",
    // Only built-in chains count (their policy); a user chain's stay zero, shared.
    counters: builtin ? { pkts: 0, bytes: 0 } : UNCOUNTED,
    counting: false,
    instantiated: !builtin,
    rules: [],
    index: null,
    runs: undefined,
    txn: 0,
  };
}

/** Creates the table (all its built-in chains) if it does not exist yet. */
export function ensureTable(s: NfState, name: TableName): Table {
  let t = s.tables.get(name);
  if (!t) {
    t = { name, chains: new Map() };
    for (const c of BUILTIN_CHAINS[name]) t.chains.set(c, newChain(c, true));
    s.tables.set(name, t);
    s.generation++;
  }
  return t;
}

/** Records a change: the generation moves on, and a changed chain's index is dropped. */
export function changed(s: NfState, chain?: Chain): void {
  s.generation++;
  if (chain) {
    chain.index = null;
    // Assigned, not deleted: a delete would turn the chain into a slow dictionary-mode object.
    chain.runs = undefined;
  }
}

/** Whether any rule needs conntrack in this namespace (flows are tracked only then). */
export function conntrackNeeded(s: NfState): boolean {
  if (s.ctNeeded.gen === s.generation) return s.ctNeeded.value;
  let v = false;
  outer: for (const t of s.tables.values())
    for (const c of t.chains.values())
      for (const r of c.rules)
        if (ruleTracks(r)) {
          v = true;
          break outer;
        }
  s.ctNeeded = { gen: s.generation, value: v };
  return v;
}

/** How many rules jump or go to a chain (the "N references" of `iptables -L`). */
export function references(t: Table, name: string): number {
  if (!t.refs) {
    t.refs = new Map();
    for (const c of t.chains.values()) countRefs(t, c.rules, 1);
  }
  return t.refs.get(name) ?? 0;
}

/** Rules added to (1) or removed from (-1) a chain of the table: their jumps' targets gain or lose a use. */
export function countRefs(t: Table, rules: readonly Rule[], delta: 1 | -1): void {
  if (t.refs) for (const r of rules) countRef(t, r, delta);
}

/** countRefs for one rule. */
export function countRef(t: Table, r: Rule, delta: 1 | -1): void {
  const refs = t.refs;
  if (!refs) return;
  const j = jumpOf(r);
  if (j !== null) refs.set(j, (refs.get(j) ?? 0) + delta);
}

/**
 * Rules grouped by an exact destination address (`-d A/32`, not inverted):
 * a packet only needs the rules for its own destination plus the rules
 * without one, merged in chain order.
 */
export interface ChainIndex {
  byDst: Map<number, number[]>;
  rest: number[];
}

const INDEX_MIN = 32;

export function chainIndex(c: Chain): ChainIndex | null {
  if (c.rules.length < INDEX_MIN) return null;
  if (c.index) return c.index;
  const byDst = new Map<number, number[]>();
  const rest: number[] = [];
  c.rules.forEach((r, i) => {
    if (r.dst && !r.dst.inv && r.dst.mask === 0xffffffff) {
      let l = byDst.get(r.dst.addr);
      if (!l) byDst.set(r.dst.addr, (l = []));
      l.push(i);
    } else rest.push(i);
  });
  c.index = { byDst, rest };
  return c.index;
}
