/**
 * @module proxy/iptables/testing
 * The helpers of upstream's proxier_test.go and pkg/util/iptables/testing,
 * for tests: a parser of iptables-restore text into tables, chains and rules
 * (ParseIPTablesDump), sortIPTablesRules (the normalisation the expected
 * outputs are written in), checkIPTablesRuleJumps, and tracePacket, the
 * evaluator that walks a packet through the generated rules.
 */
import { inPrefix, parseIPv4 } from "../../net/ip.js";
import { kubeNodePortsChain, kubeServicesChain } from "./chain-names.js";
import type { JumpRule } from "./proxier.js";

/** A match value, possibly negated ("! -s 10.0.0.0/8"). */
export interface IPTablesValue {
  negated: boolean;
  value: string;
}

export interface Rule {
  raw: string;
  chain: string;
  comment: IPTablesValue | null;
  sourceAddress: IPTablesValue | null;
  destinationAddress: IPTablesValue | null;
  protocol: IPTablesValue | null;
  sourceType: IPTablesValue | null;
  destinationType: IPTablesValue | null;
  destinationPort: IPTablesValue | null;
  jump: IPTablesValue | null;
  probability: IPTablesValue | null;
  dnatDestination: IPTablesValue | null;
  affinityCheck: IPTablesValue | null;
  markCheck: IPTablesValue | null;
  ctStateCheck: IPTablesValue | null;
}

export interface Chain {
  name: string;
  rules: Rule[];
  deleted: boolean;
}

export interface Table {
  name: string;
  chains: Chain[];
}

/** Split a rule line into words, keeping "quoted strings" whole (quotes removed). */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2]!);
  return out;
}

const FLAGS: Record<string, keyof Omit<Rule, "raw" | "chain">> = {
  "--comment": "comment",
  "-s": "sourceAddress",
  "--source": "sourceAddress",
  "-d": "destinationAddress",
  "--destination": "destinationAddress",
  "-p": "protocol",
  "--src-type": "sourceType",
  "--dst-type": "destinationType",
  "--dport": "destinationPort",
  "-j": "jump",
  "--probability": "probability",
  "--to-destination": "dnatDestination",
  "--rcheck": "affinityCheck",
  "--mark": "markCheck",
  "--ctstate": "ctStateCheck",
};
const NO_VALUE = new Set(["--rcheck"]);

function parseRule(raw: string): Rule {
  const w = splitWords(raw);
  const rule: Rule = {
    raw,
    chain: w[1] ?? "",
    comment: null,
    sourceAddress: null,
    destinationAddress: null,
    protocol: null,
    sourceType: null,
    destinationType: null,
    destinationPort: null,
    jump: null,
    probability: null,
    dnatDestination: null,
    affinityCheck: null,
    markCheck: null,
    ctStateCheck: null,
  };
  for (let i = 2; i < w.length; i++) {
    const negated = w[i] === "!";
    if (negated) i++;
    const field = FLAGS[w[i]!];
    if (!field) continue;
    if (NO_VALUE.has(w[i]!)) rule[field] = { negated, value: "" };
    else rule[field] = { negated, value: w[++i] ?? "" };
  }
  return rule;
}

/** ParseIPTablesDump: iptables-restore (or -save) text into tables. */
export function parseIPTablesDump(text: string): Table[] {
  const tables: Table[] = [];
  let t: Table | null = null;
  const chain = (name: string): Chain => {
    let c = t!.chains.find((x) => x.name === name);
    if (!c) t!.chains.push((c = { name, rules: [], deleted: false }));
    return c;
  };
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("*")) tables.push((t = { name: line.slice(1), chains: [] }));
    else if (line === "COMMIT") t = null;
    else if (!t) throw new Error(`line outside a table: ${line}`);
    else if (line.startsWith(":")) chain(line.slice(1).split(" ")[0]!);
    else if (line.startsWith("-X ")) chain(line.slice(3)).deleted = true;
    else if (line.startsWith("-A ")) {
      const r = parseRule(line);
      chain(r.chain).rules.push(r);
    } else throw new Error(`unexpected line: ${line}`);
  }
  return tables;
}

