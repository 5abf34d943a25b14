/**
 * @module dns/coredns/plugins/template
 * template CLASS TYPE [ZONE…] { match REGEX…; answer RR; additional RR; authority RR;
 *   rcode CODE; fallthrough [ZONE…] }  (plugin/template)
 * Records are Go templates over {{ .Name }}, {{ .Zone }}, {{ .Class }},
 * {{ .Type }}, {{ index .Match N }} and {{ .Group.NAME }}; this reads that
 * subset. A query in the zones whose name no regex matches is NXDOMAIN
 * (written by the server) unless it falls through.
 */
import type { Answer } from "dns-packet";
import { normalizeZoneArg } from "../../../corefile/index.js";
import {
  type Fall,
  FLAG,
  fallThrough,
  type Handler,
  matchZone,
  qname,
  qtype,
  RCODE,
  RCODE_NAMES,
  type Result,
  setReply,
} from "../../plugin.js";
import { parseRR } from "../../rr.js";
import { Controller, type SetupInput } from "../../setup.js";

export interface Template {
  qclass: string;
  qtype: string;
  zones: string[];
  regex: RegExp[];
  answer: string[];
  additional: string[];
  authority: string[];
  rcode: number;
  fall: Fall;
  line: number;
}

const TEMPLATE_VAR = /\{\{\s*(\.Name|\.Zone|\.Class|\.Type|index \.Match (\d+)|\.Group\.(\w+))\s*\}\}/;

export function setupTemplate(input: SetupInput): Template {
  const c = new Controller(input.directive);
  const args = c.args;
  if (args.length < 2) throw c.argErr(args[args.length - 1] ?? "template");
  const qclass = args[0]!.toUpperCase();
  const qt = args[1]!.toUpperCase();
  if (!["IN", "CH", "HS", "ANY"].includes(qclass)) throw c.err(`invalid query class ${args[0]}`);
  const zones = args.length > 2 ? args.slice(2).flatMap(normalizeZoneArg) : input.serverZones;
  const t: Template = {
    qclass,
    qtype: qt,
    zones,
    regex: [],
    answer: [],
    additional: [],
    authority: [],
    rcode: RCODE.NOERROR,
    fall: { zones: null },
    line: input.directive.line,
  };
  for (const bl of c.block) {
    const a = bl.args.map((x) => x.text);
    const line = bl.name.line;
    switch (bl.name.text) {
      case "match":
        if (a.length === 0) throw c.argErr(bl.name.text, line);
        for (const r of a) {
          try {
            t.regex.push(new RegExp(goRegex(r)));
          } catch {
            throw c.errf(`could not parse regex: ${r}`, line);
          }
        }
        break;
      case "answer":
      case "additional":
      case "authority": {
        if (a.length === 0) throw c.argErr(bl.name.text, line);
        for (const rrText of a) {
          // CoreDNS parses the Go template at startup; an action outside the modelled subset fails here too.
          const sample = render(rrText, { name: "", zone: "", class: "", type: "", match: [], group: {} });
          if (typeof sample !== "string") throw c.errf(sample.error, line);
          (bl.name.text === "answer"
            ? t.answer
            : bl.name.text === "additional"
              ? t.additional
              : t.authority
          ).push(rrText);
        }
        break;
      }
      case "rcode": {
        if (a.length !== 1) throw c.argErr(bl.name.text, line);
        const rc = RCODE_NAMES.indexOf(a[0]!.toUpperCase());
        if (rc < 0) throw c.errf(`unknown rcode ${a[0]}`, line);
        t.rcode = rc;
        break;
      }
      case "fallthrough":
        t.fall = { zones: a.length ? a.flatMap(normalizeZoneArg) : ["."] };
        break;
      case "upstream":
        break;
      default:
        throw c.errf(`unknown property '${bl.name.text}'`, line);
    }
  }
  if (t.regex.length === 0) t.regex.push(/.*/);
  return t;
}

/** Go's RE2 named groups (?P<n>…) in JavaScript's spelling. */
function goRegex(r: string): string {
  return r.replace(/\(\?P</g, "(?<");
}

interface TemplateData {
  name: string;
  zone: string;
  class: string;
  type: string;
  match: string[];
  group: Record<string, string>;
}

/** Render the Go-template subset; an unknown {{ … }} action is an error message (returned as an Answer-less string). */
function render(text: string, d: TemplateData): string | { error: string } {
  const re = new RegExp(TEMPLATE_VAR.source, "g");
  const out = text.replace(re, (_all, what: string, idx?: string, group?: string) => {
    if (what === ".Name") return d.name;
    if (what === ".Zone") return d.zone;
    if (what === ".Class") return d.class;
    if (what === ".Type") return d.type;
    if (idx !== undefined) return d.match[Number(idx)] ?? "";
    if (group !== undefined) return d.group[group] ?? "";
    return "";
  });
  if (/\{\{/.test(out)) return { error: `template action not modelled in "${text}"` };
  return out;
}

function renderRR(text: string, d: TemplateData): Answer | string {
  const r = render(text, d);
  if (typeof r !== "string") return r.error;
  return parseRR(r);
}

export function templateHandler(zones: string[], templates: Template[]): Handler {
  return {
    name: "template",
    serveDNS(_ctx, req, next): Result {
      const qn = qname(req.msg);
      const name = qn.toLowerCase();
      if (matchZone(zones, name) === "") return next(req);
      const cls = (req.msg.questions?.[0]?.class ?? "IN").toUpperCase();
      const type = qtype(req.msg);
      for (const t of templates) {
        if ((cls !== t.qclass && t.qclass !== "ANY") || (type !== t.qtype && t.qtype !== "ANY")) continue;
        const zone = matchZone(t.zones, name);
        if (zone === "") continue;
        let m: RegExpExecArray | null = null;
        for (const re of t.regex) if ((m = re.exec(qn))) break;
        if (!m) {
          if (fallThrough(t.fall, name)) continue;
          return { rcode: RCODE.NXDOMAIN };
        }
        const data: TemplateData = {
          name: qn,
          zone,
          class: cls,
          type,
          match: [...m],
          group: { ...(m.groups ?? {}) },
        };
        const reply = setReply(req.msg, t.rcode);
        reply.flags = (reply.flags ?? 0) | FLAG.AA;
        const build = (list: string[]): Answer[] | string => {
          const out: Answer[] = [];
          for (const x of list) {
            const r = renderRR(x, data);
            if (typeof r === "string") return r;
            out.push(r);
          }
          return out;
        };
        const ans = build(t.answer);
        const add = build(t.additional);
        const auth = build(t.authority);
        for (const r of [ans, add, auth])
          if (typeof r === "string") return { rcode: RCODE.SERVFAIL, err: `plugin/template: ${r}` };
        reply.answers = ans as Answer[];
        reply.additionals = add as Answer[];
        reply.authorities = auth as Answer[];
        return { rcode: t.rcode, reply, by: "template" };
      }
      return next(req);
    },
  };
}
