/**
 * @module dns/wire/encode
 * A DNS message encoder that produces the bytes a Go miekg/dns server
 * (CoreDNS) writes. dns-packet's encoder never compresses names; this one
 * follows miekg's packDomainName:
 * - with compression on, owner names, the question name and the names inside
 *   CNAME, NS, PTR, MX and SOA rdata are compressed (pointers to the longest
 *   earlier suffix with the same case-sensitive spelling);
 * - SRV targets and DNAME targets are never compressed (RFC 2782, RFC 6672;
 *   tagged `domain-name`, not `cdomain-name`, in miekg), but their suffixes
 *   still become pointer targets for later names;
 * - only offsets below 16384 are remembered (14-bit pointers).
 * With compression off (CoreDNS's choice whenever the reply fits), names are
 * written in full.
 * Input is dns-packet's `Packet` shape: `flags` carries opcode, rcode and the
 * header bits (bit 15 comes from `type`), as dns-packet encodes it.
 */
import type { Answer, Packet, PacketOpt, Question } from "dns-packet";
import { parseIPv4, parseIPv6 } from "../../net/ip.js";
import { classCode, optionCode, TYPE, typeCode } from "./codes.js";
import { wireName } from "./name.js";

const MAX_MESSAGE = 65535;
const MAX_POINTER_OFFSET = 1 << 14;
const utf8 = new TextEncoder();

export interface EncodeOptions {
  /** Compress names (miekg's Msg.Compress). Default true. */
  compress?: boolean;
}

/**
 * Writes one message into a scratch buffer. Encoding is synchronous, so one
 * buffer serves every call; `finish` copies the bytes out.
 */
export class MessageEncoder {
  private static scratch = new Uint8Array(MAX_MESSAGE);
  private static scratchView = new DataView(MessageEncoder.scratch.buffer);
  private readonly buf = MessageEncoder.scratch;
  private readonly view = MessageEncoder.scratchView;
  /** null when compression is off: miekg then keeps no map at all. */
  private readonly names: Map<string, number> | null;
  offset = 0;

  constructor(compress: boolean) {
    this.names = compress ? new Map() : null;
  }

