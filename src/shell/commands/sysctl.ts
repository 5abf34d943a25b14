/**
 * @module shell/commands/sysctl
 * procps-ng sysctl: read (KEY, -n, -a, -r/--pattern), write (-w KEY=VAL or KEY=VAL), -q, -e, -p FILE.
 */
import { STRERROR } from "../../kernel/errno.js";
import { Sysctl } from "../../kernel/sysctl.js";
import type { CmdContext, CmdResult } from "../types.js";

export function sysctlCommand(argv: string[], ctx: CmdContext): CmdResult {
  const s = ctx.ns.sysctl;
  let write = false;
  let nameOnly = false;
  let valueOnly = false;
  let quiet = false;
  let ignore = false;
  let all = false;
  const keys: string[] = [];
  let pattern: RegExp | null = null;
  let out = "";
  let err = "";
  let rc = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    // -r PATTERN / --pattern PATTERN: only the keys the (extended) regular expression finds.
    if (a === "-r" || a === "--pattern" || a.startsWith("--pattern=")) {
      const p = a.startsWith("--pattern=") ? a.slice(10) : argv[++i];
      if (p === undefined)
        return { stdout: "", stderr: `sysctl: option requires an argument -- 'r'\n`, exitCode: 255 };
      try {
        pattern = new RegExp(p);
      } catch {
        return { stdout: "", stderr: `sysctl: unable to parse pattern: ${p}\n`, exitCode: 255 };
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1 && !a.includes("=")) {
      for (const f of a.slice(1)) {
        if (f === "w") write = true;
        else if (f === "n") valueOnly = true;
        else if (f === "N") nameOnly = true;
        else if (f === "q") quiet = true;
        else if (f === "e") ignore = true;
        else if (f === "a" || f === "A" || f === "X") all = true;
        else if (f === "-") break;
        else if (f === "p") {
          /* -p without a readable file: nothing to load in a fresh machine */
        } else return { stdout: "", stderr: `sysctl: invalid option -- '${f}'\n`, exitCode: 255 };
      }
      continue;
    }
    keys.push(a);
  }
  const show = (k: string, v: string): void => {
    if (valueOnly) out += `${v}\n`;
    else if (nameOnly) out += `${k}\n`;
    else out += `${k} = ${v}\n`;
  };
  if (all) {
    for (const k of s.keys()) if (!pattern || pattern.test(k)) show(k, s.get(k) ?? "");
    return { stdout: out, stderr: "", exitCode: 0 };
  }
  for (const raw of keys) {
    const eq = raw.indexOf("=");
    if (write && eq < 0) {
      err += `sysctl: command line(0): invalid syntax, continuing...\n`;
      rc = 1;
      continue;
    }
    if (eq >= 0) {
      const key = Sysctl.normalizeKey(raw.slice(0, eq).trim());
      const val = raw.slice(eq + 1).trim();
      const r = s.set(key, val);
      if (!r.ok) {
        if (r.errno === "EACCES") {
          // WriteSetting finds the entry read-only (mode 0444): it warns with whatever errno was
          // left (EINVAL here) and goes on without failing.
          err += `sysctl: setting key "${key}": Invalid argument\n`;
          continue;
        }
        // No such entry (stat fails), or the write itself refused (ENOENT from nf_log: no such logger).
        const missing = r.errno === "ENOENT" && !s.has(key);
        if (missing) {
          if (!ignore)
            err += `sysctl: cannot stat /proc/sys/${key.replace(/\./g, "/")}: No such file or directory\n`;
        } else err += `sysctl: setting key "${key}": ${STRERROR[r.errno]}\n`;
        rc = ignore && missing ? rc : 1;
        continue;
      }
      // WriteSetting echoes the value as it was given, not as the kernel reads it back.
      if (!quiet) show(key, val);
      continue;
    }
    const key = Sysctl.normalizeKey(raw);
    const v = s.get(key);
    if (v === undefined) {
      if (!ignore) {
        err += `sysctl: cannot stat /proc/sys/${key.replace(/\./g, "/")}: No such file or directory\n`;
        rc = 1;
      }
      continue;
    }
    show(key, v);
  }
  return { stdout: out, stderr: err, exitCode: rc };
}
