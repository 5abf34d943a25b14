// bench/zz-dnsprof.mts

import { Session } from "node:inspector/promises";
import { encode as encode2 } from "dns-packet";

// src/dns/wire/codes.ts
var TYPES = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  NULL: 10,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  RP: 17,
  AFSDB: 18,
  SIG: 24,
  KEY: 25,
  AAAA: 28,
  LOC: 29,
  SRV: 33,
  NAPTR: 35,
  KX: 36,
  CERT: 37,
  DNAME: 39,
  OPT: 41,
  APL: 42,
  DS: 43,
  SSHFP: 44,
  IPSECKEY: 45,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  DHCID: 49,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  HIP: 55,
  CDS: 59,
  CDNSKEY: 60,
  SPF: 99,
  TKEY: 249,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
  CAA: 257,
  TA: 32768,
  DLV: 32769,
};
var CLASSES = { IN: 1, CS: 2, CH: 3, HS: 4, NONE: 254, ANY: 255 };
var OPTIONS = {
  LLQ: 1,
  UL: 2,
  NSID: 3,
  DAU: 5,
  DHU: 6,
  N3U: 7,
  CLIENT_SUBNET: 8,
  EXPIRE: 9,
  COOKIE: 10,
  TCP_KEEPALIVE: 11,
  PADDING: 12,
  CHAIN: 13,
  KEY_TAG: 14,
  DEVICEID: 26946,
};
function lookup(table, prefix, what, s2) {
  if (typeof s2 === "number") return s2;
  const n = table[s2.toUpperCase()];
  if (n !== void 0) return n;
  if (s2.startsWith(prefix)) {
    const v = Number(s2.slice(prefix.length));
    if (Number.isInteger(v) && v >= 0 && v <= 65535) return v;
  }
  throw new Error(`dns: unknown ${what} ${JSON.stringify(s2)}`);
}
function typeCode(t2) {
  return lookup(TYPES, "UNKNOWN_", "record type", t2);
}
function classCode(c) {
  return c === void 0 ? 1 : lookup(CLASSES, "UNKNOWN_", "class", c);
}
function optionCode(o) {
  return lookup(OPTIONS, "OPTION_", "EDNS0 option", o);
}
var TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41 };
var FLAG = {
  QR: 32768,
  AA: 1024,
  TC: 512,
  RD: 256,
  RA: 128,
  Z: 64,
  AD: 32,
  CD: 16,
};
var RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 };
var OPCODE = { QUERY: 0, NOTIFY: 4 };
var OPTION = { NSID: 3, EXPIRE: 9, COOKIE: 10, TCP_KEEPALIVE: 11, PADDING: 12 };

// src/dns/wire/decode.ts
import { decode, encode } from "dns-packet";

// src/net/ip.ts
import ipaddr from "ipaddr.js";

function parseIPv4(s2) {
  const parts = s2.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n >>> 0;
}
function isIPv4Cidr(s2) {
  if (typeof s2 !== "string") return false;
  const [a2, l] = s2.split("/");
  return parseIPv4(a2 ?? "") !== null && l !== void 0 && /^\d+$/.test(l) && Number(l) <= 32;
}
function formatIPv4(n) {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
function maskOf(len) {
  return len === 0 ? 0 : (4294967295 << (32 - len)) >>> 0;
}
function isMulticast4(a2) {
  return a2 >>> 28 === 14;
}
function isLoopback4(a2) {
  return a2 >>> 24 === 127;
}
function parseIPv6(s2) {
  if (!s2.includes(":") || !ipaddr.IPv6.isValid(s2)) return null;
  const bytes = ipaddr.IPv6.parse(s2).toByteArray();
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

// src/dns/wire/name.ts
var utf8 = new TextEncoder();
var cache = /* @__PURE__ */ new Map();
var CACHE_MAX = 8192;
function isDigit(c) {
  return c >= 48 && c <= 57;
}
function splitLabels(name) {
  const raw = [];
  const labels = [];
  let text = "";
  let bytes = [];
  const push2 = () => {
    if (bytes.length === 0) throw new Error(`dns: empty label in ${JSON.stringify(name)}`);
    if (bytes.length > 63) throw new Error(`dns: label longer than 63 octets in ${JSON.stringify(name)}`);
    raw.push(text);
    labels.push(Uint8Array.from(bytes));
    text = "";
    bytes = [];
  };
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch === 92 && i + 1 < name.length) {
      const a2 = name.charCodeAt(i + 1);
      if (
        isDigit(a2) &&
        i + 3 < name.length &&
        isDigit(name.charCodeAt(i + 2)) &&
        isDigit(name.charCodeAt(i + 3))
      ) {
        const v = Number(name.slice(i + 1, i + 4));
        if (v > 255) throw new Error(`dns: bad escape in ${JSON.stringify(name)}`);
        bytes.push(v);
        text += name.slice(i, i + 4);
        i += 3;
      } else {
        bytes.push(...utf8.encode(name[i + 1]));
        text += name.slice(i, i + 2);
        i += 1;
      }
    } else if (ch === 46) {
      push2();
    } else if (ch < 128) {
      bytes.push(ch);
      text += name[i];
    } else {
      const cp = name.codePointAt(i);
      const s2 = String.fromCodePoint(cp);
      bytes.push(...utf8.encode(s2));
      text += s2;
      if (cp > 65535) i++;
    }
  }
  if (text !== "" || bytes.length > 0) push2();
  return { raw, labels };
}
function wireName(name) {
  const hit = cache.get(name);
  if (hit) return hit;
  const trimmed = name === "." ? "" : name;
  const { raw, labels } = splitLabels(trimmed);
  let length = 1;
  for (const l of labels) length += l.length + 1;
  if (length > 255) throw new Error(`dns: name longer than 255 octets: ${JSON.stringify(name)}`);
  const keys = new Array(raw.length);
  let suffix = ".";
  for (let i = raw.length - 1; i >= 0; i--) {
    suffix = i === raw.length - 1 ? `${raw[i]}.` : `${raw[i]}.${suffix}`;
    keys[i] = suffix;
  }
  const w = { labels, keys, length };
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(name, w);
  return w;
}

// src/dns/wire/encode.ts
var MAX_MESSAGE = 65535;
var MAX_POINTER_OFFSET = 1 << 14;
var utf82 = new TextEncoder();
var MessageEncoder = class _MessageEncoder {
  static scratch = new Uint8Array(MAX_MESSAGE);
  static scratchView = new DataView(_MessageEncoder.scratch.buffer);
  buf = _MessageEncoder.scratch;
  view = _MessageEncoder.scratchView;
  /** null when compression is off: miekg then keeps no map at all. */
  names;
  offset = 0;
  constructor(compress) {
    this.names = compress ? /* @__PURE__ */ new Map() : null;
  }
  room(n) {
    if (this.offset + n > MAX_MESSAGE) throw new Error("dns: message longer than 65535 octets");
  }
  u8(v) {
    this.room(1);
    this.buf[this.offset++] = v & 255;
  }
  u16(v) {
    this.room(2);
    this.view.setUint16(this.offset, v & 65535);
    this.offset += 2;
  }
  u32(v) {
    this.room(4);
    this.view.setUint32(this.offset, v >>> 0);
    this.offset += 4;
  }
  bytes(b) {
    this.room(b.length);
    this.buf.set(b, this.offset);
    this.offset += b.length;
  }
  /** miekg packDomainName: `compress` says whether this field may use a pointer. */
  name(name, compress) {
    const w = wireName(name);
    const names2 = this.names;
    for (let i = 0; i < w.labels.length; i++) {
      if (names2) {
        const key = w.keys[i];
        const p = names2.get(key);
        if (p !== void 0) {
          if (compress) {
            this.u16(49152 | p);
            return;
          }
        } else if (this.offset < MAX_POINTER_OFFSET) {
          names2.set(key, this.offset);
        }
      }
      const label = w.labels[i];
      this.u8(label.length);
      this.bytes(label);
    }
    this.u8(0);
  }
  header(p, counts) {
    this.u16(p.id ?? 0);
    this.u16(((p.flags ?? 0) & 32767) | (p.type === "response" ? 32768 : 0));
    for (const c of counts) this.u16(c);
  }
  question(q) {
    this.name(q.name, true);
    this.u16(typeCode(q.type));
    this.u16(classCode(q.class));
  }
  record(rr) {
    if (rr.type === "OPT") {
      this.opt(rr);
      return;
    }
    this.name(rr.name, true);
    this.u16(typeCode(rr.type));
    this.u16(classCode(rr.class) | (rr.flush ? 32768 : 0));
    this.u32(rr.ttl ?? 0);
    const lenAt = this.offset;
    this.u16(0);
    this.rdata(rr);
    this.view.setUint16(lenAt, this.offset - lenAt - 2);
  }
  rdata(rr) {
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
        for (let s2 = 112n; s2 >= 0n; s2 -= 16n) this.u16(Number((v >> s2) & 0xffffn));
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
          const b = typeof part === "string" ? utf82.encode(part) : part;
          if (b.length > 255) throw new Error("dns: TXT string longer than 255 octets");
          this.u8(b.length);
          this.bytes(b);
        }
        return;
      }
      default: {
        const data = "data" in rr ? rr.data : void 0;
        if (data instanceof Uint8Array) {
          this.bytes(data);
          return;
        }
        throw new Error(`dns: cannot encode ${rr.type} records`);
      }
    }
  }
  opt(rr) {
    this.u8(0);
    this.u16(TYPE.OPT);
    this.u16(rr.udpPayloadSize ?? 4096);
    const flags = (rr.flags ?? 0) | (rr.flag_do ? 32768 : 0);
    this.u32(
      (((rr.extendedRcode ?? 0) & 255) << 24) | (((rr.ednsVersion ?? 0) & 255) << 16) | (flags & 65535),
    );
    const lenAt = this.offset;
    this.u16(0);
    for (const o of rr.options ?? []) this.option(o);
    this.view.setUint16(lenAt, this.offset - lenAt - 2);
  }
  option(o) {
    const code = o.code;
    this.u16(typeof code === "number" ? code : optionCode(code));
    const lenAt = this.offset;
    this.u16(0);
    if (o.data) this.bytes(o.data);
    else if (o.code === 11 && o.timeout !== void 0) this.u16(o.timeout);
    else if (o.code === 12) for (let i = 0; i < (o.length ?? 0); i++) this.u8(0);
    else if (o.code === 14) for (const t2 of o.tags) this.u16(t2);
    this.view.setUint16(lenAt, this.offset - lenAt - 2);
  }
  /** Rewrites a count in the header (truncation decides counts after writing). */
  setCount(section, n) {
    this.view.setUint16(4 + 2 * section, n);
  }
  finish() {
    return this.buf.slice(0, this.offset);
  }
};
function optLength(rr) {
  let n = 11;
  for (const o of rr.options ?? []) {
    n += 4;
    if (o.data) n += o.data.length;
    else if (o.code === 11 && o.timeout !== void 0) n += 2;
    else if (o.code === 12) n += o.length ?? 0;
    else if (o.code === 14) n += 2 * o.tags.length;
  }
  return n;
}
function encodeMessage(p, opts = {}) {
  const e = new MessageEncoder(opts.compress ?? true);
  const qs2 = p.questions ?? [];
  const an = p.answers ?? [];
  const ns2 = p.authorities ?? [];
  const ar = p.additionals ?? [];
  e.header(p, [qs2.length, an.length, ns2.length, ar.length]);
  for (const q of qs2) e.question(q);
  for (const rr of an) e.record(rr);
  for (const rr of ns2) e.record(rr);
  for (const rr of ar) e.record(rr);
  return e.finish();
}

// src/dns/wire/decode.ts
var BUFFER_PROTO = Object.getPrototypeOf(encode({ questions: [] }));
function asWireBytes(b) {
  if (Object.getPrototypeOf(b) === BUFFER_PROTO) return b;
  return Object.setPrototypeOf(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), BUFFER_PROTO);
}
var HEADER_LENGTH = 12;
var MAX_MESSAGE_LENGTH = 65535;
function readHeader(b) {
  const u16 = (o) => (b[o] << 8) | b[o + 1];
  return { id: u16(0), bits: u16(2), qd: u16(4), an: u16(6), ns: u16(8), ar: u16(10) };
}
function errorReply(h, rcode, keepOpcode, question) {
  const opcode = keepOpcode ? h.bits & 30720 : OPCODE.QUERY << 11;
  const bits = (h.bits & ~(30720 | FLAG.AA | FLAG.Z | 15)) | opcode | rcode;
  const e = new MessageEncoder(false);
  const qs2 = question ?? [];
  e.header({ id: h.id, type: "response", flags: bits & 32767 }, [qs2.length, 0, 0, 0]);
  for (const q of qs2) e.question(q);
  return e.finish();
}
function questionOnly(bytes) {
  try {
    const only = Uint8Array.prototype.slice.call(bytes, 0);
    only.fill(0, 6, 12);
    const p = decode(only);
    return p.questions?.length === 1 ? p.questions : void 0;
  } catch {
    return void 0;
  }
}
function decodeQuery(input) {
  const bytes = asWireBytes(input);
  if (bytes.length < HEADER_LENGTH) return { kind: "drop", reason: "shorter than a DNS header" };
  if (bytes.length > MAX_MESSAGE_LENGTH) return { kind: "drop", reason: "longer than 65535 octets" };
  const h = readHeader(bytes);
  if (h.bits & FLAG.QR) return { kind: "drop", reason: "a response, not a query" };
  const opcode = (h.bits >> 11) & 15;
  if (opcode !== OPCODE.QUERY && opcode !== OPCODE.NOTIFY)
    return { kind: "reply", bytes: errorReply(h, RCODE.NOTIMP, true), reason: `opcode ${opcode}` };
  if (h.qd !== 1 || h.an > 1 || h.ns > 1 || h.ar > 2)
    return {
      kind: "reply",
      bytes: errorReply(h, RCODE.FORMERR, false),
      reason: `section counts ${h.qd}/${h.an}/${h.ns}/${h.ar}`,
    };
  if (bytes.length === HEADER_LENGTH) {
    const opBits = h.bits & 30720;
    const keep = opcode === OPCODE.QUERY ? h.bits & (FLAG.RD | FLAG.CD) : 0;
    const e = new MessageEncoder(false);
    e.header({ id: h.id, type: "response", flags: opBits | keep | RCODE.SERVFAIL }, [0, 0, 0, 0]);
    return { kind: "reply", bytes: e.finish(), reason: "no question" };
  }
  let message;
  try {
    message = decode(bytes);
  } catch (err) {
    let q2;
    if (h.an + h.ns + h.ar > 0) q2 = questionOnly(bytes);
    return {
      kind: "reply",
      bytes: errorReply(h, RCODE.FORMERR, false, q2),
      reason: `malformed: ${err.message}`,
    };
  }
  const q = message.questions?.[0];
  if (q) {
    const name = presentationName(bytes, HEADER_LENGTH);
    if (name !== null) q.name = name;
  }
  return { kind: "query", message };
}
var SPECIAL = /* @__PURE__ */ new Set([46, 32, 39, 64, 59, 40, 41, 34, 92]);
function presentationName(b, offset) {
  let out = "";
  let at = offset;
  for (let hops = 0; hops < 128; ) {
    const len = b[at];
    if (len === void 0) return null;
    if (len === 0) return out === "" ? "." : out;
    if ((len & 192) === 192) {
      const next = b[at + 1];
      if (next === void 0) return null;
      at = ((len & 63) << 8) | next;
      hops++;
      continue;
    }
    if (len > 63 || at + 1 + len > b.length) return null;
    if (out !== "") out += ".";
    for (let i = at + 1; i <= at + len; i++) {
      const c = b[i];
      if (SPECIAL.has(c)) out += `\\${String.fromCharCode(c)}`;
      else if (c < 32 || c > 126) out += `\\${String(c).padStart(3, "0")}`;
      else out += String.fromCharCode(c);
    }
    at += 1 + len;
  }
  return null;
}

// src/dns/wire/edns.ts
var MIN_MSG_SIZE = 512;
var MAX_MSG_SIZE = 65535;
function optOf(m) {
  const ar = m.additionals;
  if (!ar) return void 0;
  for (let i = ar.length - 1; i >= 0; i--) {
    const rr = ar[i];
    if (rr.type === "OPT") return rr;
  }
  return void 0;
}
function replySize(query, transport) {
  if (transport === "tcp") return MAX_MSG_SIZE;
  const o = optOf(query);
  const size2 = o ? (o.udpPayloadSize ?? 0) : 0;
  return Math.max(size2, MIN_MSG_SIZE);
}
var ECHOED = new Set(Object.values(OPTION));
function optionCodeOf(o) {
  const code = o.code;
  return typeof code === "number" ? code : -1;
}
function sizeAndDo(query, reply) {
  const o = optOf(query);
  if (!o) return reply;
  const own = optOf(reply);
  const ar = reply.additionals ?? [];
  if (own) {
    const flags2 = ((own.flags ?? 0) | (own.flag_do ? 32768 : 0)) & 65280;
    const withDo = o.flag_do || ((o.flags ?? 0) & 32768) !== 0 ? flags2 | 32768 : flags2;
    const mine = {
      ...own,
      name: ".",
      udpPayloadSize: o.udpPayloadSize,
      ednsVersion: 0,
      extendedRcode: 0,
      flags: withDo,
      flag_do: (withDo & 32768) !== 0,
    };
    return { ...reply, additionals: ar.map((rr) => (rr === own ? mine : rr)) };
  }
  const flags = ((o.flags ?? 0) | (o.flag_do ? 32768 : 0)) & 65280;
  const echoed = {
    type: "OPT",
    name: ".",
    udpPayloadSize: o.udpPayloadSize,
    extendedRcode: 0,
    ednsVersion: 0,
    flags,
    flag_do: (flags & 32768) !== 0,
    options: (o.options ?? []).filter((x) => ECHOED.has(optionCodeOf(x))),
  };
  return { ...reply, additionals: [...ar, echoed] };
}
function badVersReply(query) {
  const o = optOf(query);
  if (!o || (o.ednsVersion ?? 0) === 0) return null;
  const reply = setReply(query, 0);
  const opt = {
    type: "OPT",
    name: ".",
    udpPayloadSize: 0,
    extendedRcode: 1,
    ednsVersion: 0,
    flags: 0,
    flag_do: false,
    options: [],
  };
  return { ...reply, additionals: [opt] };
}
function setReply(query, rcode) {
  const qf = query.flags ?? 0;
  const opcode = qf & 30720;
  const copy = opcode === 0 ? qf & (256 | 16) : 0;
  const q = query.questions?.[0];
  return {
    id: query.id ?? 0,
    type: "response",
    flags: opcode | copy | (rcode & 15),
    questions: q ? [q] : [],
    answers: [],
    authorities: [],
    additionals: [],
  };
}

// src/dns/wire/truncate.ts
function fitCounts(msg, sections, size2) {
  const e = new MessageEncoder(true);
  e.header(msg, [0, 0, 0, 0]);
  for (const q of msg.questions ?? []) e.question(q);
  let l = e.offset;
  const kept = [];
  for (const rrs of sections) {
    if (l >= size2) {
      kept.push(0);
      continue;
    }
    let n = rrs.length;
    for (let i = 0; i < rrs.length; i++) {
      try {
        e.record(rrs[i]);
        l = e.offset;
      } catch {
        l = size2 + 1;
      }
      if (l > size2) {
        l = size2;
        n = i;
        break;
      }
      if (l === size2) {
        n = i + 1;
        break;
      }
    }
    kept.push(n);
  }
  return kept;
}
function truncate(msg, requested) {
  const size2 = Math.max(requested, MIN_MSG_SIZE);
  const plain = encodeMessage(msg, { compress: false });
  if (plain.length <= size2) return { message: msg, compress: false, bytes: plain };
  const extra = [...(msg.additionals ?? [])];
  let opt;
  for (let i = extra.length - 1; i >= 0; i--) {
    const rr = extra[i];
    if (rr.type === "OPT") {
      opt = rr;
      extra.splice(i, 1);
      break;
    }
  }
  const budget = opt ? size2 - optLength(opt) : size2;
  const an = msg.answers ?? [];
  const ns2 = msg.authorities ?? [];
  const [nAn, nNs, nAr] = fitCounts(msg, [an, ns2, extra], budget);
  const dropped = nAn < an.length || nNs < ns2.length || nAr < extra.length;
  const additionals = extra.slice(0, nAr);
  if (opt) additionals.push(opt);
  const message = {
    ...msg,
    flags: (msg.flags ?? 0) | (dropped ? FLAG.TC : 0),
    answers: an.slice(0, nAn),
    authorities: ns2.slice(0, nNs),
    additionals,
  };
  return { message, compress: true, bytes: encodeMessage(message, { compress: true }) };
}
function scrub(reply, size2, transport, family) {
  const t2 = truncate(reply, size2);
  if (t2.compress || transport !== "udp") return t2;
  const limit = family === 4 ? 1480 : 1220;
  if (t2.bytes.length > limit)
    return { message: t2.message, compress: true, bytes: encodeMessage(t2.message, { compress: true }) };
  return t2;
}

