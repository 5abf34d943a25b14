/**
 * The oracle never leaves anything behind: background jobs of the real run
 * die with its process group, also when the oracle itself is interrupted.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareScript, kernelAvailable } from "../../src/oracle/index.js";

const avail = kernelAvailable();
const root = join(import.meta.dirname, "..", "..");

function running(pattern: string): boolean {
  return spawnSync("pgrep", ["-f", pattern]).status === 0;
}

describe("oracle cleanup", () => {
  it.skipIf(!avail.ok)("kills the real run's background jobs when the script ends", async () => {
    const script = "ip netns add left-behind\nsleep 987651 &\nip netns list\n";
    const r = await compareScript("bg.sh", script);
    expect(r.units[2]?.kernel.stdout).toBe("left-behind\n");
    expect(running("sleep 987651")).toBe(false);
    // The namespace lived in the oracle's private /run/netns, never in the machine's.
    expect(spawnSync("ip", ["netns", "list"], { encoding: "utf8" }).stdout).not.toContain("left-behind");
  });

  it.skipIf(!avail.ok)("kills everything when the oracle is interrupted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubetwin-int-"));
    const f = join(dir, "long.sh");
    writeFileSync(f, "sleep 987652 &\nsleep 987653\n");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(root, "src", "cli", "run.ts"), "oracle", f],
      { cwd: root, stdio: "ignore" },
    );
    for (let i = 0; i < 100 && !running("sleep 987653"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(running("sleep 987653")).toBe(true);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
    expect(code).toBe(130);
    for (let i = 0; i < 20 && (running("sleep 987652") || running("sleep 987653")); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(running("sleep 987652")).toBe(false);
    expect(running("sleep 987653")).toBe(false);
  });
});
