/**
 * iptables-restore --noflush rewriting a long chain as kube-proxy's syncs do: the rules of lines
 * written again are the old ones, and they stand for the lines of the payload that wrote them last,
 * so the next rewrite is recognised run by run (what keeps a partial sync of 10,000 services fast).
 * What a command can see is checked against the kernel by scenarios nf-26 to nf-29.
 */
import { describe, expect, it } from "vitest";
import { Kernel } from "../../../kernel/kernel.js";
import { RestoredRule } from "../../../kernel/netfilter/rule.js";
import { type Chain, nfState } from "../../../kernel/netfilter/tables.js";
import { restore } from "./index.js";

const opts = { noflush: true, counters: false, test: false, table: null };
const svc = (i: number): string => `-A SVC -d 10.96.0.${i}/32 -p tcp -m tcp --dport 80 -j SEP${i}`;
const sep = (i: number): string => `-A SEP${i} -p tcp -m tcp -j DNAT --to-destination 10.244.0.${i}:80`;
const n = 100;

function chainOf(k: Kernel, name: string): Chain {
  const c = nfState(k.initNs).tables.get("nat")?.chains.get(name);
  if (!c) throw new Error(`no chain ${name}`);
  return c;
}

function restored(c: Chain): RestoredRule[] {
  return c.rules.map((r) => {
    if (!(r instanceof RestoredRule)) throw new Error("not a restored rule");
    return r;
  });
}

describe("iptables-restore --noflush rewriting a long chain", () => {
  const k = new Kernel({ seed: 1 });
  const s = nfState(k.initNs);
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  // The first payload writes each SVC line next to its SEP chain's: SVC's lines are not consecutive.
  const first = ["*nat", ":SVC - [0:0]", ...ids.map((i) => `:SEP${i} - [0:0]`)];
  for (const i of ids) first.push(svc(i), sep(i));
  first.push("COMMIT", "");
  // Later ones write SVC alone, its lines one after another.
  const again = (changed: number): string =>
    [
      "*nat",
      ":SVC - [0:0]",
      ...ids.map((i) => (i === changed ? svc(i).replace("--dport 80", "--dport 81") : svc(i))),
      "COMMIT",
      "",
    ].join("\n");

  it("keeps the old rules for lines written again, moved to the payload that wrote them", () => {
    expect(restore(s, first.join("\n"), opts)).toBeNull();
    const before = restored(chainOf(k, "SVC"));
    expect(chainOf(k, "SVC").runs).toBeUndefined();
    const second = again(0);
    expect(restore(s, second, opts)).toBeNull();
    const after = restored(chainOf(k, "SVC"));
    expect(after).toEqual(before);
    for (let j = 0; j < n; j++) expect(after[j]).toBe(before[j]);
    for (const r of after) expect(r.in.text).toBe(second);
    expect(after.map((r) => r.line)).toEqual(ids.map(svc));
    expect(chainOf(k, "SVC").runs?.length).toBeGreaterThan(0);
  });

  it("recognises the unchanged runs of the next rewrite and parses only the changed line", () => {
    const before = restored(chainOf(k, "SVC"));
    expect(restore(s, again(50), opts)).toBeNull();
    const after = restored(chainOf(k, "SVC"));
    const same = after.filter((r, j) => r === before[j]).length;
    expect(same).toBe(n - 1);
    expect(after[49]!.line).toContain("--dport 81");
    // Every line, reused or new, now stands where this payload wrote it: one run.
    expect(chainOf(k, "SVC").runs?.map((r) => r.text.split("\n").length)).toEqual([n]);
  });
});
