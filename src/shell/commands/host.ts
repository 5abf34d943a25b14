/**
 * @module shell/commands/host
 * BIND 9.18's host: A, AAAA and MX for a name (PTR for an address), one
 * sentence per record; the search list from resolv.conf applies.
 */
import type { Answer, RecordType } from "dns-packet";
import { reverseName } from "../../dns/resolver/index.js";
import type { CmdContext, CmdResult } from "../types.js";
import { digLookup, resolvConfServers } from "./bind/dighost.js";
import { rdataText } from "./bind/masterdump.js";
import { idSeed, resolvConfOf, spend, transportOf } from "./bind/tool-context.js";
import { RR_TYPES } from "./dig.js";

const RCODE_NUM: Record<string, number> = { FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

const bare = (n: string) => n.replace(/\.$/, "");

/** host.c's say(): how each record type reads. */
function sentence(rr: Answer): string {
  const owner = bare(rr.name);
  const d = rdataText(rr);
  switch (rr.type) {
    case "A":
      return `${owner} has address ${d}`;
    case "AAAA":
      return `${owner} has IPv6 address ${d}`;
    case "CNAME":
      return `${owner} is an alias for ${d}`;
    case "MX":
      return `${owner} mail is handled by ${d}`;
    case "PTR":
      return `${owner} domain name pointer ${d}`;
    case "NS":
      return `${owner} name server ${d}`;
    case "TXT":
      return `${owner} descriptive text ${d}`;
    default:
      return `${owner} has ${rr.type} record ${d}`;
  }
}

export async function hostCommand(argv: string[], ctx: CmdContext): Promise<CmdResult> {
  let type: RecordType | null = null;
  let wait: number | null = null;
  let retries = 1;
  let port = 53;
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-t") {
      const t = (argv[++i] ?? "").toUpperCase();
      if (!RR_TYPES.has(t)) return { stdout: "", stderr: `host: invalid type: ${t}\n`, exitCode: 1 };
      type = t as RecordType;
    } else if (a === "-W") wait = Math.max(1, Number(argv[++i]) || 1);
    else if (a === "-R") retries = Math.max(0, Number(argv[++i]) || 0);
    else if (a === "-p") port = Number(argv[++i]) || 53;
    else if (a === "-4" || a === "-6" || a === "-a" || a === "-v" || a === "-r" || a === "-T") continue;
    else if (a.startsWith("-"))
      return { stdout: "", stderr: `host: invalid option -- '${a.slice(1)}'\n`, exitCode: 1 };
    else pos.push(a);
  }
  if (pos.length === 0)
    return {
      stdout: "",
      stderr:
        "Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n",
      exitCode: 1,
    };
  const conf = resolvConfServers(resolvConfOf(ctx));
  const server = pos[1] ?? null;
  const rev = reverseName(pos[0]!);
  const name = rev ?? pos[0]!;
  const types: RecordType[] = type ? [type] : rev ? ["PTR"] : ["A", "AAAA", "MX"];
  // host names the server it used once an answer arrives from it.
  const serverBlock =
    server !== null ? `Using domain server:\nName: ${server}\nAddress: ${server}#${port}\nAliases: \n\n` : "";
  let out = "";
  let qname: string | null = null;
  let elapsed = 0;
  for (const [i, t] of types.entries()) {
    const r = await digLookup(
      {
        name: qname ?? name,
        type: t,
        servers: server !== null ? [server] : conf.servers,
        port,
        tcp: false,
        recurse: true,
        tries: retries + 1,
        timeout: wait ?? 5,
        search: qname || rev ? null : conf.search,
        ndots: conf.ndots,
        edns: null,
        cookie: null,
        adFlag: false,
        idSeed: idSeed(ctx) + i,
      },
      transportOf(ctx),
    );
    elapsed += r.elapsedMs;
    out += r.errors.map((l) => `${l}\n`).join("");
    if (!r.reply) {
      spend(ctx, elapsed);
      return { stdout: `${out};; no servers could be reached\n`, stderr: "", exitCode: 1 };
    }
    const m = r.reply;
    if (i === 0) out += serverBlock;
    if (m.rcode !== "NOERROR") {
      spend(ctx, elapsed);
      return {
        stdout: `${out}Host ${bare(r.qname)} not found: ${RCODE_NUM[m.rcode] ?? 0}(${m.rcode})\n`,
        stderr: "",
        exitCode: 1,
      };
    }
    qname = r.qname;
    // The CNAME chain shows once, with the first lookup.
    const shown = m.answers.filter((a) => i === 0 || a.type !== "CNAME");
    if (shown.length === 0 && type) out += `${bare(r.qname)} has no ${t} record\n`;
    out += shown.map((a) => `${sentence(a)}\n`).join("");
  }
  spend(ctx, elapsed);
  return { stdout: out, stderr: "", exitCode: 0 };
}
