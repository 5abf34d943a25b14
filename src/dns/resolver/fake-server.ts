/**
 * @module dns/resolver/fake-server
 * A tiny authoritative server for tests: names with records, names that
 * answer with a chosen rcode, servers that never answer. It speaks wire
 * bytes through the DnsTransport contract, as the real server will.
 */
import * as dnsPacket from "dns-packet";
import type { DnsTransport } from "../types.js";
import { decodeMessage } from "./message.js";

export interface FakeRecord {
  type: "A" | "AAAA" | "CNAME" | "PTR" | "TXT" | "MX" | "SRV" | "SOA" | "NS";
  data: unknown;
  ttl?: number;
}

export interface FakeZone {
  /** Lower-case names without the root dot. */
  records: Record<string, FakeRecord[]>;
  /** Names answered with this rcode regardless of type. */
  rcodes?: Record<string, number>;
  /** Servers (ip) that never answer. */
  silent?: string[];
  /** Names whose UDP replies come back truncated (empty, TC set). */
  truncate?: string[];
  /** SOA added to the authority section of NXDOMAIN/NODATA replies (CoreDNS does this). */
  soa?: { zone: string; data: dnsPacket.SoaData; ttl: number };
  /** Whether replies carry RA. */
  recursionAvailable?: boolean;
  /** "always" (default) sets AA on every reply; "answers" only on replies with answers (as dnsmasq does for --local names); "never" as a forwarder. */
  authoritative?: "always" | "answers" | "never";
  /** With EDNS, answer a client COOKIE with it plus this server cookie (RFC 7873). */
  serverCookie?: Uint8Array;
}

export interface FakeServer {
  transport: DnsTransport;
  /** Every query received: "server proto TYPE name". */
  log: string[];
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export { RCODE };

export function fakeServer(zone: FakeZone): FakeServer {
  const log: string[] = [];
  const transport: DnsTransport = async (server, query, proto) => {
    const q = decodeMessage(query);
    if (!q || q.questions.length === 0) return null;
    const question = q.questions[0]!;
    const name = question.name.toLowerCase().replace(/\.$/, "");
    log.push(`${server.ip} ${proto} ${question.type} ${name}`);
    if (zone.silent?.includes(server.ip)) return null;
    let flags = q.rd ? dnsPacket.RECURSION_DESIRED : 0;
    if (zone.recursionAvailable !== false) flags |= dnsPacket.RECURSION_AVAILABLE;
    const answers: dnsPacket.Answer[] = [];
    let rcode: number = zone.rcodes?.[name] ?? RCODE.NOERROR;
    if (rcode === RCODE.NOERROR) {
      let cur = name;
      for (let hops = 0; hops < 8; hops++) {
        const rrs = zone.records[cur];
        if (!rrs) {
          if (hops === 0) rcode = RCODE.NXDOMAIN;
          break;
        }
        const cname = rrs.find((r) => r.type === "CNAME");
        if (cname && question.type !== "CNAME") {
          answers.push({
            name: cur,
            type: "CNAME",
            ttl: cname.ttl ?? 30,
            class: "IN",
            data: String(cname.data),
          } as dnsPacket.Answer);
          cur = String(cname.data).toLowerCase().replace(/\.$/, "");
          continue;
        }
        for (const r of rrs.filter((x) => x.type === question.type))
          answers.push({
            name: cur,
            type: r.type,
            ttl: r.ttl ?? 30,
            class: "IN",
            data: r.data,
          } as dnsPacket.Answer);
        break;
      }
    }
    if (proto === "udp" && zone.truncate?.includes(name)) {
      flags |= dnsPacket.TRUNCATED_RESPONSE;
      answers.length = 0;
    }
    const aa = zone.authoritative ?? "always";
    if (aa === "always" || (aa === "answers" && answers.length > 0)) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
    const authorities: dnsPacket.Answer[] = [];
    if (zone.soa && answers.length === 0 && (rcode === RCODE.NXDOMAIN || rcode === RCODE.NOERROR))
      authorities.push({
        name: zone.soa.zone,
        type: "SOA",
        ttl: zone.soa.ttl,
        class: "IN",
        data: zone.soa.data,
      });
    const optIn = q.additionals.find((a) => a.type === "OPT") as
      | { options?: Array<{ code: number; data?: Uint8Array }> }
      | undefined;
    const clientCookie = optIn?.options?.find((o) => o.code === 10)?.data;
    const options =
      clientCookie && zone.serverCookie
        ? [
            {
              code: 10,
              data: Buffer.concat([Buffer.from(clientCookie.slice(0, 8)), Buffer.from(zone.serverCookie)]),
            },
          ]
        : [];
    const additionals = optIn
      ? [
          {
            type: "OPT",
            name: ".",
            udpPayloadSize: 1232,
            extendedRcode: 0,
            ednsVersion: 0,
            flags: 0,
            flag_do: false,
            options,
          } as unknown as dnsPacket.Answer,
        ]
      : [];
    const bytes = dnsPacket.encode({
      type: "response",
      id: q.id,
      flags: flags | rcode,
      questions: [question],
      answers,
      authorities,
      additionals,
    });
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
  return { transport, log };
}
