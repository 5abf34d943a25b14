/**
 * @module shell/commands/sleep
 * coreutils sleep on simulated time: the machine's timers (ARP retries,
 * neighbour and FDB ageing, conntrack timeouts) run as it passes.
 */
import type { CmdContext, CmdResult } from "../types.js";

const UNIT: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

export function sleepCommand(argv: string[], ctx: CmdContext): CmdResult {
  if (argv.length === 0)
    return {
      stdout: "",
      stderr: "sleep: missing operand\nTry 'sleep --help' for more information.\n",
      exitCode: 1,
    };
  let total = 0;
  for (const a of argv) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m)
      return {
        stdout: "",
        stderr: `sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`,
        exitCode: 1,
      };
    total += Number(m[1]) * (UNIT[m[2] ?? ""] ?? 1);
  }
  ctx.kernel.advance(Math.round(total * 1000));
  return { stdout: "", stderr: "", exitCode: 0 };
}
