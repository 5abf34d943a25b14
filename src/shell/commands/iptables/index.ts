/**
 * @module shell/commands/iptables
 * iptables, iptables-save and iptables-restore (v1.8.9, nf_tables backend)
 * over the namespace's netfilter tables: the same commands, outputs,
 * error messages and exit statuses as the real tools.
 */
import "../../../kernel/netfilter/core.js";
import { MONTHS, simDate, WEEKDAYS } from "../../../kernel/clock.js";
import type { Kernel } from "../../../kernel/kernel.js";
import { formatRule, ruleSpec } from "../../../kernel/netfilter/format.js";
import {
  jumpOf,
  RestoredRule,
  type RestoredText,
  type Rule,
  UNCOUNTED,
} from "../../../kernel/netfilter/rule.js";
import {
  BUILTIN_CHAINS,
  type Chain,
  changed,
  countRef,
  countRefs,
  ensureTable,
  type LineRun,
  type NfState,
  newChain,
  nfState,
  references,
  TABLE_ORDER,
  type Table,
  type TableName,
} from "../../../kernel/netfilter/tables.js";
import type { NetNs } from "../../../kernel/netns.js";
import type { CmdContext, CmdResult } from "../../types.js";
import { type ListOpts, listChain, listRule } from "./list.js";
import { IptError, type ParsedCommand, paramProblem, parseIptables, VERSION } from "./parse.js";

const TABLES = new Set<string>(["raw", "mangle", "nat", "filter", "security"]);
const HELP = "Try `iptables -h' or 'iptables --help' for more information.\n";

function bare(msg: string, code = 1): IptError {
  return new IptError(msg, code, false, true);
}

const NO_CHAIN = "iptables: No chain/target/match by that name.";

function errText(e: IptError, prog = "iptables"): string {
  if (e.bare) return `${e.message}\n`;
  const v = prog === "iptables" ? VERSION : VERSION.replace("iptables", prog);
  return `${e.preface}${e.unprefixed ? "" : `${v}: `}${e.message}\n${e.blank ? "\n" : ""}${e.help ? HELP.replace(/iptables/g, prog) : ""}`;
}

/** A table as listing sees it: the real one, or the built-in chains of one not created yet. */
function viewTable(s: NfState, name: TableName): Table {
  const t = s.tables.get(name);
  if (t) return t;
  const v: Table = { name, chains: new Map() };
  for (const c of BUILTIN_CHAINS[name]) v.chains.set(c, newChain(c, true));
  return v;
}

function chainsInOrder(t: Table): Chain[] {
  const builtin = BUILTIN_CHAINS[t.name].map((n) => t.chains.get(n)).filter((c): c is Chain => !!c);
  const user = [...t.chains.values()]
    .filter((c) => !c.builtin)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...builtin, ...user];
}

const NAT_DST = new Set(["PREROUTING", "OUTPUT"]);
const NAT_SRC = new Set(["POSTROUTING", "INPUT"]);

