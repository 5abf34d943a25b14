/**
 * @module shell/session
 * `kubetwin sh`: a bash interpreter (just-bash) over one simulated machine.
 * Networking commands are ours and act on the kernel model in the
 * namespace the command runs in; the rest of bash and its text tools come
 * from the interpreter. Background statements (`nc -l … &`) are marked so
 * that a listener registers and returns at once, as a background job would.
 */
import {
  Bash,
  type CustomCommand,
  decodeBytesToUtf8,
  defineCommand,
  InMemoryFs,
  MountableFs,
  parse,
} from "just-bash";
import type { DnsTransport } from "../dns/types.js";
import { Kernel } from "../kernel/kernel.js";
import type { NetNs } from "../kernel/netns.js";
import { type Hop, TraceRecorder } from "../trace/hop.js";
import { bridgeCommand } from "./commands/bridge.js";
import { conntrackCommand } from "./commands/conntrack.js";
import { curlCommand } from "./commands/curl.js";
import { digCommand } from "./commands/dig.js";
import { getentCommand } from "./commands/getent.js";
import { hostCommand } from "./commands/host.js";
import { ipCommand } from "./commands/ip/index.js";
import { ipsetCommand } from "./commands/ipset.js";
import { iptablesCommand, iptablesRestoreCommand, iptablesSaveCommand } from "./commands/iptables/index.js";
import { ipvsadmCommand } from "./commands/ipvsadm.js";
import { ncCommand } from "./commands/nc.js";
import { nslookupCommand } from "./commands/nslookup.js";
import { pingCommand } from "./commands/ping.js";
import { sleepCommand } from "./commands/sleep.js";
import { sysctlCommand } from "./commands/sysctl.js";
import { tracerouteCommand } from "./commands/traceroute.js";
import { ProcSysFs } from "./procfs.js";
import { collate, instrument, MARK_FN, markText, splitUnits, type Unit, type UnitOutput } from "./script.js";
import type { CmdContext, CmdResult, Command } from "./types.js";

export interface SessionOptions {
  seed?: number;
  hostname?: string;
  /** Number new links' MACs as the oracle's real-side wrapper does (instead of random). */
  sequentialMacs?: boolean;
  /** Run on an existing machine (a twin's node) instead of a fresh one, starting in `ns`. */
  kernel?: Kernel;
  ns?: NetNs;
  /** How DNS queries leave this machine (the twin's CoreDNS); without it nothing answers. */
  dnsTransport?: DnsTransport;
}

export interface UnitResult extends UnitOutput {
  unit: Unit;
  hops: Hop[];
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  units: UnitResult[];
  /** Output with the unit markers still in it (for the oracle, which instruments scripts itself). */
  raw: { stdout: string; stderr: string };
}

/** A background job: what it printed so far and how to stop it. */
export interface Job {
  id: number;
  name: string;
  stop(): void;
}

const NOT_MODELLED = [
  "tcpdump",
  "arping",
  "ss",
  "netstat",
  "ifconfig",
  "route",
  "arp",
  "ethtool",
  "brctl",
  "nft",
  "ip6tables",
  "iptables-legacy",
  "curl",
  "wget",
  "socat",
  "telnet",
  "mtr",
  "tc",
];

const BG_BEGIN = "__kt_bg_begin";
const BG_END = "__kt_bg_end";

