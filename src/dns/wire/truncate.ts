/**
 * @module dns/wire/truncate
 * Fitting a reply into the client's buffer, as CoreDNS does it
 * (request.Request.Scrub → miekg Msg.Truncate):
 * 1. if the reply fits *uncompressed*, it is sent uncompressed (Truncate sets
 *    Compress = false: "don't waste effort compressing this message");
 * 2. otherwise it is compressed, the OPT record is set aside (its length comes
 *    off the budget; it is put back last), and records are kept in order —
 *    answers, then authority, then additional — up to the first one that does
 *    not fit; every later record is dropped, and TC is set if any was;
 * 3. over UDP, a reply that fits but is longer than 1480 octets (IPv4 client)
 *    or 1220 (IPv6) is compressed anyway, against fragmentation.
 */
import type { Answer, Packet } from "dns-packet";
import { FLAG } from "./codes.js";
import { MIN_MSG_SIZE, type OptRecord } from "./edns.js";
import { encodeMessage, MessageEncoder, optLength } from "./encode.js";

export interface Truncated {
  message: Packet;
  /** Whether the message is to be sent compressed (miekg's Msg.Compress after Truncate). */
  compress: boolean;
  /** The message encoded accordingly. */
  bytes: Uint8Array;
}

/** How many records of each section fit (miekg truncateLoop), measured by encoding them. */
function fitCounts(msg: Packet, sections: Answer[][], size: number): number[] {
  const e = new MessageEncoder(true);
  e.header(msg, [0, 0, 0, 0]);
  for (const q of msg.questions ?? []) e.question(q);
  let l = e.offset;
  const kept: number[] = [];
  for (const rrs of sections) {
    if (l >= size) {
      kept.push(0);
      continue;
    }
    let n = rrs.length;
    for (let i = 0; i < rrs.length; i++) {
      try {
        e.record(rrs[i]!);
        l = e.offset;
      } catch {
        l = size + 1; // past 65535: certainly past the budget
      }
      if (l > size) {
        l = size; // nothing after this record may be added, in any section
        n = i;
        break;
      }
      if (l === size) {
        n = i + 1;
        break;
      }
    }
    kept.push(n);
  }
  return kept;
}

/** miekg Msg.Truncate(size), then the encoding it implies. */
export function truncate(msg: Packet, requested: number): Truncated {
  const size = Math.max(requested, MIN_MSG_SIZE);
  const plain = encodeMessage(msg, { compress: false });
  if (plain.length <= size) return { message: msg, compress: false, bytes: plain };

  const extra = [...(msg.additionals ?? [])];
  let opt: OptRecord | undefined;
  for (let i = extra.length - 1; i >= 0; i--) {
    const rr = extra[i]!;
    if (rr.type === "OPT") {
      opt = rr;
      extra.splice(i, 1);
      break;
    }
  }
  const budget = opt ? size - optLength(opt) : size;
  const an = msg.answers ?? [];
  const ns = msg.authorities ?? [];
  const [nAn, nNs, nAr] = fitCounts(msg, [an, ns, extra], budget) as [number, number, number];
  const dropped = nAn < an.length || nNs < ns.length || nAr < extra.length;
  const additionals = extra.slice(0, nAr);
  if (opt) additionals.push(opt);
  const message: Packet = {
    ...msg,
    flags: (msg.flags ?? 0) | (dropped ? FLAG.TC : 0),
    answers: an.slice(0, nAn),
    authorities: ns.slice(0, nNs),
    additionals,
  };
  return { message, compress: true, bytes: encodeMessage(message, { compress: true }) };
}

/**
 * request.Request.Scrub: truncate to `size` (replySize of the query), then,
 * over UDP, compress a fitting reply above the fragmentation limits.
 */
export function scrub(reply: Packet, size: number, transport: "udp" | "tcp", family: 4 | 6): Truncated {
  const t = truncate(reply, size);
  if (t.compress || transport !== "udp") return t;
  const limit = family === 4 ? 1480 : 1220;
  if (t.bytes.length > limit)
    return { message: t.message, compress: true, bytes: encodeMessage(t.message, { compress: true }) };
  return t;
}
