/**
 * @module oracle
 * `kubetwin oracle`: each script runs twice, on the real kernel in an
 * isolated namespace and in the model, instrumented identically; outputs
 * are compared unit by unit (stdout, stderr, exit status) after
 * normalisation, then the final state of every namespace is compared.
 */
import { createTwoFilesPatch } from "diff";
import { BASH_MARK_DEFINITION, collate, instrument, splitUnits, type Unit } from "../shell/script.js";
import { ShellSession } from "../shell/session.js";
import { alignCounters, alignTimeouts, Normalizer } from "./normalize.js";
import { kernelAvailable, runReal } from "./real.js";
import { readMeta, type ScenarioMeta } from "./scenario.js";

export const STATE_MARK = "\x1eSTATE\x1e";

/** Runs identically in bash and in the model: the state of every namespace as JSON. */
export const STATE_SCRIPT = `# linkwatch applies carrier changes up to a second late (later on a busy machine): wait while a
# link has carrier but not yet its operational state (ip shows NO-CARRIER with LOWER_UP).
for __kt_i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
  __kt_busy=0
  for __kt_ns in "" $(ip netns list 2>/dev/null | cut -d' ' -f1); do
    if [ -n "$__kt_ns" ]; then __kt_n="-n $__kt_ns"; else __kt_n=""; fi
    ip $__kt_n -o link 2>/dev/null | grep -q 'NO-CARRIER[^>]*LOWER_UP' && __kt_busy=1
  done
  [ "$__kt_busy" = 0 ] && break
  sleep 0.2
done
printf '\\036STATE\\036'
for __kt_ns in "" $(ip netns list 2>/dev/null | cut -d' ' -f1); do
  printf '== netns %s\\n' "\${__kt_ns:-(root)}"
  if [ -n "$__kt_ns" ]; then __kt_n="-n $__kt_ns"; else __kt_n=""; fi
  echo '-- addr'; ip $__kt_n -j addr
  echo '-- route'; ip $__kt_n -j route show table all
  echo '-- rule'; ip $__kt_n -j rule
  echo '-- neigh'; ip $__kt_n -j neigh
  echo '-- fdb'; bridge $__kt_n -j fdb show
  for __kt_c in "iptables-save -c" "conntrack -L" "ipset list"; do
    echo "-- \${__kt_c%% *}"
    if [ -n "$__kt_ns" ]; then ip netns exec "$__kt_ns" $__kt_c; else command $__kt_c; fi 2>/dev/null | grep -v '^#'
  done
done
`;

export interface UnitComparison {
  line: number;
  command: string;
  agree: boolean;
  kernel: { stdout: string; stderr: string; exitCode: number | null };
  model: { stdout: string; stderr: string; exitCode: number | null };
  diff: string;
}

export interface ScenarioResult {
  file: string;
  meta: ScenarioMeta;
  agree: boolean;
  units: UnitComparison[];
  firstDifference: UnitComparison | null;
  stateAgree: boolean;
  stateDiff: string;
  error: string | null;
}

function wrap(units: Unit[], forBash: boolean): string {
  // The user's script runs in a subshell so that `exit` or `set -e` still leaves the state dump to run.
  return `${forBash ? BASH_MARK_DEFINITION : ""}(\n${instrument(units)})\n${STATE_SCRIPT}`;
}

function splitState(out: string): { body: string; state: string } {
  const i = out.indexOf(STATE_MARK);
  if (i < 0) return { body: out, state: "" };
  return { body: out.slice(0, i), state: out.slice(i + STATE_MARK.length) };
}

type JsonObj = Record<string, unknown>;

/** The comparable part of the state: reachable neighbours, learned FDB entries, everything else whole. */
export function canonicalState(state: string): string {
  const out: string[] = [];
  const ct: string[] = [];
  let section = "";
  for (const line of state.split("\n")) {
    if (line.startsWith("== ") || line.startsWith("-- ")) out.push(...ct.sort().splice(0));
    if (line.startsWith("== ")) {
      out.push(line);
      continue;
    }
    if (line.startsWith("-- ")) {
      section = line.slice(3);
      continue;
    }
    if (!line.trim()) continue;
    // ipset members, like conntrack entries, come in the order of a hash with a random seed: sorted below.
    if (section === "ipset") {
      ct.push(`${section}: ${line}`);
      continue;
    }
    // conntrack entries come in the order of a hash with a random seed: sorted below.
    if (section === "conntrack") {
      // The model sends no IGMP: the reports a bridge's address sends (224.0.0.22, "unknown 2") are left out.
      if (!/^unknown +2 /.test(line)) ct.push(`${section}: ${line}`);
      continue;
    }
    if (ct.length) out.push(...ct.sort().splice(0));
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      out.push(`${section}: ${line}`);
      continue;
    }
    if (!Array.isArray(data)) continue;
    let rows = data as JsonObj[];
    if (section === "neigh")
      rows = rows.filter(
        (r) => Array.isArray(r.state) && (r.state.includes("REACHABLE") || r.state.includes("PERMANENT")),
      );
    // linkwatch applies carrier changes up to a second late, so a bridge whose carrier flapped may still
    // read UNKNOWN where the model says UP: with carrier (LOWER_UP) the two are one state here.
    if (section === "addr") {
      for (const r of rows) {
        const flags = r.flags as string[] | undefined;
        if (
          !r.link &&
          r.link_index === undefined &&
          flags?.includes("LOWER_UP") &&
          (r.operstate === "UP" || r.operstate === "UNKNOWN")
        ) {
          r.operstate = "UP|UNKNOWN";
        }
      }
    }
    // A link-local address gets its local route when DAD completes, 1–2 s after the link came up.
    if (section === "route")
      rows = rows.filter((r) => !(r.type === "local" && String(r.dst).startsWith("fe80::")));
    if (section === "fdb")
      rows = rows.filter(
        (r) =>
          !(r.flags as string[] | undefined)?.includes("self") &&
          r.state !== "permanent" &&
          r.state !== "static",
      );
    // Neighbour dumps come in the order of a hash with a random seed: compare them sorted.
    const lines = rows.map((r) => `${section}: ${JSON.stringify(r)}`);
    if (section === "neigh") lines.sort();
    out.push(...lines);
  }
  out.push(...ct.sort().splice(0));
  return `${out.join("\n")}\n`;
}

