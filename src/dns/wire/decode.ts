/**
 * @module dns/wire/decode
 * A query off the wire, judged as a miekg/dns server (CoreDNS's) judges it
 * before any plugin runs (server.go serveDNS + defaultMsgAcceptFunc):
 * - shorter than a header: dropped (a reply could be used for amplification);
 * - QR set (a response): dropped;
 * - opcode other than QUERY or NOTIFY: NOTIMP;
 * - QDCOUNT ≠ 1, ANCOUNT > 1, NSCOUNT > 1 or ARCOUNT > 2: FORMERR;
 * - a body that does not parse: FORMERR, with the question if that parsed;
 * - a bare header claiming a question: no question, which CoreDNS answers SERVFAIL.
 * The question's name is spelled as miekg spells it (escapes for odd octets), so the
 * reply echoes it byte for byte.
 * The FORMERR and NOTIMP replies are the request's header with QR set, AA and
 * Z cleared, the rcode set and no records (miekg SetRcodeFormatError). This
 * function never throws.
 */
import { decode, encode, type Packet } from "dns-packet";
import { FLAG, OPCODE, RCODE } from "./codes.js";
import { MessageEncoder } from "./encode.js";

/** What dns-packet reads: a Buffer (it calls Buffer methods such as readUInt16BE on its input). */
export type WireBytes = Parameters<typeof decode>[0];

/**
 * The prototype of the Buffers dns-packet makes (Node's Buffer, or the `buffer` package in a
 * browser bundle). Both are Uint8Arrays with Buffer.prototype, so a view with that prototype
 * is a Buffer to dns-packet: plain Uint8Arrays (the simulated network's bytes) decode without
 * this layer importing node:buffer.
 */
const BUFFER_PROTO: object = Object.getPrototypeOf(encode({ questions: [] }));

export function asWireBytes(b: Uint8Array): WireBytes {
  if (Object.getPrototypeOf(b) === BUFFER_PROTO) return b as WireBytes;
  return Object.setPrototypeOf(
    new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
    BUFFER_PROTO,
  ) as WireBytes;
}

export const HEADER_LENGTH = 12;
export const MAX_MESSAGE_LENGTH = 65535;

export type DecodedQuery =
  | { kind: "query"; message: Packet }
  /** Answered at once, without the handler (FORMERR, NOTIMP, SERVFAIL for a bare header). */
  | { kind: "reply"; bytes: Uint8Array; reason: string }
  | { kind: "drop"; reason: string };

interface Header {
  id: number;
  bits: number;
  qd: number;
  an: number;
  ns: number;
  ar: number;
}

function readHeader(b: Uint8Array): Header {
  const u16 = (o: number): number => (b[o]! << 8) | b[o + 1]!;
  return { id: u16(0), bits: u16(2), qd: u16(4), an: u16(6), ns: u16(8), ar: u16(10) };
}

/** The request's header turned into an error reply (miekg SetRcodeFormatError, then NOTIMP's opcode). */
function errorReply(
  h: Header,
  rcode: number,
  keepOpcode: boolean,
  question?: Packet["questions"],
): Uint8Array {
  const opcode = keepOpcode ? h.bits & 0x7800 : OPCODE.QUERY << 11;
  const bits = (h.bits & ~(0x7800 | FLAG.AA | FLAG.Z | 0x000f)) | opcode | rcode;
  const e = new MessageEncoder(false);
  const qs = question ?? [];
  e.header({ id: h.id, type: "response", flags: bits & 0x7fff }, [qs.length, 0, 0, 0]);
  for (const q of qs) e.question(q);
  return e.finish();
}

/** The question alone, when a later section is what failed to parse (miekg keeps it in the FORMERR). */
function questionOnly(bytes: WireBytes): Packet["questions"] {
  try {
    // TypedArray slice copies into the same kind of array (a Buffer stays a Buffer).
    const only = Uint8Array.prototype.slice.call(bytes, 0) as WireBytes;
    only.fill(0, 6, 12);
    const p = decode(only);
    return p.questions?.length === 1 ? p.questions : undefined;
  } catch {
    return undefined;
  }
}

