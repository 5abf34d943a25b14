/**
 * @module shell/commands/ip/rule
 * `ip rule add|del|show|flush` (iprule.c) over the namespace's fib rules.
 */
import { newRule, parseTableId, RT_TABLE_MAIN } from "../../../kernel/fib/table.js";
import type { FibRule } from "../../../kernel/types.js";
import { CmdError } from "../../types.js";
import { Args, getUnsigned, invarg, matches, rtnlError } from "./args.js";
import { badPrefix, type IpCtx, json, parsePrefix } from "./common.js";
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
    } else throw new CmdError(`Error: argument "${w}" is wrong: Failed to parse rule type\n`, 255);
  }
  return { rule, prefGiven, tableGiven, given };
}

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
        (!p.given.has("action") || x.action === r.action),
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
      ip.out.push(json(shown.map(ruleJson), ip.opts.pretty));
      return;
    }
    for (const r of shown) ip.out.push(`${ruleText(r)}\n`);
    return;
  }
  throw new CmdError(`Command "${cmd}" is unknown, try "ip rule help".`, 255);
}
