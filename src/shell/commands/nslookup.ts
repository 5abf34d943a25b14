/**
 * @module shell/commands/nslookup
 * BIND 9.18's nslookup in its non-interactive form: `nslookup [-opt…] NAME
 * [SERVER]`, A then AAAA (PTR for an address), through the search list.
 */
import type { Answer, RecordType, SoaData } from "dns-packet";
import { type Message, reverseName } from "../../dns/resolver/index.js";
import type { CmdContext, CmdResult } from "../types.js";
import { digLookup, resolvConfServers } from "./bind/dighost.js";
import { fqdn, rdataText } from "./bind/masterdump.js";
import { idSeed, resolvConfOf, spend, transportOf } from "./bind/tool-context.js";
import { RR_TYPES } from "./dig.js";

const bare = (n: string) => n.replace(/\.$/, "");

/** nslookup.c printsection's wording per type. */
function describe(rr: Answer): string {
  const owner = bare(rr.name);
  switch (rr.type) {
    case "A":
    case "AAAA":
      return `Name:\t${owner}\nAddress: ${rdataText(rr)}\n`;
    case "CNAME":
      return `${owner}\tcanonical name = ${rdataText(rr)}\n`;
    case "PTR":
      return `${owner}\tname = ${rdataText(rr)}\n`;
    case "MX":
      return `${owner}\tmail exchanger = ${rdataText(rr)}\n`;
    case "NS":
      return `${owner}\tnameserver = ${rdataText(rr)}\n`;
    case "TXT":
      return `${owner}\ttext = ${rdataText(rr)}\n`;
    case "SRV":
      return `${owner}\tservice = ${rdataText(rr)}\n`;
    case "SOA": {
      const s = (rr as { data: SoaData }).data;
      return (
        `${owner}\n\torigin = ${bare(fqdn(s.mname))}\n\tmail addr = ${bare(fqdn(s.rname))}\n\tserial = ${s.serial ?? 0}\n` +
        `\trefresh = ${s.refresh ?? 0}\n\tretry = ${s.retry ?? 0}\n\texpire = ${s.expire ?? 0}\n\tminimum = ${s.minimum ?? 0}\n`
      );
    }
    default:
      return `${owner}\trdata_${rr.type} = ${rdataText(rr)}\n`;
  }
}

export async function nslookupCommand(argv: string[], ctx: CmdContext): Promise<CmdResult> {
  let type: RecordType | null = null;
  let port = 53;
  let timeout = 5;
  let tries = 3;
  const pos: string[] = [];
  for (const a of argv) {
    const m = /^-(\w+)(?:=(.*))?$/.exec(a);
    if (!m) {
      pos.push(a);
      continue;
    }
    const v = m[2] ?? "";
    switch (m[1]) {
      case "type":
      case "query":
      case "q":
      case "querytype":
        if (!RR_TYPES.has(v.toUpperCase()))
          return { stdout: `unknown query type: ${v}\n`, stderr: "", exitCode: 1 };
        type = v.toUpperCase() as RecordType;
        break;
      case "port":
        port = Number(v) || 53;
        break;
      case "timeout":
        timeout = Math.max(1, Number(v) || 1);
        break;
      case "retry":
        tries = Math.max(1, Number(v) || 1);
        break;
      default:
        break;
    }
  }
  if (pos.length === 0)
    return { stdout: "", stderr: "kubetwin: interactive nslookup is not modelled\n", exitCode: 1 };
  const conf = resolvConfServers(resolvConfOf(ctx));
  const server = pos[1] ?? null;
  const servers = server !== null ? [server] : conf.servers;
  const rev = reverseName(pos[0]!);
  const name = rev ?? pos[0]!;
  const types: RecordType[] = type ? [type] : rev ? ["PTR"] : ["A", "AAAA"];
  let out = "";
  let qname: string | null = null;
  let elapsed = 0;
  let aEmpty = false;
  let exitCode = 0;
  for (const [i, t] of types.entries()) {
    const r = await digLookup(
      {
        name: qname ?? name,
        type: t,
        servers,
        port,
        tcp: false,
        recurse: true,
        tries,
        timeout,
        search: qname || rev ? null : conf.search,
        ndots: conf.ndots,
        edns: null,
        cookie: null,
        adFlag: false,
        idSeed: idSeed(ctx) + i,
        servfailStops: false,
      },
      transportOf(ctx),
    );
    elapsed += r.elapsedMs;
    // Lines such as ";; Got SERVFAIL reply from …" come before what the reply prints.
    out += r.errors.map((l) => `${l}\n`).join("");
    if (!r.reply) {
      spend(ctx, elapsed);
      return { stdout: `${out};; no servers could be reached\n\n`, stderr: "", exitCode: 1 };
    }
    const m: Message = r.reply;
    // The banner names the server that answered (9.18 prints none for reverse lookups).
    if (i === 0 && !rev) out += `Server:\t\t${r.server}\nAddress:\t${r.server}#${port}\n\n`;
    if (m.rcode !== "NOERROR") {
      out += `** server can't find ${rev ? bare(r.qname) : name}: ${m.rcode}\n`;
      exitCode = 1;
      break;
    }
    qname = r.qname;
    if (i === 0 && !m.aa) out += "Non-authoritative answer:\n";
    const shown = m.answers.filter((a) => i === 0 || a.type !== "CNAME");
    out += shown.map(describe).join("");
    if (m.answers.length === 0) {
      // With the default A+AAAA pair, only both empty is "No answer".
      if (type || (i === 1 && aEmpty)) out += `*** Can't find ${name}: No answer\n`;
      if (i === 0) aEmpty = true;
    }
  }
  spend(ctx, elapsed);
  return { stdout: `${out}\n`, stderr: "", exitCode };
}