// src/dns/wire/serve.ts
function errorReply2(query, rcode) {
  return encodeMessage(sizeAndDo(query, setReply(query, rcode)), { compress: false });
}
function familyOf(ip) {
  return ip.includes(":") && !ip.startsWith("::ffff:") ? 6 : 4;
}
function serveDns(bytes, ctx2, handler2, opts = {}) {
  const d = decodeQuery(bytes);
  if (d.kind === "drop") return { bytes: null, note: d.reason };
  if (d.kind === "reply") return { bytes: d.bytes, note: d.reason };
  const query = d.message;
  const q = query.questions?.[0];
  if (!q) return { bytes: errorReply2(query, RCODE.SERVFAIL), note: "no question" };
  const cls = q.class ?? "IN";
  if (!opts.classChaos && cls !== "IN")
    return { bytes: errorReply2(query, RCODE.REFUSED), note: `class ${cls}` };
  const badVers = badVersReply(query);
  if (badVers) return { bytes: encodeMessage(badVers, { compress: false }), note: "EDNS version" };
  let reply;
  try {
    reply = handler2({ ...ctx2, message: query });
  } catch (e) {
    return handlerFailed(query, e);
  }
  if (reply instanceof Promise)
    return reply.then(
      (r) => finish(query, r, ctx2),
      (e) => handlerFailed(query, e),
    );
  return finish(query, reply, ctx2);
}
function handlerFailed(query, e) {
  return { bytes: errorReply2(query, RCODE.SERVFAIL), note: `handler failed: ${e.message}` };
}
function finish(query, reply, ctx2) {
  if (!reply) return { bytes: null };
  try {
    const sized = sizeAndDo(query, reply);
    return {
      bytes: scrub(sized, replySize(query, ctx2.transport), ctx2.transport, familyOf(ctx2.client.ip)).bytes,
    };
  } catch (e) {
    return { bytes: errorReply2(query, RCODE.SERVFAIL), note: `encoding failed: ${e.message}` };
  }
}

// src/dns/server/dns-server.ts
var DEFAULT_LIMITS = {
  maxUdpInFlight: 1e4,
  maxTcpConnections: 1e3,
  idleTimeoutMs: 1e4,
  readTimeoutMs: 3e3,
  maxPipelined: 32,
  maxWriteBuffer: 1 << 20,
};

// src/k8s/kubelet/dns.ts
function kindNodeResolvConf(gateway, host = {}) {
  const search = host.search ?? [];
  const options = [...(host.options ?? []).filter((o) => !o.startsWith("ndots:")), "ndots:0"];
  const ext = (host.servers ?? ["127.0.0.53"]).map((ip) => `host(${ip})`).join(" ");
  return (
    `# Generated by Docker Engine.
# This file can be edited; Docker Engine will not make further changes once it
# has been modified.

nameserver ${gateway}
` +
    (search.length > 0
      ? `search ${search.join(" ")}
`
      : "") +
    `options ${options.join(" ")}

# Based on host file: '/etc/resolv.conf' (internal resolver)
# ExtServers: [${ext}]
# Overrides: []
# Option ndots from: internal
`
  );
}

// src/k8s/objects/cluster-objects.ts
var SYSTEM_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage"];
function systemNamespaces(cluster) {
  return cluster.cni.type === "flannel" ? [...SYSTEM_NAMESPACES, "kube-flannel"] : SYSTEM_NAMESPACES;
}
function clusterNamespaces(cluster, objects) {
  const user = objects.filter((o) => o.obj.kind === "Namespace").map((o) => String(o.obj.metadata.name));
  return [.../* @__PURE__ */ new Set([...systemNamespaces(cluster), ...user])].sort();
}

// src/dns/coredns/rr.ts
function a(name, ttl, ip) {
  return { name, type: "A", class: "IN", ttl, data: ip };
}
function aaaa(name, ttl, ip) {
  return { name, type: "AAAA", class: "IN", ttl, data: ip };
}
function addr(name, ttl, ip) {
  return ip.includes(":") ? aaaa(name, ttl, ip) : a(name, ttl, ip);
}
function cname(name, ttl, target) {
  return { name, type: "CNAME", class: "IN", ttl, data: target };
}
function ptr(name, ttl, target) {
  return { name, type: "PTR", class: "IN", ttl, data: target };
}
function ns(name, ttl, target) {
  return { name, type: "NS", class: "IN", ttl, data: target };
}
function txt(name, ttl, text) {
  return { name, type: "TXT", class: "IN", ttl, data: [text] };
}
function srv(name, ttl, priority, weight, port, target) {
  return { name, type: "SRV", class: "IN", ttl, data: { priority, weight, port, target } };
}
function isIP(s2) {
  return parseIPv4(s2) !== null || parseIPv6(s2) !== null;
}
function fq(name) {
  return name.endsWith(".") ? name : `${name}.`;
}
function parseRR(text, defaultTTL = 3600) {
  const fields = splitFields(text);
  const name = fields.shift();
  if (!name) return "empty record";
  let ttl = defaultTTL;
  let cls = "IN";
  for (let i = 0; i < 2; i++) {
    const f = fields[0];
    if (f !== void 0 && /^\d+$/.test(f)) {
      ttl = Number(fields.shift());
    } else if (f !== void 0 && /^(IN|CH|HS|CS|ANY)$/i.test(f)) {
      cls = fields.shift().toUpperCase();
    }
  }
  const type = fields.shift()?.toUpperCase();
  if (!type) return `no record type in "${text}"`;
  const owner = fq(name);
  const base = { name: owner, class: cls, ttl };
  const need = (n) => (fields.length < n ? `bad ${type} record "${text}"` : null);
  switch (type) {
    case "A":
      if (fields.length !== 1 || parseIPv4(fields[0]) === null) return `bad A A: "${fields[0] ?? ""}"`;
      return { ...base, type: "A", data: fields[0] };
    case "AAAA":
      if (fields.length !== 1 || parseIPv6(fields[0]) === null) return `bad AAAA AAAA: "${fields[0] ?? ""}"`;
      return { ...base, type: "AAAA", data: fields[0] };
    case "CNAME":
    case "PTR":
    case "NS":
    case "DNAME":
      return need(1) ?? { ...base, type, data: fq(fields[0]) };
    case "TXT":
      return need(1) ?? { ...base, type: "TXT", data: fields };
    case "MX":
      return (
        need(2) ?? { ...base, type: "MX", data: { preference: Number(fields[0]), exchange: fq(fields[1]) } }
      );
    case "SRV":
      return (
        need(4) ?? {
          ...base,
          type: "SRV",
          data: {
            priority: Number(fields[0]),
            weight: Number(fields[1]),
            port: Number(fields[2]),
            target: fq(fields[3]),
          },
        }
      );
    case "SOA":
      return (
        need(7) ?? {
          ...base,
          type: "SOA",
          data: {
            mname: fq(fields[0]),
            rname: fq(fields[1]),
            serial: Number(fields[2]),
            refresh: Number(fields[3]),
            retry: Number(fields[4]),
            expire: Number(fields[5]),
            minimum: Number(fields[6]),
          },
        }
      );
    default:
      return `record type ${type} is not modelled`;
  }
}
function splitFields(text) {
  const out = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text))
    out.push(m[1] !== void 0 ? m[1].replace(/\\(.)/g, "$1") : m[2]);
  return out;
}
function ttlOf(rr) {
  return "ttl" in rr ? (rr.ttl ?? 0) : 0;
}
function setTTL(rr, ttl) {
  if (rr.type === "OPT") return rr;
  return { ...rr, ttl };
}

// src/dns/corefile/address.ts
var TRANSPORTS = ["dns", "tls", "quic", "grpc", "https"];
var DEFAULT_PORTS = {
  dns: 53,
  tls: 853,
  quic: 853,
  grpc: 443,
  https: 443,
};
function fqdn(name) {
  const n = name.toLowerCase();
  return n.endsWith(".") ? n : `${n}.`;
}
function reverseZones(cidr) {
  const slash = cidr.indexOf("/");
  if (slash < 0) return null;
  const addr2 = cidr.slice(0, slash);
  const lenText = cidr.slice(slash + 1);
  if (!/^\d+$/.test(lenText)) return null;
  const len = Number(lenText);
  const v4 = parseIPv4(addr2);
  if (v4 !== null) {
    if (len > 32) return null;
    const octets = Math.ceil(len / 8);
    const extra = octets * 8 - len;
    const zones = [];
    const base = octets === 0 ? 0 : (v4 >>> (32 - octets * 8)) & ~((1 << extra) - 1);
    for (let i = 0; i < 1 << extra; i++) {
      const v = base + i;
      const labels = [];
      for (let o = 0; o < octets; o++) labels.push(String((v >>> ((octets - 1 - o) * 8)) & 255));
      zones.push(`${[...labels.reverse(), "in-addr", "arpa"].join(".")}.`);
    }
    return zones;
  }
  const v6 = parseIPv6(addr2);
  if (v6 !== null) {
    if (len > 128) return null;
    const nibbles = Math.ceil(len / 4);
    const extra = nibbles * 4 - len;
    const hex = formatHex(v6);
    const zones = [];
    const head = nibbles === 0 ? 0n : BigInt(`0x${hex.slice(0, nibbles)}`) & ~((1n << BigInt(extra)) - 1n);
    for (let i = 0n; i < 1n << BigInt(extra); i++) {
      const v = (head + i).toString(16).padStart(nibbles, "0");
      zones.push(`${[...v.split("").reverse(), "ip6", "arpa"].join(".")}.`);
    }
    return zones;
  }
  return null;
}
function formatHex(v) {
  return v.toString(16).padStart(32, "0");
}
function normalizeKey(key) {
  let rest = key;
  let transport = "dns";
  const m = /^([a-z]+):\/\//.exec(rest);
  if (m) {
    const t2 = TRANSPORTS.find((x) => x === m[1]);
    if (!t2) return `unsupported transport "${m[1]}" in "${key}"`;
    transport = t2;
    rest = rest.slice(m[0].length);
  }
  let host = rest;
  let port = DEFAULT_PORTS[transport];
  const pm = /^(.*?)(?::(\d*))?$/.exec(rest);
  if (pm && pm[2] !== void 0 && !rest.includes("/")) {
    host = pm[1] ?? "";
    if (pm[2] === "") return `invalid port in "${key}"`;
    port = Number(pm[2]);
  } else if (rest.includes("/")) {
    const cm = /^(.*\/\d+)(?::(\d+))?$/.exec(rest);
    if (cm) {
      host = cm[1];
      if (cm[2] !== void 0) port = Number(cm[2]);
    }
  }
  if (port > 65535) return `invalid port in "${key}"`;
  if (host === "") host = ".";
  const rev = reverseZones(host);
  if (host.includes("/") && !rev) return `invalid CIDR "${host}" in "${key}"`;
  const zones = rev ?? [fqdn(host)];
  return zones.map((zone) => ({ zone, port, transport }));
}
function normalizeZoneArg(arg) {
  return reverseZones(arg) ?? [fqdn(arg)];
}
function zoneAddrString(z) {
  return `${z.transport}://${z.zone}:${z.port}`;
}

// src/dns/corefile/directives.ts
var PLUGIN_ORDER = [
  "root",
  "metadata",
  "geoip",
  "cancel",
  "tls",
  "timeouts",
  "multisocket",
  "reload",
  "nsid",
  "bufsize",
  "bind",
  "debug",
  "trace",
  "ready",
  "health",
  "pprof",
  "prometheus",
  "errors",
  "log",
  "dnstap",
  "local",
  "dns64",
  "acl",
  "any",
  "chaos",
  "loadbalance",
  "tsig",
  "cache",
  "rewrite",
  "header",
  "dnssec",
  "autopath",
  "minimal",
  "template",
  "transfer",
  "hosts",
  "route53",
  "azure",
  "clouddns",
  "k8s_external",
  "kubernetes",
  "file",
  "auto",
  "secondary",
  "etcd",
  "loop",
  "forward",
  "grpc",
  "erratic",
  "whoami",
  "on",
  "sign",
  "view",
];
var RANK = new Map(PLUGIN_ORDER.map((p, i) => [p, i]));
function pluginRank(name) {
  return RANK.get(name);
}

// src/dns/corefile/errors.ts
var CorefileError = class extends Error {
  name = "CorefileError";
  file;
  line;
  /** The plugin whose setup failed, when it was one. */
  plugin;
  constructor(message, file, line, plugin) {
    super(message);
    this.file = file;
    this.line = line;
    if (plugin !== void 0) this.plugin = plugin;
  }
};
function parseError(file, line, msg, plugin) {
  const text = `${file}:${line} - Error during parsing: ${msg}`;
  return new CorefileError(plugin ? `plugin/${plugin}: ${text}` : text, file, line, plugin);
}
function syntaxError(file, line, got, expected) {
  return new CorefileError(
    `${file}:${line} - Syntax error: Unexpected token '${got}', expecting '${expected}'`,
    file,
    line,
  );
}

// src/dns/corefile/kind-default.ts
function kubeadmCorefile(dnsDomain = "cluster.local") {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${dnsDomain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${dnsDomain}
       disable denial ${dnsDomain}
    }
    loop
    reload
    loadbalance
}
`;
}
var KIND_COREFILE = kubeadmCorefile();

// src/dns/corefile/lexer.ts
function lex(input, file = "Corefile") {
  const tokens = [];
  let line = 1;
  let val = "";
  let start = 1;
  let inToken = false;
  let quoted = false;
  let wasQuoted = false;
  let escaped = false;
  let comment = false;
  const emit = () => {
    tokens.push(
      wasQuoted ? { text: val, line: start, file, quoted: true } : { text: val, line: start, file },
    );
    val = "";
    inToken = false;
    wasQuoted = false;
  };
  for (const ch of input) {
    if (quoted) {
      if (!escaped) {
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quoted = false;
          emit();
          continue;
        }
      }
      if (ch === "\n") line++;
      if (escaped && ch !== '"') val += "\\";
      val += ch;
      escaped = false;
      continue;
    }
    if (ch === " " || ch === "	" || ch === "\n" || ch === "\r" || ch === "\f" || ch === "\v") {
      if (ch === "\r") continue;
      if (ch === "\n") {
        line++;
        comment = false;
      }
      if (inToken) emit();
      continue;
    }
    if (ch === "#") comment = true;
    if (comment) continue;
    if (!inToken) {
      inToken = true;
      start = line;
      if (ch === '"') {
        quoted = true;
        wasQuoted = true;
        continue;
      }
    }
    val += ch;
  }
  if (inToken) emit();
  return tokens;
}

// src/dns/corefile/parse.ts
function parseCorefile(text, opts = {}) {
  try {
    return { ok: true, corefile: new Parser(text, opts).parseAll() };
  } catch (e) {
    if (e instanceof CorefileError) return { ok: false, error: e };
    throw e;
  }
}
function replaceEnvVars(s2, env) {
  return replaceRefs(replaceRefs(s2, "{%", "%}", env), "{$", "}", env);
}
function replaceRefs(input, open, close, env) {
  let s2 = input;
  let i = s2.indexOf(open);
  while (i !== -1) {
    const end = s2.indexOf(close, i);
    if (end === -1 || end <= i + open.length) return s2;
    const ref = s2.slice(i, end + close.length);
    s2 = s2.split(ref).join(env[ref.slice(open.length, ref.length - close.length)] ?? "");
    i = s2.indexOf(open);
  }
  return s2;
}
var MAX_EXPANSIONS = 1e3;
var Parser = class {
  tokens;
  cursor = -1;
  file;
  env;
  valid;
  snippets = /* @__PURE__ */ new Map();
  expansions = 0;
  eof = false;
  opts;
  constructor(text, opts) {
    this.opts = opts;
    this.file = opts.filename ?? "Corefile";
    this.tokens = lex(text, this.file);
    this.env = opts.env ?? {};
    this.valid = new Set(opts.validDirectives ?? PLUGIN_ORDER);
  }
  parseAll() {
    const blocks = [];
    while (this.next()) {
      const b = this.parseOne();
      if (b) blocks.push(b);
    }
    this.checkDuplicates(blocks);
    return { serverBlocks: blocks };
  }
  // ---- dispenser ----
  next() {
    if (this.cursor < this.tokens.length - 1) {
      this.cursor++;
      return true;
    }
    return false;
  }
  tok() {
    return this.tokens[this.cursor];
  }
  val() {
    return this.tok()?.text ?? "";
  }
  line() {
    return this.tok()?.line ?? this.tokens[this.tokens.length - 1]?.line ?? 1;
  }
  /** Whether the current token starts a new line (Dispenser.isNewLine, counting newlines inside quotes). */
  isNewLine() {
    if (this.cursor < 1) return true;
    const prev = this.tokens[this.cursor - 1];
    const cur = this.tokens[this.cursor];
    const breaks = prev.text.split("\n").length - 1;
    return prev.file !== cur.file || prev.line + breaks < cur.line;
  }
  nextArg() {
    if (this.cursor >= this.tokens.length - 1) return false;
    const cur = this.tokens[this.cursor];
    const nxt = this.tokens[this.cursor + 1];
    const breaks = cur.text.split("\n").length - 1;
    if (cur.file === nxt.file && cur.line + breaks === nxt.line) {
      this.cursor++;
      return true;
    }
    return false;
  }
  err(msg) {
    const t2 = this.tok();
    return parseError(t2?.file ?? this.file, this.line(), msg);
  }
  // ---- grammar ----
  parseOne() {
    this.eof = false;
    const keys = [];
    const line = this.line();
    this.addresses(keys);
    if (this.eof) return keys.length ? this.finish(keys, line, []) : null;
    if (keys.length === 1 && keys[0].startsWith("(") && keys[0].endsWith(")")) {
      const name = keys[0].slice(1, -1);
      if (this.snippets.has(name)) throw this.err(`redeclaration of previously declared snippet ${name}`);
      this.snippets.set(name, this.snippetTokens());
      return null;
    }
    const directives = this.blockContents();
    return keys.length ? this.finish(keys, line, directives) : null;
  }
  addresses(keys) {
    let expectingAnother = false;
    for (;;) {
      let tkn = replaceEnvVars(this.val(), this.env);
      if (tkn === "import" && this.isNewLine()) {
        this.doImport();
        this.next();
        continue;
      }
      if (tkn === "{" && !this.tok()?.quoted) {
        if (expectingAnother)
          throw this.err(`Expected another address but had '${tkn}' - check for extra comma`);
        break;
      }
      if (tkn !== "") {
        if (tkn.endsWith(",")) {
          tkn = tkn.slice(0, -1);
          expectingAnother = true;
        } else expectingAnother = false;
        keys.push(tkn);
      }
      const has = this.next();
      if (expectingAnother && !has) throw this.err("Unexpected EOF");
      if (!has) {
        this.eof = true;
        break;
      }
      if (!expectingAnother && this.isNewLine()) break;
    }
  }
  isOpen() {
    return this.val() === "{" && !this.tok()?.quoted;
  }
  isClose() {
    return this.val() === "}" && !this.tok()?.quoted;
  }
  blockContents() {
    const braced = this.isOpen();
    if (!braced) this.cursor--;
    const flat = this.directives();
    if (braced && !this.isClose())
      throw syntaxError(this.tok()?.file ?? this.file, this.line(), this.val(), "}");
    return flat;
  }
  directives() {
    const out = [];
    while (this.next()) {
      if (this.isClose()) break;
      if (this.val() === "import") {
        this.doImport();
        continue;
      }
      out.push(this.directive());
    }
    return out;
  }
  directive() {
    const first = this.tok();
    const name = replaceEnvVars(first.text, this.env);
    if (!this.valid.has(name)) throw this.err(`Unknown directive '${name}'`);
    const toks = [];
    let nesting = 0;
    while (this.next()) {
      if (this.isOpen()) nesting++;
      else if (this.isNewLine() && nesting === 0) {
        this.cursor--;
        break;
      } else if (this.isClose() && nesting > 0) nesting--;
      else if (this.isClose() && nesting === 0)
        throw this.err("Unexpected '}' because no matching opening brace");
      else if (this.val() === "import" && this.isNewLine()) {
        this.doImport();
        continue;
      }
      const t2 = this.tok();
      toks.push({ ...t2, text: replaceEnvVars(t2.text, this.env) });
    }
    if (nesting > 0) throw this.err("Unexpected EOF");
    const { args, block } = structure(toks, first.line);
    return { name, line: first.line, file: first.file, args, block };
  }
  /** Replace `import X` (cursor on "import") by the snippet's or file's tokens; leaves the cursor before them. */
  doImport() {
    const at = this.cursor;
    if (!this.nextArg()) throw parseError(this.tok()?.file ?? this.file, this.line(), ArgErrText(this.val()));
    const pattern = replaceEnvVars(this.val(), this.env);
    if (pattern === "") throw this.err("Import requires a non-empty filepath");
    if (this.nextArg()) throw this.err("Import takes only one argument (glob pattern or file)");
    if (++this.expansions > MAX_EXPANSIONS)
      throw this.err(`maximum snippet import depth (${MAX_EXPANSIONS}) exceeded`);
    let imported;
    const snip = this.snippets.get(pattern);
    if (snip) imported = snip;
    else {
      const count = (ch) => pattern.split(ch).length - 1;
      if (count("*") > 1 || count("?") > 1 || (pattern.includes("[") && pattern.includes("]")))
        throw this.err(`Glob pattern may only contain one wildcard (*), but has others: ${pattern}`);
      const files = this.opts.files ?? {};
      const names2 = Object.keys(files)
        .filter((f) => globMatch(pattern, f))
        .sort();
      if (names2.length === 0 && !/[*?[\]]/.test(pattern))
        throw this.err(`File to import not found: ${pattern}`);
      imported = names2.flatMap((f) => lex(files[f], f));
    }
    this.tokens = [...this.tokens.slice(0, at), ...imported, ...this.tokens.slice(at + 2)];
    this.cursor = at - 1;
  }
  snippetTokens() {
    if (!this.isOpen()) throw syntaxError(this.tok()?.file ?? this.file, this.line(), this.val(), "{");
    let count = 1;
    const out = [];
    while (this.next()) {
      if (this.isClose() && --count === 0) break;
      if (this.isOpen()) count++;
      out.push(this.tok());
    }
    if (count !== 0) throw syntaxError(this.tok()?.file ?? this.file, this.line(), this.val(), "}");
    return out;
  }
  finish(keys, line, directives) {
    const addrs = [];
    for (const k of keys) {
      const a2 = normalizeKey(k);
      if (typeof a2 === "string") throw parseError(this.file, line, a2);
      addrs.push(...a2);
    }
    return { keys, line, addrs, directives };
  }
  /** Two blocks may not serve the same zone on the same port (dnsserver register.go). */
  checkDuplicates(blocks) {
    const seen = /* @__PURE__ */ new Set();
    for (const b of blocks)
      for (const a2 of b.addrs) {
        const k = zoneAddrString(a2);
        if (seen.has(k))
          throw new CorefileError(`cannot serve ${k} - it is already defined`, this.file, b.line);
        seen.add(k);
      }
  }
};
function ArgErrText(val) {
  return val === "{"
    ? "Unexpected token '{', expecting argument"
    : `Wrong argument count or unexpected line ending after '${val}'`;
}
function structure(toks, line) {
  let i = 0;
  const args = [];
  const lineOf = (t2) => t2.line + t2.text.split("\n").length - 1;
  let last = line;
  while (i < toks.length && !(toks[i].text === "{" && !toks[i].quoted) && toks[i].line === last) {
    last = lineOf(toks[i]);
    args.push(toks[i++]);
  }
  const block = [];
  if (i < toks.length && toks[i].text === "{" && !toks[i].quoted) {
    i++;
    i = blockLines(toks, i, block);
  }
  return { args, block };
}
function blockLines(toks, start, out) {
  let i = start;
  while (i < toks.length) {
    const t2 = toks[i];
    if (t2.text === "}" && !t2.quoted) return i + 1;
    const bl = { name: t2, args: [], block: [] };
    let last = t2.line + t2.text.split("\n").length - 1;
    i++;
    while (i < toks.length) {
      const a2 = toks[i];
      if (a2.line !== last) break;
      if ((a2.text === "}" || a2.text === "{") && !a2.quoted) break;
      last = a2.line + a2.text.split("\n").length - 1;
      bl.args.push(a2);
      i++;
    }
    if (i < toks.length && toks[i].text === "{" && !toks[i].quoted) i = blockLines(toks, i + 1, bl.block);
    out.push(bl);
  }
  return i;
}
function globMatch(pattern, name) {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, "[^/]*")
      .replace(/\?/g, "[^/]")}$`,
  );
  return re.test(name);
}