/** What the kernel refuses when the rule is added (the nft backend reports EINVAL). */
function validTarget(table: TableName, chain: Chain, r: Rule): boolean {
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
      // reject_tg_check: a TCP reset needs a rule for TCP only.
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

function checkIfaces(chain: string, r: Rule): void {
  if (r.inIface && (chain === "OUTPUT" || chain === "POSTROUTING"))
    throw paramProblem(`Can't use -i with ${chain}`, true);
  if (r.outIface && (chain === "INPUT" || chain === "PREROUTING"))
    throw paramProblem(`Can't use -o with ${chain}`, true);
}

function checkRule(t: Table, chain: Chain, r: Rule, op: string): void {
  const tg = r.target;
  if (tg.kind === "jump") {
    const to = t.chains.get(tg.chain);
    if (!to) throw paramProblem(`Chain '${tg.chain}' does not exist`);
    if (to.builtin)
      throw new IptError(`${op} failed (Invalid argument): rule in chain ${chain.name}`, 4, false);
    // The chain's own name, not the word of this line: a rule kept for long then holds no string of
    // its own, and the use counts find a string whose hash is already known.
    tg.chain = to.name;
  }
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

/** Appends a checked rule to a chain (-A): the chain exists, the rule passed checkRule. */
function appendRule(s: NfState, t: Table, chain: Chain, r: Rule): void {
  chain.instantiated = true;
  chain.rules.push(r);
  countRef(t, r, 1);
  changed(s, chain);
}

/** The last iptables-restore transaction's number (each table of each restore is one). */
let lastTxn = 0;

/** The state of the namespace a command runs in (for checks that need it). */
const nfState0: { current: NfState | null } = { current: null };

function findRule(c: Chain, r: Rule): number {
  const spec = ruleSpec(r);
  return c.rules.findIndex((x) => ruleSpec(x) === spec);
}

/** The chain -L or -S names; one the nf_tables backend cannot show is reported as iptables-nft does. */
function listedChain(t: Table, tname: TableName, name: string): Chain {
  const c = t.chains.get(name);
  if (!c)
    throw new IptError(`chain \`${name}' in table \`${tname}' is incompatible, use 'nft' tool.`, 1, false);
  return c;
}

/** Notes a command the kernel will refuse; `kept` names a chain it keeps that iptables deleted. */
type Refuse = (e: IptError, kept?: string) => void;

/**
 * A command the kernel refuses when the nft batch is sent (status 4): thrown at once, or — inside
 * iptables-restore, which sends the batch at COMMIT — noted, while iptables' own view of the table
 * goes on as if it had passed (later lines see a deleted chain gone).
 */
function refusedByKernel(e: IptError, refuse: Refuse | undefined, kept?: string): void {
  if (!refuse) throw e;
  refuse(e, kept);
}

/**
 * Runs one parsed command on a namespace's tables; returns what it prints. The namespace is the
 * checks' state for the command's length only: held after it, a deleted namespace's tables (a
 * node's hundreds of thousands of rules) would outlive it.
 */
export function runParsed(s: NfState, p: ParsedCommand, refuse?: Refuse): string {
  const outer = nfState0.current;
  nfState0.current = s;
  try {
    return runParsedIn(s, p, refuse);
  } finally {
    nfState0.current = outer;
  }
}

function runParsedIn(s: NfState, p: ParsedCommand, refuse?: Refuse): string {
  if (!TABLES.has(p.table))
    throw new IptError(
      `table '${p.table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.`,
      3,
      false,
    );
  const tname = p.table as TableName;
  const o: ListOpts = { numeric: p.numeric, verbose: p.verbose, exact: p.exact, lineNumbers: p.lineNumbers };
  if (p.rule && p.chain) checkIfaces(p.chain, p.rule);
  switch (p.cmd) {
    case "L": {
      const t = viewTable(s, tname);
      if (p.chain !== null) {
        const c = listedChain(t, tname, p.chain);
        if (p.num !== null) {
          const r = c.rules[p.num - 1];
          return r ? listRule(r, p.num, o) : "";
        }
        return listChain(t, c, o);
      }
      return chainsInOrder(t)
        .map((c) => listChain(t, c, o))
        .join("\n");
    }
    case "S": {
      const t = viewTable(s, tname);
      const line = (c: Chain, r: Rule): string =>
        `${formatRule(c.name, r, p.verbose ? `-c ${r.counters.pkts} ${r.counters.bytes}` : "")}\n`;
      const head = (c: Chain): string =>
        c.builtin
          ? `-P ${c.name} ${c.policy}${p.verbose ? ` -c ${c.counters.pkts} ${c.counters.bytes}` : ""}\n`
          : `-N ${c.name}\n`;
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
      const exists = s.tables.get(tname);
      const t = p.cmd === "A" || p.cmd === "I" ? ensureTable(s, tname) : viewTable(s, tname);
      const c = t.chains.get(p.chain!);
      if (!c) {
        if (p.cmd === "A" || p.cmd === "I" || p.cmd === "R" || p.cmd === "D" || p.cmd === "C") {
          if (p.rule?.target.kind === "jump" && !t.chains.has(p.rule.target.chain) && !exists)
            throw paramProblem(`Chain '${p.rule.target.chain}' does not exist`);
          throw bare(NO_CHAIN);
        }
      }
      const chain = c!;
      const r = p.rule;
      if (p.cmd === "D" && p.num !== null && !r) {
        if (p.num > chain.rules.length) throw bare("iptables: Index of deletion too big.");
        countRefs(t, chain.rules.splice(p.num - 1, 1), -1);
        changed(s, chain);
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
          changed(s, chain);
        }
        return "";
      }
      const op = p.cmd === "A" ? "RULE_APPEND" : p.cmd === "I" ? "RULE_INSERT" : "RULE_REPLACE";
      try {
        checkRule(t, chain, r, op);
      } catch (e) {
        // The nft batch is aborted as a whole: a table this command created goes with it.
        if (!exists) s.tables.delete(tname);
        throw e;
      }
      if (p.cmd === "A") {
        appendRule(s, t, chain, r);
        return "";
      }
      chain.instantiated = true;
      if (p.cmd === "I") {
        const n = p.num ?? 1;
        if (n > chain.rules.length + 1) throw bare("iptables: Index of insertion too big.");
        chain.rules.splice(n - 1, 0, r);
      } else {
        const n = p.num!;
        if (n > chain.rules.length) throw bare("iptables: Index of replacement too big.");
        countRefs(t, [chain.rules[n - 1]!], -1);
        chain.rules[n - 1] = r;
      }
      countRefs(t, [r], 1);
      changed(s, chain);
      return "";
    }
    case "N": {
      const name = p.chain!;
      const t = ensureTable(s, tname);
      if (t.chains.has(name)) throw bare("iptables: Chain already exists.");
      if (name.length > 28) throw paramProblem(`chain name \`${name}' too long (must be under 29 chars)`);
      if (name.startsWith("-") || name.startsWith("!"))
        throw paramProblem(`chain name not allowed to start with \`${name[0]}'`);
      t.chains.set(name, newChain(name, false));
      changed(s);
      return "";
    }
    case "X": {
      const t = s.tables.get(tname);
      if (p.chain === null) {
        if (!t) return "";
        for (const c of [...t.chains.values()]) {
          if (c.builtin) continue;
          if (references(t, c.name) > 0)
            refusedByKernel(
              new IptError(` CHAIN_DEL failed (Device or resource busy): chain ${c.name}`, 4, false),
              refuse,
              c.name,
            );
        }
        for (const c of [...t.chains.values()]) if (!c.builtin) t.chains.delete(c.name);
        delete t.refs;
        changed(s);
        return "";
      }
      const c = t?.chains.get(p.chain);
      if (!t || !c) {
        if (!BUILTIN_CHAINS[tname].includes(p.chain)) throw bare(NO_CHAIN);
        refusedByKernel(
          new IptError(` CHAIN_DEL failed (Device or resource busy): chain ${p.chain}`, 4, false),
          refuse,
        );
        return "";
      }
      // Referenced or not empty: the kernel refuses (a built-in chain is never deleted).
      if (c.builtin || references(t, c.name) > 0 || c.rules.length > 0) {
        refusedByKernel(
          new IptError(` CHAIN_DEL failed (Device or resource busy): chain ${c.name}`, 4, false),
          refuse,
          c.name,
        );
        if (c.builtin) return "";
        countRefs(t, c.rules, -1);
      }
      t.chains.delete(c.name);
      changed(s);
      return "";
    }
    case "F": {
      const t = s.tables.get(tname);
      if (p.chain !== null) {
        const c = t?.chains.get(p.chain);
        if (!c) {
          if (!t && BUILTIN_CHAINS[tname].includes(p.chain)) return "";
          throw bare(NO_CHAIN);
        }
        if (t) countRefs(t, c.rules, -1);
        c.rules = [];
        changed(s, c);
        return "";
      }
      if (!t) return "";
      for (const c of t.chains.values()) {
        c.rules = [];
        changed(s, c);
      }
      t.refs = new Map();
      return "";
    }
    case "Z": {
      const t = s.tables.get(tname);
      if (!t) return "";
      const cs = p.chain !== null ? [t.chains.get(p.chain)] : [...t.chains.values()];
      for (const c of cs) {
        if (!c) throw bare(NO_CHAIN);
        c.counters = { pkts: 0, bytes: 0 };
        // nft_chain_zero_counters re-adds a base chain with counters: its policy hits count from now on.
        if (c.builtin && c.instantiated) c.counting = true;
        for (const r of c.rules) r.counters = { pkts: 0, bytes: 0 };
      }
      return "";
    }
    case "P": {
      const name = p.chain!;
      if (!BUILTIN_CHAINS[tname].includes(name)) throw bare("iptables: Bad built-in chain name.");
      if (p.arg !== "ACCEPT" && p.arg !== "DROP")
        throw bare("iptables: Bad policy name. Run `dmesg' for more information.");
      const t = ensureTable(s, tname);
      const c = t.chains.get(name)!;
      c.policy = p.arg;
      c.counting = true;
      c.instantiated = true;
      c.counters = p.counters ? { ...p.counters } : { pkts: 0, bytes: 0 };
      changed(s);
      return "";
    }
    case "E": {
      const t = s.tables.get(tname);
      const c = t?.chains.get(p.chain!);
      if (!t || !c || c.builtin) throw bare(NO_CHAIN);
      // nft_chain_user_rename: the name taken (a user chain or a built-in one) is EEXIST.
      if (t.chains.has(p.arg!) || BUILTIN_CHAINS[tname].includes(p.arg!))
        throw bare("iptables: File exists.");
      t.chains.delete(c.name);
      c.name = p.arg!;
      t.chains.set(c.name, c);
      for (const ch of t.chains.values())
        ch.rules.forEach((r, i) => {
          if (jumpOf(r) !== p.chain) return;
          // A restored rule becomes a plain one: what it jumps to is no longer what its line says.
          const plain = r instanceof RestoredRule ? { ...r.rule, counters: r.counters } : r;
          plain.target = { kind: "jump", chain: c.name, goto: r.target.kind === "jump" && r.target.goto };
          ch.rules[i] = plain;
        });
      if (t.refs) {
        const n = t.refs.get(p.chain!);
        t.refs.delete(p.chain!);
        if (n !== undefined) t.refs.set(c.name, n);
      }
      changed(s);
      return "";
    }
  }
}

/** The text iptables prints for an error thrown by the parser or runParsed, or null for other errors. */
export function iptablesErrorText(e: unknown): string | null {
  return e instanceof IptError ? errText(e) : null;
}

export function iptablesCommand(argv: string[], ctx: CmdContext): CmdResult {
  const s = nfState(ctx.ns);
  try {
    const p = parseIptables(argv);
    return { stdout: runParsed(s, p), stderr: "", exitCode: 0 };
  } catch (e) {
    if (e instanceof IptError) return { stdout: "", stderr: errText(e), exitCode: e.code };
    throw e;
  }
}

/** ctime(3) of the simulated clock. */
export function ctime(k: Kernel): string {
  const d = simDate(k.clock.now);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

export function saveTable(t: Table, counters: boolean, date: string): string {
  const lines: string[] = [`# Generated by iptables-save v1.8.9 (nf_tables) on ${date}`, `*${t.name}`];
  const cs = chainsInOrder(t);
  for (const c of cs)
    lines.push(
      `:${c.name} ${c.builtin ? c.policy : "-"} [${c.builtin ? c.counters.pkts : 0}:${c.builtin ? c.counters.bytes : 0}]`,
    );
  for (const c of cs)
    for (const r of c.rules)
      lines.push(`${counters ? `[${r.counters.pkts}:${r.counters.bytes}] ` : ""}${formatRule(c.name, r)}`);
  lines.push("COMMIT", `# Completed on ${date}`);
  return `${lines.join("\n")}\n`;
}

export function iptablesSaveCommand(argv: string[], ctx: CmdContext): CmdResult {
  let only: string | null = null;
  let counters = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-c" || a === "--counters") counters = true;
    else if (a === "-t" || a === "--table") {
      only = argv[++i] ?? null;
      if (only === null)
        return { stdout: "", stderr: "iptables-save: option requires an argument -- 't'\n", exitCode: 1 };
    } else if (a.startsWith("-t") && a.length > 2) only = a.slice(2);
    else if (a === "-M" || a === "--modprobe") i++;
    else
      return {
        stdout: "",
        stderr: `iptables-save: unrecognized option '${a}'\nUnknown arguments found on commandline\n`,
        exitCode: 1,
      };
  }
  if (only !== null && !TABLES.has(only))
    return {
      stdout: "",
      stderr: `iptables-save v1.8.9 (nf_tables): table '${only}' does not exist\n`,
      exitCode: 1,
    };
  return { stdout: saveTables(ctx.ns, only, counters), stderr: "", exitCode: 0 };
}

/** iptables-save's output for every table the namespace has (or one). */
export function saveTables(ns: NetNs, only: string | null, counters: boolean): string {
  const s = nfState(ns);
  const date = ctime(ns.kernel);
  let out = "";
  for (const name of TABLE_ORDER) {
    if (only !== null && name !== only) continue;
    const t = s.tables.get(name);
    if (t) out += saveTable(t, counters, date);
  }
  return out;
}

/**
 * Splits a restore line into words as iptables-restore does (double and single quotes group,
 * a backslash in double quotes keeps the next character). Words are slices of the line, not
 * strings grown a character at a time, which a 400,000-line payload would pay for twice: once
 * here and again when each word is flattened.
 */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    let word = "";
    let start = i;
    while (i < n) {
      c = line.charCodeAt(i);
      if (c === 32 || c === 9) break;
      if (c !== 34 && c !== 39) {
        i++;
        continue;
      }
      word += line.slice(start, i);
      start = ++i;
      while (i < n) {
        const d = line.charCodeAt(i);
        if (d === c) break;
        if (d === 92 && c === 34 && i + 1 < n) {
          word += line.slice(start, i);
          start = i + 1;
          i += 2;
          continue;
        }
        i++;
      }
      word += line.slice(start, i);
      start = ++i;
    }
    if (start < i) word += line.slice(start, i);
    out.push(word);
  }
  return out;
}