/** IPTablesDump.String(): chains, then every chain's rules, then the deleted chains. */
export function dumpString(tables: readonly Table[]): string {
  let out = "";
  for (const t of tables) {
    out += `*${t.name}\n`;
    for (const c of t.chains) out += `:${c.name} - [0:0]\n`;
    for (const c of t.chains) for (const r of c.rules) out += `${r.raw}\n`;
    for (const c of t.chains) if (c.deleted) out += `-X ${c.name}\n`;
    out += "COMMIT\n";
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** orderByCommentServiceName: the service name is the comment up to the first space or colon. */
function commentServiceName(r: Rule): string | null {
  if (!r.comment) return null;
  const v = r.comment.value;
  const i = v.search(/[ :]/);
  return i === -1 ? v : v.slice(0, i);
}

function byServiceName(a: Rule, b: Rule): number {
  const x = commentServiceName(a);
  const y = commentServiceName(b);
  if (x === null || y === null) return 0;
  return cmp(x, y);
}

function chainRank(name: string): number {
  if (name === kubeNodePortsChain) return 0;
  if (name === kubeServicesChain) return 1;
  return name.startsWith("KUBE-") ? 2 : 3;
}

/** sortIPTablesRules: the order upstream's expected outputs are written in. */
export function sortIPTablesRules(text: string): string {
  const tables = parseIPTablesDump(text).sort((a, b) => cmp(a.name, b.name));
  for (const t of tables) {
    t.chains.sort((a, b) => chainRank(a.name) - chainRank(b.name) || cmp(a.name, b.name));
    for (const c of t.chains) {
      if (c.name === kubeNodePortsChain || (c.name === kubeServicesChain && t.name === "filter")) {
        c.rules.sort(byServiceName); // Array.prototype.sort is stable, as sort.SliceStable
      } else if (c.name === kubeServicesChain && t.name === "nat") {
        const last = (r: Rule) => r.comment?.value.includes("must be the last rule") ?? false;
        c.rules.sort((a, b) => Number(last(a)) - Number(last(b)) || byServiceName(a, b));
      }
    }
  }
  return dumpString(tables);
}

/** The rules of one chain, raw, one per line (assertIPTablesChainEqual's result). */
export function chainRules(text: string, table: string, chain: string): string {
  const c = parseIPTablesDump(text)
    .find((t) => t.name === table)
    ?.chains.find((x) => x.name === chain);
  return (c?.rules ?? []).map((r) => `${r.raw}\n`).join("");
}

/** checkIPTablesRuleJumps: every jump and -A names a created chain, no created chain is unused. Returns the problem or null. */
export function checkIPTablesRuleJumps(text: string): string | null {
  const builtinTargets = new Set([
    "ACCEPT",
    "REJECT",
    "DROP",
    "MARK",
    "RETURN",
    "DNAT",
    "SNAT",
    "MASQUERADE",
  ]);
  const topLevel = new Set([
    "KUBE-SERVICES",
    "KUBE-EXTERNAL-SERVICES",
    "KUBE-NODEPORTS",
    "KUBE-POSTROUTING",
    "KUBE-FORWARD",
    "KUBE-MARK-MASQ",
    "KUBE-PROXY-FIREWALL",
    "KUBE-FIREWALL",
  ]);
  for (const t of parseIPTablesDump(text)) {
    const created = new Set(t.chains.filter((c) => !c.deleted).map((c) => c.name));
    const filled = new Set(t.chains.filter((c) => c.rules.length > 0).map((c) => c.name));
    const jumped = new Set(
      t.chains
        .flatMap((c) => c.rules.map((r) => r.jump?.value ?? ""))
        .filter((j) => j && !builtinTargets.has(j)),
    );
    const missing = [...jumped, ...filled].filter((c) => !created.has(c));
    if (missing.length > 0)
      return `some chains in ${t.name} are used but were not created: ${missing.join(",")}`;
    const empty = [...jumped].filter((c) => !filled.has(c) && c !== kubeNodePortsChain);
    if (empty.length > 0)
      return `some chains in ${t.name} are jumped to but have no rules: ${empty.join(",")}`;
    const extra = [...created].filter((c) => !jumped.has(c) && !topLevel.has(c));
    if (extra.length > 0) return `some chains in ${t.name} are created but not used: ${extra.join(",")}`;
  }
  return null;
}

/** The restore payload with the jump rules in the built-in chains, as the fake iptables holds them after a sync. */
export function withJumpRules(payload: string, jumps: readonly JumpRule[]): Table[] {
  const tables = parseIPTablesDump(payload);
  for (const j of jumps) {
    const t = tables.find((x) => x.name === j.table)!;
    let c = t.chains.find((x) => x.name === j.chain);
    if (!c) t.chains.unshift((c = { name: j.chain, rules: [], deleted: false }));
    const raw = ["-A", j.chain, ...j.args.map((a) => (a.includes(" ") ? `"${a}"` : a))].join(" ");
    c.rules.unshift(parseRule(raw));
  }
  return tables;
}

function addressMatches(v: IPTablesValue, ip: string): boolean {
  const [a, l] = v.value.split("/");
  const net = parseIPv4(a ?? "");
  const addr = parseIPv4(ip);
  const m = net !== null && addr !== null && inPrefix(addr, net, Number(l ?? "32"));
  return v.negated ? !m : m;
}

function valueMatches(v: IPTablesValue, s: string): boolean {
  return v.negated ? v.value !== s : v.value === s;
}

export interface TraceResult {
  matches: string[];
  /** Comma-separated endpoints, or "ACCEPT" / "DROP" / "REJECT", or "". */
  output: string;
  masq: boolean;
}

/**
 * tracePacket: nat PREROUTING, then (destination rewritten by a pending DNAT)
 * the filter KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS and
 * KUBE-PROXY-FIREWALL chains. --src/--dst-type LOCAL means one of nodeIPs or
 * localhost; rules checking history (recent, mark, conntrack) never match; a
 * probabilistic jump does not end the chain, so every endpoint is listed.
 */
export function tracePacket(
  tables: readonly Table[],
  sourceIP: string,
  protocol: string,
  destIP: string,
  destPort: string,
  nodeIPs: readonly string[],
): TraceResult {
  const localIPs = new Set(["127.0.0.1", ...nodeIPs]);
  const matches: string[] = [];
  const outputs: string[] = [];
  let masq = false;

  const ruleMatches = (r: Rule, dst: string): boolean => {
    if (r.sourceAddress && !addressMatches(r.sourceAddress, sourceIP)) return false;
    if (r.sourceType && !valueMatches(r.sourceType, localIPs.has(sourceIP) ? "LOCAL" : "not-matched"))
      return false;
    if (r.protocol && !valueMatches(r.protocol, protocol)) return false;
    if (r.destinationAddress && !addressMatches(r.destinationAddress, dst)) return false;
    if (r.destinationType && !valueMatches(r.destinationType, localIPs.has(dst) ? "LOCAL" : "not-matched"))
      return false;
    if (r.destinationPort && !valueMatches(r.destinationPort, destPort)) return false;
    return !(r.affinityCheck || r.markCheck || r.ctStateCheck);
  };

  const runChain = (table: string, chain: string, dst: string): boolean => {
    const c = tables.find((t) => t.name === table)?.chains.find((x) => x.name === chain);
    for (const r of c?.rules ?? []) {
      if (!r.jump || !ruleMatches(r, dst)) continue;
      matches.push(r.raw);
      switch (r.jump.value) {
        case "KUBE-MARK-MASQ":
          masq = true;
          continue;
        case "ACCEPT":
        case "REJECT":
        case "DROP":
          outputs.push(r.jump.value);
          return true;
        case "DNAT":
          outputs.push(r.dnatDestination?.value ?? "");
          return true;
        default:
          if (runChain(table, r.jump.value, dst) && !r.probability) return true;
      }
    }
    return false;
  };

  runChain("nat", "PREROUTING", destIP);
  const dst = outputs.length > 0 ? outputs[0]!.split(":")[0]! : destIP;
  for (const c of ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL"])
    runChain("filter", c, dst);
  return { matches, output: outputs.join(", "), masq };
}
