/**
 * Bad Corefile input must give a CorefileError naming a line, never an exception:
 * random sequences of Corefile fragments, parsed and set up.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCorefile } from "../coredns/server.js";

const FRAGMENTS = [
  ".:53",
  "cluster.local:53",
  "10.0.0.0/24",
  "dns://.:1053",
  "a.org,",
  "{",
  "}",
  "\n",
  " ",
  "#c",
  '"q x"',
  '"',
  "(snip)",
  "import",
  "snip",
  "x/*.conf",
  "{$V}",
  "kubernetes",
  "forward",
  "cache",
  "rewrite",
  "template",
  "hosts",
  "log",
  "errors",
  "health",
  "loadbalance",
  "pods",
  "insecure",
  "ttl",
  "30",
  "-1",
  "fallthrough",
  "name",
  "regex",
  "(a",
  "answer",
  "IN",
  "A",
  "match",
  "{{ .Name }}",
  "1.2.3.4",
  "::1",
  "success",
  "disable",
  "except",
  "lameduck",
  "5s",
  "foo",
];

describe("Corefile robustness", () => {
  it("never throws for any sequence of fragments", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }), (parts) => {
        // Every other fragment on a new line, so directives, blocks and keys mix.
        const text = parts.map((p, i) => (i % 2 ? `${p}\n` : `${p} `)).join("");
        const r = loadCorefile(text, { env: { V: "x" } });
        if (!r.ok) {
          expect(r.error.line).toBeGreaterThanOrEqual(1);
          expect(r.error.message).toMatch(/Corefile:\d+ - |cannot serve/);
        }
      }),
      { numRuns: 3000, seed: 42 },
    );
  });
});
