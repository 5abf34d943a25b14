import { encode } from "dns-packet";
import { describe, expect, it } from "vitest";
import { ReplyCache } from "../../../src/dns/server/reply-cache.js";

const q = (id: number, name = "a.cluster.local") =>
  encode({ id, type: "query", flags: 0x0100, questions: [{ name, type: "A", class: "IN" }] });

describe("ReplyCache", () => {
  it("answers an identical query with the stored reply under the new ID", () => {
    const c = new ReplyCache();
    const k1 = ReplyCache.key(q(1), "udp", 4);
    c.set(k1, Uint8Array.from([0, 1, 0x85, 0, 9, 9]));
    const k2 = ReplyCache.key(q(0x0203), "udp", 4);
    expect(k2).toBe(k1);
    expect([...c.get(k2, q(0x0203))!]).toEqual([2, 3, 0x85, 0, 9, 9]);
    expect(c.get(ReplyCache.key(q(1), "tcp", 4), q(1))).toBeNull();
    expect(c.get(ReplyCache.key(q(1, "b.cluster.local"), "udp", 4), q(1))).toBeNull();
  });

  it("empties when the generation changes, and stays within its bounds", () => {
    let gen = 1;
    const c = new ReplyCache({ maxEntries: 2, maxReplyBytes: 8, generation: () => gen });
    const k = (n: number) => ReplyCache.key(q(1, `n${n}.cluster.local`), "udp", 4);
    c.set(k(1), new Uint8Array(4));
    c.set(k(2), new Uint8Array(4));
    c.set(k(3), new Uint8Array(4));
    c.set(k(4), new Uint8Array(9)); // too big to keep
    expect(c.size).toBe(2);
    expect(c.get(k(1), q(1))).toBeNull(); // the oldest went first
    expect(c.get(k(3), q(1))).not.toBeNull();
    gen = 2;
    expect(c.get(k(3), q(1))).toBeNull();
    expect(c.size).toBe(0);
  });
});
