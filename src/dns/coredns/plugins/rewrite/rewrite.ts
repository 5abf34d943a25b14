/**
 * @module dns/coredns/plugins/rewrite
 * rewrite [continue|stop] name [exact|prefix|suffix|substring|regex] FROM TO
 *   [answer auto | answer name FROM TO [answer value FROM TO]]
 * rewrite [continue|stop] type FROM TO            (plugin/rewrite)
 * The question is rewritten before the rest of the chain; the reply gets the
 * original question back, and record names (every section, as the
 * ResponseReverter does) are rewritten back only when an `answer` clause
 * asks for it. Regex replacements use {1}-style groups.
 */
import type { Answer, Packet, RecordType } from "dns-packet";
import { type Handler, norm, qname } from "../../plugin.js";
import { Controller, type SetupInput } from "../../setup.js";

type MatchType = "exact" | "prefix" | "suffix" | "substring" | "regex";

export interface NameRule {
  field: "name";
  mode: "stop" | "continue";
  match: MatchType;
  from: string;
  to: string;
  regex?: RegExp;
  /** How answer owner names (and values) are rewritten back. */
  answer: "none" | "auto" | { name: [RegExp, string]; value?: [RegExp, string] };
}
export interface TypeRule {
  field: "type";
  mode: "stop" | "continue";
  from: string;
  to: string;
}
export type RewriteRule = NameRule | TypeRule;

const MATCH_TYPES = ["exact", "prefix", "suffix", "substring", "regex"];

export function setupRewrite(input: SetupInput): RewriteRule {
  const c = new Controller(input.directive);
  let args = c.args;
  let mode: "stop" | "continue" = "stop";
  if (args[0] === "stop" || args[0] === "continue") {
    mode = args[0];
    args = args.slice(1);
  }
  const field = args[0];
  if (!field) throw c.argErr("rewrite");
  if (field === "type") {
    if (args.length !== 3) throw c.err(`type rule must have 2 arguments`);
    return { field: "type", mode, from: args[1]!.toUpperCase(), to: args[2]!.toUpperCase() };
  }
  if (field !== "name") throw c.err(`invalid rule type "${field}" (kubetwin models the name and type rules)`);
  let rest = args.slice(1);
  let match: MatchType = "exact";
  if (MATCH_TYPES.includes(rest[0] ?? "") && rest.length >= 3) {
    match = rest[0] as MatchType;
    rest = rest.slice(1);
  }
  if (rest.length < 2) throw c.err("too few arguments for a name rule");
  const isRe = match === "regex";
  const from = isRe
    ? rest[0]!
    : match === "exact" || match === "suffix"
      ? norm(rest[0]!)
      : rest[0]!.toLowerCase();
  const to = isRe
    ? rest[1]!
    : match === "exact" || match === "suffix"
      ? norm(rest[1]!)
      : rest[1]!.toLowerCase();
  let regex: RegExp | undefined;
  if (isRe) {
    try {
      regex = new RegExp(from);
    } catch {
      throw c.err(`invalid regex pattern in a name rule: ${from}`);
    }
  }
  let answer: NameRule["answer"] = "none";
  const tail = rest.slice(2);
  if (tail.length) {
    if (tail[0] !== "answer") throw c.err(`unexpected argument "${tail[0]}"`);
    if (tail[1] === "auto" && tail.length === 2) answer = "auto";
    else if (tail[1] === "name" && tail.length >= 4) {
      const re = (src: string): RegExp => {
        try {
          return new RegExp(src);
        } catch {
          throw c.err(`invalid regex pattern in an answer rule: ${src}`);
        }
      };
      const name: [RegExp, string] = [re(tail[2]!), tail[3]!];
      let value: [RegExp, string] | undefined;
      if (tail.length === 8 && tail[4] === "answer" && tail[5] === "value") value = [re(tail[6]!), tail[7]!];
      else if (tail.length !== 4) throw c.err("the answer rule for a name rule is malformed");
      answer = value ? { name, value } : { name };
    } else throw c.err("the answer rule for a name rule is malformed");
  }
  const rule: NameRule = { field: "name", mode, match, from, to, answer };
  if (regex) rule.regex = regex;
  return rule;
}

/** {1}, {2}… groups of a regex match substituted into a template. */
function fill(template: string, groups: RegExpExecArray): string {
  return template.replace(/\{(\d+)\}/g, (_, n: string) => groups[Number(n)] ?? "");
}

/** The rewritten name, or null when the rule does not match. */
export function rewriteName(rule: NameRule, name: string): string | null {
  const n = name.toLowerCase();
  switch (rule.match) {
    case "exact":
      return n === rule.from ? rule.to : null;
    case "prefix":
      return n.startsWith(rule.from) ? rule.to + n.slice(rule.from.length) : null;
    case "suffix":
      return n.endsWith(rule.from) ? n.slice(0, n.length - rule.from.length) + rule.to : null;
    case "substring":
      return n.includes(rule.from) ? n.replace(rule.from, rule.to) : null;
    case "regex": {
      const m = rule.regex!.exec(n);
      return m ? norm(fill(rule.to, m)) : null;
    }
  }
}

/** answer auto: the rule run backwards over a reply's owner name. */
function revertAuto(rule: NameRule, name: string): string {
  const back: NameRule = { ...rule, from: rule.to, to: rule.from, answer: "none" };
  if (rule.match === "regex") return name;
  return rewriteName(back, name) ?? name;
}

function revertRR(rule: NameRule, r: Answer): Answer {
  if (rule.answer === "none" || r.type === "OPT") return r;
  if (rule.answer === "auto") return { ...r, name: revertAuto(rule, norm(r.name)) };
  const [re, tpl] = rule.answer.name;
  const m = re.exec(norm(r.name));
  let out: Answer = m ? { ...r, name: norm(fill(tpl, m)) } : r;
  const value = rule.answer.value;
  if (value && (out.type === "CNAME" || out.type === "PTR" || out.type === "NS")) {
    const vm = value[0].exec(norm(out.data));
    if (vm) out = { ...out, data: norm(fill(value[1], vm)) };
  }
  return out;
}

export function rewriteHandler(rules: RewriteRule[]): Handler {
  return {
    name: "rewrite",
    serveDNS(_ctx, req, next) {
      const q = req.msg.questions?.[0];
      if (!q) return next(req);
      const original = { ...q };
      let question = { ...q };
      const applied: NameRule[] = [];
      for (const rule of rules) {
        let done = false;
        if (rule.field === "name") {
          const to = rewriteName(rule, qname({ questions: [question] }));
          if (to !== null) {
            question = { ...question, name: to.replace(/\.$/, "") || "." };
            applied.push(rule);
            done = true;
          }
        } else if (question.type === rule.from) {
          question = { ...question, type: rule.to as RecordType };
          done = true;
        }
        if (done && rule.mode === "stop") break;
      }
      if (question.name === original.name && question.type === original.type) return next(req);
      const res = next({ ...req, msg: { ...req.msg, questions: [question] } });
      if (!res.reply) return res;
      // ResponseReverter: the client gets its own question back.
      const back = (rrs: Answer[] | undefined) =>
        (rrs ?? []).map((r) => applied.reduce((acc, rule) => revertRR(rule, acc), r));
      const reply: Packet = {
        ...res.reply,
        questions: [original],
        answers: back(res.reply.answers),
        authorities: back(res.reply.authorities),
        additionals: back(res.reply.additionals),
      };
      return { ...res, reply };
    },
  };
}
