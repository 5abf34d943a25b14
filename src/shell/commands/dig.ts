/**
 * @module shell/commands/dig
 * BIND 9.18's dig: one query, printed as dig prints it. Servers come from
 * `@server` or the machine's resolv.conf; queries go through the machine's
 * DNS transport; waiting for timeouts passes simulated time.
 */
import type { RecordType } from "dns-packet";
import { reverseName } from "../../dns/resolver/index.js";
import type { CmdContext, CmdResult } from "../types.js";
import { digLookup, resolvConfServers } from "./bind/dighost.js";
import { rdataText } from "./bind/masterdump.js";
import { printMessage, type Sections } from "./bind/print-message.js";
import { idSeed, resolvConfOf, spend, transportOf, whenText } from "./bind/tool-context.js";

/** The version our dig reports (the one its expected outputs were captured from). */
export const DIG_VERSION = "9.18.49-1~deb12u3-Debian";

export const RR_TYPES: ReadonlySet<string> = new Set([
  "A",
  "AAAA",
  "CNAME",
  "PTR",
  "NS",
  "MX",
  "SRV",
  "SOA",
  "TXT",
  "ANY",
  "CAA",
  "DS",
  "DNSKEY",
  "NAPTR",
  "HINFO",
]);

interface DigOptions extends Sections {
  server: string | null;
  port: number;
  type: RecordType | null;
  name: string | null;
  short: boolean;
  search: boolean;
  tcp: boolean;
  recurse: boolean;
  time: number;
  tries: number;
  ndots: number | null;
  edns: boolean;
  cookie: boolean;
  cmd: boolean;
  stats: boolean;
}

function usage(msg: string): CmdResult {
  return { stdout: "", stderr: `${msg}\n`, exitCode: 1 };
}

function plusOption(o: DigOptions, word: string): string | null {
  const m = /^(no)?([a-z]+)(?:=(.*))?$/.exec(word);
  if (!m) return `Invalid option: +${word}`;
  const on = m[1] === undefined;
  const key = m[2]!;
  const val = m[3];
  const num = (): number | null => (val !== undefined && /^\d+$/.test(val) ? Number(val) : null);
  switch (key) {
    case "short":
      o.short = on;
      return null;
    case "search":
    case "defname":
      o.search = on;
      return null;
    case "tcp":
    case "vc":
      o.tcp = on;
      return null;
    case "recurse":
      o.recurse = on;
      return null;
    case "all":
      o.cmd = o.comments = o.question = o.answer = o.authority = o.additional = o.stats = on;
      return null;
    case "cmd":
      o.cmd = on;
      return null;
    case "comments":
      o.comments = on;
      return null;
    case "question":
      o.question = on;
      return null;
    case "answer":
      o.answer = on;
      return null;
    case "authority":
      o.authority = on;
      return null;
    case "additional":
      o.additional = on;
      return null;
    case "stats":
      o.stats = on;
      return null;
    case "edns":
      o.edns = on;
      return null;
    case "cookie":
      o.cookie = on;
      return null;
    case "time":
      o.time = Math.max(1, num() ?? o.time);
      return null;
    case "tries":
      o.tries = Math.max(1, num() ?? o.tries);
      return null;
    case "retry":
      o.tries = (num() ?? 2) + 1;
      return null;
    case "ndots":
      o.ndots = num();
      return null;
    case "adflag":
    case "fail":
    case "multiline":
    case "ttlid":
      return null;
    default:
      return `Invalid option: +${word}`;
  }
}

function parse(argv: string[]): DigOptions | string {
  const o: DigOptions = {
    server: null,
    port: 53,
    type: null,
    name: null,
    short: false,
    search: false,
    tcp: false,
    recurse: true,
    time: 5,
    tries: 3,
    ndots: null,
    edns: true,
    cookie: true,
    cmd: true,
    comments: true,
    question: true,
    answer: true,
    authority: true,
    additional: true,
    stats: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i];
    if (a.startsWith("@")) o.server = a.slice(1);
    else if (a.startsWith("+")) {
      const e = plusOption(o, a.slice(1));
      if (e) return e;
    } else if (a === "-p") {
      const p = Number(next());
      if (!Number.isInteger(p) || p < 0 || p > 65535) return `invalid port number`;
      o.port = p;
    } else if (a === "-t") {
      const t = (next() ?? "").toUpperCase();
      if (!RR_TYPES.has(t)) return `invalid type: ${t}`;
      o.type = t as RecordType;
    } else if (a === "-x") {
      const r = reverseName(next() ?? "");
      if (!r) return `Invalid IP address ${argv[i]}`;
      o.name = r;
      o.type = o.type ?? "PTR";
    } else if (a === "-q") o.name = next() ?? null;
    else if (a === "-c" || a === "-b" || a === "-k" || a === "-y") next();
    else if (a === "-4" || a === "-6" || a === "-m" || a === "-u" || a === "-r") continue;
    else if (a.startsWith("-")) return `Invalid option: ${a}`;
    else if (o.type === null && RR_TYPES.has(a.toUpperCase())) o.type = a.toUpperCase() as RecordType;
    else if (a.toUpperCase() === "IN") continue;
    else o.name = a;
  }
  return o;
}

