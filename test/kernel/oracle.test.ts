/**
 * Every scenario of the corpus runs through the oracle: real kernel (in a
 * fresh network namespace) against the model. Without root this suite is
 * skipped, unless KUBETWIN_REQUIRE_KERNEL=1 (as in CI), where that fails.
 *
 * The model is deterministic; the kernel is not quite: under load a real TCP
 * segment can be retransmitted or a timer fire late, and a counter then reads
 * one or two packets more. A disagreeing scenario is therefore run again (the
 * kernel and the model, from scratch) up to KERNEL_ATTEMPTS times; it passes if
 * the kernel once does what the model does, and the retry is printed. A real
 * difference in the model disagrees every time.
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
const KERNEL_ATTEMPTS = 3;

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
      let r = await compareScript(f, text);
      for (let attempt = 2; !r.agree && !r.meta.fidelity && attempt <= KERNEL_ATTEMPTS; attempt++) {
        const first = r.firstDifference ? `line ${r.firstDifference.line}` : "the final state";
        console.warn(`${f}: differs from the kernel at ${first}; attempt ${attempt} of ${KERNEL_ATTEMPTS}`);
        r = await compareScript(f, text);
      }
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