interface RestoreOpts {
  noflush: boolean;
  counters: boolean;
  test: boolean;
  table: string | null;
}

/**
 * Rule lines parsed before, by their text: kube-proxy restores the same ten
 * thousand KUBE-SERVICES lines on every sync. Only lines of long chains are
 * kept (the short per-endpoint chains are written once and would only fill
 * memory), only rules without per-rule state (an nth counter or a limit's
 * credit belongs to one rule), and each use gets its own rule object,
 * target and counters.
 */
const parsedLines = new Map<string, ParsedCommand>();
const PARSED_LINES_MAX = 200_000;
const LONG_CHAIN = 32;

function statelessRule(r: Rule): boolean {
  for (const m of r.matches) if ("counter" in m || "state" in m) return false;
  return true;
}

/** Whether a flushed rule can stand for the same line written again: it holds no state and needs no set. */
function reusableRule(r: Rule): boolean {
  if (!statelessRule(r)) return false;
  for (const m of r.matches) if (m.kind === "set") return false;
  return true;
}

/** A chain's restored rules as a --noflush restore flushed them, and which of them were reused. */
interface Flushed {
  runs: LineRun[] | undefined;
  /** The first run not yet passed. */
  run: number;
  /** The old line the next line is expected to repeat: lines are reused in their old order. */
  next: number;
  rules: RestoredRule[];
  kept: Uint8Array;
}