/** Options that take the next word as their value. */
const VALUED = new Set(["-p", "-t", "-c", "-b", "-k", "-y", "-q", "-x"]);

/**
 * The lookups of one command line, as dig splits them: each name (or `-x
 * ADDR`, `-q NAME`) starts one; what precedes the first name applies to
 * all of them, what follows a name to its own lookup.
 */
export function splitLookups(argv: string[]): string[][] {
  const starts: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-x" || a === "-q") {
      starts.push(i);
      i++;
    } else if (VALUED.has(a)) i++;
    else if (!a.startsWith("-") && !a.startsWith("+") && !a.startsWith("@")) {
      const u = a.toUpperCase();
      if (!RR_TYPES.has(u) && u !== "IN" && u !== "CH" && u !== "HS") starts.push(i);
    }
  }
  if (starts.length <= 1) return [argv];
  const global = argv.slice(0, starts[0]);
  return starts.map((s, k) => [...global, ...argv.slice(s, starts[k + 1] ?? argv.length)]);
}

export async function digCommand(argv: string[], ctx: CmdContext): Promise<CmdResult> {
  const lookups = splitLookups(argv);
  if (lookups.length === 1) return digOne(argv, argv, ctx, true);
  // Several lookups: one banner, then each answer in turn.
  const out: CmdResult = { stdout: "", stderr: "", exitCode: 0 };
  for (const [k, l] of lookups.entries()) {
    const r = await digOne(l, argv, ctx, k === 0);
    out.stdout += r.stdout;
    out.stderr += r.stderr;
    if (r.exitCode !== 0) out.exitCode = r.exitCode;
  }
  return out;
}

async function digOne(
  argv: string[],
  commandLine: string[],
  ctx: CmdContext,
  first: boolean,
): Promise<CmdResult> {
  const parsed = parse(argv);
  if (typeof parsed === "string") return usage(parsed);
  const o = parsed;
  const conf = resolvConfServers(resolvConfOf(ctx));
  const name = o.name ?? ".";
  const type: RecordType = o.type ?? (o.name === null ? "NS" : "A");
  const servers = o.server !== null ? [o.server] : conf.servers;
  if (o.server !== null && !/^[\d.]+$|:/.test(o.server))
    return { stdout: "", stderr: `dig: couldn't get address for '${o.server}': not found\n`, exitCode: 10 };
  const cookie = o.edns && o.cookie ? new Uint8Array([0x5c, 0x0f, 0x1e, 0xd2, 0x7a, 0x31, 0x9b, 0x44]) : null;
  const r = await digLookup(
    {
      name,
      type,
      servers,
      port: o.port,
      tcp: o.tcp,
      recurse: o.recurse,
      tries: o.tries,
      timeout: o.time,
      search: o.search ? conf.search : null,
      ndots: o.ndots ?? conf.ndots,
      edns: o.edns ? 1232 : null,
      cookie,
      adFlag: true,
      idSeed: idSeed(ctx),
    },
    transportOf(ctx),
  );
  spend(ctx, r.elapsedMs);
  let out = r.errors.map((l) => `${l}\n`).join("");
  const banner =
    o.cmd && !o.short && first
      ? `\n; <<>> DiG ${DIG_VERSION} <<>> ${commandLine.join(" ")}\n${o.server !== null ? "; (1 server found)\n" : ""};; global options: +cmd\n`
      : "";
  if (!r.reply) return { stdout: `${out + banner};; no servers could be reached\n`, stderr: "", exitCode: 9 };
  const m = r.reply;
  if (o.short) {
    out += m.answers.map((a) => `${rdataText(a)}\n`).join("");
    return { stdout: out, stderr: "", exitCode: 0 };
  }
  out += banner;
  if (o.comments) out += ";; Got answer:\n";
  out += printMessage(m, r.qname, o, cookie);
  if (o.stats) {
    out += ";; Query time: 0 msec\n";
    out += `;; SERVER: ${r.server}#${o.port}(${r.server}) (${r.transport.toUpperCase()})\n`;
    out += `;; WHEN: ${whenText(ctx)}\n`;
    out += `;; MSG SIZE  rcvd: ${m.size}\n\n`;
  }
  return { stdout: out, stderr: "", exitCode: 0 };
}