  private room(n: number): void {
    if (this.offset + n > MAX_MESSAGE) throw new Error("dns: message longer than 65535 octets");
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.offset++] = v & 0xff;
  }

  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.offset, v & 0xffff);
    this.offset += 2;
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.offset, v >>> 0);
    this.offset += 4;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.offset);
    this.offset += b.length;
  }

  /** miekg packDomainName: `compress` says whether this field may use a pointer. */
  name(name: string, compress: boolean): void {
    const w = wireName(name);
    const names = this.names;
    for (let i = 0; i < w.labels.length; i++) {
      if (names) {
        const key = w.keys[i]!;
        const p = names.get(key);
        if (p !== undefined) {
          if (compress) {
            this.u16(0xc000 | p);
            return;
          }
        } else if (this.offset < MAX_POINTER_OFFSET) {
          names.set(key, this.offset);
        }
      }
      const label = w.labels[i]!;
      this.u8(label.length);
      this.bytes(label);
    }
    this.u8(0);
  }

  header(p: Packet, counts: [number, number, number, number]): void {
    this.u16(p.id ?? 0);
    this.u16(((p.flags ?? 0) & 0x7fff) | (p.type === "response" ? 0x8000 : 0));
    for (const c of counts) this.u16(c);
  }

  question(q: Question): void {
    this.name(q.name, true);
    this.u16(typeCode(q.type));
    this.u16(classCode(q.class));
  }

  record(rr: Answer): void {
    if (rr.type === "OPT") {
      this.opt(rr);
      return;
    }
    this.name(rr.name, true);
    this.u16(typeCode(rr.type));
    this.u16(classCode(rr.class) | (rr.flush ? 0x8000 : 0));
    this.u32(rr.ttl ?? 0);
    const lenAt = this.offset;
    this.u16(0);
    this.rdata(rr);
    this.view.setUint16(lenAt, this.offset - lenAt - 2);
  }

  private rdata(rr: Answer): void {
    switch (rr.type) {
      case "A": {
        const v = parseIPv4(rr.data);
        if (v === null) throw new Error(`dns: bad A record address ${JSON.stringify(rr.data)}`);
        this.u32(v);
        return;
      }
      case "AAAA": {
        const v = parseIPv6(rr.data);
        if (v === null) throw new Error(`dns: bad AAAA record address ${JSON.stringify(rr.data)}`);
        for (let s = 112n; s >= 0n; s -= 16n) this.u16(Number((v >> s) & 0xffffn));
        return;
      }
      case "CNAME":
      case "NS":
      case "PTR":
        this.name(rr.data, true);
        return;
      case "DNAME":
        this.name(rr.data, false);
        return;
      case "MX":
        this.u16(rr.data.preference ?? 0);
        this.name(rr.data.exchange, true);
        return;
      case "SRV":
        this.u16(rr.data.priority ?? 0);
        this.u16(rr.data.weight ?? 0);
        this.u16(rr.data.port);
        this.name(rr.data.target, false);
        return;
      case "SOA": {
        const d = rr.data;
        this.name(d.mname, true);
        this.name(d.rname, true);
        this.u32(d.serial ?? 0);
        this.u32(d.refresh ?? 0);
        this.u32(d.retry ?? 0);
        this.u32(d.expire ?? 0);
        this.u32(d.minimum ?? 0);
        return;
      }
      case "TXT": {
        const parts = Array.isArray(rr.data) ? rr.data : [rr.data];
        for (const part of parts) {
          const b = typeof part === "string" ? utf8.encode(part) : part;
          if (b.length > 255) throw new Error("dns: TXT string longer than 255 octets");
          this.u8(b.length);
          this.bytes(b);
        }
        return;
      }
      default: {
        const data = "data" in rr ? rr.data : undefined;
        if (data instanceof Uint8Array) {
          this.bytes(data);
          return;
        }
        throw new Error(`dns: cannot encode ${rr.type} records`);
      }
    }
  }

  private opt(rr: Extract<Answer, { type: "OPT" }>): void {
    this.u8(0); // the root: an OPT's owner is always "."
    this.u16(TYPE.OPT);
    this.u16(rr.udpPayloadSize ?? 4096); // 0 stays 0 (BADVERS replies carry it), unlike dns-packet
    const flags = (rr.flags ?? 0) | (rr.flag_do ? 0x8000 : 0);
    this.u32(
      (((rr.extendedRcode ?? 0) & 0xff) << 24) | (((rr.ednsVersion ?? 0) & 0xff) << 16) | (flags & 0xffff),
    );
    const lenAt = this.offset;
    this.u16(0);
    for (const o of rr.options ?? []) this.option(o);
    this.view.setUint16(lenAt, this.offset - lenAt - 2);
  }

  private option(o: PacketOpt): void {
    const code: number | string = (o as { code: number | string }).code;
    this.u16(typeof code === "number" ? code : optionCode(code));
    const lenAt = this.offset;
    this.u16(0);
    if (o.data) this.bytes(o.data);
    else if (o.code === 11 && o.timeout !== undefined) this.u16(o.timeout);
    else if (o.code === 12) for (let i = 0; i < (o.length ?? 0); i++) this.u8(0);
    else if (o.code === 14) for (const t of o.tags) this.u16(t);
    this.view.setUint16(lenAt, this.offset - lenAt - 2);
  }

  /** Rewrites a count in the header (truncation decides counts after writing). */
  setCount(section: 0 | 1 | 2 | 3, n: number): void {
    this.view.setUint16(4 + 2 * section, n);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.offset);
  }
}

/** The wire length of one OPT record (miekg's Len(opt)): 11 octets plus its options. */
export function optLength(rr: Extract<Answer, { type: "OPT" }>): number {
  let n = 11;
  for (const o of rr.options ?? []) {
    n += 4;
    if (o.data) n += o.data.length;
    else if (o.code === 11 && o.timeout !== undefined) n += 2;
    else if (o.code === 12) n += o.length ?? 0;
    else if (o.code === 14) n += 2 * o.tags.length;
  }
  return n;
}

/** Encodes a whole message (compressed unless `compress: false`). Throws on records it cannot encode. */
export function encodeMessage(p: Packet, opts: EncodeOptions = {}): Uint8Array {
  const e = new MessageEncoder(opts.compress ?? true);
  const qs = p.questions ?? [];
  const an = p.answers ?? [];
  const ns = p.authorities ?? [];
  const ar = p.additionals ?? [];
  e.header(p, [qs.length, an.length, ns.length, ar.length]);
  for (const q of qs) e.question(q);
  for (const rr of an) e.record(rr);
  for (const rr of ns) e.record(rr);
  for (const rr of ar) e.record(rr);
  return e.finish();
}
