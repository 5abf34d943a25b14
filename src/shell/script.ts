/**
 * @module shell/script
 * Splits a bash script into top-level units (a statement with its
 * continuation lines, loop bodies and here-documents) and instruments it so
 * that each unit's output and exit status can be told apart. The same
 * instrumented text runs under real bash and in the model, which is what
 * makes a command-by-command comparison fair.
 */
import { parse } from "just-bash";

export interface Unit {
  index: number;
  /** 1-based first and last line in the original script. */
  startLine: number;
  endLine: number;
  text: string;
}

const SENTINEL = "\x1e";
export const MARK_FN = "__kt_mark";

function parses(text: string): boolean {
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
}

function pendingHeredocs(text: string): string[] {
  const want: Array<{ delim: string; strip: boolean }> = [];
  const lines = text.split("\n");
  const pending: Array<{ delim: string; strip: boolean }> = [];
  for (const line of lines) {
    if (pending.length > 0) {
      const p = pending[0]!;
      const l = p.strip ? line.replace(/^\t+/, "") : line;
      if (l === p.delim) pending.shift();
      continue;
    }
    const re = /(^|[^<])<<(-?)\s*(['"]?)([A-Za-z_0-9.-]+)\3/g;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const stripped = line.slice(0, m.index);
      // Skip matches inside single-quoted text (an odd number of quotes before it).
      if ((stripped.match(/'/g)?.length ?? 0) % 2 === 1) continue;
      pending.push({ delim: m[4]!, strip: m[2] === "-" });
    }
  }
  want.push(...pending);
  return want.map((w) => w.delim);
}

function continues(text: string): boolean {
  const t = text.replace(/\s+$/, "");
  if (/(^|[^\\])(\\\\)*\\$/.test(t)) return true;
  if (/(&&|\|\||\|)$/.test(t)) return true;
  return false;
}

export function splitUnits(script: string): Unit[] {
  const lines = script.replace(/\n$/, "").split("\n");
  const units: Unit[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (/^\s*(#.*)?$/.test(line)) {
      i++;
      continue;
    }
    let e = i;
    for (;;) {
      const text = lines.slice(i, e + 1).join("\n");
      const done = parses(text) && !continues(text) && pendingHeredocs(text).length === 0;
      if (done || e >= lines.length - 1) break;
      e++;
    }
    units.push({
      index: units.length,
      startLine: i + 1,
      endLine: e + 1,
      text: lines.slice(i, e + 1).join("\n"),
    });
    i = e + 1;
  }
  return units;
}

/** The script with a marker after every unit; `$?` survives it, and `set -e` is not tripped by it. */
export function instrument(units: Unit[], prelude = ""): string {
  const body = units.map((u) => `${u.text}\n${MARK_FN} ${u.index} "$?" && :`).join("\n");
  return `${prelude}${body}\n`;
}

/** What bash needs to understand the markers (the model defines the command natively). */
export const BASH_MARK_DEFINITION = `${MARK_FN}() { printf '\\036KT:%s:%s\\036' "$1" "$2"; printf '\\036KT:%s:%s\\036' "$1" "$2" >&2; return "$2"; }\n`;

export function markText(index: number, rc: number): string {
  return `${SENTINEL}KT:${index}:${rc}${SENTINEL}`;
}

export interface UnitOutput {
  stdout: string;
  stderr: string;
  /** Exit status of the unit, or null if the script ended before its marker (e.g. `set -e`, `exit`). */
  exitCode: number | null;
}

/** Cuts a stream at the markers: text before marker i belongs to unit i. */
export function splitStream(
  s: string,
  count: number,
): { parts: string[]; codes: Array<number | null>; tail: string } {
  const parts: string[] = Array.from({ length: count }, () => "");
  const codes: Array<number | null> = Array.from({ length: count }, () => null);
  const re = /\x1eKT:(\d+):(\d+)\x1e/g;
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const idx = Number(m[1]);
    if (idx < count) {
      parts[idx] = (parts[idx] ?? "") + s.slice(last, m.index);
      codes[idx] = Number(m[2]);
    }
    last = m.index + m[0].length;
  }
  return { parts, codes, tail: s.slice(last) };
}

export function collate(units: Unit[], stdout: string, stderr: string, finalCode: number): UnitOutput[] {
  const o = splitStream(stdout, units.length);
  const e = splitStream(stderr, units.length);
  const res: UnitOutput[] = units.map((u) => ({
    stdout: o.parts[u.index]!,
    stderr: e.parts[u.index]!,
    exitCode: o.codes[u.index]!,
  }));
  // Output after the last marker belongs to the unit that stopped the script.
  const stopped = res.findIndex((r) => r.exitCode === null);
  const at = stopped >= 0 ? stopped : res.length - 1;
  if (at >= 0 && (o.tail || e.tail)) {
    res[at]!.stdout += o.tail;
    res[at]!.stderr += e.tail;
  }
  if (stopped >= 0) res[stopped]!.exitCode = finalCode;
  return res;
}