// src/dns/coredns/plugin.ts
var RCODE2 = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};
var RCODE_NAMES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"];
var FLAG2 = { QR: 32768, AA: 1024, TC: 512, RD: 256, RA: 128, AD: 32, CD: 16 };
function clientWrite(rcode) {
  return !(
    rcode === RCODE2.SERVFAIL ||
    rcode === RCODE2.REFUSED ||
    rcode === RCODE2.FORMERR ||
    rcode === RCODE2.NOTIMP
  );
}
function rcodeOf(m) {
  return (m.flags ?? 0) & 15;
}
function qname(m) {
  const n = m.questions?.[0]?.name ?? ".";
  return n.endsWith(".") ? n : `${n}.`;
}
function qtype(m) {
  return m.questions?.[0]?.type ?? "A";
}
function setReply2(req, rcode = 0) {
  const f = req.flags ?? 0;
  return {
    id: req.id ?? 0,
    type: "response",
    flags: FLAG2.QR | (f & 30720) | (f & FLAG2.RD) | (f & FLAG2.CD) | rcode,
    questions: (req.questions ?? []).slice(0, 1).map((q) => ({ ...q })),
    answers: [],
    authorities: [],
    additionals: [],
  };
}
function norm(name) {
  const n = name.toLowerCase();
  return n.endsWith(".") ? n : `${n}.`;
}
function isSubDomain(parent, child) {
  const p = norm(parent);
  const c = norm(child);
  return p === "." || c === p || c.endsWith(`.${p}`);
}
function matchZone(zones, name) {
  let best = "";
  for (const z of zones) if (isSubDomain(z, name) && z.length > best.length) best = z;
  return best;
}
function fallThrough(f, name) {
  if (!f.zones) return false;
  return matchZone(f.zones, name) !== "";
}

