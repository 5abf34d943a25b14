import { Buffer } from "node:buffer";
import { encode, type Packet, decode as rawDecode } from "dns-packet";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeQuery } from "../../../src/dns/wire/decode.js";
import { MessageEncoder } from "../../../src/dns/wire/encode.js";

/** dns-packet sets rcode and opcode on what it decodes; its typings leave them out. */
const decode = (b: Buffer) =>
  rawDecode(b) as ReturnType<typeof rawDecode> & { rcode: string; opcode: string };

const query = (over: Partial<Packet> = {}): Buffer =>
  encode({
    id: 0xbeef,
    type: "query",
    flags: 0x0100,
    questions: [{ name: "web.default.svc.cluster.local", type: "A", class: "IN" }],
    ...over,
  });

function reply(b: Buffer) {
  const d = decodeQuery(b);
  if (d.kind !== "reply") throw new Error(`expected a reply, got ${d.kind}`);
  return decode(Buffer.from(d.bytes));
}

describe("decodeQuery", () => {
  it("accepts a plain query, keeping the name's case", () => {
    const d = decodeQuery(
      query({ questions: [{ name: "Web.Default.svc.cluster.local", type: "A", class: "IN" }] }),
    );
    expect(d.kind).toBe("query");
    if (d.kind === "query") expect(d.message.questions?.[0]?.name).toBe("Web.Default.svc.cluster.local");
  });

  it("spells odd octets as miekg does, so the question survives the trip back", () => {
    // "a.b" as ONE label (a dot inside it), then a label with octets 0xff and 0x20.
    const name = Buffer.from([3, 0x61, 0x2e, 0x62, 2, 0xff, 0x20, 5, ...Buffer.from("local"), 0]);
    const b = Buffer.concat([
      Buffer.from([0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
      name,
      Buffer.from([0, 1, 0, 1]),
    ]);
    const d = decodeQuery(b);
    expect(d.kind).toBe("query");
    if (d.kind !== "query") return;
    expect(d.message.questions?.[0]?.name).toBe("a\\.b.\\255\\ .local");
    const e = new MessageEncoder(true);
    e.question(d.message.questions![0]!);
    expect(Buffer.from(e.finish())).toEqual(Buffer.concat([name, Buffer.from([0, 1, 0, 1])]));
  });

  it("reads plain Uint8Arrays (the simulated network's bytes) as well as Buffers", () => {
    const b = query();
    const plain = new Uint8Array(b.length + 4).subarray(2, 2 + b.length);
    plain.set(b);
    const d = decodeQuery(plain);
    expect(d.kind).toBe("query");
    if (d.kind === "query") expect(d.message.questions?.[0]?.name).toBe("web.default.svc.cluster.local");
    expect(Object.getPrototypeOf(plain)).toBe(Uint8Array.prototype); // the caller's array is untouched
  });

  it("drops what is shorter than a header, and responses", () => {
    expect(decodeQuery(Buffer.from([1, 2, 3])).kind).toBe("drop");
    expect(decodeQuery(query({ type: "response" })).kind).toBe("drop");
  });

  it("answers NOTIMP to other opcodes, keeping the opcode", () => {
    const r = reply(query({ flags: (5 << 11) | 0x0100 })); // UPDATE
    expect(r.rcode).toBe("NOTIMP");
    expect(r.opcode).toBe("UPDATE");
    expect(r.questions).toEqual([]);
  });

  it("answers FORMERR with the id echoed to bad counts, with just a header", () => {
    const b = query();
    b.writeUInt16BE(2, 4); // QDCOUNT 2
    const d = decodeQuery(b);
    expect(d.kind).toBe("reply");
    if (d.kind !== "reply") return;
    expect(d.bytes.length).toBe(12);
    const r = decode(Buffer.from(d.bytes));
    expect(r).toMatchObject({
      id: 0xbeef,
      type: "response",
      rcode: "FORMERR",
      opcode: "QUERY",
      flag_rd: true,
      flag_aa: false,
    });
  });

  it("answers FORMERR to a body that does not parse, keeping a question that did", () => {
    const b = query();
    const cut = Buffer.concat([b, Buffer.from([0, 0, 41])]); // an additional record cut short
    cut.writeUInt16BE(1, 10);
    const r = reply(cut);
    expect(r.rcode).toBe("FORMERR");
    expect(r.questions?.[0]?.name).toBe("web.default.svc.cluster.local");
    const bad = Buffer.from(b);
    bad[12] = 0xc0; // a pointer forwards: a loop waiting to happen
    bad[13] = 0xff;
    expect(reply(bad).rcode).toBe("FORMERR");
  });

  it("answers SERVFAIL to a bare header that claims a question (miekg yields no question; CoreDNS fails it)", () => {
    const r = reply(query().subarray(0, 12));
    expect(r.rcode).toBe("SERVFAIL");
    expect(r.id).toBe(0xbeef);
  });

  it("never throws on random bytes (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const d = decodeQuery(Buffer.from(bytes));
        if (d.kind === "reply") expect(d.bytes.length).toBeGreaterThanOrEqual(12);
      }),
      { numRuns: 3000 },
    );
    // Mutations of a real query reach the body parser more often than random bytes do.
    const base = query();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(255)), { maxLength: 6 }), (muts) => {
        const b = Buffer.from(base);
        for (const [i, v] of muts) b[i] = v;
        decodeQuery(b);
      }),
      { numRuns: 3000 },
    );
  });
});