/** A restore line parsed again: the rule a RestoredRule stands for. */
function parseRuleLine(line: string): Rule {
  const r = parseIptables(tokenize(line)).rule;
  if (!r) throw new Error(`not a rule: ${line}`);
  return r;
}

/**
 * The rule a restore line just appended, kept as its line (RestoredRule) when its parse holds no
 * state: a restore of a large ruleset then keeps one small object per rule.
 */
function keepAsLine(c: Chain, r: Rule, text: RestoredText, at: number, len: number): void {
  if (c.rules[c.rules.length - 1] !== r || !reusableRule(r)) return;
  c.rules[c.rules.length - 1] = new RestoredRule(text, at, len, r, parseRuleLine);
}

/** The flushed chain a line appends to, and the prefix of its lines. */
interface Reusing {
  prefix: string;
  prev: Flushed;
  chain: Chain;
}

/** A chain's rules, when every one is a restored rule (kept as the line it came from). */
function restoredRules(rules: Rule[]): RestoredRule[] | null {
  return rules.every((r) => r instanceof RestoredRule) ? (rules as RestoredRule[]) : null;
}

/**
 * The runs of a chain's restored lines, each a stretch of consecutive lines of the text they came in,
 * cut every RUN_MAX lines: a later restore that writes them again unchanged is recognised run by
 * run, and one that changes a line reads only that run's lines one by one. None for a chain of many
 * short runs (written a line at a time, or much changed).
 */
function lineRuns(rules: readonly RestoredRule[]): LineRun[] | undefined {
  let runs = 1;
  for (let j = 1; j < rules.length; j++) if (!rules[j]!.follows(rules[j - 1]!)) runs++;
  if (runs * RUN_LINES > rules.length) return undefined;
  const out: LineRun[] = [];
  let from = 0;
  for (let j = 1; j <= rules.length; j++) {
    if (j < rules.length && j - from < RUN_MAX && rules[j]!.follows(rules[j - 1]!)) continue;
    out.push({ from, text: rules[from]!.through(rules[j - 1]!) });
    from = j;
  }
  return out;
}

const RUN_MAX = 256;

/** A chain's rules array below this length is copied to size when a restore stops appending to it. */
const LEAVE_ROOM = 16;

/** A ":CHAIN POLICY [packets:bytes]" line: name, policy and the counters if given. */
function chainLine(line: string): [string, string, string | undefined, string | undefined] | null {
  // The form iptables-save and kube-proxy write, read without a regular expression (a sync has a
  // hundred thousand of them).
  const sp = line.indexOf(" ");
  if (sp > 1 && sp === line.length - USER_CHAIN_TAIL.length && line.endsWith(USER_CHAIN_TAIL)) {
    const name = line.slice(1, sp);
    if (!/\s/.test(name)) return [name, "-", "0", "0"];
  }
  const m = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?/.exec(line);
  return m ? [m[1]!, m[2]!, m[3], m[4]] : null;
}

