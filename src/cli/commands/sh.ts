/**
 * @module cli/commands/sh
 * `kubetwin sh [SCRIPT]`: run a bash script against a fresh simulated machine.
 */
import { readFileSync } from "node:fs";
import { type RunResult, ShellSession } from "../../shell/session.js";
import { renderHops } from "../../trace/render.js";
import { cniPluginCommand } from "../../twin/shell-cni.js";
import { CliError } from "../errors.js";

export interface ShOptions {
  trace?: boolean;
  seed?: number;
}

export async function readScript(path: string | undefined): Promise<{ text: string; name: string }> {
  if (path === undefined || path === "-") {
    if (process.stdin.isTTY)
      throw new CliError(
        "kubetwin sh: no script given and standard input is a terminal (pass a file or pipe one in)",
      );
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return { text: Buffer.concat(chunks).toString("utf8"), name: "<stdin>" };
  }
  try {
    return { text: readFileSync(path, "utf8"), name: path };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `kubetwin sh: ${path}: ${code === "ENOENT" ? "No such file or directory" : code === "EISDIR" ? "Is a directory" : String(e)}`,
    );
  }
}

export function writeRun(r: RunResult, trace: boolean): void {
  // Per unit: its stdout, then its stderr, then (with --trace) the packets it moved.
  for (const u of r.units) {
    if (u.stdout) process.stdout.write(u.stdout);
    if (u.stderr) process.stderr.write(u.stderr);
    if (trace && u.hops.length > 0)
      process.stdout.write(renderHops(u.hops, `line ${u.unit.startLine}: ${u.unit.text.split("\n")[0]}`));
  }
}

export async function runSh(path: string | undefined, opts: ShOptions): Promise<number> {
  const { text } = await readScript(path);
  const s = new ShellSession({ seed: opts.seed ?? 1 });
  // Our CNI plugins as executables on the simulated machine.
  s.register("cni-plugin", cniPluginCommand);
  const r = await s.run(text);
  writeRun(r, opts.trace ?? false);
  return r.exitCode;
}