function patch(a: string, b: string, title: string): string {
  return createTwoFilesPatch(`kernel  ${title}`, `kubetwin ${title}`, a, b, "", "", { context: 3 })
    .split("\n")
    .slice(1)
    .join("\n");
}

/** Whether a one-line command dumps the neighbour table (whose order is a random hash's). */
export function isNeighDump(cmd: string): boolean {
  if (cmd.includes("\n")) return false;
  const words = cmd.trim().split(/\s+/);
  const i = words.lastIndexOf("ip");
  if (i < 0) return false;
  let j = i + 1;
  while (j < words.length && words[j]!.startsWith("-"))
    j += words[j] === "-n" || words[j] === "-netns" ? 2 : 1;
  const obj = words[j] ?? "";
  if (!/^n(e(i(g(h(b(o(u)?r)?)?)?)?)?)?$/.test(obj) || obj === "net" || obj === "netns") return false;
  const sub = words[j + 1] ?? "show";
  return (
    /^(s|sh|sho|show|l|li|lis|list|ls|lst|dev|nud|proxy|to|-)/.test(sub) &&
    !/^(del|delete|add|flush|change|replace)$/.test(sub)
  );
}

/** Whether a one-line command lists conntrack entries (in the order of a hash with a random seed). */
/** `ipset list` or `ipset save`: members come in hash order. */
export function isIpsetDump(cmd: string): boolean {
  return !cmd.includes("\n") && /\bipset\s+(-\S+\s+)*(list|-L|save|-S)\b/.test(cmd);
}

export function isConntrackDump(cmd: string): boolean {
  if (cmd.includes("\n")) return false;
  const words = cmd.trim().split(/\s+/);
  const i = words.indexOf("conntrack");
  return (
    i >= 0 && words.slice(i + 1).some((w) => w === "-L" || w === "--dump" || w === "-D" || w === "--delete")
  );
}

function sortLines(s: string): string {
  if (!s) return s;
  const lines = s.replace(/\n$/, "").split("\n").sort();
  return `${lines.join("\n")}\n`;
}

export async function compareScript(
  file: string,
  script: string,
  opts: { seed?: number } = {},
): Promise<ScenarioResult> {
  const meta = readMeta(script);
  const units = splitUnits(script);
  const real = await runReal(wrap(units, true));
  const session = new ShellSession({ seed: opts.seed ?? 1, sequentialMacs: true });
  // lo is up in the namespace the oracle creates; the model starts the same way.
  await session.run("ip link set lo up\n");
  const sim = await session.run(wrap(units, false), { instrumented: true });
  const nk = new Normalizer();
  const nm = new Normalizer();
  const rs = splitState(real.stdout);
  const ss = splitState(sim.raw.stdout);
  const rErr = splitState(real.stderr);
  const sErr = splitState(sim.raw.stderr);
  const rUnits = collate(units, rs.body, rErr.body, real.exitCode);
  const sUnits = collate(units, ss.body, sErr.body, sim.exitCode);
  const comps: UnitComparison[] = units.map((u, i) => {
    const k = rUnits[i]!;
    const m = sUnits[i]!;
    const order =
      isNeighDump(u.text) || isConntrackDump(u.text) || isIpsetDump(u.text)
        ? sortLines
        : (s: string): string => s;
    const kn = { stdout: order(nk.text(k.stdout)), stderr: nk.text(k.stderr), exitCode: k.exitCode };
    const ms = nm.text(m.stdout);
    const mn = {
      stdout: order(isConntrackDump(u.text) ? alignTimeouts(kn.stdout, ms) : alignCounters(kn.stdout, ms)),
      stderr: nm.text(m.stderr),
      exitCode: m.exitCode,
    };
    const agree = kn.stdout === mn.stdout && kn.stderr === mn.stderr && kn.exitCode === mn.exitCode;
    let diff = "";
    if (!agree) {
      const show = (x: typeof kn): string =>
        `${x.stdout}${x.stderr ? `[stderr]\n${x.stderr}` : ""}[exit ${x.exitCode ?? "-"}]\n`;
      diff = patch(show(kn), show(mn), `line ${u.startLine}`);
    }
    return { line: u.startLine, command: u.text, agree, kernel: kn, model: mn, diff };
  });
  const kRaw = nk.text(rs.state);
  const kState = canonicalState(kRaw);
  const mState = canonicalState(alignCounters(kRaw, alignTimeouts(kRaw, nm.text(ss.state))));
  const stateAgree = kState === mState;
  const first = comps.find((c) => !c.agree) ?? null;
  let error: string | null = null;
  if (real.timedOut) error = "the real run timed out";
  else if (real.exitCode === 97) error = `could not set up the isolated namespace: ${real.stderr.trim()}`;
  return {
    file,
    meta,
    agree: first === null && stateAgree && error === null,
    units: comps,
    firstDifference: first,
    stateAgree,
    stateDiff: stateAgree ? "" : patch(kState, mState, "final state"),
    error,
  };
}

export { kernelAvailable };