export function shellQuote(a: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a)) return a;
  return `'${a.replace(/'/g, `'\\''`)}'`;
}

type AstObj = { [k: string]: unknown };

/**
 * Where a background statement's output goes later, as `__kt_bg_begin` arguments: for each of
 * stdout and stderr, "-" (the script's own stream) or ">PATH" / ">>PATH" from its redirections.
 */
function backgroundTargets(stmt: AstObj): [string, string] {
  const pipes = stmt.pipelines as AstObj[] | undefined;
  const cmds = pipes?.length === 1 ? ((pipes[0]!.commands as AstObj[] | undefined) ?? []) : [];
  const redirs = cmds.length === 1 ? ((cmds[0]!.redirections as AstObj[] | undefined) ?? []) : [];
  let out = "-";
  let err = "-";
  for (const r of redirs) {
    const parts = ((r.target as AstObj | undefined)?.parts as AstObj[] | undefined) ?? [];
    const lit = parts.length === 1 && parts[0]!.type === "Literal" ? String(parts[0]!.value) : null;
    const op = String(r.operator);
    const fd = r.fd === null || r.fd === undefined ? 1 : Number(r.fd);
    if (lit === null) continue;
    if (op === ">&" && fd === 2 && lit === "1") err = out;
    else if ((op === ">" || op === ">>" || op === ">|") && (fd === 1 || fd === 2)) {
      const t = `${op === ">>" ? ">>" : ">"}${lit}`;
      if (fd === 1) out = t;
      else err = t;
    } else if (op === "&>" || op === "&>>") out = err = `${op === "&>>" ? ">>" : ">"}${lit}`;
  }
  return [out, err];
}

/** Rewrites every `stmt &` into `__kt_bg_begin OUT ERR; stmt; __kt_bg_end` so commands know they run in the background. */
function markBackground(node: unknown, begin: unknown, end: unknown): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const s = node[i] as AstObj | undefined;
      if (s && typeof s === "object" && s.type === "Statement" && s.background === true) {
        s.background = false;
        const b = structuredClone(begin) as AstObj;
        const cmd = ((b.pipelines as AstObj[])[0]!.commands as AstObj[])[0]!;
        cmd.args = backgroundTargets(s).map((v) => ({
          type: "Word",
          parts: [{ type: "SingleQuoted", value: v }],
        }));
        node.splice(i, 1, b, s, structuredClone(end));
        markBackground(s, begin, end);
        i += 2;
        continue;
      }
      markBackground(s, begin, end);
    }
    return;
  }
  if (node && typeof node === "object")
    for (const v of Object.values(node as AstObj)) markBackground(v, begin, end);
}

function expandsToManyWords(word: unknown): boolean {
  const s = JSON.stringify(word);
  return /"type":"ParameterExpansion","parameter":"([@*]|[A-Za-z_][A-Za-z0-9_]*\[[@*]\])"/.test(s);
}

/**
 * just-bash 3.4 does not split `"$@"` (or `"${a[@]}"`) when it stands in the
 * command-name position, as in the common `run() { echo "+ $*"; "$@"; }`.
 * Such a command is rewritten to `eval "$(printf '%q ' WORDS…)"`, which bash
 * runs the same way (functions included).
 */
function splitCommandWords(node: unknown, template: AstObj): void {
  if (Array.isArray(node)) {
    for (const n of node) splitCommandWords(n, template);
    return;
  }
  if (!node || typeof node !== "object") return;
  const o = node as AstObj;
  if (o.type === "SimpleCommand" && o.name && expandsToManyWords(o.name)) {
    const t = structuredClone(template);
    const inner = ((((t.args as AstObj[])[0]!.parts as AstObj[])[0]!.parts as AstObj[])[0]!.body as AstObj)
      .statements as AstObj[];
    const printf = ((inner[0]!.pipelines as AstObj[])[0]!.commands as AstObj[])[0]!;
    printf.args = [(printf.args as unknown[])[0], o.name, ...((o.args as unknown[]) ?? [])];
    o.name = t.name;
    o.args = t.args;
    return;
  }
  for (const v of Object.values(o)) splitCommandWords(v, template);
}

export class ShellSession {
  readonly kernel: Kernel;
  private readonly nsStack: NetNs[] = [];
  private bgDepth = 0;
  private pendingBg = "";
  private pendingBgErr = "";
  /** Where the current background statement's later output goes ("-" = the script's stream, ">path"). */
  private readonly bgTargets: Array<[string, string]> = [];
  private readonly pendingFiles: Array<{ path: string; text: string }> = [];
  readonly jobs: Job[] = [];
  private nextJob = 1;
  private recorder = new TraceRecorder();
  private unitIndex = 0;
  private readonly dnsTransport: DnsTransport | undefined;
  private readonly unitHops = new Map<number, Hop[]>();
  private readonly commands: Record<string, Command> = {
    ip: ipCommand,
    bridge: bridgeCommand,
    sysctl: sysctlCommand,
    ping: pingCommand,
    sleep: sleepCommand,
    nc: ncCommand,
    netcat: ncCommand,
    traceroute: tracerouteCommand,
    iptables: iptablesCommand,
    "iptables-save": iptablesSaveCommand,
    "iptables-restore": iptablesRestoreCommand,
    conntrack: conntrackCommand,
    ipset: ipsetCommand,
    ipvsadm: ipvsadmCommand,
    curl: curlCommand,
    dig: digCommand,
    nslookup: nslookupCommand,
    host: hostCommand,
    getent: getentCommand,
    dmesg: (_argv, ctx) => ({
      stdout: ctx.kernel.dmesg.map((l) => `${l}\n`).join(""),
      stderr: "",
      exitCode: 0,
    }),
  };

  constructor(opts: SessionOptions = {}) {
    this.kernel = opts.kernel ?? new Kernel({ seed: opts.seed ?? 1, hostname: opts.hostname ?? "host" });
    this.kernel.trace = this.recorder;
    if (opts.ns && opts.ns !== this.kernel.initNs) this.nsStack.push(opts.ns);
    if (opts.sequentialMacs) this.kernel.macSequence = 0;
    this.dnsTransport = opts.dnsTransport;
  }

  get current(): NetNs {
    return this.nsStack[this.nsStack.length - 1] ?? this.kernel.initNs;
  }

  /** Registers extra commands (netfilter's iptables, conntrack … plug in here). */
  register(name: string, cmd: Command): void {
    this.commands[name] = cmd;
  }

  addJob(name: string, stop: () => void): Job {
    const j: Job = { id: this.nextJob++, name, stop };
    this.jobs.push(j);
    return j;
  }

  private wrap(name: string, cmd: Command): CustomCommand {
    return defineCommand(name, async (args, jctx) => {
      // The resolver's files, read once per command (commands read them synchronously).
      const snapshot = new Map<string, string | null>();
      for (const path of ["/etc/hosts", "/etc/resolv.conf"]) {
        try {
          snapshot.set(path, await jctx.fs.readFile(path));
        } catch {
          snapshot.set(path, null);
        }
      }
      const ctx: CmdContext = {
        kernel: this.kernel,
        ns: this.current,
        stdin: decodeBytesToUtf8(jctx.stdin),
        background: this.bgDepth > 0,
        emitBackground: this.backgroundSink(jctx.cwd),
        addJob: (jobName, stop) => {
          this.addJob(jobName, stop);
        },
        readFile: (p) => snapshot.get(p) ?? null,
        env: jctx.env,
        fs: jctx.fs,
        cwd: jctx.cwd,
        ...(this.dnsTransport ? { dnsTransport: this.dnsTransport } : {}),
        exec: async (argv, ns) => {
          this.nsStack.push(ns);
          try {
            if (!jctx.exec)
              return { stdout: "", stderr: "kubetwin: cannot run subcommands here\n", exitCode: 126 };
            const r = await jctx.exec(argv.map(shellQuote).join(" "), {
              cwd: jctx.cwd,
              stdin: decodeBytesToUtf8(jctx.stdin),
            });
            return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
          } finally {
            this.nsStack.pop();
          }
        },
      };
      let r: CmdResult;
      try {
        r = await cmd(args, ctx);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        r = { stdout: "", stderr: `kubetwin: ${name}: internal error: ${msg}\n`, exitCode: 70 };
      }
      const bg = this.pendingBg;
      const bgErr = this.pendingBgErr;
      this.pendingBg = "";
      this.pendingBgErr = "";
      await this.flushFiles(jctx.fs);
      return { stdout: bg + r.stdout, stderr: bgErr + r.stderr, exitCode: r.exitCode };
    });
  }

  /** What a background job prints later goes where its statement's redirections said. */
  private backgroundSink(cwd: string): (text: string, stream?: "stdout" | "stderr") => void {
    const targets = this.bgTargets[this.bgTargets.length - 1] ?? ["-", "-"];
    return (text, stream = "stdout") => {
      const t = stream === "stdout" ? targets[0] : targets[1];
      if (t === "-") {
        if (stream === "stdout") this.pendingBg += text;
        else this.pendingBgErr += text;
        return;
      }
      const path = t.replace(/^>>?/, "");
      if (path === "/dev/null") return;
      this.pendingFiles.push({
        path: path.startsWith("/") ? path : `${cwd.replace(/\/$/, "")}/${path}`,
        text,
      });
    };
  }

  private async flushFiles(fs: { appendFile(p: string, c: string): Promise<void> }): Promise<void> {
    for (const f of this.pendingFiles.splice(0)) await fs.appendFile(f.path, f.text).catch(() => undefined);
  }

  private builtins(): CustomCommand[] {
    const cmds: CustomCommand[] = Object.entries(this.commands).map(([n, c]) => this.wrap(n, c));
    // Networking tools people reach for that the model does not have (yet): one clear line, not "command not found".
    for (const name of NOT_MODELLED) {
      if (name in this.commands) continue;
      cmds.push(
        defineCommand(name, async () => ({
          stdout: "",
          stderr: `kubetwin: ${name} is not modelled (see docs/fidelity.md for what kubetwin sh runs)\n`,
          exitCode: 127,
        })),
      );
    }
    cmds.push(
      defineCommand(BG_BEGIN, async (args) => {
        this.bgDepth++;
        this.bgTargets.push([args[0] ?? "-", args[1] ?? "-"]);
        return { stdout: "", stderr: "", exitCode: 0 };
      }),
      defineCommand(BG_END, async () => {
        this.bgDepth = Math.max(0, this.bgDepth - 1);
        this.bgTargets.pop();
        return { stdout: "", stderr: "", exitCode: 0 };
      }),
      defineCommand(MARK_FN, async (args, jctx) => {
        const idx = Number(args[0]);
        const rc = Number(args[1] ?? 0);
        this.unitHops.set(idx, this.recorder.hops.splice(0));
        this.unitIndex = idx + 1;
        const m = markText(idx, rc);
        const bg = this.pendingBg;
        const bgErr = this.pendingBgErr;
        this.pendingBg = "";
        this.pendingBgErr = "";
        await this.flushFiles(jctx.fs);
        // Output still pending here came after the unit's own commands finished: it shows with the next unit.
        return { stdout: m + bg, stderr: m + bgErr, exitCode: rc };
      }),
      defineCommand("kill", async (args, jctx) => {
        // Background jobs are simulated processes; `kill %N`, `kill $!` or `kill PID` stops the newest matching one.
        const spec = args.filter((a) => !a.startsWith("-"));
        const victims =
          spec.length === 0
            ? []
            : spec.map((s) => {
                const m = /^%(\d+)$/.exec(s);
                return m ? this.jobs.find((j) => j.id === Number(m[1])) : this.jobs[this.jobs.length - 1];
              });
        const bg = this.pendingBg;
        const bgErr = this.pendingBgErr;
        this.pendingBg = "";
        this.pendingBgErr = "";
        await this.flushFiles(jctx.fs);
        // What a job prints as it dies arrives after kill has returned, with whatever runs next.
        for (const v of victims) {
          if (!v) continue;
          v.stop();
          this.jobs.splice(this.jobs.indexOf(v), 1);
        }
        return { stdout: bg, stderr: bgErr, exitCode: 0 };
      }),
    );
    return cmds;
  }

  /** Runs a script on this machine and returns its output, split per top-level unit too. */
  async run(
    script: string,
    opts: { stdin?: string; files?: Record<string, string>; instrumented?: boolean } = {},
  ): Promise<RunResult> {
    // An already instrumented script (the oracle's) runs as it is.
    const units = opts.instrumented ? [] : splitUnits(script);
    const text = opts.instrumented ? script : instrument(units);
    const fs = new MountableFs({ base: new InMemoryFs(opts.files ?? {}) });
    fs.mount("/proc/sys", new ProcSysFs(() => this.current));
    const bash = new Bash({
      fs,
      cwd: "/root",
      env: {
        HOME: "/root",
        USER: "root",
        PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
        HOSTNAME: this.kernel.hostname,
      },
      customCommands: this.builtins(),
      executionLimits: { maxExecutionTimeMs: 600_000, maxCommandCount: 1_000_000 },
    });
    const begin = parse(BG_BEGIN).statements[0];
    const end = parse(BG_END).statements[0];
    const evalTemplate = (
      parse(`eval "$(printf '%q ' X)"`).statements[0] as unknown as {
        pipelines: Array<{ commands: AstObj[] }>;
      }
    ).pipelines[0]!.commands[0]!;
    bash.registerTransformPlugin({
      name: "kubetwin-background",
      transform: (c) => {
        markBackground(c.ast.statements, begin, end);
        splitCommandWords(c.ast.statements, evalTemplate);
        return { ast: c.ast };
      },
    });
    await fs.mkdir("/root", { recursive: true }).catch(() => undefined);
    await fs.mkdir("/tmp", { recursive: true }).catch(() => undefined);
    await fs.mkdir("/etc", { recursive: true }).catch(() => undefined);
    if (!(await fs.exists("/etc/hosts")))
      await fs.writeFile("/etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    this.unitHops.clear();
    this.recorder.hops.length = 0;
    const r = await bash.exec(text, {
      rawScript: true,
      ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
    });
    const tailHops = this.recorder.hops.splice(0);
    const per = collate(units, r.stdout, r.stderr, r.exitCode);
    const results: UnitResult[] = per.map((p, i) => ({
      ...p,
      unit: units[i]!,
      hops: this.unitHops.get(i) ?? (p.exitCode === null || i === this.unitIndex ? tailHops : []),
    }));
    const strip = (s: string): string => s.replace(/\x1eKT:\d+:\d+\x1e/g, "");
    for (const j of this.jobs.splice(0)) j.stop();
    return {
      stdout: strip(r.stdout),
      stderr: strip(r.stderr),
      exitCode: r.exitCode,
      units: results,
      raw: { stdout: r.stdout, stderr: r.stderr },
    };
  }
}
