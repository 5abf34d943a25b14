/**
 * @module shell/commands/conntrack
 * conntrack-tools 1.4.7 over the namespace's flow table: -L/--dump with
 * the -p/-s/-d/--sport/--dport/-n/-g filters, -D, -F, -C, and -E (events
 * printed as they happen while the script runs, when started in the
 * background). The summary line goes to stderr, as the real tool writes it.
 */
import {
  type Conn,
  type Conntrack,
  conntrackOf,
  IPS_ASSURED,
  IPS_SEEN_REPLY,
} from "../../kernel/conntrack/conntrack.js";
import { formatTuple, protoName } from "../../kernel/conntrack/tuple.js";
import { PROTOCOLS } from "../../kernel/netfilter/format.js";
import { parseIPv4 } from "../../net/ip.js";
import type { CmdContext, CmdResult } from "../types.js";

const V = "conntrack v1.4.7 (conntrack-tools)";

interface Filter {
  proto: number | null;
  src: number | null;
  dst: number | null;
  sport: number | null;
  dport: number | null;
  snat: boolean;
  dnat: boolean;
  extended: boolean;
  rsrc: number | null;
  rdst: number | null;
  rsport: number | null;
  rdport: number | null;
  mark: number | null;
  state: string | null;
}

/** One flow as `conntrack -L` prints it. */
export function formatConn(ct: Conntrack, c: Conn, extended = false, atEvent = false): string {
  const p = c.tuple[0].proto;
  let s = extended ? "ipv4     2 " : "";
  // An event reports the timeout just set, whole; a later dump sees it a moment into its countdown.
  const timeout = atEvent && c.expires > ct.now ? Math.floor((c.expires - ct.now) / 1000) : ct.remaining(c);
  s += `${protoName(p).padEnd(8)} ${p} ${timeout} `;
  if (c.tcp) s += `${c.tcp} `;
  s += `${formatTuple(c.tuple[0])} `;
  if (!(c.status & IPS_SEEN_REPLY)) s += "[UNREPLIED] ";
  s += `${formatTuple(c.tuple[1])} `;
  if (c.status & IPS_ASSURED) s += "[ASSURED] ";
  return `${s}mark=${c.mark} use=1`;
}

function matches(c: Conn, f: Filter): boolean {
  const o = c.tuple[0];
  if (f.proto !== null && o.proto !== f.proto) return false;
  if (f.src !== null && o.src !== f.src) return false;
  if (f.dst !== null && o.dst !== f.dst) return false;
  if (f.sport !== null && o.sport !== f.sport) return false;
  if (f.dport !== null && o.dport !== f.dport) return false;
  const rr = c.tuple[1];
  if (f.rsrc !== null && rr.src !== f.rsrc) return false;
  if (f.rdst !== null && rr.dst !== f.rdst) return false;
  if (f.rsport !== null && rr.sport !== f.rsport) return false;
  if (f.rdport !== null && rr.dport !== f.rdport) return false;
  if (f.mark !== null && c.mark !== f.mark) return false;
  if (f.state !== null && c.tcp !== f.state) return false;
  // conntrack-tools compares the tuples, not the status bits: an ICMP id against a type/code
  // counts as a port translation, so ICMP flows show up under -n and -g.
  const r = c.tuple[1];
  if (f.snat && !(r.dst !== o.src || r.dport !== o.sport)) return false;
  if (f.dnat && !(r.src !== o.dst || r.sport !== o.dport)) return false;
  return true;
}

function err(msg: string, code = 2): CmdResult {
  return {
    stdout: "",
    stderr: `${V}: ${msg}\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`,
    exitCode: code,
  };
}