const USER_CHAIN_TAIL = " - [0:0]";

/** How many old lines a reused line may skip: services removed since the last sync. */
const REUSE_AHEAD = 8;

/** Runs are worth keeping when there are few of them: a chain written one line at a time has as many. */
const RUN_LINES = 8;

function parseRestoreLine(text: string, chainLength: (name: string) => number): ParsedCommand {
  // An append to a short chain is neither looked up nor kept.
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
        counters: UNCOUNTED,
      },
    };
  const p = parseIptables(tokenize(text));
  if (p.rule && p.chain !== null && chainLength(p.chain) >= LONG_CHAIN && statelessRule(p.rule)) {
    if (parsedLines.size >= PARSED_LINES_MAX) parsedLines.clear();
    parsedLines.set(text, {
      ...p,
      rule: { ...p.rule, target: { ...p.rule.target }, counters: UNCOUNTED },
    });
  }
  return p;
}

export function restore(s: NfState, payload: string, o: RestoreOpts): { error: string; code: number } | null {
  // Lines are cut from the payload one at a time: a split would make every line's string at once, and
  // keep all of them alive (and copied by every collection) until the last line is read.
  /** The line starting at `from`: its end (the newline, or the end of the payload). */
  const lineEnd = (from: number): number => {
    const end = payload.indexOf("\n", from);
    return end < 0 ? payload.length : end;
  };
  /** The line after the last one read (iptables-restore counts the lines fgets returned, then one more). */
  const lineTotal = (): number => {
    let n = payload.length > 0 && !payload.endsWith("\n") ? 2 : 1;
    for (let p = payload.indexOf("\n"); p >= 0; p = payload.indexOf("\n", p + 1)) n++;
    return n;
  };
  let cur: { name: TableName; table: Table; startLine: number } | null = null;
  // With --noflush a table is changed in place, chain by chain: the first line that touches a chain
  // replaces it with a copy and notes the original, so a failing table is put back as it was (the
  // commit is atomic) and a payload naming a few chains of many copies only those (kube-proxy's
  // partial syncs). Without --noflush the table is built anew and swapped in at COMMIT.
  // The originals of the chains the transaction replaced, and the names it created: what a failing
  // one puts back. Chains it owns carry its number (txn), and are listed for COMMIT to finish.
  let undo: Map<string, Chain> | null = null;
  let created: string[] = [];
  let wrote: Chain[] = [];
  let txn = 0;
  const own = (name: string | null): void => {
    if (!cur || !undo || name === null) return;
    const c = cur.table.chains.get(name);
    if (c === undefined) {
      // Made later in the transaction, if at all: a failing one removes it (unless it was an original).
      if (!undo.has(name)) created.push(name);
      return;
    }
    if (c.txn === txn) return;
    if (!undo.has(name)) undo.set(name, c);
    const copy = { ...c, rules: [...c.rules], index: null, txn };
    cur.table.chains.set(name, copy);
    wrote.push(copy);
  };
  const ownAll = (): void => {
    if (cur) for (const n of [...cur.table.chains.keys()]) own(n);
  };
  // A chain flushed by a ":CHAIN" line in --noflush mode whose old rules came from restore lines:
  // an append of the same line at the same place reuses the old rule (fresh counters) instead of
  // parsing it again — kube-proxy rewrites ten thousand unchanged KUBE-SERVICES lines every sync.
  const before = new Map<string, Flushed>();
  /**
   * Drops the references of the flushed rules no line reused, before anything counts them
   * (a -X, the commit); their chains' later lines are parsed afresh.
   */
  const settle = (): void => {
    if (!cur) return;
    for (const b of before.values())
      for (let i = 0; i < b.rules.length; i++) if (!b.kept[i]) countRef(cur.table, b.rules[i]!, -1);
    before.clear();
    last = null;
  };
  // The payload, as the text its restored rules are lines of.
  const source: RestoredText = { text: payload };
  // Whether a chain was deleted or renamed in this table's transaction: until then every flushed
  // rule's jump target still exists (it existed at the last commit, and a referenced chain cannot go).
  let chainsGone = false;
  // The flushed chain the last line went to: kube-proxy writes a chain's lines one after another.
  let last: Reusing | null = null;
  /** The flushed chain a line appends to, if it is one. */
  const flushedOf = (text: string): Reusing | null => {
    if (last && text.startsWith(last.prefix)) return last;
    last = null;
    if (!cur || !text.startsWith("-A ")) return null;
    const end = text.indexOf(" ", 3);
    if (end < 0) return null;
    const name = text.slice(3, end);
    const prev = before.get(name);
    const chain = prev && cur.table.chains.get(name);
    if (!prev || !chain) return null;
    last = { prefix: text.slice(0, end + 1), prev, chain };
    return last;
  };
  /** A flushed rule moves back into its chain with fresh counters (put back if the table fails). */
  const keep = (f: Reusing, j: number): void => {
    const old = f.prev.rules[j]!;
    const c = old.counters;
    if (c.pkts !== 0 || c.bytes !== 0) {
      resetCounters.push(old, c.pkts, c.bytes);
      c.pkts = 0;
      c.bytes = 0;
    }
    f.chain.rules.push(old);
    // Its old rule's reference stays: the flush did not drop it yet.
    f.prev.kept[j] = 1;
    f.chain.instantiated = true;
    f.chain.index = null;
  };
  /**
   * The same line as the next old one (or one of the few after it, when lines were removed): the
   * old rule, not a new parse. A new line matches none and is parsed; the next one may match again.
   */
  const reuse = (f: Reusing, text: string): boolean => {
    const { prev } = f;
    let i = prev.next;
    const stop = Math.min(prev.rules.length, i + REUSE_AHEAD + 1);
    while (i < stop && !prev.rules[i]!.isLine(text)) i++;
    if (i === stop) return false;
    const old = prev.rules[i]!;
    if (chainsGone && old.jump !== null && !cur?.table.chains.has(old.jump)) return false;
    // The rule itself moves over and stands for the line just written: a sync rewriting ten thousand
    // rules then leaves almost nothing to collect, and the runs found at COMMIT are this payload's.
    keep(f, i);
    if (lineAt >= 0) old.moveTo(source, lineAt);
    prev.next = i + 1;
    return true;
  };
  /**
   * A run of the flushed chain written again as it was, at offset `at` of the payload, where the
   * old lines reused so far have reached: its rules move back at once. Returns how many lines and characters
   * it spans (null when the payload differs there).
   */
  const reuseRun = (f: Reusing, at: number): { lines: number; chars: number } | null => {
    const { prev } = f;
    const runs = prev.runs;
    if (!runs || chainsGone) return null;
    const from = prev.next;
    while (prev.run < runs.length && runs[prev.run]!.from < from) prev.run++;
    const run = runs[prev.run];
    if (!run || run.from !== from) return null;
    const end = at + run.text.length;
    // A slice compared whole is one memory comparison; startsWith at an offset goes character by character.
    if (payload.slice(at, end) !== run.text || (end < payload.length && payload.charCodeAt(end) !== 10))
      return null;
    const to = prev.run + 1 < runs.length ? runs[prev.run + 1]!.from : prev.rules.length;
    let pos = at;
    for (let j = from; j < to; j++) {
      keep(f, j);
      const r = prev.rules[j]!;
      r.moveTo(source, pos);
      pos += r.len + 1;
    }
    prev.run++;
    prev.next = to;
    return { lines: to - from, chars: run.text.length };
  };
  // Rules whose counters a reuse zeroed, with the old values: rule, packets, bytes.
  const resetCounters: Array<Rule | number> = [];
  const rollback = (): void => {
    if (!cur || !undo) return;
    for (let k = 0; k < resetCounters.length; k += 3) {
      const c = (resetCounters[k] as Rule).counters;
      c.pkts = resetCounters[k + 1] as number;
      c.bytes = resetCounters[k + 2] as number;
    }
    resetCounters.length = 0;
    delete cur.table.refs;
    // Originals first, then what the transaction created goes (a created chain it then copied has an
    // entry in undo too; a name whose original it deleted and made again is not in created).
    for (const [n, c] of undo) cur.table.chains.set(n, c);
    for (const n of created) cur.table.chains.delete(n);
    undo = null;
  };
  let stage: NfState | null = null;
  // The state a rule line runs against: the table being built, alone (made once per table, not per line).
  let tmp: NfState | null = null;
  // iptables-restore fails in two ways: a line it cannot parse (xtables_error, status 2) and a
  // command the kernel refuses when the table is committed ("line N failed", status 1).
  const fail = (msg: string, line: number, prefixed = true): { error: string; code: number } => ({
    error: `${prefixed ? "iptables-restore v1.8.9 (nf_tables): " : ""}${msg}\nError occurred at line: ${line}\nTry \`iptables-restore -h' or 'iptables-restore --help' for more information.\n`,
    code: 2,
  });
  const lineFailed = (line: number, msg?: string): { error: string; code: number } => ({
    error: `iptables-restore: line ${line} failed${msg ? `: ${msg}` : ""}\n`,
    code: 1,
  });
  /** The COMMIT line at or after line `ln` (starting at `from`) that closes its table (jump targets are resolved there). */
  const commitLine = (from: number, ln: number): number | null => {
    for (let pos = from, n = ln; pos <= payload.length; n++) {
      const end = lineEnd(pos);
      if (payload.slice(pos, end).trim() === "COMMIT") return n;
      pos = end + 1;
    }
    return null;
  };
  // The chain the last line appended to (owned for this transaction), while lines go on appending to it.
  let appending: { name: string; chain: Chain } | null = null;
  /**
   * Lines stop appending to a chain. Its rules array is cut to size: an array grown by push holds
   * room for sixteen, and a sync's hundred thousand two-rule chains would keep that room for good.
   */
  const leave = (): void => {
    if (appending) {
      const rules = appending.chain.rules;
      if (rules.length < LEAVE_ROOM) appending.chain.rules = rules.slice();
    }
    appending = null;
  };
  // The chain the last "-A" line named, as looked up for parseRestoreLine (its name string hashed once).
  let peekName = "";
  let peekChain: Chain | undefined;
  let peekTable: Table | null = null;
  /** How long the chain a line names is (parseRestoreLine's question), the chain remembered: one closure, not one a line. */
  const chainLength = (c: string): number => {
    if (c === appending?.name) return appending.chain.rules.length;
    peekName = c;
    peekChain = peekTable?.chains.get(c);
    return peekChain?.rules.length ?? 0;
  };
  // Where line i starts in the payload, and the line after it.
  let at = 0;
  let nextAt = 0;
  // `at` when the line is exactly as written in the payload (not trimmed), else -1.
  let lineAt = -1;
  // The commands of the table the kernel refuses (status 4), each reported when the batch is sent,
  // and the chains it keeps that iptables' view deleted (made again, they already exist).
  let refused: string[] = [];
  let keptByKernel = new Set<string>();
  // --test never sends the batch, so the kernel refuses nothing then.
  const refuse = (ln: number, e: IptError): void => {
    if (!o.test) refused.push(`line ${ln}: ${e.message.trim()}`);
  };
  const chainAdded = (ln: number, name: string): void => {
    if (keptByKernel.has(name) && !o.test)
      refused.push(`line ${ln}: CHAIN_USER_ADD failed (File exists): chain ${name}`);
  };
  const run = (): { error: string; code: number } | null => {
    for (let i = 0; nextAt <= payload.length; i++) {
      at = nextAt;
      const end = lineEnd(at);
      const raw = payload.slice(at, end);
      nextAt = end + 1;
      const line = raw.trim();
      const ln = i + 1;
      if (line === "" || line.startsWith("#")) continue;
      if (line.startsWith("*")) {
        const name = line.slice(1).trim();
        if (!TABLES.has(name)) return fail(`iptables-restore: line ${ln} table name '${name}' invalid`, ln);
        const tn = name as TableName;
        // A failing table changes nothing (the commit is atomic): a new table is swapped in at COMMIT,
        // a --noflush one is put back from the undo log.
        stage = { ...s, tables: new Map(s.tables), generation: s.generation };
        const old = s.tables.get(tn);
        undo = old && o.noflush ? new Map() : null;
        created = [];
        wrote = [];
        txn = ++lastTxn;
        refused = [];
        keptByKernel = new Set();
        before.clear();
        last = null;
        leave();
        chainsGone = false;
        const table: Table = old && o.noflush ? old : { name: tn, chains: new Map() };
        if (!undo) {
          // A flushed table keeps built-in policies unless the payload sets them.
          for (const c of BUILTIN_CHAINS[tn]) {
            const prev = old?.chains.get(c);
            table.chains.set(c, { ...newChain(c, true), policy: prev?.policy ?? "ACCEPT" });
          }
        }
        stage.tables.set(tn, table);
        cur = { name: tn, table, startLine: ln };
        tmp = { ...stage, tables: new Map([[tn, table]]) };
        continue;
      }
      if (!cur || !stage || !tmp) return lineFailed(ln);
      if (line === "COMMIT") {
        if (refused.length > 0)
          return {
            error: `iptables-restore v1.8.9 (nf_tables): \n${refused.map((l) => `${l}\n`).join("")}`,
            code: 4,
          };
        settle();
        leave();
        if ((o.table === null || o.table === cur.name) && !o.test) {
          s.tables.set(cur.name, cur.table);
          // The chains this transaction wrote: their indexes go, and a long chain of restored rules
          // keeps the runs of its lines (short ones cost little to read line by line).
          const written = (c: Chain): void => {
            c.index = null;
            const rules = c.rules.length >= LONG_CHAIN ? restoredRules(c.rules) : null;
            if (rules) c.runs = lineRuns(rules);
          };
          if (!undo) for (const c of cur.table.chains.values()) written(c);
          else for (const c of wrote) written(c);
          undo = null;
          resetCounters.length = 0;
          s.generation++;
        } else rollback();
        cur = null;
        stage = null;
        tmp = null;
        continue;
      }
      if (line.startsWith(":")) {
        const m = chainLine(line);
        if (!m) return fail(`Bad chain line`, ln);
        const [name, policy, pk, by] = m;
        last = null;
        leave();
        let existing = cur.table.chains.get(name);
        if (existing !== undefined && existing.txn !== txn) {
          own(name);
          existing = cur.table.chains.get(name);
        }
        if (BUILTIN_CHAINS[cur.name].includes(name)) {
          if (!existing) own(name);
          if (policy !== "ACCEPT" && policy !== "DROP") return lineFailed(ln, "Bad policy name.");
          const c = existing ?? newChain(name, true);
          c.policy = policy;
          c.counting = true;
          c.instantiated = true;
          c.counters =
            o.counters && pk !== undefined ? { pkts: Number(pk), bytes: Number(by) } : { pkts: 0, bytes: 0 };
          cur.table.chains.set(name, c);
        } else if (existing) {
          // A chain flushed twice: the first flush's rules are settled first.
          if (before.has(name)) settle();
          const restored = existing.rules.length >= LONG_CHAIN ? restoredRules(existing.rules) : null;
          if (restored)
            // The old rules' references are dropped later, all but those of the rules reused.
            before.set(name, {
              runs: existing.runs,
              run: 0,
              next: 0,
              rules: restored,
              kept: new Uint8Array(restored.length),
            });
          else countRefs(cur.table, existing.rules, -1);
          existing.rules = [];
          existing.index = null;
          existing.runs = undefined;
        } else {
          // A new chain: a failing transaction removes it, unless it stands for an original deleted.
          if (undo && !undo.has(name)) created.push(name);
          if (keptByKernel.size > 0) chainAdded(ln, name);
          const c = newChain(name, false);
          c.txn = txn;
          cur.table.chains.set(name, c);
          wrote.push(c);
        }
        continue;
      }
      let counters: { pkts: number; bytes: number } | null = null;
      let text = line;
      // Only a line starting "[" has counters: no regular expression run on the others.
      const cm = line.charCodeAt(0) === 91 ? /^\[(\d+):(\d+)\]\s+/.exec(line) : null;
      if (cm) {
        if (o.counters) counters = { pkts: Number(cm[1]), bytes: Number(cm[2]) };
        text = line.slice(cm[0].length);
      }
      lineAt = text === raw ? at : -1;
      const f = !counters && undo && before.size > 0 ? flushedOf(text) : null;
      if (f) {
        const run = lineAt >= 0 ? reuseRun(f, at) : null;
        if (run !== null) {
          // Past the run's lines: the loop's own step counts the last one.
          i += run.lines - 1;
          nextAt = at + run.chars + 1;
          continue;
        }
        if (reuse(f, text)) continue;
      }
      try {
        const table = cur.table;
        peekName = "";
        peekTable = table;
        const p = parseRestoreLine(text, chainLength);
        p.table = cur.name;
        // The common line, an append to an existing chain: checked and appended like -A, without the
        // table lookups of a command of its own (kube-proxy writes a chain's lines one after another).
        if (p.cmd === "A" && p.rule && p.chain !== null && !counters) {
          if (appending?.name !== p.chain) {
            leave();
            // The lookups by the string parseRestoreLine already hashed, when it names this chain.
            const peeked = peekName === p.chain;
            const name = peeked ? peekName : p.chain;
            const chain = peeked ? peekChain : table.chains.get(name);
            if (chain) {
              // A chain this transaction owns already (one it created or copied) is the one looked up.
              const mine = !undo || chain.txn === txn;
              if (!mine) own(name);
              appending = { name, chain: mine ? chain : table.chains.get(name)! };
            }
          }
          if (appending) {
            checkIfaces(p.chain, p.rule);
            nfState0.current = tmp;
            checkRule(table, appending.chain, p.rule, "RULE_APPEND");
            appendRule(tmp, table, appending.chain, p.rule);
            // A line as written is a stretch of the payload; another (trimmed) is its own text.
            if (lineAt >= 0) keepAsLine(appending.chain, p.rule, source, lineAt, text.length);
            else keepAsLine(appending.chain, p.rule, { text }, 0, text.length);
            last = null;
            continue;
          }
        }
        leave();
        // Copy what the command changes: its chain, or every chain for -F/-Z without one and -E.
        if (p.cmd === "E" || ((p.cmd === "F" || p.cmd === "Z" || p.cmd === "X") && p.chain === null))
          ownAll();
        else own(p.chain);
        // A rename makes a chain of the new name: a failing transaction removes it.
        if (p.cmd === "E") own(p.arg);
        if (counters && p.rule) p.counters = counters;
        if (p.cmd === "X") settle();
        if (p.cmd === "X" || p.cmd === "E") chainsGone = true;
        tmp.tables.set(cur.name, cur.table);
        runParsed(tmp, p, (e, kept) => {
          refuse(ln, e);
          if (kept !== undefined) keptByKernel.add(kept);
        });
        if (p.cmd === "N" && p.chain !== null && keptByKernel.size > 0) chainAdded(ln, p.chain);
        cur.table = tmp.tables.get(cur.name)!;
        last = null;
      } catch (e) {
        if (e instanceof IptError) {
          if (e.bare) return lineFailed(ln, e.message.replace(/^iptables: /, ""));
          // What the kernel refuses in the nft batch (status 4) is reported against the line that asked
          // for it, when the batch is sent at COMMIT: a later line iptables itself rejects is reported instead.
          if (e.code === 4) {
            refuse(ln, e);
            continue;
          }
          // A jump target is looked up when the table is committed: without a COMMIT, that is the error.
          if (/^Chain '.*' does not exist$/.test(e.message.trim())) {
            const commit = commitLine(at, ln);
            return commit !== null
              ? fail(e.message.trim(), commit)
              : { error: `iptables-restore: COMMIT expected at line ${lineTotal()}\n`, code: 1 };
          }
          return fail(e.message.trim(), ln, !e.unprefixed);
        }
        throw e;
      }
    }
    if (cur) return { error: `iptables-restore: COMMIT expected at line ${lineTotal()}\n`, code: 1 };
    return null;
  };
  let r: { error: string; code: number } | null = null;
  try {
    r = run();
  } finally {
    if (r !== null || undo) rollback();
    // The table being built is the checks' state for the restore's length only (see runParsed).
    nfState0.current = null;
  }
  return r;
}