// src/dns/coredns/setup.ts
var Controller = class {
  d;
  name;
  constructor(d) {
    this.d = d;
    this.name = d.name;
  }
  get args() {
    return this.d.args.map((t2) => t2.text);
  }
  get block() {
    return this.d.block;
  }
  /** `Wrong argument count or unexpected line ending after 'X'` at a line. */
  argErr(after, line = this.d.line) {
    return parseError(this.d.file, line, ArgErrText(after), this.name);
  }
  errf(msg, line = this.d.line) {
    return parseError(this.d.file, line, msg, this.name);
  }
  /** A plain error (CoreDNS prints these without a line; we keep the line for the user). */
  err(msg, line = this.d.line) {
    return new CorefileError(
      `plugin/${this.name}: ${this.d.file}:${line} - ${msg}`,
      this.d.file,
      line,
      this.name,
    );
  }
  noBlock() {
    const b = this.d.block[0];
    if (b) throw this.errf(`unknown property '${b.name.text}'`, b.name.line);
  }
  maxArgs(n) {
    const t2 = this.d.args[n];
    if (t2) throw this.argErr(this.d.args[n - 1]?.text ?? this.name, t2.line);
  }
};
function parseDuration(s2) {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s2)) return s2 === "0" ? 0 : null;
  const unit = { ns: 1e-9, us: 1e-6, \u00B5s: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const m of s2.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

// src/dns/coredns/plugins/cache/cache.ts
function setupCache(input) {
  const c = new Controller(input.directive);
  const cfg = {
    zones: input.serverZones,
    pttl: 3600,
    minpttl: 5,
    nttl: 1800,
    minnttl: 5,
    failttl: 5,
    disableSuccess: [],
    disableDenial: [],
    keepttl: false,
  };
  const args = c.args;
  let rest = args;
  if (args[0] !== void 0 && /^\d+$/.test(args[0])) {
    const t2 = Number(args[0]);
    cfg.pttl = t2;
    cfg.nttl = t2;
    if (t2 < cfg.minpttl) cfg.minpttl = t2;
    if (t2 < cfg.minnttl) cfg.minnttl = t2;
    rest = args.slice(1);
  }
  if (rest.length) cfg.zones = rest.flatMap(normalizeZoneArg);
  for (const bl of c.block) {
    const a2 = bl.args.map((t2) => t2.text);
    const line = bl.name.line;
    const num = (s2) => {
      if (s2 === void 0 || !/^\d+$/.test(s2))
        throw c.err(`strconv.Atoi: parsing "${s2 ?? ""}": invalid syntax`, line);
      return Number(s2);
    };
    switch (bl.name.text) {
      case "success":
      case "denial": {
        if (a2.length < 1 || a2.length > 3) throw c.argErr(bl.name.text, line);
        num(a2[0]);
        const succ = bl.name.text === "success";
        if (a2[1] !== void 0) {
          const t2 = num(a2[1]);
          if (succ) cfg.pttl = t2;
          else cfg.nttl = t2;
        }
        if (a2[2] !== void 0) {
          const t2 = num(a2[2]);
          if (succ) cfg.minpttl = t2;
          else cfg.minnttl = t2;
        }
        break;
      }
      case "servfail": {
        if (a2.length !== 1) throw c.argErr(bl.name.text, line);
        const d = parseDuration(a2[0]);
        if (d === null) throw c.err(`time: invalid duration "${a2[0]}"`, line);
        if (d > 300) throw c.errf("caching SERVFAIL responses over 5 minutes is not permitted", line);
        cfg.failttl = d;
        break;
      }
      case "disable": {
        if (a2.length < 1) throw c.argErr(bl.name.text, line);
        const zones = a2.length > 1 ? a2.slice(1).flatMap(normalizeZoneArg) : cfg.zones;
        if (a2[0] === "success") cfg.disableSuccess.push(...zones);
        else if (a2[0] === "denial") cfg.disableDenial.push(...zones);
        else throw c.errf(`cache type for disable must be "success" or "denial"`, line);
        break;
      }
      case "keepttl":
        cfg.keepttl = true;
        break;
      case "prefetch":
      case "serve_stale":
        break;
      default:
        throw c.errf(`unknown property '${bl.name.text}'`, line);
    }
  }
  return cfg;
}
function typify(m) {
  const rc = rcodeOf(m);
  if (rc === RCODE2.NXDOMAIN) return "nxdomain";
  if (rc === RCODE2.SERVFAIL) return "servfail";
  if (rc !== RCODE2.NOERROR) return "other";
  return (m.answers ?? []).length > 0 ? "success" : "nodata";
}
function cacheHandler(cfg) {
  const entries = /* @__PURE__ */ new Map();
  return {
    name: "cache",
    serveDNS(ctx2, req, next) {
      const name = qname(req.msg).toLowerCase();
      if (matchZone(cfg.zones, name) === "") return next(req);
      const opt = (req.msg.additionals ?? []).find((a2) => a2.type === "OPT");
      const doBit = opt !== void 0 && "flag_do" in opt && opt.flag_do === true;
      const cd = ((req.msg.flags ?? 0) & FLAG2.CD) !== 0;
      const key = `${name}|${qtype(req.msg)}|${doBit}|${cd}`;
      const hit = entries.get(key);
      if (hit) {
        const left = hit.ttl - Math.floor(ctx2.now - hit.stored);
        if (left > 0) {
          const m2 = setReply2(req.msg, rcodeOf(hit.msg));
          m2.flags = (m2.flags ?? 0) | FLAG2.AA | ((hit.msg.flags ?? 0) & FLAG2.RA);
          const keep = (rrs) =>
            (rrs ?? [])
              .filter((r) => r.type !== "OPT")
              .map((r) => (cfg.keepttl ? { ...r } : setTTL(r, left)));
          m2.answers = keep(hit.msg.answers);
          m2.authorities = keep(hit.msg.authorities);
          m2.additionals = keep(hit.msg.additionals);
          return { rcode: RCODE2.NOERROR, reply: m2, by: "cache" };
        }
        entries.delete(key);
      }
      const res = next(req);
      if (!res.reply) return res;
      const m = res.reply;
      const mt = typify(m);
      if (mt === "other" || ((m.flags ?? 0) & FLAG2.TC) !== 0) return res;
      const duration =
        mt === "servfail"
          ? cfg.failttl
          : clamp(
              minimalTTL(m, mt),
              mt === "success" ? cfg.minpttl : cfg.minnttl,
              mt === "success" ? cfg.pttl : cfg.nttl,
            );
      const disabled =
        (mt === "success" && matchZone(cfg.disableSuccess, name) !== "") ||
        ((mt === "nodata" || mt === "nxdomain") && matchZone(cfg.disableDenial, name) !== "");
      if (duration > 0 && !disabled)
        entries.set(key, { msg: structuredClone(m), stored: ctx2.now, ttl: duration });
      if (cfg.keepttl) return res;
      const cap = (rrs) => (rrs ?? []).map((r) => (r.type === "OPT" ? r : setTTL(r, duration)));
      return {
        ...res,
        reply: {
          ...m,
          answers: cap(m.answers),
          authorities: cap(m.authorities),
          additionals: cap(m.additionals),
        },
      };
    },
  };
}
function clamp(v, lo, hi) {
  return Math.max(lo, Math.min(hi, v));
}
function minimalTTL(m, mt) {
  const all = [...(m.answers ?? []), ...(m.authorities ?? []), ...(m.additionals ?? [])].filter(
    (r) => r.type !== "OPT",
  );
  if (all.length === 0) return 5;
  let min = 3600;
  for (const r of all) min = Math.min(min, ttlOf(r));
  if (mt === "nodata" || mt === "nxdomain") {
    for (const r of m.authorities ?? []) if (r.type === "SOA") min = Math.min(min, r.data.minimum ?? min);
  }
  return min;
}

// src/dns/coredns/plugins/forward/forward.ts
function setupForward(input) {
  const c = new Controller(input.directive);
  const args = c.args;
  if (args.length < 2) throw c.argErr(args[args.length - 1] ?? "forward");
  const from = normalizeZoneArg(args[0])[0];
  const to = [];
  for (const t2 of args.slice(1)) {
    const file = input.files[t2];
    if (file !== void 0) {
      const ns2 = [...file.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]);
      if (ns2.length === 0) throw c.err(`no nameservers found in ${t2}`);
      to.push(...ns2.map((n) => withPort(n)));
      continue;
    }
    if (t2.startsWith("/")) {
      to.push("upstream:53");
      continue;
    }
    const addr2 = t2.replace(/^dns:\/\//, "");
    if (!isHostPort(addr2)) throw c.err(`not an IP address or file: "${t2}"`);
    to.push(withPort(addr2));
  }
  const except = [];
  for (const bl of c.block) {
    const a2 = bl.args.map((x) => x.text);
    const line = bl.name.line;
    switch (bl.name.text) {
      case "except":
        if (a2.length === 0) throw c.argErr(bl.name.text, line);
        except.push(...a2.flatMap(normalizeZoneArg));
        break;
      case "max_concurrent":
      case "max_fails":
        if (a2.length !== 1) throw c.argErr(bl.name.text, line);
        if (!/^\d+$/.test(a2[0])) throw c.err(`strconv.Atoi: parsing "${a2[0]}": invalid syntax`, line);
        break;
      case "expire":
      case "health_check":
        if (a2.length < 1) throw c.argErr(bl.name.text, line);
        if (parseDuration(a2[0]) === null) throw c.err(`time: invalid duration "${a2[0]}"`, line);
        break;
      case "policy":
        if (a2.length !== 1) throw c.argErr(bl.name.text, line);
        if (!["random", "round_robin", "sequential"].includes(a2[0]))
          throw c.errf(`unknown policy '${a2[0]}'`, line);
        break;
      case "force_tcp":
      case "prefer_udp":
      case "tls":
      case "tls_servername":
      case "next":
      case "failfast_all_unhealthy_upstreams":
      case "failover":
        break;
      default:
        throw c.errf(`unknown property '${bl.name.text}'`, line);
    }
  }
  return { from, to, except };
}
function withPort(a2) {
  if (parseIPv4(a2) !== null) return `${a2}:53`;
  if (parseIPv6(a2) !== null) return `[${a2}]:53`;
  return a2;
}
function isHostPort(a2) {
  if (parseIPv4(a2) !== null || parseIPv6(a2) !== null) return true;
  const m = /^(.*):(\d+)$/.exec(a2);
  if (!m) return false;
  const h = m[1].replace(/^\[(.*)\]$/, "$1");
  return parseIPv4(h) !== null || parseIPv6(h) !== null;
}
function forwardHandler(f, resolve) {
  return {
    name: "forward",
    serveDNS(_ctx, req, next) {
      const name = qname(req.msg);
      if (!isSubDomain(f.from, name) || f.except.some((e) => isSubDomain(e, name))) return next(req);
      for (const to2 of f.to) {
        const ret = resolve(req.msg, to2);
        if (!ret) continue;
        return { rcode: RCODE2.NOERROR, reply: { ...ret, id: req.msg.id ?? 0 }, by: "forward" };
      }
      const to = f.to[f.to.length - 1] ?? "upstream:53";
      return {
        rcode: RCODE2.SERVFAIL,
        err: `read ${req.transport} ${req.server.ip}:${req.server.port}->${to}: i/o timeout`,
      };
    },
  };
}

// src/dns/coredns/plugins/kubernetes/controller.ts
var indexes = /* @__PURE__ */ new WeakMap();
function push(m, k, v) {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
function viewIndex(view) {
  const known = indexes.get(view);
  if (known) return known;
  const ix = {
    namespaces: new Set(view.namespaces),
    services: /* @__PURE__ */ new Map(),
    slices: /* @__PURE__ */ new Map(),
    servicesByIP: /* @__PURE__ */ new Map(),
    servicesByEndpointIP: /* @__PURE__ */ new Map(),
    podsByIP: /* @__PURE__ */ new Map(),
    all: view.services,
  };
  for (const s2 of view.endpointSlices) push(ix.slices, `${s2.namespace}/${s2.service}`, s2);
  for (const svc of view.services) {
    push(ix.services, `${svc.namespace}/${svc.name}`.toLowerCase(), svc);
    for (const ip of svc.clusterIPs) push(ix.servicesByIP, ip, svc);
    const seen = /* @__PURE__ */ new Set();
    for (const s2 of ix.slices.get(`${svc.namespace}/${svc.name}`) ?? [])
      for (const e of s2.endpoints)
        for (const ip of e.addresses)
          if (!seen.has(ip)) {
            seen.add(ip);
            push(ix.servicesByEndpointIP, ip, svc);
          }
  }
  for (const p of view.pods) {
    const k = `${p.namespace.toLowerCase()}/${p.ip}`;
    ix.podsByIP.set(k, (ix.podsByIP.get(k) ?? 0) + 1);
  }
  indexes.set(view, ix);
  return ix;
}

// src/dns/coredns/plugins/kubernetes/parse.ts
function trimZone(name, zone) {
  const n = name.toLowerCase();
  const z = zone.toLowerCase();
  if (n === z) return "";
  return name.slice(0, name.length - zone.length - 1);
}
function parseRequest(name, zone) {
  const r = { port: "", protocol: "", endpoint: "", service: "", namespace: "", podOrSvc: "" };
  const base = trimZone(name, zone);
  if (base === "" || base === "svc" || base === "pod") return r;
  const segs = base.split(".");
  let last = segs.length - 1;
  r.podOrSvc = segs[last];
  if (r.podOrSvc !== "pod" && r.podOrSvc !== "svc") return "invalid";
  if (--last < 0) return r;
  r.namespace = segs[last];
  if (--last < 0) return r;
  r.service = segs[last];
  if (--last < 0) return r;
  if (last === 0) r.endpoint = segs[0];
  else if (last === 1) {
    r.protocol = stripUnderscore(segs[1]);
    r.port = stripUnderscore(segs[0]);
  } else return "invalid";
  return r;
}
function stripUnderscore(s2) {
  return s2.startsWith("_") ? s2.slice(1) : s2;
}

// src/dns/coredns/plugins/kubernetes/setup.ts
var DEFAULT_TTL = 5;
function setupKubernetes(input) {
  const c = new Controller(input.directive);
  const zones = c.args.length ? c.args.flatMap(normalizeZoneArg) : input.serverZones;
  const primary = zones.find((z) => !isReverse(z));
  if (!primary) throw c.err("non-reverse zone name must be used");
  const k = {
    zones,
    primaryZone: primary,
    podMode: "disabled",
    endpointNameMode: false,
    namespaces: /* @__PURE__ */ new Set(),
    fall: { zones: null },
    ttl: DEFAULT_TTL,
    noEndpoints: false,
    ignoreEmptyService: false,
  };
  for (const bl of c.block) {
    const name = bl.name.text;
    const args = bl.args.map((t2) => t2.text);
    const line = bl.name.line;
    const lastTok = bl.args[bl.args.length - 1]?.text ?? name;
    switch (name) {
      case "endpoint_pod_names":
        if (args.length > 0) throw c.argErr(lastTok, line);
        k.endpointNameMode = true;
        break;
      case "pods":
        if (args.length !== 1) throw c.argErr(lastTok, line);
        if (args[0] !== "disabled" && args[0] !== "insecure" && args[0] !== "verified")
          throw c.err(
            `wrong value for pods: ${args[0]},  must be one of: disabled, verified, insecure`,
            line,
          );
        k.podMode = args[0];
        break;
      case "namespaces":
        if (args.length === 0) throw c.argErr(lastTok, line);
        for (const a2 of args) k.namespaces.add(a2);
        break;
      case "endpoint":
      case "labels":
      case "namespace_labels":
        if (args.length === 0) throw c.argErr(lastTok, line);
        break;
      case "tls":
        if (args.length !== 3) throw c.argErr(lastTok, line);
        break;
      case "kubeconfig":
        if (args.length !== 1 && args.length !== 2) throw c.argErr(lastTok, line);
        break;
      case "fallthrough":
        k.fall = { zones: args.length ? args.flatMap(normalizeZoneArg) : ["."] };
        break;
      case "ttl": {
        if (args.length === 0) throw c.argErr(lastTok, line);
        if (!/^-?\d+$/.test(args[0])) throw c.err(`strconv.Atoi: parsing "${args[0]}": invalid syntax`, line);
        const t2 = Number(args[0]);
        if (t2 < 0 || t2 > 3600) throw c.errf(`ttl must be in range [0, 3600]: ${t2}`, line);
        k.ttl = t2;
        break;
      }
      case "noendpoints":
        if (args.length !== 0) throw c.argErr(lastTok, line);
        k.noEndpoints = true;
        break;
      case "ignore":
        if (args.length > 0) {
          if (args[0] !== "empty_service") throw c.err(`unable to parse ignore value: '${args[0]}'`, line);
          k.ignoreEmptyService = true;
        }
        break;
      case "startup_timeout":
        break;
      default:
        throw c.errf(`unknown property '${name}'`, line);
    }
  }
  return k;
}
function isReverse(name) {
  const n = name.toLowerCase();
  return n.endsWith("in-addr.arpa.") || n.endsWith("ip6.arpa.");
}

// src/dns/coredns/plugins/kubernetes/kubernetes.ts
function kubernetesHandler(k) {
  return { name: "kubernetes", serveDNS: (ctx2, req, next) => serve(k, ctx2, req, next) };
}
function serve(k, ctx2, req, next) {
  const qn = qname(req.msg);
  const matched = matchZone(k.zones, qn);
  if (matched === "") return next(req);
  const zone = qn.slice(qn.length - matched.length);
  const name = qn.toLowerCase();
  const type = qtype(req.msg);
  const b = new Backend(k, ctx2, req, zone);
  let records = [];
  let extra = [];
  let err = null;
  switch (type) {
    case "A":
    case "AAAA":
      ({ records, err } = b.address(qn, type, []));
      break;
    case "TXT":
      ({ records, err } = b.txt(qn));
      break;
    case "CNAME":
      ({ records, err } = b.cname(qn));
      break;
    case "PTR":
      ({ records, err } = b.ptr(qn));
      break;
    case "MX": {
      const f = b.services(qn, "MX");
      err = f.err;
      break;
    }
    case "SRV":
      ({ records, extra, err } = b.srv(qn));
      break;
    case "SOA":
      if (name === zone.toLowerCase()) records = [b.soa()];
      break;
    case "NS":
      if (name === zone) {
        ({ records, extra } = b.ns(qn));
        break;
      }
      ({ err } = b.address(qn, "A", []));
      break;
    default:
      ({ err } = b.address(qn, "A", []));
  }
  if (err) {
    if (fallThrough(k.fall, name)) return next(req);
    return b.backendError(RCODE2.NXDOMAIN);
  }
  if (records.length === 0) return b.backendError(RCODE2.NOERROR);
  const m = setReply2(req.msg);
  m.flags = (m.flags ?? 0) | FLAG2.AA;
  m.answers = records;
  m.additionals = extra;
  return { rcode: RCODE2.NOERROR, reply: m, by: "kubernetes" };
}
var Backend = class {
  k;
  ctx;
  req;
  zone;
  constructor(k, ctx2, req, zone) {
    this.k = k;
    this.ctx = ctx2;
    this.req = req;
    this.zone = zone;
  }
  get view() {
    return this.ctx.view;
  }
  get index() {
    return viewIndex(this.ctx.view);
  }
  // ---- plugin/backend_lookup.go ----
  address(name, type, previous) {
    const f = this.checkForApex(name, type);
    if (f.err) return { records: [], err: f.err };
    const records = [];
    const dup = /* @__PURE__ */ new Set();
    for (const s2 of f.services) {
      const family = hostType(s2.host);
      if (family === "CNAME") {
        if (norm(name) === norm(s2.host)) continue;
        const c = cname(name, s2.ttl, fq(s2.host));
        if (previous.length > 7) continue;
        if (
          previous.some(
            (p) => p.type === "CNAME" && norm(p.name) === norm(c.name) && norm(p.data) === norm(fq(s2.host)),
          )
        )
          continue;
        if (isSubDomain(this.zone, s2.host)) {
          const nxt = this.address(fq(s2.host), type, [...previous, c]);
          if (!nxt.err && nxt.records.length > 0) records.push(c, ...nxt.records);
          continue;
        }
        const m1 = this.ctx.lookup(fq(s2.host), type, this.req);
        records.push(c, ...(m1.answers ?? []));
        continue;
      }
      if (family === type && !dup.has(s2.host)) {
        dup.add(s2.host);
        records.push(addr(name, s2.ttl, s2.host));
      }
    }
    return { records, err: null };
  }
  checkForApex(name, type) {
    if (name.toLowerCase() !== this.zone) return this.services(name, type);
    const apex = this.services(`apex.dns.${this.zone}`, type);
    if (!apex.err) return apex;
    return this.services(name, type);
  }
  txt(name) {
    const f = this.services(name, "TXT");
    return { records: f.services.map((s2) => txt(name, s2.ttl, s2.text ?? "")), err: f.err };
  }
  cname(name) {
    const f = this.services(name, "CNAME");
    if (f.err) return { records: [], err: f.err };
    const s2 = f.services[0];
    return { records: s2 && !isIP(s2.host) ? [cname(name, s2.ttl, fq(s2.host))] : [], err: null };
  }
  ptr(name) {
    const ip = extractAddressFromReverse(name);
    if (ip === "") return { records: [], err: this.records(name).err };
    const svcs = this.serviceRecordForIP(ip);
    if (svcs.length === 0) return { records: [], err: "noItems" };
    const dup = /* @__PURE__ */ new Set();
    const records = [];
    for (const s2 of svcs)
      if (!dup.has(s2.host)) {
        dup.add(s2.host);
        records.push(ptr(name, s2.ttl, s2.host));
      }
    return { records, err: null };
  }
  srv(name) {
    const f = this.services(name, "SRV");
    if (f.err) return { records: [], extra: [], err: f.err };
    const records = [];
    const extra = [];
    const dup = /* @__PURE__ */ new Set();
    const total = f.services.length * 100;
    for (const s2 of f.services) {
      if (s2.port === -1) continue;
      const weight = Math.max(1, Math.floor((100 / total) * 100));
      const family = hostType(s2.host);
      if (family === "CNAME") continue;
      const target = s2.domain;
      const kSrv = `${target.toLowerCase()}|${s2.port}`;
      if (!dup.has(kSrv)) {
        dup.add(kSrv);
        records.push(srv(name, s2.ttl, 0, weight, s2.port, target));
      }
      const kAddr = `${target.toLowerCase()}|@${s2.host}`;
      if (!dup.has(kAddr)) {
        dup.add(kAddr);
        extra.push(addr(target, s2.ttl, s2.host));
      }
    }
    return { records, extra, err: null };
  }
  /** NS for the zone apex: the Service fronting CoreDNS, with its address as glue (ns.go nsAddrs). */
  ns(name) {
    const records = [];
    const extra = [];
    const seen = /* @__PURE__ */ new Set();
    for (const n of this.nsAddrs()) {
      extra.push(addr(n.name, this.k.ttl, n.ip));
      if (seen.has(n.name)) continue;
      seen.add(n.name);
      records.push(ns(name, this.k.ttl, n.name));
    }
    return { records, extra };
  }
  /** The zone's SOA (backend_lookup.go SOA): TTL min(ttl, 300), minimum = ttl. */
  soa() {
    return {
      name: this.zone,
      type: "SOA",
      class: "IN",
      ttl: Math.min(this.k.ttl, 300),
      data: {
        mname: `ns.dns.${this.zone}`,
        rname: `hostmaster.${this.zone}`,
        serial: (this.view.modified ?? Math.floor(this.ctx.now)) >>> 0,
        refresh: 7200,
        retry: 1800,
        expire: 86400,
        minimum: this.k.ttl,
      },
    };
  }
  /** plugin.BackendError: rcode, AA, the SOA in authority. */
  backendError(rcode) {
    const m = setReply2(this.req.msg, rcode);
    m.flags = (m.flags ?? 0) | FLAG2.AA;
    m.authorities = [this.soa()];
    return { rcode: RCODE2.NOERROR, reply: m, by: "kubernetes" };
  }
  // ---- kubernetes.go Services / Records ----
  services(name, type) {
    const lname = name.toLowerCase();
    if (type === "TXT") {
      const t2 = trimZone(name, this.zone);
      if (t2.split(".").length !== 1 || t2.toLowerCase() !== "dns-version")
        return { services: [], err: null };
      return { services: [{ host: "", port: 0, ttl: 28800, domain: name, text: "1.1.0" }], err: null };
    }
    if (type === "NS") return { services: [], err: null };
    if (lname === `ns.dns.${this.zone.toLowerCase()}`) {
      const svcs = [];
      for (const n of this.nsAddrs())
        if (hostType(n.ip) === type) svcs.push({ host: n.ip, port: 0, ttl: this.k.ttl, domain: name });
      return { services: svcs, err: null };
    }
    const f = this.records(name);
    if (type !== "SRV") return f;
    return { services: f.services.filter((s2) => hostType(s2.host) !== "CNAME"), err: f.err };
  }
  records(name) {
    const r = parseRequest(name.toLowerCase(), this.zone);
    if (r === "invalid") return { services: [], err: "invalid" };
    if (r.podOrSvc === "") return { services: [], err: null };
    if (isReverse(name)) return { services: [], err: "noItems" };
    if (!this.namespaceExposed(r.namespace)) return { services: [], err: "nsNotExposed" };
    return r.podOrSvc === "pod" ? this.findPods(r) : this.findServices(r);
  }
  namespaceExposed(ns2) {
    if (this.k.namespaces.size > 0 && !this.k.namespaces.has(ns2)) return false;
    return this.index.namespaces.has(ns2);
  }
  findPods(r) {
    if (this.k.podMode === "disabled") return { services: [], err: "noItems" };
    const podname = r.service;
    if (podname === "") return { services: [], err: null };
    const domain = `${podname}.${r.namespace}.pod.${this.zone}`;
    const ip =
      (podname.match(/-/g) ?? []).length === 3 && !podname.includes("--")
        ? podname.replaceAll("-", ".")
        : podname.replaceAll("-", ":");
    if (this.k.podMode === "insecure") {
      if (!isIP(ip)) return { services: [], err: "noItems" };
      return { services: [{ host: ip, port: 0, ttl: this.k.ttl, domain }], err: null };
    }
    const pods = this.index.podsByIP.get(`${r.namespace.toLowerCase()}/${ip}`) ?? 0;
    if (pods === 0) return { services: [], err: "noItems" };
    return {
      services: Array.from({ length: pods }, () => ({ host: ip, port: 0, ttl: this.k.ttl, domain })),
      err: null,
    };
  }
  findServices(r) {
    if (r.service === "") return { services: [], err: null };
    let err = "noItems";
    const out = [];
    for (const svc of this.index.services.get(`${r.namespace}/${r.service}`.toLowerCase()) ?? []) {
      const base = `${svc.name}.${svc.namespace}.svc.${this.zone}`;
      if (this.k.ignoreEmptyService && svc.type !== "ExternalName" && !headless(svc)) {
        const count = this.subsets(svc).reduce((n, s2) => n + s2.addresses.length, 0);
        if (count === 0) continue;
      }
      if (svc.type === "ExternalName") {
        if (r.endpoint !== "") continue;
        const host = svc.externalName ?? "";
        if (hostType(host) === "CNAME") {
          out.push({ host, port: 0, ttl: this.k.ttl, domain: base });
          err = null;
        }
        continue;
      }
      if (headless(svc) || r.endpoint !== "") {
        for (const sub of this.subsets(svc))
          for (const a2 of sub.addresses) {
            const hn = endpointHostname(a2, this.k.endpointNameMode);
            if (r.endpoint !== "" && !eq(r.endpoint, hn)) continue;
            for (const p of sub.ports) {
              if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue;
              out.push({ host: a2.ip, port: p.port, ttl: this.k.ttl, domain: `${hn}.${base}` });
              err = null;
            }
          }
        continue;
      }
      const ports = svc.ports.length ? svc.ports : [{ name: "", port: -1, protocol: "" }];
      for (const p of ports) {
        if (!matchPortAndProtocol(r.port, p.name ?? "", r.protocol, p.protocol)) continue;
        err = null;
        for (const ip of clusterIPs(svc)) out.push({ host: ip, port: p.port, ttl: this.k.ttl, domain: base });
      }
    }
    return { services: out, err };
  }
  /** The Service's EndpointSlices as CoreDNS stores them: ready addresses only; a port-less slice gets port -1. */
  subsets(svc) {
    if (this.k.noEndpoints) return [];
    return (this.index.slices.get(`${svc.namespace}/${svc.name}`) ?? [])
      .filter((s2) => s2.addressType !== "FQDN")
      .map((s2) => ({
        addresses: s2.endpoints
          .filter((e) => e.ready !== false)
          .flatMap((e) =>
            e.addresses.map((ip) => ({
              ip,
              hostname: e.hostname ?? "",
              targetRefName: e.targetRef?.name ?? "",
            })),
          ),
        ports: s2.ports.length
          ? s2.ports.map((p) => ({ port: p.port, name: p.name ?? "", protocol: p.protocol }))
          : [{ port: -1, name: "", protocol: "" }],
      }));
  }
  /** reverse.go serviceRecordForIP: a ClusterIP first, else every endpoint with that address. */
  serviceRecordForIP(ip) {
    const exposed = (ns2) => this.k.namespaces.size === 0 || this.namespaceExposed(ns2);
    for (const svc of this.byAddress(this.index.servicesByIP, ip)) {
      if (!clusterIPs(svc).some((c) => sameIP(c, ip)) || !exposed(svc.namespace)) continue;
      return [
        {
          host: `${svc.name}.${svc.namespace}.svc.${this.k.primaryZone}`,
          port: 0,
          ttl: this.k.ttl,
          domain: "",
        },
      ];
    }
    const out = [];
    for (const svc of this.byAddress(this.index.servicesByEndpointIP, ip)) {
      if (!exposed(svc.namespace)) continue;
      for (const sub of this.subsets(svc))
        for (const a2 of sub.addresses) {
          if (!sameIP(a2.ip, ip)) continue;
          const hn = endpointHostname(a2, this.k.endpointNameMode);
          out.push({
            host: `${hn}.${svc.name}.${svc.namespace}.svc.${this.k.primaryZone}`,
            port: 0,
            ttl: this.k.ttl,
            domain: "",
          });
        }
    }
    return out;
  }
  /**
   * The Services an address belongs to, in the view's order. An IPv6 address may be
   * spelled in several ways, so those fall back to a walk.
   */
  byAddress(m, ip) {
    return ip.includes(":") ? this.index.all : (m.get(ip) ?? []);
  }
  /** ns.go nsAddrs: the Services whose endpoints hold CoreDNS's own IPs, else ns.dns.<zone> at those IPs. */
  nsAddrs() {
    const out = [];
    for (const local of this.ctx.localIPs)
      for (const svc of this.byAddress(this.index.servicesByEndpointIP, local))
        for (const sub of this.subsets(svc)) {
          if (!sub.addresses.some((a2) => sameIP(a2.ip, local))) continue;
          const svcName = `${svc.name}.${svc.namespace}.svc.${this.zone}`;
          if (headless(svc))
            for (const a2 of sub.addresses)
              out.push({ name: `${endpointHostname(a2, this.k.endpointNameMode)}.${svcName}`, ip: a2.ip });
          else if (clusterIPs(svc)[0]) out.push({ name: svcName, ip: clusterIPs(svc)[0] });
        }
    if (out.length === 0) for (const ip of this.ctx.localIPs) out.push({ name: `ns.dns.${this.zone}`, ip });
    return out;
  }
};
function eq(a2, b) {
  return a2.toLowerCase() === b.toLowerCase();
}
function matchPortAndProtocol(aPort, bPort, aProto, bProto) {
  return (aPort === "" || eq(aPort, bPort)) && (aProto === "" || eq(aProto, bProto));
}
function headless(svc) {
  return svc.type !== "ExternalName" && (svc.clusterIPs.length === 0 || svc.clusterIPs[0] === "None");
}
function clusterIPs(svc) {
  return svc.clusterIPs.filter((ip) => ip !== "None" && ip !== "");
}
function endpointHostname(a2, endpointNameMode) {
  if (a2.hostname) return a2.hostname;
  if (endpointNameMode && a2.targetRefName) return a2.targetRefName;
  if (a2.ip.includes(".")) return a2.ip.replaceAll(".", "-");
  if (a2.ip.includes(":")) return a2.ip.replaceAll(":", "-");
  return "";
}
function hostType(host) {
  if (parseIPv4(host) !== null) return "A";
  if (parseIPv6(host) !== null) return "AAAA";
  return "CNAME";
}
function sameIP(x, y) {
  if (x === y) return true;
  const a6 = parseIPv6(x);
  return a6 !== null && a6 === parseIPv6(y);
}
function extractAddressFromReverse(name) {
  const n = name.toLowerCase();
  if (n.endsWith(".in-addr.arpa.")) {
    const labels = n.slice(0, -".in-addr.arpa.".length).split(".");
    if (labels.length !== 4) return "";
    const ip = labels.reverse().join(".");
    return parseIPv4(ip) !== null ? ip : "";
  }
  if (n.endsWith(".ip6.arpa.")) {
    const labels = n.slice(0, -".ip6.arpa.".length).split(".");
    if (labels.length !== 32 || labels.some((l) => !/^[0-9a-f]$/.test(l))) return "";
    const hex = labels.reverse().join("");
    const groups = hex.match(/.{4}/g).join(":");
    const v = parseIPv6(groups);
    return v === null ? "" : compress6(groups);
  }
  return "";
}
function compress6(full) {
  const parts = full.split(":").map((p) => p.replace(/^0+(?=.)/, ""));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (parts[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && parts[j] === "0") j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return parts.join(":");
  return `${parts.slice(0, best).join(":")}::${parts.slice(best + bestLen).join(":")}`;
}

// src/dns/coredns/plugins/hosts/hosts.ts
function setupHosts(input) {
  const c = new Controller(input.directive);
  const args = c.args;
  const path = args[0] ?? "/etc/hosts";
  const origins = args.length > 1 ? args.slice(1).flatMap(normalizeZoneArg) : input.serverZones;
  const h = {
    origins,
    ttl: 3600,
    noReverse: false,
    fall: { zones: null },
    byName: /* @__PURE__ */ new Map(),
    byAddr: /* @__PURE__ */ new Map(),
  };
  const inline = [];
  for (const bl of c.block) {
    const a2 = bl.args.map((t2) => t2.text);
    const line = bl.name.line;
    switch (bl.name.text) {
      case "fallthrough":
        h.fall = { zones: a2.length ? a2.flatMap(normalizeZoneArg) : ["."] };
        break;
      case "no_reverse":
        h.noReverse = true;
        break;
      case "ttl": {
        if (a2.length !== 1) throw c.argErr(bl.name.text, line);
        const t2 = Number(a2[0]);
        if (!/^\d+$/.test(a2[0]) || t2 < 0 || t2 > 65535) throw c.errf(`ttl provided is invalid`, line);
        h.ttl = t2;
        break;
      }
      case "reload":
        if (a2.length !== 1) throw c.argErr(bl.name.text, line);
        break;
      default: {
        if (parseIPv4(bl.name.text) === null && parseIPv6(bl.name.text) === null)
          throw c.errf(`unknown property '${bl.name.text}'`, line);
        inline.push([bl.name.text, ...a2].join(" "));
      }
    }
  }
  const file = input.files[path] ?? "";
  for (const line of [...file.split("\n"), ...inline]) addLine(h, line);
  return h;
}
function addLine(h, raw) {
  const line = raw.replace(/#.*/, "").trim();
  if (!line) return;
  const [ip, ...names2] = line.split(/\s+/);
  if (!ip || names2.length === 0) return;
  if (parseIPv4(ip) === null && parseIPv6(ip) === null) return;
  for (const n of names2) {
    const name = norm(n);
    if (matchZone(h.origins, name) === "") continue;
    const list = h.byName.get(name) ?? [];
    if (!list.includes(ip)) list.push(ip);
    h.byName.set(name, list);
    const back = h.byAddr.get(ip) ?? [];
    if (!back.includes(name)) back.push(name);
    h.byAddr.set(ip, back);
  }
}
function hostsHandler(h) {
  return {
    name: "hosts",
    serveDNS(_ctx, req, next) {
      const qn = qname(req.msg);
      const name = qn.toLowerCase();
      const type = qtype(req.msg);
      if (matchZone(h.origins, name) === "" && type !== "PTR") return next(req);
      let answers = [];
      const ips = h.byName.get(name) ?? [];
      switch (type) {
        case "PTR": {
          const names2 = h.noReverse ? [] : (h.byAddr.get(extractAddressFromReverse(name)) ?? []);
          if (names2.length === 0) return next(req);
          answers = names2.map((n) => ptr(qn, h.ttl, n));
          break;
        }
        case "A":
          answers = ips.filter((ip) => ip.includes(".")).map((ip) => a(qn, h.ttl, ip));
          break;
        case "AAAA":
          answers = ips.filter((ip) => ip.includes(":")).map((ip) => aaaa(qn, h.ttl, ip));
          break;
      }
      if (answers.length === 0 && ips.length === 0) {
        if (fallThrough(h.fall, name)) return next(req);
        return { rcode: RCODE2.SERVFAIL };
      }
      const m = setReply2(req.msg);
      m.flags = (m.flags ?? 0) | FLAG2.AA;
      m.answers = answers;
      return { rcode: RCODE2.NOERROR, reply: m, by: "hosts" };
    },
  };
}

// src/net/rand.ts
function createRng(seed) {
  let s2 = seed >>> 0;
  const next = () => {
    s2 = (s2 + 2654435769) >>> 0;
    let z = s2;
    z = Math.imul(z ^ (z >>> 16), 2246822507) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 3266489909) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
  return { next, nextInt: (n) => Math.floor(next() * n) };
}

// src/dns/coredns/plugins/loadbalance/loadbalance.ts
function setupLoadbalance(input) {
  const c = new Controller(input.directive);
  const a2 = c.args;
  if (a2.length > 1) throw c.argErr(a2[0]);
  if (a2.length === 1 && a2[0] !== "round_robin") throw c.err(`unknown policy: ${a2[0]}`);
  for (const bl of c.block)
    if (bl.name.text !== "prefer") throw c.errf(`unknown property '${bl.name.text}'`, bl.name.line);
}
function roundRobin(rrs, rng) {
  const cname2 = [];
  const address = [];
  const mx = [];
  const rest = [];
  for (const r of rrs) {
    if (r.type === "CNAME") cname2.push(r);
    else if (r.type === "A" || r.type === "AAAA") address.push(r);
    else if (r.type === "MX") mx.push(r);
    else rest.push(r);
  }
  shuffle(address, rng);
  shuffle(mx, rng);
  return [...cname2, ...rest, ...address, ...mx];
}
function shuffle(records, rng) {
  const l = records.length;
  if (l < 2) return;
  const id = () => rng.nextInt(65536);
  if (l === 2) {
    if (id() % 2 === 0) [records[0], records[1]] = [records[1], records[0]];
    return;
  }
  for (let j = 0; j < l; j++) {
    const p = j + (id() % (l - j));
    if (j !== p) [records[j], records[p]] = [records[p], records[j]];
  }
}
function loadbalanceHandler(seed) {
  const rng = createRng(seed);
  return {
    name: "loadbalance",
    serveDNS(_ctx, req, next) {
      const res = next(req);
      const m = res.reply;
      if (!m || rcodeOf(m) !== RCODE2.NOERROR) return res;
      return {
        ...res,
        reply: {
          ...m,
          answers: roundRobin([...(m.answers ?? [])], rng),
          authorities: roundRobin([...(m.authorities ?? [])], rng),
          additionals: roundRobin([...(m.additionals ?? [])], rng),
        },
      };
    },
  };
}

// src/dns/coredns/plugins/log/log.ts
import { encodingLength } from "dns-packet";

function setupLog(input) {
  const c = new Controller(input.directive);
  for (const bl of c.block)
    if (bl.name.text !== "class") throw c.errf(`unknown property '${bl.name.text}'`, bl.name.line);
}
function size(m) {
  try {
    return encodingLength(m);
  } catch {
    return 0;
  }
}
function flagsText(m) {
  const f = m.flags ?? 0;
  const names2 = [];
  if (f & FLAG2.QR) names2.push("qr");
  if (f & FLAG2.AA) names2.push("aa");
  if (f & FLAG2.TC) names2.push("tc");
  if (f & FLAG2.RD) names2.push("rd");
  if (f & FLAG2.RA) names2.push("ra");
  if (f & FLAG2.AD) names2.push("ad");
  if (f & FLAG2.CD) names2.push("cd");
  return names2.join(",");
}
function logHandler() {
  return {
    name: "log",
    serveDNS(ctx2, req, next) {
      const res = next(req);
      const opt = (req.msg.additionals ?? []).find((a2) => a2.type === "OPT");
      const bufsize = opt && "udpPayloadSize" in opt ? opt.udpPayloadSize : 512;
      const doBit = opt && "flag_do" in opt ? opt.flag_do : false;
      const rcode = res.reply ? rcodeOf(res.reply) : res.rcode;
      const client = req.client.ip.includes(":") ? `[${req.client.ip}]` : req.client.ip;
      ctx2.log.push(
        `[INFO] ${client}:${req.client.port} - ${req.msg.id ?? 0} "${qtype(req.msg)} ${req.msg.questions?.[0]?.class ?? "IN"} ${qname(req.msg)} ${req.transport} ${size(req.msg)} ${doBit} ${bufsize}" ${RCODE_NAMES[rcode] ?? rcode} ${res.reply ? flagsText(res.reply) : "-"} ${res.reply ? size(res.reply) : 0} 0s`,
      );
      return res;
    },
  };
}

// src/dns/coredns/plugins/passthrough/passthrough.ts
function setupPassthrough(input) {
  const c = new Controller(input.directive);
  const a2 = c.args;
  switch (c.name) {
    case "health":
      c.maxArgs(1);
      for (const bl of c.block) {
        if (bl.name.text !== "lameduck") throw c.errf(`unknown property '${bl.name.text}'`, bl.name.line);
        const d = bl.args[0]?.text;
        if (bl.args.length !== 1) throw c.argErr("lameduck", bl.name.line);
        if (parseDuration(d) === null)
          throw c.err(
            `unable to parse lameduck duration value: '${d}': time: invalid duration "${d}"`,
            bl.name.line,
          );
      }
      break;
    case "ready":
    case "prometheus":
      c.maxArgs(1);
      c.noBlock();
      break;
    case "reload":
      c.maxArgs(2);
      for (const x of a2) if (parseDuration(x) === null) throw c.err(`invalid duration for reload: '${x}'`);
      c.noBlock();
      break;
    case "loop":
    case "errors":
      if (c.name === "loop") {
        c.maxArgs(0);
        c.noBlock();
      } else c.maxArgs(1);
      break;
    default:
      break;
  }
}
function passthroughHandler(name) {
  return {
    name,
    serveDNS(ctx2, req, next) {
      const res = next(req);
      if (name === "errors" && res.err)
        ctx2.log.push(`[ERROR] plugin/errors: ${res.rcode} ${qname(req.msg)} ${qtype(req.msg)}: ${res.err}`);
      return res;
    },
  };
}

// src/dns/coredns/plugins/rewrite/rewrite.ts
var MATCH_TYPES = ["exact", "prefix", "suffix", "substring", "regex"];
function setupRewrite(input) {
  const c = new Controller(input.directive);
  let args = c.args;
  let mode = "stop";
  if (args[0] === "stop" || args[0] === "continue") {
    mode = args[0];
    args = args.slice(1);
  }
  const field = args[0];
  if (!field) throw c.argErr("rewrite");
  if (field === "type") {
    if (args.length !== 3) throw c.err(`type rule must have 2 arguments`);
    return { field: "type", mode, from: args[1].toUpperCase(), to: args[2].toUpperCase() };
  }
  if (field !== "name") throw c.err(`invalid rule type "${field}" (kubetwin models the name and type rules)`);
  let rest = args.slice(1);
  let match = "exact";
  if (MATCH_TYPES.includes(rest[0] ?? "") && rest.length >= 3) {
    match = rest[0];
    rest = rest.slice(1);
  }
  if (rest.length < 2) throw c.err("too few arguments for a name rule");
  const isRe = match === "regex";
  const from = isRe
    ? rest[0]
    : match === "exact" || match === "suffix"
      ? norm(rest[0])
      : rest[0].toLowerCase();
  const to = isRe ? rest[1] : match === "exact" || match === "suffix" ? norm(rest[1]) : rest[1].toLowerCase();
  let regex;
  if (isRe) {
    try {
      regex = new RegExp(from);
    } catch {
      throw c.err(`invalid regex pattern in a name rule: ${from}`);
    }
  }
  let answer = "none";
  const tail = rest.slice(2);
  if (tail.length) {
    if (tail[0] !== "answer") throw c.err(`unexpected argument "${tail[0]}"`);
    if (tail[1] === "auto" && tail.length === 2) answer = "auto";
    else if (tail[1] === "name" && tail.length >= 4) {
      const re = (src) => {
        try {
          return new RegExp(src);
        } catch {
          throw c.err(`invalid regex pattern in an answer rule: ${src}`);
        }
      };
      const name = [re(tail[2]), tail[3]];
      let value;
      if (tail.length === 8 && tail[4] === "answer" && tail[5] === "value") value = [re(tail[6]), tail[7]];
      else if (tail.length !== 4) throw c.err("the answer rule for a name rule is malformed");
      answer = value ? { name, value } : { name };
    } else throw c.err("the answer rule for a name rule is malformed");
  }
  const rule = { field: "name", mode, match, from, to, answer };
  if (regex) rule.regex = regex;
  return rule;
}
function fill(template2, groups) {
  return template2.replace(/\{(\d+)\}/g, (_, n) => groups[Number(n)] ?? "");
}
function rewriteName(rule, name) {
  const n = name.toLowerCase();
  switch (rule.match) {
    case "exact":
      return n === rule.from ? rule.to : null;
    case "prefix":
      return n.startsWith(rule.from) ? rule.to + n.slice(rule.from.length) : null;
    case "suffix":
      return n.endsWith(rule.from) ? n.slice(0, n.length - rule.from.length) + rule.to : null;
    case "substring":
      return n.includes(rule.from) ? n.replace(rule.from, rule.to) : null;
    case "regex": {
      const m = rule.regex.exec(n);
      return m ? norm(fill(rule.to, m)) : null;
    }
  }
}
function revertAuto(rule, name) {
  const back = { ...rule, from: rule.to, to: rule.from, answer: "none" };
  if (rule.match === "regex") return name;
  return rewriteName(back, name) ?? name;
}
function revertRR(rule, r) {
  if (rule.answer === "none" || r.type === "OPT") return r;
  if (rule.answer === "auto") return { ...r, name: revertAuto(rule, norm(r.name)) };
  const [re, tpl] = rule.answer.name;
  const m = re.exec(norm(r.name));
  let out = m ? { ...r, name: norm(fill(tpl, m)) } : r;
  const value = rule.answer.value;
  if (value && (out.type === "CNAME" || out.type === "PTR" || out.type === "NS")) {
    const vm = value[0].exec(norm(out.data));
    if (vm) out = { ...out, data: norm(fill(value[1], vm)) };
  }
  return out;
}
function rewriteHandler(rules) {
  return {
    name: "rewrite",
    serveDNS(_ctx, req, next) {
      const q = req.msg.questions?.[0];
      if (!q) return next(req);
      const original = { ...q };
      let question = { ...q };
      const applied = [];
      for (const rule of rules) {
        let done = false;
        if (rule.field === "name") {
          const to = rewriteName(rule, qname({ questions: [question] }));
          if (to !== null) {
            question = { ...question, name: to.replace(/\.$/, "") || "." };
            applied.push(rule);
            done = true;
          }
        } else if (question.type === rule.from) {
          question = { ...question, type: rule.to };
          done = true;
        }
        if (done && rule.mode === "stop") break;
      }
      if (question.name === original.name && question.type === original.type) return next(req);
      const res = next({ ...req, msg: { ...req.msg, questions: [question] } });
      if (!res.reply) return res;
      const back = (rrs) => (rrs ?? []).map((r) => applied.reduce((acc, rule) => revertRR(rule, acc), r));
      const reply = {
        ...res.reply,
        questions: [original],
        answers: back(res.reply.answers),
        authorities: back(res.reply.authorities),
        additionals: back(res.reply.additionals),
      };
      return { ...res, reply };
    },
  };
}

// src/dns/coredns/plugins/template/template.ts
var TEMPLATE_VAR = /\{\{\s*(\.Name|\.Zone|\.Class|\.Type|index \.Match (\d+)|\.Group\.(\w+))\s*\}\}/;
function setupTemplate(input) {
  const c = new Controller(input.directive);
  const args = c.args;
  if (args.length < 2) throw c.argErr(args[args.length - 1] ?? "template");
  const qclass = args[0].toUpperCase();
  const qt = args[1].toUpperCase();
  if (!["IN", "CH", "HS", "ANY"].includes(qclass)) throw c.err(`invalid query class ${args[0]}`);
  const zones = args.length > 2 ? args.slice(2).flatMap(normalizeZoneArg) : input.serverZones;
  const t2 = {
    qclass,
    qtype: qt,
    zones,
    regex: [],
    answer: [],
    additional: [],
    authority: [],
    rcode: RCODE2.NOERROR,
    fall: { zones: null },
    line: input.directive.line,
  };
  for (const bl of c.block) {
    const a2 = bl.args.map((x) => x.text);
    const line = bl.name.line;
    switch (bl.name.text) {
      case "match":
        if (a2.length === 0) throw c.argErr(bl.name.text, line);
        for (const r of a2) {
          try {
            t2.regex.push(new RegExp(goRegex(r)));
          } catch {
            throw c.errf(`could not parse regex: ${r}`, line);
          }
        }
        break;
      case "answer":
      case "additional":
      case "authority": {
        if (a2.length === 0) throw c.argErr(bl.name.text, line);
        for (const rrText of a2) {
          const sample = render(rrText, { name: "", zone: "", class: "", type: "", match: [], group: {} });
          if (typeof sample !== "string") throw c.errf(sample.error, line);
          (bl.name.text === "answer"
            ? t2.answer
            : bl.name.text === "additional"
              ? t2.additional
              : t2.authority
          ).push(rrText);
        }
        break;
      }
      case "rcode": {
        if (a2.length !== 1) throw c.argErr(bl.name.text, line);
        const rc = RCODE_NAMES.indexOf(a2[0].toUpperCase());
        if (rc < 0) throw c.errf(`unknown rcode ${a2[0]}`, line);
        t2.rcode = rc;
        break;
      }
      case "fallthrough":
        t2.fall = { zones: a2.length ? a2.flatMap(normalizeZoneArg) : ["."] };
        break;
      case "upstream":
        break;
      default:
        throw c.errf(`unknown property '${bl.name.text}'`, line);
    }
  }
  if (t2.regex.length === 0) t2.regex.push(/.*/);
  return t2;
}
function goRegex(r) {
  return r.replace(/\(\?P</g, "(?<");
}
function render(text, d) {
  const re = new RegExp(TEMPLATE_VAR.source, "g");
  const out = text.replace(re, (_all, what, idx, group) => {
    if (what === ".Name") return d.name;
    if (what === ".Zone") return d.zone;
    if (what === ".Class") return d.class;
    if (what === ".Type") return d.type;
    if (idx !== void 0) return d.match[Number(idx)] ?? "";
    if (group !== void 0) return d.group[group] ?? "";
    return "";
  });
  if (/\{\{/.test(out)) return { error: `template action not modelled in "${text}"` };
  return out;
}
function renderRR(text, d) {
  const r = render(text, d);
  if (typeof r !== "string") return r.error;
  return parseRR(r);
}
function templateHandler(zones, templates) {
  return {
    name: "template",
    serveDNS(_ctx, req, next) {
      const qn = qname(req.msg);
      const name = qn.toLowerCase();
      if (matchZone(zones, name) === "") return next(req);
      const cls = (req.msg.questions?.[0]?.class ?? "IN").toUpperCase();
      const type = qtype(req.msg);
      for (const t2 of templates) {
        if ((cls !== t2.qclass && t2.qclass !== "ANY") || (type !== t2.qtype && t2.qtype !== "ANY")) continue;
        const zone = matchZone(t2.zones, name);
        if (zone === "") continue;
        let m = null;
        for (const re of t2.regex) if ((m = re.exec(qn))) break;
        if (!m) {
          if (fallThrough(t2.fall, name)) continue;
          return { rcode: RCODE2.NXDOMAIN };
        }
        const data = {
          name: qn,
          zone,
          class: cls,
          type,
          match: [...m],
          group: { ...(m.groups ?? {}) },
        };
        const reply = setReply2(req.msg, t2.rcode);
        reply.flags = (reply.flags ?? 0) | FLAG2.AA;
        const build2 = (list) => {
          const out = [];
          for (const x of list) {
            const r = renderRR(x, data);
            if (typeof r === "string") return r;
            out.push(r);
          }
          return out;
        };
        const ans = build2(t2.answer);
        const add = build2(t2.additional);
        const auth = build2(t2.authority);
        for (const r of [ans, add, auth])
          if (typeof r === "string") return { rcode: RCODE2.SERVFAIL, err: `plugin/template: ${r}` };
        reply.answers = ans;
        reply.additionals = add;
        reply.authorities = auth;
        return { rcode: t2.rcode, reply, by: "template" };
      }
      return next(req);
    },
  };
}

// src/dns/coredns/upstream.ts
var DEFAULT_UPSTREAM = {
  records: [
    ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2026112500 1800 900 604800 86400",
    "com. 900 IN SOA a.gtld-servers.net. nstld.verisign-grs.com. 1764028800 1800 900 604800 900",
    "io. 3600 IN SOA a0.nic.io. noc.afilias-nst.info. 1765432100 10800 3600 2764800 3600",
    "google.com. 60 IN SOA ns1.google.com. dns-admin.google.com. 836000000 900 900 1800 60",
    "google.com. 300 IN A 142.250.185.78",
    "google.com. 300 IN AAAA 2a00:1450:4001:80b::200e",
    "www.google.com. 300 IN A 142.250.185.68",
    "www.google.com. 300 IN AAAA 2a00:1450:4001:80b::2004",
    "example.com. 3600 IN SOA ns.icann.org. noc.dns.icann.org. 2025082001 7200 3600 1209600 3600",
    "example.com. 300 IN A 93.184.215.14",
    "example.com. 300 IN AAAA 2606:2800:21f:cb07:6820:80da:af6b:8b2c",
    "www.example.com. 300 IN CNAME example.com.",
    "kubernetes.io. 3600 IN SOA dns1.p08.nsone.net. hostmaster.nsone.net. 1700000000 43200 7200 1209600 3600",
    "kubernetes.io. 300 IN A 147.75.40.148",
    "kubernetes.io. 300 IN AAAA 2604:1380:4601:d600::1",
    "www.kubernetes.io. 300 IN CNAME kubernetes.io.",
    "registry.k8s.io. 300 IN A 34.96.108.209",
  ],
};
function recordSetResolver(set = DEFAULT_UPSTREAM) {
  const rrs = [];
  for (const line of set.records) {
    const r = parseRR(line);
    if (typeof r !== "string") rrs.push(r);
  }
  const byName = /* @__PURE__ */ new Map();
  for (const r of rrs) {
    const k = norm(r.name);
    byName.set(k, [...(byName.get(k) ?? []), r]);
  }
  const soaFor = (name) => {
    const labels = norm(name).split(".").filter(Boolean);
    for (let i = 0; i <= labels.length; i++) {
      const z = i === labels.length ? "." : `${labels.slice(i).join(".")}.`;
      const soa = byName.get(z)?.find((r) => r.type === "SOA");
      if (soa) return soa;
    }
    return void 0;
  };
  return (query) => {
    const m = setReply2(query);
    m.flags = (m.flags ?? 0) | FLAG2.RA;
    const type = qtype(query);
    let name = qname(query);
    const answers = [];
    for (let hops = 0; hops < 8; hops++) {
      const here = byName.get(norm(name)) ?? [];
      const exact = here.filter((r) => r.type === type);
      if (exact.length) {
        answers.push(
          ...exact.map((r) => (answers.length === 0 && hops === 0 ? { ...r, name: qname(query) } : r)),
        );
        break;
      }
      const c = here.find((r) => r.type === "CNAME");
      if (c && type !== "CNAME") {
        answers.push(hops === 0 ? { ...c, name: qname(query) } : c);
        name = fq(String(c.data));
        continue;
      }
      if (here.length === 0 && answers.length === 0) {
        m.flags = (m.flags ?? 0) | RCODE2.NXDOMAIN;
      }
      const soa = soaFor(name);
      if (soa) m.authorities = [soa];
      break;
    }
    m.answers = answers;
    return m;
  };
}

// src/dns/coredns/server.ts
var PASSTHROUGH = /* @__PURE__ */ new Set([
  "errors",
  "health",
  "ready",
  "prometheus",
  "reload",
  "loop",
  "bind",
  "debug",
  "cancel",
  "metadata",
  "pprof",
  "trace",
  "root",
  "timeouts",
  "multisocket",
  "dnstap",
]);
var MODELLED = /* @__PURE__ */ new Set([
  ...PASSTHROUGH,
  "kubernetes",
  "hosts",
  "forward",
  "cache",
  "loadbalance",
  "rewrite",
  "template",
  "log",
]);
var ONCE = /* @__PURE__ */ new Set([
  "kubernetes",
  "hosts",
  "forward",
  "cache",
  "loadbalance",
  "health",
  "ready",
  "reload",
  "loop",
  "errors",
  "log",
  "bind",
]);
function loadCorefile(text, opts = {}) {
  const parsed = parseCorefile(text, opts);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, server: build(parsed.corefile, opts) };
  } catch (e) {
    if (e instanceof CorefileError) return { ok: false, error: e };
    throw e;
  }
}
function build(corefile, opts) {
  const resolver = typeof opts.upstream === "function" ? opts.upstream : recordSetResolver(opts.upstream);
  const instances = [];
  let seed = opts.seed ?? 1;
  for (const block of corefile.serverBlocks) {
    const blockZones = block.addrs.map((a2) => a2.zone);
    const seen = /* @__PURE__ */ new Map();
    for (const d of block.directives) {
      if (!MODELLED.has(d.name))
        throw new CorefileError(
          `plugin/${d.name}: ${d.file}:${d.line} - the ${d.name} plugin is not modelled by kubetwin`,
          d.file,
          d.line,
          d.name,
        );
      if (ONCE.has(d.name) && seen.has(d.name))
        throw new CorefileError(
          `plugin/${d.name}: ${d.file}:${d.line} - this plugin can only be used once per Server Block`,
          d.file,
          d.line,
          d.name,
        );
      seen.set(d.name, d);
    }
    for (const addr2 of block.addrs) {
      const input = (d) => ({
        directive: d,
        serverZones: blockZones,
        serverAddrs: block.addrs,
        files: opts.files ?? {},
      });
      const handlers = [];
      const rewrites = [];
      const templates = [];
      for (const d of block.directives) {
        switch (d.name) {
          case "kubernetes":
            handlers.push(kubernetesHandler(setupKubernetes(input(d))));
            break;
          case "hosts":
            handlers.push(hostsHandler(setupHosts(input(d))));
            break;
          case "forward":
            handlers.push(forwardHandler(setupForward(input(d)), resolver));
            break;
          case "cache":
            handlers.push(cacheHandler(setupCache(input(d))));
            break;
          case "loadbalance":
            setupLoadbalance(input(d));
            handlers.push(loadbalanceHandler(seed++));
            break;
          case "rewrite":
            rewrites.push(setupRewrite(input(d)));
            break;
          case "template":
            templates.push(setupTemplate(input(d)));
            break;
          case "log":
            setupLog(input(d));
            handlers.push(logHandler());
            break;
          default:
            setupPassthrough(input(d));
            handlers.push(passthroughHandler(d.name));
        }
      }
      if (rewrites.length) handlers.push(rewriteHandler(rewrites));
      if (templates.length) handlers.push(templateHandler(blockZones, templates));
      handlers.sort((x, y) => (pluginRank(x.name) ?? 0) - (pluginRank(y.name) ?? 0));
      instances.push({ addr: addr2, blockZones, plugins: handlers.map((h) => h.name), handlers });
    }
  }
  return { corefile, instances };
}
function serveDns2(server, query, view, env = {}) {
  const log = [];
  const visited = [];
  const res = serveOnce(server, query, view, env, log, 0, visited);
  return { ...res, log, visited };
}
function serveOnce(server, query, view, env, log, depth, visited = []) {
  const req = {
    msg: query.message,
    client: query.client,
    server: query.server,
    transport: query.transport,
  };
  if ((query.message.questions ?? []).length === 0)
    return {
      response: finish2(req.msg, setReply2(req.msg, RCODE2.SERVFAIL)),
      plugin: "server",
      serverBlock: null,
    };
  const name = qname(req.msg).toLowerCase();
  const candidates = server.instances.filter(
    (i) => i.addr.port === query.server.port && i.addr.transport === "dns",
  );
  const zone = matchZone(
    candidates.map((c) => c.addr.zone),
    name,
  );
  const inst = candidates.find((c) => c.addr.zone === zone);
  if (!inst)
    return {
      response: finish2(req.msg, setReply2(req.msg, RCODE2.REFUSED)),
      plugin: "server",
      serverBlock: null,
    };
  const ctx2 = {
    view,
    now: env.now ?? 0,
    log,
    localIPs: env.localIPs ?? [query.server.ip],
    lookup(n, type, from) {
      const m = {
        id: from.msg.id ?? 0,
        type: "query",
        flags: 256,
        questions: [{ name: n.replace(/\.$/, ""), type, class: "IN" }],
      };
      if (depth > 8) return setReply2(m, RCODE2.SERVFAIL);
      return (
        serveOnce(server, { ...query, message: m }, view, env, log, depth + 1).response ??
        setReply2(m, RCODE2.SERVFAIL)
      );
    },
  };
  const result = runChain(inst.handlers, ctx2, req, visited);
  const serverBlock = zoneAddrString(inst.addr);
  if (result.reply)
    return { response: finish2(req.msg, result.reply), plugin: result.by ?? "unknown", serverBlock };
  if (!clientWrite(result.rcode))
    return { response: finish2(req.msg, setReply2(req.msg, result.rcode)), plugin: "server", serverBlock };
  return { response: null, plugin: "server", serverBlock };
}
function runChain(handlers, ctx2, req, visited) {
  const at = (i) => (r) => {
    const h = handlers[i];
    if (!h) return { rcode: RCODE2.SERVFAIL, err: "no next plugin found" };
    visited.push(h.name);
    const nxt = handlers[i + 1]
      ? at(i + 1)
      : () => ({ rcode: RCODE2.SERVFAIL, err: `plugin/${h.name}: no next plugin found` });
    return h.serveDNS(ctx2, r, nxt);
  };
  return at(0)(req);
}
function finish2(request, reply) {
  const opt = (request.additionals ?? []).find((a2) => a2.type === "OPT");
  const additionals = (reply.additionals ?? []).filter((a2) => a2.type !== "OPT");
  if (opt && opt.type === "OPT") {
    additionals.push({
      name: ".",
      type: "OPT",
      udpPayloadSize: opt.udpPayloadSize,
      extendedRcode: 0,
      ednsVersion: 0,
      flags: opt.flag_do ? 32768 : 0,
      flag_do: opt.flag_do,
      options: [],
    });
  }
  return {
    ...reply,
    id: request.id ?? 0,
    additionals,
    authorities: reply.authorities ?? [],
    answers: reply.answers ?? [],
  };
}

// src/twin/dns-view.ts
function dnsClusterView(work, namespaces) {
  return {
    namespaces: [
      .../* @__PURE__ */ new Set([...namespaces, ...work.services.map((s2) => s2.namespace)]),
    ].sort(),
    services: work.services.map((s2) => ({
      namespace: s2.namespace,
      name: s2.name,
      type: s2.type,
      clusterIPs: s2.clusterIP && s2.clusterIP !== "None" ? [s2.clusterIP] : [],
      ...(s2.externalName ? { externalName: s2.externalName } : {}),
      ports: s2.ports.map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: p.port,
        protocol: p.protocol ?? "TCP",
      })),
    })),
    endpointSlices: work.endpointSlices.map((e) => ({
      namespace: e.namespace,
      name: e.name,
      service: e.service,
      addressType: "IPv4",
      ports: e.ports.map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: p.port,
        protocol: p.protocol,
      })),
      endpoints: e.endpoints.map((x) => ({
        addresses: [x.ip],
        ready: true,
        ...(x.hostname ? { hostname: x.hostname } : {}),
        ...(x.node ? { nodeName: x.node } : {}),
        ...(x.pod ? { targetRef: { kind: "Pod", namespace: e.namespace, name: x.pod } } : {}),
      })),
    })),
    pods: work.pods
      .filter((p) => !p.pending)
      .map((p) => ({ namespace: p.namespace, name: p.name, ip: p.ip, hostNetwork: p.hostNetwork })),
  };
}