export function decodeQuery(input: Uint8Array): DecodedQuery {
  const bytes = asWireBytes(input);
  if (bytes.length < HEADER_LENGTH) return { kind: "drop", reason: "shorter than a DNS header" };
  if (bytes.length > MAX_MESSAGE_LENGTH) return { kind: "drop", reason: "longer than 65535 octets" };
  const h = readHeader(bytes);
  if (h.bits & FLAG.QR) return { kind: "drop", reason: "a response, not a query" };
  const opcode = (h.bits >> 11) & 0xf;
  if (opcode !== OPCODE.QUERY && opcode !== OPCODE.NOTIFY)
    return { kind: "reply", bytes: errorReply(h, RCODE.NOTIMP, true), reason: `opcode ${opcode}` };
  if (h.qd !== 1 || h.an > 1 || h.ns > 1 || h.ar > 2)
    return {
      kind: "reply",
      bytes: errorReply(h, RCODE.FORMERR, false),
      reason: `section counts ${h.qd}/${h.an}/${h.ns}/${h.ar}`,
    };
  if (bytes.length === HEADER_LENGTH) {
    // miekg returns a message without a question; CoreDNS's ServeDNS answers it SERVFAIL.
    const opBits = h.bits & 0x7800;
    const keep = opcode === OPCODE.QUERY ? h.bits & (FLAG.RD | FLAG.CD) : 0;
    const e = new MessageEncoder(false);
    e.header({ id: h.id, type: "response", flags: opBits | keep | RCODE.SERVFAIL }, [0, 0, 0, 0]);
    return { kind: "reply", bytes: e.finish(), reason: "no question" };
  }
  let message: Packet;
  try {
    message = decode(bytes);
  } catch (err) {
    let q: Packet["questions"];
    if (h.an + h.ns + h.ar > 0) q = questionOnly(bytes);
    return {
      kind: "reply",
      bytes: errorReply(h, RCODE.FORMERR, false, q),
      reason: `malformed: ${(err as Error).message}`,
    };
  }
  const q = message.questions?.[0];
  if (q) {
    const name = presentationName(bytes, HEADER_LENGTH);
    if (name !== null) q.name = name;
  }
  return { kind: "query", message };
}

/** Octets miekg escapes with a backslash in presentation form (isDomainNameLabelSpecial). */
const SPECIAL = new Set([0x2e, 0x20, 0x27, 0x40, 0x3b, 0x28, 0x29, 0x22, 0x5c]);

/**
 * The name at `offset` as miekg's unpackDomainName spells it (without the final dot):
 * `\.`-style escapes for special octets and `\DDD` for the rest outside printable ASCII.
 * dns-packet reads labels as UTF-8 text, so a dot inside a label or a stray octet would
 * not survive the trip back into the reply's question; this spelling does (encode.ts
 * reads the escapes). Null if the name is malformed (dns-packet has already judged it).
 */
function presentationName(b: Uint8Array, offset: number): string | null {
  let out = "";
  let at = offset;
  for (let hops = 0; hops < 128; ) {
    const len = b[at];
    if (len === undefined) return null;
    if (len === 0) return out === "" ? "." : out;
    if ((len & 0xc0) === 0xc0) {
      const next = b[at + 1];
      if (next === undefined) return null;
      at = ((len & 0x3f) << 8) | next;
      hops++;
      continue;
    }
    if (len > 63 || at + 1 + len > b.length) return null;
    if (out !== "") out += ".";
    for (let i = at + 1; i <= at + len; i++) {
      const c = b[i]!;
      if (SPECIAL.has(c)) out += `\\${String.fromCharCode(c)}`;
      else if (c < 0x20 || c > 0x7e) out += `\\${String(c).padStart(3, "0")}`;
      else out += String.fromCharCode(c);
    }
    at += 1 + len;
  }
  return null;
}
