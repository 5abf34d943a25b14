/**
 * @module dns/wire/codes
 * Numbers for the mnemonics dns-packet uses (types, classes, EDNS0 options),
 * both ways, including its `UNKNOWN_n` / `OPTION_n` spellings, so a question
 * of any type can be echoed byte for byte.
 */

const TYPES: Record<string, number> = {
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

const CLASSES: Record<string, number> = { IN: 1, CS: 2, CH: 3, HS: 4, NONE: 254, ANY: 255 };

const OPTIONS: Record<string, number> = {
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

function lookup(table: Record<string, number>, prefix: string, what: string, s: string | number): number {
  if (typeof s === "number") return s;
  const n = table[s.toUpperCase()];
  if (n !== undefined) return n;
  if (s.startsWith(prefix)) {
    const v = Number(s.slice(prefix.length));
    if (Number.isInteger(v) && v >= 0 && v <= 0xffff) return v;
  }
  throw new Error(`dns: unknown ${what} ${JSON.stringify(s)}`);
}

export function typeCode(t: string | number): number {
  return lookup(TYPES, "UNKNOWN_", "record type", t);
}

export function classCode(c: string | number | undefined): number {
  return c === undefined ? 1 : lookup(CLASSES, "UNKNOWN_", "class", c);
}

export function optionCode(o: string | number): number {
  return lookup(OPTIONS, "OPTION_", "EDNS0 option", o);
}

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41 };

/** Header bits (RFC 1035 §4.1.1), as dns-packet's `flags` carries them. */
export const FLAG = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  Z: 0x0040,
  AD: 0x0020,
  CD: 0x0010,
};
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 };
export const OPCODE = { QUERY: 0, NOTIFY: 4 };
/** EDNS0 option codes CoreDNS echoes (request/edns.go supportedOptions). */
export const OPTION = { NSID: 3, EXPIRE: 9, COOKIE: 10, TCP_KEEPALIVE: 11, PADDING: 12 };
