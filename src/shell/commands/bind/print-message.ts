/**
 * @module shell/commands/bind/print-message
 * dig's printmessage: the header comment, flags, EDNS pseudo-section and
 * the question/answer/authority/additional sections (dig.c, BIND 9.18).
 */
import type { Answer } from "dns-packet";
import type { Message } from "../../../dns/resolver/index.js";
import { formatQuestion, formatRR } from "./masterdump.js";

export interface Sections {
  comments: boolean;
  question: boolean;
  answer: boolean;
  authority: boolean;
  additional: boolean;
}

interface OptRecord {
  udpPayloadSize?: number;
  ednsVersion?: number;
  flag_do?: boolean;
  options?: Array<{ code: number; data?: Uint8Array }>;
}

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

function flagsText(m: Message): string {
  const f: string[] = [];
  if (m.qr) f.push("qr");
  if (m.aa) f.push("aa");
  if (m.tc) f.push("tc");
  if (m.rd) f.push("rd");
  if (m.ra) f.push("ra");
  if (m.ad) f.push("ad");
  if (m.cd) f.push("cd");
  return f.map((x) => ` ${x}`).join("");
}

function cookieStatus(sent: Uint8Array | null, got: Uint8Array): string {
  if (!sent || got.length < 8 || !sent.every((b, i) => got[i] === b)) return " (bad)";
  return got.length === 8 ? " (echoed)" : " (good)";
}

/** The printed reply, from ";; ->>HEADER<<-" (or ";; WARNING" lines) to the last section's blank line. */
export function printMessage(m: Message, qname: string, s: Sections, sentCookie: Uint8Array | null): string {
  let out = "";
  const opt = m.additionals.find((a) => a.type === "OPT") as (Answer & OptRecord) | undefined;
  const additionals = m.additionals.filter((a) => a.type !== "OPT");
  if (s.comments) {
    // dig warns about names under .local (RFC 6762), which every cluster.local name is.
    if (/(^|\.)local\.$/i.test(qname))
      out +=
        ";; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n";
    out += `;; ->>HEADER<<- opcode: ${m.opcode}, status: ${m.rcode}, id: ${m.id}\n`;
    out += `;; flags:${flagsText(m)}; QUERY: ${m.questions.length}, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authorities.length}, ADDITIONAL: ${m.additionals.length}\n`;
    if (m.rd && !m.ra) out += ";; WARNING: recursion requested but not available\n";
    out += "\n";
    if (opt) {
      out += ";; OPT PSEUDOSECTION:\n";
      out += `; EDNS: version: ${opt.ednsVersion ?? 0}, flags:${opt.flag_do ? " do" : ""}; udp: ${opt.udpPayloadSize ?? 512}\n`;
      for (const o of opt.options ?? [])
        if (o.code === 10 && o.data) out += `; COOKIE: ${hex(o.data)}${cookieStatus(sentCookie, o.data)}\n`;
    }
  }
  const section = (title: string, rrs: string[]) => {
    if (rrs.length === 0) return;
    if (s.comments) out += `;; ${title} SECTION:\n`;
    out += rrs.map((l) => `${l}\n`).join("");
    if (s.comments) out += "\n";
  };
  if (s.question) section("QUESTION", m.questions.map(formatQuestion));
  if (s.answer) section("ANSWER", m.answers.map(formatRR));
  if (s.authority) section("AUTHORITY", m.authorities.map(formatRR));
  if (s.additional) section("ADDITIONAL", additionals.map(formatRR));
  return out;
}