// src/twin/coredns.ts
var ClusterDnsError = class extends Error {};
var CLUSTER_CREATED = 1735689600;
function isCoreDnsPod(labels) {
  return labels["k8s-app"] === "kube-dns";
}
function clusterDns(cluster, work, namespaces, resolvConf) {
  const src = cluster.dns.corefile;
  const upstream = cluster.dns.upstream;
  if (upstream && upstream !== "unreachable")
    upstream.records.forEach((line, i) => {
      const r = parseRR(line);
      if (typeof r === "string")
        throw new ClusterDnsError(
          `${upstream.file}:${upstream.line}: TwinConfig dns.upstream[${i}]: ${r} in "${line}"`,
        );
    });
  const loaded = loadCorefile(src?.text ?? KIND_COREFILE, {
    filename: "Corefile",
    seed: cluster.seed,
    files: { "/etc/resolv.conf": resolvConf },
    ...(upstream === "unreachable"
      ? { upstream: () => null }
      : upstream
        ? { upstream: { records: upstream.records } }
        : {}),
  });
  if (!loaded.ok) {
    const e = loaded.error;
    const where = src
      ? `${src.file}:${src.line + e.line - 1}: ConfigMap kube-system/coredns data.Corefile: `
      : "";
    throw new ClusterDnsError(`${where}${e.message}`);
  }
  const server = loaded.server;
  const view = { ...dnsClusterView(work, namespaces), modified: CLUSTER_CREATED };
  const localIPs = work.pods.filter((p) => !p.pending && isCoreDnsPod(p.labels)).map((p) => p.ip);
  return {
    server,
    view,
    localIPs,
    answer: (q, nowSeconds = 0) => serveDns2(server, q, view, { now: nowSeconds, localIPs }),
  };
}

