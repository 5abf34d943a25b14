/**
 * @module shell/commands/ip/rule
 * `ip rule add|del|show|flush` (iprule.c) over the namespace's fib rules.
 */
import { newRule, parseTableId, RT_TABLE_MAIN } from "../../../kernel/fib/table.js";
import type { FibRule } from "../../../kernel/types.js";
import { CmdError } from "../../types.js";
import { Args, getUnsigned, invarg, matches, rtnlError } from "./args.js";
import { badPrefix, type IpCtx, inetProtoA2n, json, parsePrefix } from "./common.js";
import { ruleJson, ruleText } from "./print.js";

interface RuleArgs {
  rule: FibRule;
  prefGiven: boolean;
  tableGiven: boolean;
  given: Set<string>;
}

function parseRule(a: Args): RuleArgs {
  const rule: FibRule = newRule(0, RT_TABLE_MAIN);
  const given = new Set<string>();
  let prefGiven = false;
  let tableGiven = false;
  while (a.more) {
    const w = a.take();
    if (w === "not") rule.not = true;
    else if (w === "from" || w === "to") {
      const v = a.next();
      const p = parsePrefix(v, 4);
      if (p?.family !== 4) badPrefix(v);
      if (w === "from") {
        rule.src = p.len === 0 ? null : p.addr;
        rule.srcLen = p.len;
      } else {
        rule.dst = p.len === 0 ? null : p.addr;
        rule.dstLen = p.len;
      }
      given.add(w);
    } else if (w === "iif" || w === "dev") {
      rule.iif = a.next();
      given.add("iif");
    } else if (w === "oif") {
      rule.oif = a.next();
      given.add("oif");
    } else if (w === "fwmark") {
      const v = a.next();
      const [m, mask] = v.split("/");
      const mv = getUnsigned(m ?? "");
      if (mv === null) invarg("fwmark value is invalid\n", v);
      rule.fwmark = mv;
      if (mask !== undefined) {
        const k = getUnsigned(mask);
        if (k === null) invarg("fwmask value is invalid\n", v);
        rule.fwmask = k;
      }
      given.add("fwmark");
    } else if (matches(w, "preference") || matches(w, "priority") || w === "order") {
      const v = a.next();
      const n = getUnsigned(v);
      if (n === null) invarg("preference value is invalid\n", v);
      rule.priority = n;
      prefGiven = true;
    } else if (w === "table" || matches(w, "lookup")) {
      const v = a.next();
      const t = parseTableId(v);
      if (t === null) invarg("invalid table ID\n", v);
      rule.table = t;
      tableGiven = true;
      given.add("table");
    } else if (w === "blackhole" || w === "unreachable" || w === "prohibit") {
      rule.action = w;
      given.add("action");
    } else if (w === "protocol" || w === "proto") {
      rule.protocol = a.next();
    } else if (w === "type") {
      const t = a.next();
      if (t === "blackhole" || t === "unreachable" || t === "prohibit") rule.action = t;
    } else if (w === "tos" || matches(w, "dsfield")) {
      // rtnl_dsfield_a2n: hexadecimal, with or without 0x.
      const v = a.next();
      if (!/^(0[xX])?[0-9a-fA-F]+$/.test(v) || Number.parseInt(v, 16) > 255)
        invarg("TOS value is invalid\n", v);
      rule.tos = Number.parseInt(v, 16);
      given.add("tos");
    } else if (w === "ipproto") {
      const v = a.next();
      const n = inetProtoA2n(v);
      if (n === null) invarg('Invalid "ipproto" value\n', v);
      rule.ipproto = n;
      given.add("ipproto");
    } else if (w === "sport" || w === "dport") {
      const v = a.next();
      const r = numRange(v, 0xffff);
      if (r === null) invarg(`invalid ${w}\n`, v);
      rule[w] = r;
      given.add(w);
    } else if (w === "uidrange") {
      const v = a.next();
      const r = /^\d+-\d+$/.test(v) ? numRange(v, null) : null;
      if (r === null) invarg("invalid UID range\n", v);
      rule.uidrange = r;
      given.add("uidrange");
    } else if (w === "goto") {
      const v = a.next();
      const n = getUnsigned(v);
      if (n === null) invarg("invalid target\n", v);
      rule.action = "goto";
      rule.goto = n;
      given.add("action");
    } else if (w === "nop") {
      rule.action = "nop";
      given.add("action");
    } else if (w === "suppress_prefixlength" || matches(w, "sup_pl")) {
      const v = a.next();
      if (!/^-?\d+$/.test(v)) invarg("suppress_prefixlength value is invalid\n", v);
      rule.suppressPrefixlen = Number.parseInt(v, 10);
    } else throw new CmdError(`Error: argument "${w}" is wrong: Failed to parse rule type\n`, 255);
  }
  return { rule, prefGiven, tableGiven, given };
}

