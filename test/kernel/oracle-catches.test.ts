/**
 * The oracle must catch a broken model: with route selection deliberately
 * inverted (highest metric first), a metric scenario has to disagree with a
 * diff that names the command and both answers.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FibTable } from "../../src/kernel/fib/table.js";
import { compareScript, kernelAvailable } from "../../src/oracle/index.js";

const avail = kernelAvailable();
const SCRIPT = `# title: two routes, two metrics
ip link add v1 type veth peer name v2
ip link set v1 up
ip link set v2 up
ip addr add 10.0.0.1/24 dev v1
ip addr add 10.0.1.1/24 dev v2
ip route add 10.9.0.0/16 dev v1 metric 100
ip route add 10.9.0.0/16 dev v2 metric 50
ip route get 10.9.1.1
`;

describe("oracle against a deliberately broken model", () => {
  const original = FibTable.prototype.lookup;
  afterEach(() => {
    FibTable.prototype.lookup = original;
  });

  it.skipIf(!avail.ok)("agrees when the model is right", async () => {
    const r = await compareScript("metric.sh", SCRIPT);
    expect(r.agree, r.firstDifference?.diff ?? r.stateDiff).toBe(true);
  });

  it.skipIf(!avail.ok)("reports the first wrong answer when metrics are swapped", async () => {
    FibTable.prototype.lookup = function (this: FibTable, addr: number, accept?: (r: never) => boolean) {
      // Same prefix search, but the worst metric wins.
      const best = original.call(this, addr, accept as never);
      if (!best) return best;
      const peers = this.exact(best.dst, best.dstLen).filter((r) => r.family === 4);
      return peers[peers.length - 1] ?? best;
    } as typeof original;
    const r = await compareScript("metric.sh", SCRIPT);
    expect(r.agree).toBe(false);
    expect(r.firstDifference?.line).toBe(9);
    expect(r.firstDifference?.diff).toContain("-10.9.1.1 dev v2 src 10.0.1.1 uid 0 ");
    expect(r.firstDifference?.diff).toContain("+10.9.1.1 dev v1 src 10.0.0.1 uid 0 ");
  });
});
