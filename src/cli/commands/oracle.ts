/**
 * @module cli/commands/oracle
 * `kubetwin oracle [-o text|json] SCRIPT…`: exit 0 when every scenario
 * agrees, 1 when one differs, 3 when the real kernel cannot be used here.
 */
import { readFileSync } from "node:fs";
import { compareScript, kernelAvailable, type ScenarioResult } from "../../oracle/index.js";
import { CliError } from "../errors.js";

export const ORACLE_UNAVAILABLE = 3;

function renderText(r: ScenarioResult): string {
  const n = r.units.length;
  const title = r.meta.title ? `  (${r.meta.title})` : "";
  if (r.agree) return `agree   ${r.file}${title}: ${n} command${n === 1 ? "" : "s"} and the final state\n`;
  let s = `DIFFER  ${r.file}${title}\n`;
  if (r.error) s += `  ${r.error}\n`;
  const bad = r.units.filter((u) => !u.agree).length;
  if (r.firstDifference) {
    const f = r.firstDifference;
    s += `  ${bad} of ${n} commands differ; the first, at line ${f.line}:\n    $ ${f.command.split("\n").join("\n      ")}\n`;
    s += `${f.diff.replace(/^/gm, "    ").trimEnd()}\n`;
  }
  if (!r.stateAgree) s += `  the final state differs:\n${r.stateDiff.replace(/^/gm, "    ").trimEnd()}\n`;
  if (r.meta.fidelity) s += `  (marked as a deliberate simplification: ${r.meta.fidelity})\n`;
  return s;
}

export async function runOracleCli(files: string[], output: "text" | "json"): Promise<number> {
  const avail = kernelAvailable();
  if (!avail.ok) {
    process.stderr.write(`kubetwin oracle: ${avail.reason}; nothing was compared\n`);
    return ORACLE_UNAVAILABLE;
  }
  const results: ScenarioResult[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, "utf8");
    } catch {
      throw new CliError(`kubetwin oracle: ${f}: No such file or directory`);
    }
    const r = await compareScript(f, text);
    results.push(r);
    if (output === "text") process.stdout.write(renderText(r));
  }
  const agreeing = results.filter((r) => r.agree).length;
  if (output === "json") {
    process.stdout.write(
      `${JSON.stringify({ agree: agreeing === results.length, scenarios: results }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(
      `\n${agreeing} of ${results.length} scenario${results.length === 1 ? "" : "s"} agree with the kernel\n`,
    );
  }
  return agreeing === results.length ? 0 : 1;
}