export function iptablesRestoreCommand(argv: string[], ctx: CmdContext): CmdResult {
  const o: RestoreOpts = { noflush: false, counters: false, test: false, table: null };
  let file: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-n" || a === "--noflush") o.noflush = true;
    else if (a === "-c" || a === "--counters") o.counters = true;
    else if (a === "-t" || a === "--test") o.test = true;
    else if (a === "-T" || a === "--table") o.table = argv[++i] ?? null;
    else if (a === "-w" || a === "--wait" || a === "-v" || a === "--verbose") {
      /* accepted */
    } else if (a === "-W" || a === "--wait-interval" || a === "-M" || a === "--modprobe") i++;
    else if (/^-[nctv]+$/.test(a)) {
      if (a.includes("n")) o.noflush = true;
      if (a.includes("c")) o.counters = true;
      if (a.includes("t")) o.test = true;
    } else if (!a.startsWith("-")) file = a;
    else
      return {
        stdout: "",
        stderr: `iptables-restore: unrecognized option '${a}'\n`,
        exitCode: 1,
      };
  }
  let text = ctx.stdin;
  if (file !== null) {
    const f = ctx.readFile?.(file) ?? null;
    if (f === null)
      return { stdout: "", stderr: `Can't open ${file}: No such file or directory\n`, exitCode: 1 };
    text = f;
  }
  const err = restore(nfState(ctx.ns), text, o);
  if (err) return { stdout: "", stderr: err.error, exitCode: err.code };
  return { stdout: "", stderr: "", exitCode: 0 };
}