// src/cli/errors.ts
var CliError = class extends Error {
  exitCode;
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
};

// src/k8s/manifest/load.ts
import { LineCounter, parseAllDocuments } from "yaml";

// src/k8s/manifest/diagnostic.ts
function fieldPath(path) {
  let s2 = "";
  for (const p of path) {
    if (typeof p === "number") s2 += `[${p}]`;
    else s2 += s2 ? `.${String(p)}` : String(p);
  }
  return s2;
}
function formatDiagnostic(d) {
  const where = d.file
    ? `${d.file}${d.line !== void 0 ? `:${d.line}${d.col !== void 0 ? `:${d.col}` : ""}` : ""}: `
    : "";
  const field = d.field ? ` (field ${d.field})` : "";
  return `${where}${d.severity === "warning" ? "warning: " : ""}${d.message}${field}`;
}

// src/k8s/manifest/load.ts
function parseManifests(text, file) {
  const lc = new LineCounter();
  const objects = [];
  const diagnostics = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lc, prettyErrors: false })) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = lc.linePos(e.pos[0]);
        diagnostics.push({
          code: "YAML_SYNTAX",
          severity: "error",
          message: e.message.split("\n")[0] ?? e.message,
          file,
          line: pos.line,
          col: pos.col,
        });
      }
      continue;
    }
    const value = doc.toJS();
    if (value === null || value === void 0) continue;
    const start = doc.contents?.range?.[0] ?? 0;
    const line = lc.linePos(start).line;
    if (typeof value !== "object" || Array.isArray(value)) {
      diagnostics.push({
        code: "INVALID_FIELD",
        severity: "error",
        message: "a document must be a mapping (an object with apiVersion and kind)",
        file,
        line,
      });
      continue;
    }
    const obj = value;
    if (obj.kind === "List" && Array.isArray(obj.items)) {
      obj.items.forEach((item, i) => {
        if (!item || typeof item !== "object") return;
        const base = ["items", i];
        objects.push({
          obj: item,
          file,
          line: positionIn({ doc, lc, line, base: [] }, base).line,
          doc,
          lc,
          base,
        });
      });
      continue;
    }
    objects.push({ obj, file, line, doc, lc, base: [] });
  }
  return { objects, diagnostics };
}
function positionIn(src, rel) {
  const path = [...src.base, ...rel];
  for (let n = path.length; n > 0; n--) {
    const node = src.doc.getIn(path.slice(0, n), true);
    if (node?.range) {
      const p = src.lc.linePos(node.range[0]);
      return { line: p.line, col: p.col };
    }
  }
  return { line: src.line };
}
function diagAt(src, path, d) {
  const pos = positionIn(src, path);
  return {
    ...d,
    file: src.file,
    line: pos.line,
    ...(pos.col !== void 0 ? { col: pos.col } : {}),
    ...(path.length ? { field: fieldPath(path) } : {}),
  };
}

// src/k8s/cluster/kube-proxy-config.ts
var SCHEDULERS = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh"];
function readKubeProxyConfig(objects, kindMode, podSubnet) {
  const diagnostics = [];
  const all = objects.filter((o2) => o2.obj.kind === "KubeProxyConfiguration");
  for (const extra of all.slice(1))
    diagnostics.push(
      diagAt(extra, ["kind"], {
        code: "DUPLICATE",
        severity: "error",
        message: "only one KubeProxyConfiguration may be given",
      }),
    );
  const src = all[0];
  const o = src?.obj ?? {};
  const err = (path, message) => {
    if (src) diagnostics.push(diagAt(src, path, { code: "INVALID_FIELD", severity: "error", message }));
  };
  const modeText = typeof o.mode === "string" ? (o.mode === "" ? "iptables" : o.mode) : kindMode;
  if (!["iptables", "ipvs", "nftables", "none"].includes(modeText))
    err(["mode"], `must be iptables, ipvs or nftables, not "${modeText}"`);
  const ipt = o.iptables ?? {};
  const bit = ipt.masqueradeBit ?? 14;
  if (typeof bit !== "number" || !Number.isInteger(bit) || bit < 0 || bit > 31)
    err(["iptables", "masqueradeBit"], `must be within the range [0, 31], not ${JSON.stringify(bit)}`);
  const clusterCIDR = typeof o.clusterCIDR === "string" ? o.clusterCIDR : podSubnet;
  for (const c of clusterCIDR.split(",").filter((x) => x !== ""))
    if (!isIPv4Cidr(c)) err(["clusterCIDR"], `must be a valid CIDR block (e.g. 10.100.0.0/16), not "${c}"`);
  const npa = Array.isArray(o.nodePortAddresses) ? o.nodePortAddresses : [];
  npa.forEach((a2, i) => {
    if (a2 !== "primary" && !isIPv4Cidr(a2))
      err(["nodePortAddresses", i], `must be a valid CIDR or "primary", not ${JSON.stringify(a2)}`);
  });
  const ipvs = o.ipvs ?? {};
  const scheduler = typeof ipvs.scheduler === "string" && ipvs.scheduler !== "" ? ipvs.scheduler : "rr";
  if (!SCHEDULERS.includes(scheduler))
    err(["ipvs", "scheduler"], `must be one of ${SCHEDULERS.join(", ")}, not "${scheduler}"`);
  if (ipvs.strictARP !== void 0 && typeof ipvs.strictARP !== "boolean")
    err(["ipvs", "strictARP"], `must be true or false, not ${JSON.stringify(ipvs.strictARP)}`);
  if (src && modeText === "nftables")
    diagnostics.push(
      diagAt(src, ["mode"], {
        code: "CONFLICT",
        severity: "warning",
        message: `kube-proxy mode ${modeText} is not modelled yet: the twin programs no Service rules`,
      }),
    );
  return {
    settings: {
      mode: modeText,
      clusterCIDR,
      masqueradeAll: ipt.masqueradeAll === true,
      masqueradeBit: typeof bit === "number" ? bit : 14,
      localhostNodePorts: ipt.localhostNodePorts !== false,
      nodePortAddresses: npa.filter((a2) => typeof a2 === "string"),
      ipvsScheduler: scheduler,
      ipvsStrictARP: ipvs.strictARP === true,
    },
    diagnostics,
  };
}

