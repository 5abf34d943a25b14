/**
 * @module dns/resolver/message
 * DNS messages as the resolver and the BIND tools handle them: queries
 * built with dns-packet, replies decoded with their header fields (rcode,
 * flags) that dns-packet's types leave out.
 */
import * as dnsPacket from "dns-packet";
import { asWireBytes } from "../wire/decode.js";

export type Rcode =
  | "NOERROR"
  | "FORMERR"
  | "SERVFAIL"
  | "NXDOMAIN"
  | "NOTIMP"
  | "REFUSED"
  | "YXDOMAIN"
  | "YXRRSET"
  | "NXRRSET"
  | "NOTAUTH"
  | "NOTZONE"
  | string;

export interface Message {
  id: number;
  opcode: string;
  rcode: Rcode;
  /** The raw 16-bit flags word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
  flags: number;
  qr: boolean;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  questions: dnsPacket.Question[];
  answers: dnsPacket.Answer[];
  authorities: dnsPacket.Answer[];
  additionals: dnsPacket.Answer[];
  /** Wire size of the message. */
  size: number;
}

export interface QueryOptions {
  id: number;
  name: string;
  type: dnsPacket.RecordType;
  recursionDesired?: boolean;
  /** EDNS0 UDP payload size, or null for no OPT record. */
  edns?: number | null;
  /** EDNS COOKIE option payload (BIND tools send an 8-byte client cookie). */
  cookie?: Uint8Array;
  adFlag?: boolean;
}

/** Encodes a query's wire bytes. */
export function encodeQuery(q: QueryOptions): Uint8Array {
  let flags = q.recursionDesired === false ? 0 : dnsPacket.RECURSION_DESIRED;
  if (q.adFlag) flags |= dnsPacket.AUTHENTIC_DATA;
  const additionals: dnsPacket.Answer[] = [];
  if (q.edns !== undefined && q.edns !== null) {
    const options = q.cookie ? [{ code: 10, data: asWireBytes(q.cookie) }] : [];
    additionals.push({
      type: "OPT",
      name: ".",
      udpPayloadSize: q.edns,
      extendedRcode: 0,
      ednsVersion: 0,
      flags: 0,
      flag_do: false,
      options,
    } as unknown as dnsPacket.Answer);
  }
  const bytes = dnsPacket.encode({
    type: "query",
    id: q.id,
    flags,
    questions: [{ type: q.type, class: "IN", name: q.name.replace(/\.$/, "") }],
    additionals,
  });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes a reply; null when it is not a DNS message. */
export function decodeMessage(bytes: Uint8Array): Message | null {
  try {
    const p = dnsPacket.decode(asWireBytes(bytes));
    const flags = ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
    return {
      id: p.id ?? 0,
      opcode: (p as { opcode?: string }).opcode ?? "QUERY",
      rcode: (p as { rcode?: string }).rcode ?? "NOERROR",
      flags,
      qr: p.flag_qr,
      aa: p.flag_aa,
      tc: p.flag_tc,
      rd: p.flag_rd,
      ra: p.flag_ra,
      ad: p.flag_ad,
      cd: p.flag_cd,
      questions: p.questions ?? [],
      answers: p.answers ?? [],
      authorities: p.authorities ?? [],
      additionals: p.additionals ?? [],
      size: bytes.byteLength,
    };
  } catch {
    return null;
  }
}

/** DNS names compare case-insensitively, with or without the root dot. */
export function sameName(a: string, b: string): boolean {
  return a.replace(/\.$/, "").toLowerCase() === b.replace(/\.$/, "").toLowerCase();
}

/** The in-addr.arpa / ip6.arpa name of an address (dig -x, nslookup ADDR). */
export function reverseName(addr: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (v4) return `${v4[4]}.${v4[3]}.${v4[2]}.${v4[1]}.in-addr.arpa.`;
  if (!addr.includes(":")) return null;
  const halves = addr.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(fill).fill("0"), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const nibbles = groups.map((g) => g.padStart(4, "0").toLowerCase()).join("");
  return `${nibbles.split("").reverse().join(".")}.ip6.arpa.`;
}
