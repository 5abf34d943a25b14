/**
 * @module kernel/fib/table
 * The FIB: routing tables (fib_table) and policy rules (fib_rules). Lookup
 * is longest prefix first, then lowest metric, as fib_table_lookup walks the
 * trie; the index holds one map per prefix length so a lookup costs at most
 * 33 map probes however many routes there are.
 */
import { maskOf } from "../../net/ip.js";
import type { FibRule, NetDevice, Route } from "../types.js";

export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

export function tableName(id: number): string {
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

export function parseTableId(s: string): number | null {
  if (s === "main") return RT_TABLE_MAIN;
  if (s === "local") return RT_TABLE_LOCAL;
  if (s === "default") return RT_TABLE_DEFAULT;
  if (s === "unspec") return 0;
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n <= 0xffffffff ? n : null;
  }
  if (/^0x[0-9a-f]+$/i.test(s)) return Number.parseInt(s, 16);
  return null;
}

function dumpOrder(a: Route, b: Route): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.family === 4) {
    if (a.dst !== b.dst) return a.dst - b.dst;
  } else if (a.dst6 !== b.dst6) return a.dst6 < b.dst6 ? -1 : 1;
  if (a.dstLen !== b.dstLen) return b.dstLen - a.dstLen;
  return a.metric - b.metric;
}

export class FibTable {
  /** Routes in the order a dump walks them. */
  readonly routes: Route[] = [];
  private readonly index: Array<Map<number, Route[]>> = Array.from({ length: 33 }, () => new Map());
  private readonly lengths = new Set<number>();

  readonly id: number;
  constructor(id: number) {
    this.id = id;
  }

  insert(r: Route, append = false): void {
    // Place after the last route that sorts before or equal (append/new insertion after equal-metric peers).
    let i = this.routes.length;
    while (i > 0) {
      const c = dumpOrder(this.routes[i - 1]!, r);
      if (c < 0 || (c === 0 && (append || true))) break;
      i--;
    }
    this.routes.splice(i, 0, r);
    if (r.family === 4) {
      const bucket = this.index[r.dstLen]!;
      const list = bucket.get(r.dst) ?? [];
      let j = list.length;
      while (j > 0 && list[j - 1]!.metric > r.metric) j--;
      list.splice(j, 0, r);
      bucket.set(r.dst, list);
      this.lengths.add(r.dstLen);
    }
  }

  /** NLM_F_REPLACE: the new route takes the old one's place (fib_table_insert replaces the alias in place). */
  replace(old: Route, r: Route): void {
    const i = this.routes.indexOf(old);
    if (i < 0 || old.family !== r.family || old.dst !== r.dst || old.dstLen !== r.dstLen) {
      this.remove(old);
      this.insert(r);
      return;
    }
    this.routes[i] = r;
    if (r.family === 4) {
      const list = this.index[r.dstLen]!.get(r.dst);
      const j = list ? list.indexOf(old) : -1;
      if (list && j >= 0) list[j] = r;
    }
  }

  remove(r: Route): void {
    const i = this.routes.indexOf(r);
    if (i >= 0) this.routes.splice(i, 1);
    if (r.family === 4) {
      const bucket = this.index[r.dstLen]!;
      const list = bucket.get(r.dst);
      if (list) {
        const j = list.indexOf(r);
        if (j >= 0) list.splice(j, 1);
        if (list.length === 0) bucket.delete(r.dst);
      }
    }
  }

  /** Routes with exactly this destination prefix (fib_find_alias's candidates). */
  exact(dst: number, len: number): Route[] {
    return this.index[len]?.get(dst) ?? [];
  }

  /** Longest-prefix match; candidates of one prefix in metric order. */
  lookup(addr: number, accept: (r: Route) => boolean = () => true): Route | null {
    for (let len = 32; len >= 0; len--) {
      if (!this.lengths.has(len)) continue;
      const list = this.index[len]!.get((addr & maskOf(len)) >>> 0);
      if (!list) continue;
      for (const r of list) if (accept(r)) return r;
    }
    return null;
  }

  removeWhere(pred: (r: Route) => boolean): Route[] {
    const gone = this.routes.filter(pred);
    for (const r of gone) this.remove(r);
    return gone;
  }
}

export class FibTables {
  private readonly tables = new Map<number, FibTable>();

  constructor() {
    this.get(RT_TABLE_LOCAL);
    this.get(RT_TABLE_MAIN);
  }

  get(id: number): FibTable {
    let t = this.tables.get(id);
    if (!t) {
      t = new FibTable(id);
      this.tables.set(id, t);
    }
    return t;
  }

  find(id: number): FibTable | undefined {
    return this.tables.get(id);
  }

  /** Tables in the order a dump visits them: hash bucket (id mod 256), then id. */
  all(): FibTable[] {
    return [...this.tables.values()].sort((a, b) => (a.id % 256) - (b.id % 256) || a.id - b.id);
  }

  /** Drop every route through a device (fib_sync_down_dev + fib_flush), optionally keeping local ones. */
  flushDev(dev: NetDevice, keep: (r: Route) => boolean): void {
    for (const t of this.tables.values()) t.removeWhere((r) => r.dev === dev && !keep(r));
  }
}

/** A rule matching everything that looks up a table: `from all lookup TABLE`. */
export function newRule(priority: number, table: number): FibRule {
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
    tos: 0,
    ipproto: null,
    sport: null,
    dport: null,
    uidrange: null,
    table,
    action: "lookup",
    goto: null,
    suppressPrefixlen: -1,
    not: false,
    protocol: null,
  };
}

export function defaultRules(): FibRule[] {
  return [newRule(0, RT_TABLE_LOCAL), newRule(32766, RT_TABLE_MAIN), newRule(32767, RT_TABLE_DEFAULT)];
}

export class FibRules {
  rules: FibRule[] = defaultRules();

  /** fib_default_rule_pref: one less than the second rule's priority. */
  defaultPref(): number {
    const second = this.rules[1];
    if (second && second.priority > 0) return second.priority - 1;
    return 0;
  }

  add(rule: FibRule): void {
    // Insert after every rule with priority <= the new one (fib_nl_newrule).
    let i = 0;
    while (i < this.rules.length && this.rules[i]!.priority <= rule.priority) i++;
    this.rules.splice(i, 0, rule);
  }
}