// src/k8s/cluster/cluster.ts
var KIND_API = "kind.x-k8s.io/v1alpha4";
var TWIN_API = "kubetwin.dev/v1alpha1";
var UNDERLAY = { subnet: "172.18.0.0/16", gateway: "172.18.0.1" };
function kindNodeNames(cluster, roles) {
  const count = { "control-plane": 0, worker: 0 };
  return roles.map((r) => {
    count[r]++;
    return `${cluster}-${r}${count[r] === 1 ? "" : count[r]}`;
  });
}
function buildCluster(objects) {
  const diagnostics = [];
  const kinds = objects.filter((o) => o.obj.kind === "Cluster");
  const twins = objects.filter((o) => o.obj.kind === "TwinConfig");
  for (const extra of [...kinds.slice(1), ...twins.slice(1)]) {
    diagnostics.push(
      diagAt(extra, ["kind"], {
        code: "DUPLICATE",
        severity: "error",
        message: `only one ${String(extra.obj.kind)} may be given`,
      }),
    );
  }
  const kc = kinds[0];
  const tc = twins[0];
  if (kc && kc.obj.apiVersion !== KIND_API) {
    diagnostics.push(
      diagAt(kc, ["apiVersion"], {
        code: "INVALID_FIELD",
        severity: "error",
        message: `kind Cluster config must use apiVersion ${KIND_API}`,
      }),
    );
  }
  if (tc && tc.obj.apiVersion !== TWIN_API) {
    diagnostics.push(
      diagAt(tc, ["apiVersion"], {
        code: "INVALID_FIELD",
        severity: "error",
        message: `TwinConfig must use apiVersion ${TWIN_API}`,
      }),
    );
  }
  const net = kc?.obj.networking ?? {};
  const fieldErr = (src, path, message) => {
    diagnostics.push(diagAt(src, path, { code: "INVALID_FIELD", severity: "error", message }));
  };
  const podSubnet = net.podSubnet ?? "10.244.0.0/16";
  const serviceSubnet = net.serviceSubnet ?? "10.96.0.0/16";
  if (kc && net.podSubnet !== void 0 && !isIPv4Cidr(net.podSubnet))
    fieldErr(kc, ["networking", "podSubnet"], `invalid CIDR "${String(net.podSubnet)}"`);
  if (kc && net.serviceSubnet !== void 0 && !isIPv4Cidr(net.serviceSubnet))
    fieldErr(kc, ["networking", "serviceSubnet"], `invalid CIDR "${String(net.serviceSubnet)}"`);
  const mode = net.kubeProxyMode ?? "iptables";
  if (kc && !["iptables", "ipvs", "nftables", "none"].includes(mode))
    fieldErr(
      kc,
      ["networking", "kubeProxyMode"],
      `kubeProxyMode must be iptables, ipvs, nftables or none, not "${mode}"`,
    );
  const family = net.ipFamily ?? "ipv4";
  if (kc && !["ipv4", "ipv6", "dual"].includes(family))
    fieldErr(kc, ["networking", "ipFamily"], `ipFamily must be ipv4, ipv6 or dual, not "${family}"`);
  let roles;
  if (!kc) roles = ["control-plane", "worker", "worker"];
  else {
    const nodes2 = kc.obj.nodes ?? [{ role: "control-plane" }];
    roles = nodes2.map((n, i) => {
      const r = n?.role ?? "control-plane";
      if (r !== "control-plane" && r !== "worker")
        fieldErr(kc, ["nodes", i, "role"], `role must be control-plane or worker, not "${r}"`);
      return r === "worker" ? "worker" : "control-plane";
    });
  }
  const name = kc?.obj.name ?? "kind";
  const names2 = kindNodeNames(name, roles);
  const twinNodes = tc?.obj.nodes ?? [];
  const cniObj = tc?.obj.cni ?? {};
  const cniType = cniObj.type ?? "kindnet";
  if (tc && !["kindnet", "bridge", "flannel", "routed"].includes(cniType))
    fieldErr(tc, ["cni", "type"], `cni.type must be kindnet, bridge, flannel or routed, not "${cniType}"`);
  const backend = cniType === "flannel" ? (cniObj.backend ?? "vxlan") : null;
  if (tc && backend !== null && backend !== "vxlan" && backend !== "host-gw")
    fieldErr(tc, ["cni", "backend"], `flannel backend must be vxlan or host-gw, not "${backend}"`);
  const [podNet, podLenText] = podSubnet.split("/");
  const podBase = parseIPv4(podNet ?? "") ?? 0;
  const podLen = Number(podLenText ?? 16);
  const capacity = podLen <= 24 ? 2 ** (24 - podLen) : 0;
  if (kc && isIPv4Cidr(podSubnet) && roles.length > capacity) {
    fieldErr(
      kc,
      ["networking", "podSubnet"],
      `podSubnet ${podSubnet} has room for ${capacity} node /24s, not ${roles.length}`,
    );
  }
  const used = /* @__PURE__ */ new Set();
  const nodes = roles.map((role, i) => {
    const t2 = twinNodes[i] ?? {};
    const nodeName = t2.name ?? names2[i];
    if (used.has(nodeName) && tc) fieldErr(tc, ["nodes", i, "name"], `node name "${nodeName}" is used twice`);
    used.add(nodeName);
    const address = t2.address ?? formatIPv4((parseIPv4(UNDERLAY.gateway) + 1 + i) >>> 0);
    if (tc && t2.address !== void 0 && parseIPv4(String(t2.address)) === null)
      fieldErr(tc, ["nodes", i, "address"], `invalid address "${String(t2.address)}"`);
    const podCIDR = `${formatIPv4(((podBase & maskOf(podLen)) + i * 256) >>> 0)}/24`;
    const taints =
      role === "control-plane" && roles.includes("worker")
        ? [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]
        : [];
    return { name: nodeName, role, address, podCIDR, taints };
  });
  const seed = typeof tc?.obj.seed === "number" ? tc.obj.seed : 1;
  const loadBalancer = loadBalancerConfig(tc, nodes, fieldErr);
  const dns = dnsSettings(objects, tc, fieldErr);
  const kp = readKubeProxyConfig(objects, mode, podSubnet);
  diagnostics.push(...kp.diagnostics);
  return {
    cluster: {
      name,
      nodes,
      podSubnet,
      serviceSubnet,
      kubeProxyMode: kp.settings.mode,
      kubeProxy: kp.settings,
      ipFamily: family,
      disableDefaultCNI: net.disableDefaultCNI === true,
      cni: { type: cniType, backend },
      seed,
      underlay: UNDERLAY,
      loadBalancer,
      dns,
    },
    diagnostics,
  };
}
function dnsSettings(objects, tc, fieldErr) {
  let corefile = null;
  const cm = objects.find((o) => {
    const m = o.obj.metadata ?? {};
    return o.obj.kind === "ConfigMap" && m.namespace === "kube-system" && m.name === "coredns";
  });
  if (cm) {
    const text = (cm.obj.data ?? {}).Corefile;
    if (typeof text !== "string")
      fieldErr(cm, ["data", "Corefile"], "the coredns ConfigMap needs data.Corefile");
    else {
      const node = cm.doc.getIn([...cm.base, "data", "Corefile"], true);
      const block = node?.type === "BLOCK_LITERAL" || node?.type === "BLOCK_FOLDED";
      corefile = { text, file: cm.file, line: positionIn(cm, ["data", "Corefile"]).line + (block ? 1 : 0) };
    }
  }
  let upstream = null;
  const d = tc?.obj.dns;
  if (tc && d !== void 0 && d.upstream !== void 0) {
    const u = d.upstream;
    if (u === "unreachable") upstream = "unreachable";
    else if (!Array.isArray(u) || !u.every((x) => typeof x === "string"))
      fieldErr(
        tc,
        ["dns", "upstream"],
        'dns.upstream must be a list of zone-file lines ("google.com. 300 IN A 142.250.185.78")',
      );
    else upstream = { records: u, file: tc.file, line: positionIn(tc, ["dns", "upstream"]).line };
  }
  return { corefile, upstream };
}
var DEFAULT_LB_POOL = { first: "172.18.255.200", last: "172.18.255.250" };
function loadBalancerConfig(tc, nodes, fieldErr) {
  const lb = tc?.obj.loadBalancer;
  if (!tc || lb === void 0 || lb.pool === void 0) return { pool: DEFAULT_LB_POOL };
  const text = String(lb.pool).trim();
  let first = null;
  let last = null;
  if (text.includes("-")) {
    const [a2, b] = text.split("-").map((x) => x.trim());
    first = parseIPv4(a2 ?? "");
    last = parseIPv4(b ?? "");
  } else if (isIPv4Cidr(text)) {
    const [a2, l] = text.split("/");
    const len = Number(l);
    const net = (parseIPv4(a2) & maskOf(len)) >>> 0;
    first = net;
    last = net + 2 ** (32 - len) - 1;
  }
  if (first === null || last === null || first > last) {
    fieldErr(
      tc,
      ["loadBalancer", "pool"],
      `loadBalancer.pool must be FIRST-LAST (e.g. 172.18.255.200-172.18.255.250) or a CIDR, not "${text}"`,
    );
    return { pool: DEFAULT_LB_POOL };
  }
  const taken = nodes.find((n) => {
    const a2 = parseIPv4(n.address);
    return a2 !== null && a2 >= first && a2 <= last;
  });
  if (taken)
    fieldErr(
      tc,
      ["loadBalancer", "pool"],
      `loadBalancer.pool ${text} holds node ${taken.name}'s address ${taken.address}`,
    );
  return { pool: { first: formatIPv4(first), last: formatIPv4(last) } };
}

// src/k8s/controllers/meta.ts
function meta(o) {
  const m = o.metadata ?? {};
  return {
    name: String(m.name ?? ""),
    namespace: String(m.namespace ?? "default"),
    labels: m.labels ?? {},
  };
}

// src/k8s/controllers/names.ts
var ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
function randString(rng, n) {
  let s2 = "";
  for (let i = 0; i < n; i++) s2 += ALPHANUMS[rng.nextInt(ALPHANUMS.length)];
  return s2;
}
function podTemplateHash(rng) {
  return randString(rng, 10);
}