/** "N" or "N-M" (iprule's port and UID ranges); ports kept in 16 bits, as iprule stores them. */
function numRange(v: string, mask: number | null): [number, number] | null {
  const m = /^(\d+)(?:-(\d+))?$/.exec(v);
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return mask === null ? [lo, hi] : [lo & mask, hi & mask];
}

const sameRange = (x: [number, number] | null, y: [number, number] | null): boolean =>
  x === y || (x !== null && y !== null && x[0] === y[0] && x[1] === y[1]);

function same(a: FibRule, b: FibRule): boolean {
  return (
    a.priority === b.priority &&
    a.src === b.src &&
    a.srcLen === b.srcLen &&
    a.dst === b.dst &&
    a.dstLen === b.dstLen &&
    a.iif === b.iif &&
    a.oif === b.oif &&
    a.fwmark === b.fwmark &&
    a.fwmask === b.fwmask &&
    a.table === b.table &&
    a.action === b.action &&
    a.goto === b.goto &&
    a.tos === b.tos &&
    a.ipproto === b.ipproto &&
    sameRange(a.sport, b.sport) &&
    sameRange(a.dport, b.dport) &&
    sameRange(a.uidrange, b.uidrange) &&
    a.suppressPrefixlen === b.suppressPrefixlen &&
    a.not === b.not
  );
}

export function doRule(ip: IpCtx, argv: string[]): void {
  const a = new Args(argv);
  const cmd = a.more ? a.take() : "show";
  const rules = ip.ns.rules;
  if (matches(cmd, "add") || matches(cmd, "insert")) {
    const p = parseRule(a);
    // A rule that does not look up a table carries none unless one was given.
    if (p.rule.action !== "lookup" && !p.tableGiven) p.rule.table = 0;
    if (!p.prefGiven) p.rule.priority = rules.defaultPref();
    // fib4_rule_configure and fib_nl2rule's checks.
    if (p.rule.tos & ~0x1e) rtnlError({ errno: "EINVAL", extack: "Invalid tos" });
    if (p.rule.action === "goto" && p.rule.goto! <= p.rule.priority)
      rtnlError({ errno: "EINVAL", extack: "Backward goto not supported" });
    if (rules.rules.some((r) => same(r, p.rule))) rtnlError({ errno: "EEXIST" });
    rules.add(p.rule);
    return;
  }
  if (matches(cmd, "delete")) {
    const p = parseRule(a);
    const r = p.rule;
    const i = rules.rules.findIndex(
      (x) =>
        (!p.prefGiven || x.priority === r.priority) &&
        (!p.given.has("from") || (x.src === r.src && x.srcLen === r.srcLen)) &&
        (!p.given.has("to") || (x.dst === r.dst && x.dstLen === r.dstLen)) &&
        (!p.given.has("iif") || x.iif === r.iif) &&
        (!p.given.has("oif") || x.oif === r.oif) &&
        (!p.given.has("fwmark") || x.fwmark === r.fwmark) &&
        (!p.given.has("table") || x.table === r.table) &&
        (!p.given.has("action") || (x.action === r.action && x.goto === r.goto)) &&
        (!p.given.has("tos") || x.tos === r.tos) &&
        (!p.given.has("ipproto") || x.ipproto === r.ipproto) &&
        (!p.given.has("sport") || sameRange(x.sport, r.sport)) &&
        (!p.given.has("dport") || sameRange(x.dport, r.dport)) &&
        (!p.given.has("uidrange") || sameRange(x.uidrange, r.uidrange)),
    );
    if (i < 0) rtnlError({ errno: "ENOENT" });
    rules.rules.splice(i, 1);
    return;
  }
  if (matches(cmd, "flush")) {
    rules.rules = rules.rules.filter((r) => r.priority === 0);
    return;
  }
  if (matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst")) {
    if (ip.opts.family === 6) {
      ip.out.push(ip.opts.json ? "[]\n" : "");
      return;
    }
    // FIB_RULE_UNRESOLVED: a goto to a priority no rule has.
    const unresolved = (r: FibRule): boolean =>
      r.action === "goto" && !rules.rules.some((x) => x.priority === r.goto);
    // iprule_list's filter: the selectors given on the command line.
    const f = parseRule(a);
    const shown = rules.rules.filter(
      (r) =>
        (!f.prefGiven || r.priority === f.rule.priority) &&
        (!f.tableGiven || r.table === f.rule.table) &&
        (f.rule.src === null || (r.src === f.rule.src && r.srcLen === f.rule.srcLen)) &&
        (f.rule.dst === null || (r.dst === f.rule.dst && r.dstLen === f.rule.dstLen)),
    );
    if (ip.opts.json) {
      ip.out.push(
        json(
          shown.map((r) => ruleJson(r, unresolved(r), ip.opts.details)),
          ip.opts.pretty,
        ),
      );
      return;
    }
    for (const r of shown) ip.out.push(`${ruleText(r, unresolved(r), ip.opts.details)}\n`);
    return;
  }
  throw new CmdError(`Command "${cmd}" is unknown, try "ip rule help".`, 255);
}
