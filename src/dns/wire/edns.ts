/**
 * @module dns/wire/edns
 * EDNS0 as CoreDNS's request package handles it: the buffer size a reply may
 * use (request.Size + edns.Size), the OPT it carries back (request.SizeAndDo),
 * and the BADVERS reply to a version other than 0 (edns.Version).
 */
import type { Answer, Packet } from "dns-packet";
import { OPTION } from "./codes.js";

export type OptRecord = Extract<Answer, { type: "OPT" }>;

/** RFC 6891's floor and TCP's ceiling (miekg MinMsgSize, MaxMsgSize). */
export const MIN_MSG_SIZE = 512;
export const MAX_MSG_SIZE = 65535;

/** The message's OPT record, if any (miekg IsEdns0 looks at the additional section). */
export function optOf(m: Packet): OptRecord | undefined {
  const ar = m.additionals;
  if (!ar) return undefined;
  for (let i = ar.length - 1; i >= 0; i--) {
    const rr = ar[i]!;
    if (rr.type === "OPT") return rr;
  }
  return undefined;
}

/** The reply budget: 65535 over TCP; else the advertised size, at least 512 (edns.Size). */
export function replySize(query: Packet, transport: "udp" | "tcp"): number {
  if (transport === "tcp") return MAX_MSG_SIZE;
  const o = optOf(query);
  const size = o ? (o.udpPayloadSize ?? 0) : 0;
  return Math.max(size, MIN_MSG_SIZE);
}

const ECHOED = new Set<number>(Object.values(OPTION));

function optionCodeOf(o: OptRecord["options"][number]): number {
  const code: number | string = (o as { code: number | string }).code;
  return typeof code === "number" ? code : -1;
}

/**
 * request.SizeAndDo: when the query had an OPT, the reply carries one with
 * version 0, the client's own UDP size, the extended-rcode and version octets
 * cleared (`Ttl &= 0xff00` keeps DO and the upper Z bits) and, when the query's
 * OPT is reused, only the options CoreDNS supports (NSID, EXPIRE, COOKIE,
 * TCP-KEEPALIVE, PADDING), echoed as received. Returns a new message.
 */
export function sizeAndDo(query: Packet, reply: Packet): Packet {
  const o = optOf(query);
  if (!o) return reply;
  const own = optOf(reply);
  const ar = reply.additionals ?? [];
  if (own) {
    const flags = ((own.flags ?? 0) | (own.flag_do ? 0x8000 : 0)) & 0xff00;
    const withDo = o.flag_do || ((o.flags ?? 0) & 0x8000) !== 0 ? flags | 0x8000 : flags;
    const mine: OptRecord = {
      ...own,
      name: ".",
      udpPayloadSize: o.udpPayloadSize,
      ednsVersion: 0,
      extendedRcode: 0,
      flags: withDo,
      flag_do: (withDo & 0x8000) !== 0,
    };
    return { ...reply, additionals: ar.map((rr) => (rr === own ? mine : rr)) };
  }
  const flags = ((o.flags ?? 0) | (o.flag_do ? 0x8000 : 0)) & 0xff00;
  const echoed: OptRecord = {
    type: "OPT",
    name: ".",
    udpPayloadSize: o.udpPayloadSize,
    extendedRcode: 0,
    ednsVersion: 0,
    flags,
    flag_do: (flags & 0x8000) !== 0,
    options: (o.options ?? []).filter((x) => ECHOED.has(optionCodeOf(x))),
  };
  return { ...reply, additionals: [...ar, echoed] };
}

/**
 * edns.Version: a query whose OPT has a version other than 0 gets BADVERS at
 * once: SetReply, rcode 16 (header 0, OPT extended rcode 1), an OPT of
 * version 0 with UDP size 0 and no options. Null for version 0 or no OPT.
 */
export function badVersReply(query: Packet): Packet | null {
  const o = optOf(query);
  if (!o || (o.ednsVersion ?? 0) === 0) return null;
  const reply = setReply(query, 0);
  const opt: OptRecord = {
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

/**
 * miekg SetReply + SetRcode: id, QR, opcode; RD and CD copied for QUERY;
 * the first question; the given rcode (its low 4 bits go in the header).
 */
export function setReply(query: Packet, rcode: number): Packet {
  const qf = query.flags ?? 0;
  const opcode = qf & 0x7800;
  const copy = opcode === 0 ? qf & (0x0100 | 0x0010) : 0;
  const q = query.questions?.[0];
  return {
    id: query.id ?? 0,
    type: "response",
    flags: opcode | copy | (rcode & 0xf),
    questions: q ? [q] : [],
    answers: [],
    authorities: [],
    additionals: [],
  };
}
