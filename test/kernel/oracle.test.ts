/**
 * Every scenario of the corpus runs through the oracle: real kernel (in a
 * fresh network namespace) against the model. Without root this suite is
 * skipped, unless KUBETWIN_REQUIRE_KERNEL=1 (as in CI), where that fails.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareScript, kernelAvailable } from "../../src/oracle/index.js";

const dir = join(import.meta.dirname, "..", "scenarios");
const scenarios = readdirSync(dir)
  .filter((f) => f.endsWith(".sh"))
  .sort();
const avail = kernelAvailable();
const required = process.env.KUBETWIN_REQUIRE_KERNEL === "1";

describe("oracle: the model agrees with the real kernel", () => {
  if (!avail.ok && required) {
    it("has a real kernel to compare with", () => {
      expect.fail(`KUBETWIN_REQUIRE_KERNEL=1 but ${avail.reason}`);
    });
    return;
  }
  it("has a corpus", () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });
  for (const f of scenarios) {
    it.skipIf(!avail.ok)(f, async () => {
      const text = readFileSync(join(dir, f), "utf8");
      const r = await compareScript(f, text);
      const report = [
        r.error ?? "",
        r.firstDifference
          ? `line ${r.firstDifference.line}: ${r.firstDifference.command}\n${r.firstDifference.diff}`
          : "",
        r.stateDiff,
      ]
        .filter(Boolean)
        .join("\n");
      if (r.meta.fidelity) {
        // A documented simplification: it runs, and the report says where it differs.
        expect(r.units.length).toBeGreaterThan(0);
        return;
      }
      expect(r.agree, report).toBe(true);
    });
  }
});