export function conntrackCommand(argv: string[], ctx: CmdContext): CmdResult {
  const ct = conntrackOf(ctx.ns);
  let cmd: "L" | "D" | "F" | "C" | "E" | "G" | null = null;
  const f: Filter = {
    proto: null,
    src: null,
    dst: null,
    sport: null,
    dport: null,
    snat: false,
    dnat: false,
    extended: false,
    rsrc: null,
    rdst: null,
    rsport: null,
    rdport: null,
    mark: null,
    state: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string | null => argv[++i] ?? null;
    switch (a) {
      case "-L":
      case "--dump":
        cmd = "L";
        break;
      case "-D":
      case "--delete":
        cmd = "D";
        break;
      case "-F":
      case "--flush":
        cmd = "F";
        break;
      case "-C":
      case "--count":
        cmd = "C";
        break;
      case "-E":
      case "--event":
        cmd = "E";
        break;
      case "-G":
      case "--get":
        cmd = "G";
        break;
      case "-m":
      case "--mark": {
        const v = next();
        if (v === null || !/^(0x[0-9a-fA-F]+|\d+)$/.test(v)) return err(`Bad parameter \`${v ?? ""}'`);
        f.mark = Number(v);
        break;
      }
      case "-r":
      case "--reply-src":
      case "-q":
      case "--reply-dst": {
        const v = next();
        const addr = v === null ? null : parseIPv4(v);
        if (addr === null) return err(`Bad parameter \`${v ?? ""}'`);
        if (a === "-r" || a === "--reply-src") f.rsrc = addr;
        else f.rdst = addr;
        break;
      }
      case "--reply-port-src":
      case "--reply-port-dst":
      case "--state": {
        if (f.proto !== 6 && f.proto !== 17) return err(`unknown option \`${a}'`);
        const v = next();
        if (a === "--state") {
          if (f.proto !== 6) return err(`unknown option \`${a}'`);
          f.state = (v ?? "").toUpperCase();
          break;
        }
        if (v === null || !/^\d+$/.test(v)) return err(`Bad parameter \`${v ?? ""}'`);
        if (a === "--reply-port-src") f.rsport = Number(v);
        else f.rdport = Number(v);
        break;
      }
      case "-p":
      case "--proto": {
        const p = next();
        const named = Object.entries(PROTOCOLS).find(([, name]) => name === p);
        const n = named ? Number(named[0]) : p && /^\d+$/.test(p) ? Number(p) : null;
        if (n === null) return err(`\`${p ?? ""}' unsupported protocol`);
        f.proto = n;
        break;
      }
      case "-s":
      case "--src":
      case "--orig-src":
      case "-d":
      case "--dst":
      case "--orig-dst": {
        const v = next();
        const addr = v === null ? null : parseIPv4(v);
        if (addr === null) return err(`Bad parameter \`${v ?? ""}'`);
        if (a === "-s" || a === "--src" || a === "--orig-src") f.src = addr;
        else f.dst = addr;
        break;
      }
      case "--sport":
      case "--orig-port-src":
      case "--dport":
      case "--orig-port-dst": {
        // Port options belong to the protocol: they are unknown before `-p tcp|udp`.
        if (f.proto !== 6 && f.proto !== 17) return err(`unknown option \`${a}'`);
        const v = next();
        if (v === null || !/^\d+$/.test(v)) return err(`Bad parameter \`${v ?? ""}'`);
        if (a === "--sport" || a === "--orig-port-src") f.sport = Number(v);
        else f.dport = Number(v);
        break;
      }
      case "-n":
      case "--src-nat":
        f.snat = true;
        break;
      case "-g":
      case "--dst-nat":
        f.dnat = true;
        break;
      case "-o":
      case "--output":
        if (next() === "extended") f.extended = true;
        break;
      case "-f":
      case "--family":
        next();
        break;
      default:
        return err(`unknown option \`${a}'`);
    }
  }
  if (cmd === null) return err("no command specified");
  ct.gc();
  const all = [...ct.conns];
  switch (cmd) {
    case "L": {
      const shown = all.filter((c) => matches(c, f));
      return {
        stdout: shown.map((c) => `${formatConn(ct, c, f.extended)}\n`).join(""),
        stderr: `${V}: ${shown.length} flow entries have been shown.\n`,
        exitCode: 0,
      };
    }
    case "D": {
      const gone = all.filter((c) => matches(c, f));
      const out = gone.map((c) => `${formatConn(ct, c)}\n`).join("");
      for (const c of gone) ct.remove(c);
      return {
        stdout: out,
        stderr: `${V}: ${gone.length} flow entries have been deleted.\n`,
        exitCode: gone.length > 0 ? 0 : 1,
      };
    }
    case "G": {
      const hit = all.find((c) => matches(c, f));
      if (!hit)
        return { stdout: "", stderr: `${V}: Operation failed: such conntrack doesn't exist\n`, exitCode: 1 };
      return {
        // The dump holds a reference of its own while it prints the entry.
        stdout: `${formatConn(ct, hit, f.extended).replace(/use=1$/, "use=2")}\n`,
        stderr: `${V}: 1 flow entries have been shown.\n`,
        exitCode: 0,
      };
    }
    case "F":
      ct.flush();
      return { stdout: "", stderr: `${V}: connection tracking table has been emptied.\n`, exitCode: 0 };
    case "C":
      return { stdout: `${all.length}\n`, stderr: "", exitCode: 0 };
    case "E": {
      if (!ctx.background) return { stdout: "", stderr: "", exitCode: 0 };
      let shown = 0;
      const listener = (e: Parameters<Parameters<typeof ct.listeners.add>[0]>[0]): void => {
        if (!matches(e.conn, f)) return;
        shown++;
        const tag = `[${e.type}]`.padStart(9);
        ctx.emitBackground(`${tag} ${formatConn(ct, e.conn, false, true).replace(/ mark=\d+ use=1$/, "")}\n`);
      };
      ct.listeners.add(listener);
      // Killed, conntrack -E says how many events it printed, on stderr.
      ctx.addJob?.("conntrack -E", () => {
        ct.listeners.delete(listener);
        ctx.emitBackground(
          `conntrack v1.4.7 (conntrack-tools): ${shown} flow events have been shown.\n`,
          "stderr",
        );
      });
      return { stdout: "", stderr: "", exitCode: 0 };
    }
  }
}
