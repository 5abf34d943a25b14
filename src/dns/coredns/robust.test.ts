/**
 * Any question gets an answer from kind's Corefile without an exception, and
 * every authoritative denial carries exactly one SOA (spec: reference.md §3.2).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KIND_COREFILE } from "../corefile/index.js";
import { RCODE_NAMES, rcodeOf } from "./plugin.js";
import { serveDns } from "./server.js";
import { VIEW } from "./testing/fixture.js";
import { mustLoad, query } from "./testing/helpers.js";

const LABELS = [
  "svc1",
  "hdls1",
  "testns",
  "svc",
  "pod",
  "cluster",
  "local",
  "_http",
  "_tcp",
  "10-0-0-1",
  "*",
  "dup-name",
  "in-addr",
  "arpa",
  "10",
  "0",
  "1",
  "google",
  "com",
  "dns-version",
  "ns",
  "dns",
  "EXTERNAL",
  "kube-dns",
  "kube-system",
];
const TYPES = ["A", "AAAA", "SRV", "PTR", "TXT", "CNAME", "NS", "SOA", "MX", "HINFO", "CAA"];

describe("serveDns robustness", () => {
  it("answers every question; kubernetes denials carry one SOA with AA", () => {
    const server = mustLoad(KIND_COREFILE, { seed: 9 });
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...LABELS), { minLength: 0, maxLength: 7 }),
        fc.constantFrom(...TYPES),
        (labels, type) => {
          const name = labels.length ? `${labels.join(".")}.` : ".";
          const r = serveDns(server, query(name, type), VIEW);
          expect(r.response).not.toBeNull();
          const m = r.response!;
          expect(RCODE_NAMES[rcodeOf(m)]).toBeDefined();
          if (r.plugin === "kubernetes" && (m.answers ?? []).length === 0) {
            expect((m.authorities ?? []).filter((a) => a.type === "SOA")).toHaveLength(1);
            expect((m.flags ?? 0) & 0x400).toBe(0x400);
          }
        },
      ),
      { numRuns: 2000, seed: 7 },
    );
  });
});
