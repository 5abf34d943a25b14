import { Buffer } from "node:buffer";
import { type Answer, decode, type Packet } from "dns-packet";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { replySize, sizeAndDo } from "../../../src/dns/wire/edns.js";
import { scrub, truncate } from "../../../src/dns/wire/truncate.js";

const NAME = "big.default.svc.cluster.local"; // 31 octets on the wire, question 35
const opt = (size: number, options: Extract<Answer, { type: "OPT" }>["options"] = []): Answer => ({
  type: "OPT",
  name: ".",
  udpPayloadSize: size,
  extendedRcode: 0,
  ednsVersion: 0,
  flags: 0,
  flag_do: false,
  options,
});

function bigReply(n: number, extra: Answer[] = []): Packet {
  return {
    id: 9,
    type: "response",
    flags: 0x0500,
    questions: [{ name: NAME, type: "A", class: "IN" }],
    answers: Array.from({ length: n }, (_, i) => ({
      name: NAME,
      type: "A",
      ttl: 5,
      class: "IN",
      data: `10.244.0.${i + 2}`,
    })),
    additionals: extra,
  };
}

describe("truncate (miekg Msg.Truncate)", () => {
  it("sends a reply that fits uncompressed as is, uncompressed", () => {
    const t = truncate(bigReply(5), 512);
    expect(t.compress).toBe(false);
    expect(t.bytes.length).toBe(12 + 35 + 5 * 45);
  });

  it("compresses when the uncompressed reply is too big, and keeps every record that then fits", () => {
    const t = truncate(bigReply(20), 512); // 12+35+900 uncompressed; 12+35+320 compressed
    expect(t.compress).toBe(true);
    expect(t.bytes.length).toBe(367);
    expect(decode(Buffer.from(t.bytes)).flag_tc).toBe(false);
  });

  it("drops the records past the budget, sets TC, and puts the OPT back last", () => {
    const q: Packet = {
      id: 9,
      type: "query",
      flags: 0x0100,
      questions: [{ name: NAME, type: "A" }],
      additionals: [opt(512)],
    };
    const reply = sizeAndDo(q, bigReply(40));
    const t = truncate(reply, replySize(q, "udp"));
    const d = decode(Buffer.from(t.bytes));
    // Budget 512 - 11 (OPT) = 501; header+question 47; 16 per compressed A: 28 fit (47+448=495).
    expect(d.answers).toHaveLength(28);
    expect(d.flag_tc).toBe(true);
    expect(d.additionals?.map((r) => r.type)).toEqual(["OPT"]);
    expect(t.bytes.length).toBe(495 + 11);
  });

  it("treats sizes under 512 as 512 and stops at the first record that does not fit, in every section", () => {
    const extra = [{ name: "a.b", type: "A", ttl: 5, class: "IN", data: "1.2.3.4" } as Answer];
    const d = decode(Buffer.from(truncate(bigReply(40, extra), 100).bytes));
    expect(d.answers).toHaveLength(29); // 47 + 29*16 = 511
    expect(d.additionals).toHaveLength(0);
    expect(d.flag_tc).toBe(true);
  });

  it("over UDP compresses a fitting reply above 1480 octets to an IPv4 client (Scrub)", () => {
    const r = bigReply(35); // 12+35+35*45 = 1622 uncompressed
    expect(scrub(r, 4096, "udp", 4).compress).toBe(true);
    expect(scrub(r, 4096, "tcp", 4).compress).toBe(false);
    expect(scrub(bigReply(30), 4096, "udp", 4).compress).toBe(false); // 1397
    expect(scrub(bigReply(30), 4096, "udp", 6).compress).toBe(true); // > 1220
  });
});

describe("truncate (properties)", () => {
  const label = fc.stringMatching(/^[a-z0-9-]{1,10}$/);
  const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => `${l.join(".")}.svc.cluster.local`);
  const rr = fc.oneof(
    fc
      .record({ n: name, o: fc.nat(255) })
      .map(({ n, o }): Answer => ({ name: n, type: "A", ttl: 5, class: "IN", data: `10.0.0.${o}` })),
    fc
      .record({ n: name, t: name })
      .map(({ n, t }): Answer => ({ name: n, type: "CNAME", ttl: 5, class: "IN", data: t })),
    fc
      .record({ n: name, t: name })
      .map(
        ({ n, t }): Answer => ({ name: n, type: "SRV", ttl: 5, class: "IN", data: { port: 80, target: t } }),
      ),
  );
  it("fits the budget, keeps a prefix of each section, and sets TC exactly when it dropped something", () => {
    fc.assert(
      fc.property(
        name,
        fc.array(rr, { maxLength: 40 }),
        fc.array(rr, { maxLength: 5 }),
        fc.array(rr, { maxLength: 10 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 2000 }),
        (q, an, ns, ar, edns, size) => {
          const msg: Packet = {
            id: 1,
            type: "response",
            flags: 0x0400,
            questions: [{ name: q, type: "A", class: "IN" }],
            answers: an,
            authorities: ns,
            additionals: edns ? [...ar, opt(size)] : ar,
          };
          const t = truncate(msg, size);
          expect(t.bytes.length).toBeLessThanOrEqual(Math.max(size, 512));
          const d = decode(Buffer.from(t.bytes));
          const [kAn, kNs, kAr] = [
            d.answers!.length,
            d.authorities!.length,
            d.additionals!.filter((r) => r.type !== "OPT").length,
          ];
          expect(d.answers).toEqual(
            decode(Buffer.from(truncate({ ...msg, answers: an.slice(0, kAn) }, 65535).bytes)).answers,
          );
          const dropped = kAn < an.length || kNs < ns.length || kAr < ar.length;
          expect(d.flag_tc).toBe(dropped);
          if (edns) expect(d.additionals?.at(-1)?.type).toBe("OPT");
          // Nothing after the first record left out: a later section only keeps records if the earlier kept all.
          if (kAn < an.length) expect(kNs + kAr).toBe(0);
          if (kNs < ns.length) expect(kAr).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("replySize and sizeAndDo (CoreDNS request package)", () => {
  it("is 512 without EDNS0, the advertised size (at least 512) with it, 65535 over TCP", () => {
    const q: Packet = { questions: [{ name: NAME, type: "A" }] };
    expect(replySize(q, "udp")).toBe(512);
    expect(replySize({ ...q, additionals: [opt(1232)] }, "udp")).toBe(1232);
    expect(replySize({ ...q, additionals: [opt(100)] }, "udp")).toBe(512);
    expect(replySize({ ...q, additionals: [opt(1232)] }, "tcp")).toBe(65535);
  });

  it("echoes the client's OPT: its size, DO, and only the options CoreDNS supports", () => {
    const cookie = { code: 10, data: Buffer.from("0102030405060708", "hex") } as never;
    const ecs = { code: 8, data: Buffer.from("00011800c0a801", "hex") } as never;
    const q: Packet = {
      questions: [{ name: NAME, type: "A" }],
      additionals: [{ ...opt(1232, [cookie, ecs]), flags: 0x8000, flag_do: true } as Answer],
    };
    const r = sizeAndDo(q, bigReply(1));
    const o = r.additionals?.at(-1) as Extract<Answer, { type: "OPT" }>;
    expect(o.udpPayloadSize).toBe(1232);
    expect(o.flag_do).toBe(true);
    expect(o.options.map((x) => x.code)).toEqual([10]);
    expect(sizeAndDo({ questions: q.questions }, bigReply(1)).additionals).toEqual([]);
  });
});