// src/k8s/controllers/services.ts
var NODE_PORT_MIN = 3e4;
var NODE_PORT_MAX = 32767;
var MAX_AFFINITY_SECONDS = 86400;
var DEFAULT_AFFINITY_SECONDS = 10800;
var TYPES2 = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
function supported(values) {
  return values.map((v) => `"${v}"`).join(", ");
}
function isCIDR(s2) {
  const [a2, l] = s2.split("/");
  return parseIPv4(a2 ?? "") !== null && l !== void 0 && /^\d+$/.test(l) && Number(l) <= 32;
}
function endpointIPProblem(ip, text) {
  if (ip === 0) return `may not be unspecified (${text})`;
  if (isLoopback4(ip)) return "may not be in the loopback range (127.0.0.0/8, ::1/128)";
  if (ip >>> 16 === 43518) return "may not be in the link-local range (169.254.0.0/16, fe80::/10)";
  if (isMulticast4(ip) && ip >>> 8 === 14680064)
    return "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)";
  return null;
}
function draftService(src, diagnostics) {
  const o = src.obj;
  const m = meta(o);
  const spec = o.spec ?? {};
  const err = (path, message, code = "INVALID_FIELD") => {
    diagnostics.push(diagAt(src, path, { code, severity: "error", message }));
  };
  const typeText = spec.type === void 0 ? "ClusterIP" : String(spec.type);
  if (!TYPES2.includes(typeText))
    err(
      ["spec", "type"],
      `spec.type: Unsupported value: "${typeText}": supported values: ${supported(TYPES2)}`,
    );
  const type = TYPES2.includes(typeText) ? typeText : "ClusterIP";
  const lb = type === "LoadBalancer";
  const headless2 = spec.clusterIP === "None";
  if (headless2 && (type === "NodePort" || lb))
    err(
      ["spec", "clusterIP"],
      `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for ${type} services`,
    );
  const externalIPs = (spec.externalIPs ?? []).map(String);
  externalIPs.forEach((ip, i) => {
    const a2 = parseIPv4(ip);
    const problem =
      a2 === null
        ? "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
        : endpointIPProblem(a2, ip);
    if (problem)
      err(["spec", "externalIPs", i], `spec.externalIPs[${i}]: Invalid value: "${ip}": ${problem}`);
  });
  const externallyAccessible = type === "NodePort" || lb || (type === "ClusterIP" && externalIPs.length > 0);
  const policy = (field) => {
    const v = spec[field];
    if (v === void 0) return void 0;
    if (v === "Cluster" || v === "Local") return v;
    err(
      ["spec", field],
      `spec.${field}: Unsupported value: "${String(v)}": supported values: ${supported(["Cluster", "Local"])}`,
    );
    return void 0;
  };
  let eTP = policy("externalTrafficPolicy");
  if (!externallyAccessible && eTP !== void 0) {
    err(
      ["spec", "externalTrafficPolicy"],
      `spec.externalTrafficPolicy: Invalid value: "${eTP}": may only be set for externally-accessible services`,
    );
    eTP = void 0;
  }
  if (externallyAccessible) eTP ??= "Cluster";
  const iTP =
    type === "ExternalName"
      ? policy("internalTrafficPolicy")
      : (policy("internalTrafficPolicy") ?? "Cluster");
  const affinityText = spec.sessionAffinity === void 0 ? "None" : String(spec.sessionAffinity);
  if (affinityText !== "None" && affinityText !== "ClientIP")
    err(
      ["spec", "sessionAffinity"],
      `spec.sessionAffinity: Unsupported value: "${affinityText}": supported values: ${supported(["ClientIP", "None"])}`,
    );
  const affinity = affinityText === "ClientIP" ? "ClientIP" : "None";
  let sessionAffinityConfig;
  if (affinity === "None" && spec.sessionAffinityConfig !== void 0)
    err(
      ["spec", "sessionAffinityConfig"],
      "spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None",
    );
  if (affinity === "ClientIP") {
    const cfg = spec.sessionAffinityConfig?.clientIP ?? {};
    const t2 = cfg.timeoutSeconds === void 0 ? DEFAULT_AFFINITY_SECONDS : Number(cfg.timeoutSeconds);
    if (!Number.isInteger(t2) || t2 <= 0 || t2 > MAX_AFFINITY_SECONDS)
      err(
        ["spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"],
        `spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: ${String(cfg.timeoutSeconds)}: must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`,
      );
    sessionAffinityConfig = { clientIP: { timeoutSeconds: t2 } };
  }
  const ranges = (spec.loadBalancerSourceRanges ?? []).map((r) => String(r).trim());
  if (ranges.length > 0 && !lb)
    err(
      ["spec", "loadBalancerSourceRanges"],
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    );
  ranges.forEach((r, i) => {
    if (!isCIDR(r))
      err(
        ["spec", "loadBalancerSourceRanges", i],
        `spec.LoadBalancerSourceRanges[${i}]: Invalid value: "${r}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
      );
  });
  let allocateLB;
  if (spec.allocateLoadBalancerNodePorts !== void 0) {
    if (!lb)
      err(
        ["spec", "allocateLoadBalancerNodePorts"],
        "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
      );
    else allocateLB = spec.allocateLoadBalancerNodePorts !== false;
  } else if (lb) allocateLB = true;
  let loadBalancerIP;
  if (typeof spec.loadBalancerIP === "string" && spec.loadBalancerIP !== "") {
    const ip = spec.loadBalancerIP;
    if (parseIPv4(ip) === null)
      err(
        ["spec", "loadBalancerIP"],
        `spec.loadBalancerIP: Invalid value: "${ip}": must be a valid IPv4 address (IPv6 is not modelled)`,
      );
    else if (!lb)
      diagnostics.push(
        diagAt(src, ["spec", "loadBalancerIP"], {
          code: "INVALID_FIELD",
          severity: "warning",
          message: `spec.loadBalancerIP is ignored: Service ${m.namespace}/${m.name} is not of type LoadBalancer`,
        }),
      );
    else loadBalancerIP = ip;
  }
  const needsHealthCheck = lb && eTP === "Local";
  const hcText = spec.healthCheckNodePort;
  const hc = hcText === void 0 ? 0 : Number(hcText);
  if (hc !== 0 && !needsHealthCheck)
    err(
      ["spec", "healthCheckNodePort"],
      `spec.healthCheckNodePort: Invalid value: ${hc}: may only be set when \`type\` is 'LoadBalancer' and \`externalTrafficPolicy\` is 'Local'`,
    );
  const portObjs = spec.ports ?? [];
  const seenNodePorts = /* @__PURE__ */ new Set();
  const requestedNodePorts = portObjs.map((p, i) => {
    const np = p.nodePort === void 0 ? 0 : Number(p.nodePort);
    if (np === 0) return 0;
    if (type === "ClusterIP") {
      err(
        ["spec", "ports", i, "nodePort"],
        `spec.ports[${i}].nodePort: Forbidden: may not be used when \`type\` is 'ClusterIP'`,
      );
      return 0;
    }
    const key = `${String(p.protocol ?? "TCP")}/${np}`;
    if (seenNodePorts.has(key)) {
      err(["spec", "ports", i, "nodePort"], `spec.ports[${i}].nodePort: Duplicate value: ${np}`, "DUPLICATE");
      return 0;
    }
    seenNodePorts.add(key);
    return type === "ExternalName" ? 0 : np;
  });
  const info = {
    namespace: m.namespace,
    name: m.name,
    type,
    clusterIP: "",
    selector: spec.selector ?? null,
    ports: portObjs.map((p) => {
      const port = Number(p.port);
      return {
        ...(typeof p.name === "string" ? { name: p.name } : {}),
        port,
        targetPort: p.targetPort ?? port,
        protocol: String(p.protocol ?? "TCP"),
      };
    }),
    ...(typeof spec.externalName === "string" ? { externalName: spec.externalName } : {}),
    labels: m.labels,
    ...(eTP !== void 0 ? { externalTrafficPolicy: eTP } : {}),
    ...(iTP !== void 0 ? { internalTrafficPolicy: iTP } : {}),
    sessionAffinity: affinity,
    ...(sessionAffinityConfig ? { sessionAffinityConfig } : {}),
    ...(externalIPs.length > 0 ? { externalIPs } : {}),
    ...(loadBalancerIP !== void 0 ? { loadBalancerIP } : {}),
    ...(ranges.length > 0 ? { loadBalancerSourceRanges: ranges } : {}),
    ...(allocateLB !== void 0 ? { allocateLoadBalancerNodePorts: allocateLB } : {}),
    ...(lb ? { loadBalancerIngress: [] } : {}),
  };
  return {
    src,
    info,
    requestedNodePorts,
    requestedHealthCheckNodePort: needsHealthCheck ? hc : 0,
    allocateNodePorts: type === "NodePort" || (lb && allocateLB === true),
  };
}
function systemServices(ip) {
  return [
    {
      namespace: "default",
      name: "kubernetes",
      type: "ClusterIP",
      clusterIP: formatIPv4(ip(1)),
      labels: { component: "apiserver", provider: "kubernetes" },
      selector: null,
      ports: [{ name: "https", port: 443, targetPort: 6443, protocol: "TCP" }],
      internalTrafficPolicy: "Cluster",
      sessionAffinity: "None",
    },
    {
      namespace: "kube-system",
      name: "kube-dns",
      type: "ClusterIP",
      clusterIP: formatIPv4(ip(10)),
      labels: {
        "k8s-app": "kube-dns",
        "kubernetes.io/cluster-service": "true",
        "kubernetes.io/name": "CoreDNS",
      },
      selector: { "k8s-app": "kube-dns" },
      ports: [
        { name: "dns", port: 53, targetPort: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53, targetPort: 53, protocol: "TCP" },
        { name: "metrics", port: 9153, targetPort: 9153, protocol: "TCP" },
      ],
      internalTrafficPolicy: "Cluster",
      sessionAffinity: "None",
    },
  ];
}
function allocateServices(cluster, objects, rng, diagnostics) {
  const [net, lenText] = cluster.serviceSubnet.split("/");
  const base = (parseIPv4(net ?? "") ?? 0) & maskOf(Number(lenText));
  const size2 = 2 ** (32 - Number(lenText));
  const used = /* @__PURE__ */ new Set();
  const usedPorts = /* @__PURE__ */ new Set();
  const ip = (i) => (base + i) >>> 0;
  const out = systemServices(ip);
  used.add(ip(1));
  used.add(ip(10));
  const drafts = objects
    .filter((s2) => s2.obj.kind === "Service")
    .map((src) => draftService(src, diagnostics));
  for (const { src } of drafts) {
    const cip = (src.obj.spec ?? {}).clusterIP;
    if (typeof cip !== "string" || cip === "None" || cip === "") continue;
    const a2 = parseIPv4(cip);
    if (a2 === null || (a2 & maskOf(Number(lenText))) >>> 0 !== base >>> 0) {
      diagnostics.push(
        diagAt(src, ["spec", "clusterIP"], {
          code: "INVALID_FIELD",
          severity: "error",
          message: `spec.clusterIP: Invalid value: "${cip}": provided IP is not in the valid range. The range of valid IPs is ${cluster.serviceSubnet}`,
        }),
      );
      continue;
    }
    if (used.has(a2)) {
      diagnostics.push(
        diagAt(src, ["spec", "clusterIP"], {
          code: "CONFLICT",
          severity: "error",
          message: `spec.clusterIP: Invalid value: "${cip}": provided IP is already allocated`,
        }),
      );
      continue;
    }
    used.add(a2);
  }
  const reserve = (d, path, field, np) => {
    const problem =
      np < NODE_PORT_MIN || np > NODE_PORT_MAX
        ? `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`
        : usedPorts.has(np)
          ? "provided port is already allocated"
          : null;
    if (problem) {
      diagnostics.push(
        diagAt(d.src, path, {
          code: problem.includes("already") ? "CONFLICT" : "INVALID_FIELD",
          severity: "error",
          message: `${field}: Invalid value: ${np}: ${problem}`,
        }),
      );
      return false;
    }
    usedPorts.add(np);
    return true;
  };
  const granted = /* @__PURE__ */ new Map();
  for (const d of drafts) {
    granted.set(
      d,
      d.requestedNodePorts.map((np, i) =>
        np !== 0 && reserve(d, ["spec", "ports", i, "nodePort"], `spec.ports[${i}].nodePort`, np) ? np : 0,
      ),
    );
    const hc = d.requestedHealthCheckNodePort;
    if (hc !== 0 && !reserve(d, ["spec", "healthCheckNodePort"], "spec.healthCheckNodePort", hc))
      d.requestedHealthCheckNodePort = -1;
  }
  const nextNodePort = () => {
    let np = 0;
    while (np === 0 || usedPorts.has(np)) np = NODE_PORT_MIN + rng.nextInt(NODE_PORT_MAX - NODE_PORT_MIN + 1);
    usedPorts.add(np);
    return np;
  };
  for (const d of drafts) {
    const info = d.info;
    const cip = (d.src.obj.spec ?? {}).clusterIP;
    if (info.type === "ExternalName") info.clusterIP = "";
    else if (cip === "None") info.clusterIP = "None";
    else if (typeof cip === "string" && cip !== "" && parseIPv4(cip) !== null) info.clusterIP = cip;
    else {
      let a2 = 0;
      for (let tries = 0; tries < size2; tries++) {
        a2 = ip(1 + rng.nextInt(size2 - 2));
        if (!used.has(a2)) break;
      }
      used.add(a2);
      info.clusterIP = formatIPv4(a2);
    }
    const byPort = /* @__PURE__ */ new Map();
    const asked = granted.get(d) ?? [];
    info.ports.forEach((p, i) => {
      const req = asked[i] ?? 0;
      if (req !== 0) {
        p.nodePort = req;
        if (!byPort.has(p.port)) byPort.set(p.port, req);
        return;
      }
      if (!d.allocateNodePorts) return;
      const shared =
        byPort.get(p.port) ??
        d.requestedNodePorts.find((np2, j) => np2 !== 0 && info.ports[j]?.port === p.port);
      const np = shared !== void 0 && shared !== 0 ? shared : nextNodePort();
      byPort.set(p.port, np);
      p.nodePort = np;
    });
    if (info.type === "LoadBalancer" && info.externalTrafficPolicy === "Local") {
      const hc = d.requestedHealthCheckNodePort;
      info.healthCheckNodePort = hc > 0 ? hc : nextNodePort();
    }
    out.push(info);
  }
  assignLoadBalancerIPs(cluster, drafts, diagnostics);
  return out;
}
function assignLoadBalancerIPs(cluster, drafts, diagnostics) {
  const first = parseIPv4(cluster.loadBalancer.pool.first) ?? 0;
  const last = parseIPv4(cluster.loadBalancer.pool.last) ?? -1;
  const poolText = `${cluster.loadBalancer.pool.first}-${cluster.loadBalancer.pool.last}`;
  const taken = /* @__PURE__ */ new Set();
  const lbs = drafts.filter((d) => d.info.type === "LoadBalancer" && d.info.clusterIP !== "None");
  const unassigned = [];
  for (const d of lbs) {
    const want = d.info.loadBalancerIP;
    if (want === void 0) {
      unassigned.push(d);
      continue;
    }
    const a2 = parseIPv4(want);
    const problem =
      a2 < first || a2 > last
        ? `is not in the load balancer pool ${poolText}`
        : taken.has(a2)
          ? "is already assigned to another Service"
          : null;
    if (problem) {
      diagnostics.push(
        diagAt(d.src, ["spec", "loadBalancerIP"], {
          code: problem.includes("already") ? "CONFLICT" : "INVALID_FIELD",
          severity: "error",
          message: `spec.loadBalancerIP: "${want}" ${problem} (the Service would stay <pending>)`,
        }),
      );
      continue;
    }
    taken.add(a2);
    d.info.loadBalancerIngress = [want];
  }
  for (const d of unassigned) {
    let a2 = first;
    while (a2 <= last && taken.has(a2)) a2++;
    if (a2 > last) {
      diagnostics.push(
        diagAt(d.src, ["spec", "type"], {
          code: "CONFLICT",
          severity: "warning",
          message: `Service ${d.info.namespace}/${d.info.name} stays <pending>: the load balancer pool ${poolText} is exhausted`,
        }),
      );
      continue;
    }
    taken.add(a2);
    d.info.loadBalancerIngress = [formatIPv4(a2)];
  }
}

// src/k8s/controllers/workloads.ts
function dnsFields(s2) {
  const out = {};
  if (typeof s2.dnsPolicy === "string") out.dnsPolicy = s2.dnsPolicy;
  if (s2.dnsConfig && typeof s2.dnsConfig === "object") out.dnsConfig = s2.dnsConfig;
  if (Array.isArray(s2.hostAliases)) out.hostAliases = s2.hostAliases;
  return Object.keys(out).length > 0 ? out : void 0;
}
function template(spec) {
  const s2 = spec ?? {};
  const containers = s2.containers ?? [];
  return {
    labels: {},
    ...(typeof s2.nodeName === "string" ? { nodeName: s2.nodeName } : {}),
    nodeSelector: s2.nodeSelector ?? {},
    tolerations: s2.tolerations ?? [],
    hostNetwork: s2.hostNetwork === true,
    ...(typeof s2.hostname === "string" ? { hostname: s2.hostname } : {}),
    ...(typeof s2.subdomain === "string" ? { subdomain: s2.subdomain } : {}),
    ...(dnsFields(s2) ? { dns: dnsFields(s2) } : {}),
    containers: Math.max(1, containers.length),
    ports: containers.flatMap((c) =>
      (c.ports ?? []).map((p) => ({
        ...(typeof p.name === "string" ? { name: p.name } : {}),
        containerPort: Number(p.containerPort),
        protocol: String(p.protocol ?? "TCP"),
        ...(typeof p.hostPort === "number" ? { hostPort: p.hostPort } : {}),
        ...(typeof p.hostIP === "string" ? { hostIP: p.hostIP } : {}),
      })),
    ),
  };
}
function podTemplate(workloadSpec) {
  const tpl = workloadSpec.template ?? {};
  const labels = (tpl.metadata ?? {}).labels ?? {};
  return { ...template(tpl.spec), labels };
}
function nodeLabels(n) {
  const l = {
    "kubernetes.io/hostname": n.name,
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
  };
  if (n.role === "control-plane") l["node-role.kubernetes.io/control-plane"] = "";
  return l;
}
function tolerates(t2, taint) {
  return t2.tolerations.some(
    (x) =>
      (x.operator === "Exists" && (x.key === void 0 || x.key === taint.key)) ||
      (x.key === taint.key && (!x.effect || x.effect === taint.effect)),
  );
}
var NodeIpam = class {
  next = /* @__PURE__ */ new Map();
  alloc(n) {
    const [net, len] = n.podCIDR.split("/");
    const base = (parseIPv4(net ?? "") ?? 0) & maskOf(Number(len));
    const i = this.next.get(n.name) ?? 2;
    this.next.set(n.name, i + 1);
    return formatIPv4((base + i) >>> 0);
  }
};
var MAX_PODS = 110;
function schedule(nodes, load, t2) {
  if (t2.nodeName) return nodes.find((n) => n.name === t2.nodeName) ?? null;
  const feasible = nodes.filter(
    (n) =>
      (load.get(n.name) ?? 0) < MAX_PODS &&
      Object.entries(t2.nodeSelector).every(([k, v]) => nodeLabels(n)[k] === v) &&
      n.taints.every((taint) => taint.effect !== "NoSchedule" || tolerates(t2, taint)),
  );
  let best = null;
  for (const n of feasible) if (!best || (load.get(n.name) ?? 0) < (load.get(best.name) ?? 0)) best = n;
  return best;
}
function runControllers(cluster, objects) {
  const rng = createRng(cluster.seed * 7919 + 17);
  const diagnostics = [];
  const ipam = new NodeIpam();
  const load = /* @__PURE__ */ new Map();
  const pods = [];
  const nodes = cluster.nodes;
  const cp = nodes.find((n) => n.role === "control-plane") ?? nodes[0];
  const place = (ns2, name, t2, owner, src) => {
    const node = schedule(nodes, load, t2);
    if (!node) {
      if (src)
        diagnostics.push(
          diagAt(src, ["spec"], {
            code: "CONFLICT",
            severity: "warning",
            message: `pod ${ns2}/${name} stays Pending: no node fits (nodeName, nodeSelector, taints, ${MAX_PODS} pods per node)`,
          }),
        );
      pods.push({
        namespace: ns2,
        name,
        node: "",
        ip: "",
        hostIP: "",
        hostNetwork: t2.hostNetwork,
        containers: t2.containers,
        labels: t2.labels,
        ports: t2.ports,
        owner,
        pending: true,
      });
      return;
    }
    load.set(node.name, (load.get(node.name) ?? 0) + 1);
    pods.push({
      namespace: ns2,
      name,
      node: node.name,
      ip: t2.hostNetwork ? node.address : ipam.alloc(node),
      hostIP: node.address,
      hostNetwork: t2.hostNetwork,
      containers: t2.containers,
      labels: t2.labels,
      ports: t2.ports,
      owner,
      ...(t2.hostname !== void 0 ? { hostname: t2.hostname } : {}),
      ...(t2.subdomain !== void 0 ? { subdomain: t2.subdomain } : {}),
      ...(t2.dns !== void 0 ? { dns: t2.dns } : {}),
    });
  };
  const system = (ns2, name, node, hostNetwork, labels, ports = []) => {
    load.set(node.name, (load.get(node.name) ?? 0) + 1);
    pods.push({
      namespace: ns2,
      name,
      node: node.name,
      ip: hostNetwork ? node.address : ipam.alloc(node),
      hostIP: node.address,
      hostNetwork,
      containers: 1,
      labels,
      ports,
      owner: null,
    });
  };
  const dnsHash = podTemplateHash(rng);
  for (let i = 0; i < 2; i++)
    system("kube-system", `coredns-${dnsHash}-${randString(rng, 5)}`, cp, false, { "k8s-app": "kube-dns" }, [
      { name: "dns", containerPort: 53, protocol: "UDP" },
      { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
      { name: "metrics", containerPort: 9153, protocol: "TCP" },
    ]);
  system(
    "local-path-storage",
    `local-path-provisioner-${podTemplateHash(rng)}-${randString(rng, 5)}`,
    cp,
    false,
    { app: "local-path-provisioner" },
  );
  for (const c of ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"])
    system("kube-system", `${c}-${cp.name}`, cp, true, { component: c });
  for (const n of nodes) {
    if (cluster.cni.type === "kindnet" && !cluster.disableDefaultCNI)
      system("kube-system", `kindnet-${randString(rng, 5)}`, n, true, { app: "kindnet" });
    if (cluster.cni.type === "flannel")
      system("kube-flannel", `kube-flannel-ds-${randString(rng, 5)}`, n, true, {
        app: "flannel",
        "k8s-app": "flannel",
      });
    if (cluster.kubeProxyMode !== "none")
      system("kube-system", `kube-proxy-${randString(rng, 5)}`, n, true, { "k8s-app": "kube-proxy" });
  }
  for (const src of objects) {
    const o = src.obj;
    const m = meta(o);
    const spec = o.spec ?? {};
    switch (o.kind) {
      case "Pod":
        place(m.namespace, m.name, { ...template(spec), labels: m.labels }, null, src);
        break;
      case "Deployment":
      case "ReplicaSet": {
        const replicas = spec.replicas === void 0 ? 1 : Number(spec.replicas);
        const prefix = o.kind === "Deployment" ? `${m.name}-${podTemplateHash(rng)}` : m.name;
        for (let i = 0; i < replicas; i++)
          place(
            m.namespace,
            `${prefix}-${randString(rng, 5)}`,
            podTemplate(spec),
            `${o.kind}/${m.name}`,
            src,
          );
        break;
      }
      case "StatefulSet": {
        const replicas = spec.replicas === void 0 ? 1 : Number(spec.replicas);
        for (let i = 0; i < replicas; i++)
          place(
            m.namespace,
            `${m.name}-${i}`,
            {
              ...podTemplate(spec),
              // The StatefulSet controller gives each pod its identity: hostname and the governing Service.
              hostname: `${m.name}-${i}`,
              ...(typeof spec.serviceName === "string" ? { subdomain: spec.serviceName } : {}),
            },
            `StatefulSet/${m.name}`,
            src,
          );
        break;
      }
      case "DaemonSet": {
        const t2 = podTemplate(spec);
        for (const n of nodes) {
          if (n.taints.some((taint) => !tolerates(t2, taint))) continue;
          if (!Object.entries(t2.nodeSelector).every(([k, v]) => nodeLabels(n)[k] === v)) continue;
          place(
            m.namespace,
            `${m.name}-${randString(rng, 5)}`,
            { ...t2, nodeName: n.name },
            `DaemonSet/${m.name}`,
            src,
          );
        }
        break;
      }
      default:
        break;
    }
  }
  const services = allocateServices(cluster, objects, rng, diagnostics);
  const endpointSlices = sliceEndpoints(services, pods, objects, rng, diagnostics);
  return { pods, services, endpointSlices, diagnostics };
}
function sliceLabels(svc) {
  const labels = { ...(svc.labels ?? {}) };
  if (svc.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
  labels["kubernetes.io/service-name"] = svc.name;
  labels["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io";
  return Object.fromEntries(Object.entries(labels).sort(([a2], [b]) => (a2 < b ? -1 : a2 > b ? 1 : 0)));
}
function sliceEndpoints(services, pods, objects, rng, diagnostics) {
  const out = [];
  for (const svc of services) {
    if (svc.namespace === "default" && svc.name === "kubernetes") {
      const ip = pods.find((p) => p.name.startsWith("kube-apiserver-"));
      if (ip)
        out.push({
          namespace: "default",
          name: "kubernetes",
          service: "kubernetes",
          labels: { "kubernetes.io/service-name": "kubernetes" },
          ports: [{ name: "https", port: 6443, protocol: "TCP" }],
          endpoints: [{ ip: ip.ip }],
        });
      continue;
    }
    if (!svc.selector || svc.type === "ExternalName") continue;
    const sel = svc.selector;
    const members = pods.filter(
      (p) =>
        !p.pending &&
        p.namespace === svc.namespace &&
        Object.entries(sel).every(([k, v]) => p.labels[k] === v),
    );
    const src = objects.find(
      (o) =>
        o.obj.kind === "Service" &&
        o.obj.metadata?.name === svc.name &&
        (o.obj.metadata.namespace ?? "default") === svc.namespace,
    );
    if (members.length === 0 && src) {
      diagnostics.push(
        diagAt(src, ["spec", "selector"], {
          code: "NOT_FOUND",
          severity: "warning",
          message: `Service ${svc.namespace}/${svc.name} selects no pods: it will have no endpoints`,
        }),
      );
    }
    const ports = svc.ports.map((p, i) => {
      let port = typeof p.targetPort === "number" ? p.targetPort : Number.NaN;
      if (typeof p.targetPort === "string") {
        const named = members
          .flatMap((m) => m.ports)
          .find((cp) => cp.name === p.targetPort && cp.protocol === p.protocol);
        if (named) port = named.containerPort;
        else if (/^\d+$/.test(p.targetPort)) port = Number(p.targetPort);
        else if (src && members.length > 0) {
          diagnostics.push(
            diagAt(src, ["spec", "ports", i, "targetPort"], {
              code: "NOT_FOUND",
              severity: "warning",
              message: `targetPort "${p.targetPort}" names no containerPort of the selected pods`,
            }),
          );
        }
      }
      return { ...(p.name !== void 0 ? { name: p.name } : {}), port, protocol: p.protocol };
    });
    for (let i = 0; i < Math.max(1, Math.ceil(members.length / 100)); i++) {
      out.push({
        namespace: svc.namespace,
        name: `${svc.name}-${randString(rng, 5)}`,
        service: svc.name,
        labels: sliceLabels(svc),
        ports,
        endpoints: members.slice(i * 100, i * 100 + 100).map((m) => ({
          ip: m.ip,
          node: m.node,
          pod: m.name,
          // Only a pod that names this Service as its subdomain gets a hostname (and so a DNS record).
          ...(m.hostname !== void 0 && m.subdomain === svc.name ? { hostname: m.hostname } : {}),
        })),
      });
    }
  }
  return out;
}

// src/k8s/manifest/definition.ts
var KINDS = {
  Namespace: ["v1"],
  Pod: ["v1"],
  Service: ["v1"],
  ConfigMap: ["v1"],
  Endpoints: ["v1"],
  Deployment: ["apps/v1"],
  ReplicaSet: ["apps/v1"],
  StatefulSet: ["apps/v1"],
  DaemonSet: ["apps/v1"],
  EndpointSlice: ["discovery.k8s.io/v1"],
  Ingress: ["networking.k8s.io/v1"],
  NetworkPolicy: ["networking.k8s.io/v1"],
  Cluster: ["kind.x-k8s.io/v1alpha4"],
  TwinConfig: ["kubetwin.dev/v1alpha1"],
  KubeProxyConfiguration: ["kubeproxy.config.k8s.io/v1alpha1"],
};
var CONFIG_KINDS = /* @__PURE__ */ new Set(["Cluster", "TwinConfig", "KubeProxyConfiguration"]);
var LABEL_NAMED = /* @__PURE__ */ new Set(["Namespace", "Service"]);
var DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
var DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
function nameErrors(kind, name) {
  if (LABEL_NAMED.has(kind)) {
    const errs2 = [];
    if (name.length > 63) errs2.push("must be no more than 63 characters");
    if (!DNS1123_LABEL.test(name)) {
      errs2.push(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      );
    }
    return errs2;
  }
  const errs = [];
  if (name.length > 253) errs.push("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN.test(name)) {
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return errs;
}
function loadDefinition(files) {
  const objects = [];
  const diagnostics = [];
  for (const f of files) {
    const r = parseManifests(f.text, f.file);
    diagnostics.push(...r.diagnostics);
    for (const src of r.objects) {
      const { kind, apiVersion } = src.obj;
      if (typeof apiVersion !== "string") {
        diagnostics.push(
          diagAt(src, ["apiVersion"], {
            code: "MISSING_FIELD",
            severity: "error",
            message: "apiVersion not set",
          }),
        );
        continue;
      }
      if (typeof kind !== "string") {
        diagnostics.push(
          diagAt(src, ["kind"], { code: "MISSING_FIELD", severity: "error", message: "kind not set" }),
        );
        continue;
      }
      const versions = KINDS[kind];
      if (!versions) {
        diagnostics.push(
          diagAt(src, ["kind"], {
            code: "UNKNOWN_KIND",
            severity: "error",
            message: `no matches for kind "${kind}" in version "${apiVersion}"`,
          }),
        );
        continue;
      }
      if (!versions.includes(apiVersion)) {
        diagnostics.push(
          diagAt(src, ["apiVersion"], {
            code: "UNKNOWN_KIND",
            severity: "error",
            message: `no matches for kind "${kind}" in version "${apiVersion}" (kubetwin knows ${versions.join(", ")})`,
          }),
        );
        continue;
      }
      if (!CONFIG_KINDS.has(kind)) {
        const meta2 = src.obj.metadata;
        const name = meta2?.name;
        if (typeof name !== "string" || name === "") {
          diagnostics.push(
            diagAt(src, ["metadata", "name"], {
              code: "MISSING_FIELD",
              severity: "error",
              message: "Required value: name or generateName is required",
            }),
          );
          continue;
        }
        const errs = nameErrors(kind, name);
        if (errs.length > 0) {
          diagnostics.push(
            diagAt(src, ["metadata", "name"], {
              code: "INVALID_FIELD",
              severity: "error",
              message: `${kind} "${name}" is invalid: metadata.name: Invalid value: "${name}": ${errs.join(", ")}`,
            }),
          );
          continue;
        }
        const ns2 = meta2?.namespace;
        if (ns2 !== void 0 && (typeof ns2 !== "string" || nameErrors("Namespace", ns2).length > 0)) {
          diagnostics.push(
            diagAt(src, ["metadata", "namespace"], {
              code: "INVALID_FIELD",
              severity: "error",
              message: `metadata.namespace: Invalid value: "${String(ns2)}"`,
            }),
          );
          continue;
        }
      }
      objects.push(src);
    }
  }
  return { objects, diagnostics };
}

// src/node/manifests.ts
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

function readManifestPaths(paths) {
  const out = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new Error(`the path "${p}" does not exist`);
    }
    if (st.isDirectory()) {
      for (const f of readdirSync(p).sort()) {
        if (/\.(ya?ml|json)$/.test(f)) out.push({ file: join(p, f), text: readFileSync(join(p, f), "utf8") });
      }
    } else out.push({ file: p, text: readFileSync(p, "utf8") });
  }
  return out;
}

// src/node/state.ts
import { existsSync, mkdirSync, readFileSync as readFileSync2, writeFileSync } from "node:fs";
import { join as join2 } from "node:path";
import { parseAllDocuments as parseAllDocuments2, stringify } from "yaml";

var FILE = "applied.yaml";
function readState(dir) {
  const f = join2(dir, FILE);
  if (!existsSync(f)) return null;
  return [{ file: f, text: readFileSync2(f, "utf8") }];
}

// src/cli/commands/load.ts
function loadCluster(opts) {
  let files;
  if (opts.file && opts.file.length > 0) {
    try {
      files = readManifestPaths(opts.file);
    } catch (e) {
      throw new CliError(`error: ${e.message}`);
    }
  } else {
    const state = readState(opts.state ?? ".kubetwin");
    if (state === null)
      throw new CliError(
        "error: no cluster here: run `kubetwin apply -f PATH` first, or give the definition with -f PATH",
      );
    files = state;
  }
  const def = loadDefinition(files);
  const { cluster, diagnostics } = buildCluster(def.objects);
  const work = runControllers(cluster, def.objects);
  const errors = [...def.diagnostics, ...diagnostics, ...work.diagnostics].filter(
    (d) => d.severity === "error",
  );
  if (errors.length > 0) throw new CliError(errors.map(formatDiagnostic).join("\n"));
  return { def, cluster, work };
}

// src/cli/commands/dns.ts
var corednsHandlerFactory = (source) => {
  const { def, cluster, work } = loadCluster(source);
  let dns;
  try {
    dns = clusterDns(
      cluster,
      work,
      clusterNamespaces(cluster, def.objects),
      kindNodeResolvConf(cluster.underlay.gateway),
    );
  } catch (e) {
    if (e instanceof ClusterDnsError) throw new CliError(`kubetwin dns serve: ${e.message}`);
    throw e;
  }
  const server = { ip: dns.localIPs[0] ?? "10.244.0.2", port: 53 };
  return (q) => dns.answer({ ...q, server }, Math.floor(Date.now() / 1e3)).response;
};

// bench/zz-dnsprof.mts
var handler = await corednsHandlerFactory({ file: ["/work/main/examples/dns"] });
var names = [
  "kubernetes.default.svc.cluster.local",
  "web.apps.svc.cluster.local",
  "db-0.db.apps.svc.cluster.local",
  "kube-dns.kube-system.svc.cluster.local",
];
var qs = names.map(
  (name, i) =>
    new Uint8Array(
      encode2({
        id: i,
        type: "query",
        flags: 256,
        questions: [{ name, type: "A", class: "IN" }],
        additionals: [{ type: "OPT", name: ".", udpPayloadSize: 1232 }],
      }),
    ),
);
var ctx = { client: { ip: "127.0.0.1", port: 5e3 }, server: { ip: "127.0.0.1", port: 53 }, transport: "udp" };
for (let i = 0; i < 2e4; i++) serveDns(qs[i % 4], ctx, handler);
var s = new Session();
s.connect();
await s.post("Profiler.enable");
await s.post("Profiler.start");
var N = 1e5;
var t = performance.now();
for (let i = 0; i < N; i++) serveDns(qs[i % 4], ctx, handler);
var dt = performance.now() - t;
console.log("us/op", ((dt * 1e3) / N).toFixed(2));
var { profile } = await s.post("Profiler.stop");
(await import("node:fs")).writeFileSync("/tmp/kt/p.cpuprofile", JSON.stringify(profile));
