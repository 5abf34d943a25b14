/**
 * @module shell/commands/bind/dighost
 * The lookup engine that BIND's dig, host and nslookup share (dighost.c):
 * the servers to ask (the command line's or resolv.conf's), tries per server,
 * UDP with a TCP retry on truncation, and the search list as dighost applies
 * it: only to names with fewer than ndots dots, and only NXDOMAIN moves on.
 */
import type { RecordType } from "dns-packet";
import { decodeMessage, encodeQuery, type Message } from "../../../dns/resolver/index.js";
import type { DnsTransport } from "../../../dns/types.js";

export interface DigLookup {
  name: string;
  type: RecordType;
  servers: string[];
  port: number;
  tcp: boolean;
  recurse: boolean;
  /** Tries per server. */
  tries: number;
  /** Seconds to wait for each try. */
  timeout: number;
  /** The search list when searching (+search, host, nslookup), else null. */
  search: string[] | null;
  ndots: number;
  /** EDNS UDP size, or null for no OPT record. */
  edns: number | null;
  cookie: Uint8Array | null;
  adFlag: boolean;
  /** Query IDs are deterministic: the command passes a seed. */
  idSeed: number;
  /** dig and host print a SERVFAIL (+fail); nslookup tries the next server first. */
  servfailStops?: boolean;
}

export interface DigResult {
  /** ";; communications error …" and similar lines, in order. */
  errors: string[];
  /** The reply printed, or null when no server answered. */
  reply: Message | null;
  /** The name asked in the printed exchange (absolute, with the root dot). */
  qname: string;
  server: string | null;
  transport: "udp" | "tcp";
  /** Simulated time spent waiting. */
  elapsedMs: number;
}

/**
 * The names to ask, in order (dighost.c setup_lookup / next_origin): a name
 * with fewer than ndots dots goes through the search list and then as is; a
 * name with ndots or more dots is asked as is only (checked against 9.18).
 */
export function candidateNames(name: string, search: string[] | null, ndots: number): string[] {
  const abs = name.endsWith(".") ? name : `${name}.`;
  if (search === null || name.endsWith(".")) return [abs];
  const dots = (name.match(/\./g) ?? []).length;
  if (dots >= ndots) return [abs];
  const searched = search.filter((d) => d !== "" && d !== ".").map((d) => `${name}.${d.replace(/\.$/, "")}.`);
  return [...searched, abs];
}

export async function digLookup(l: DigLookup, transport: DnsTransport): Promise<DigResult> {
  const errors: string[] = [];
  let elapsedMs = 0;
  let id = l.idSeed & 0xffff;
  const names = candidateNames(l.name, l.search, l.ndots);
  let last: DigResult | null = null;
  for (const qname of names) {
    let answered: DigResult | null = null;
    for (const server of l.servers) {
      let proto: "udp" | "tcp" = l.tcp ? "tcp" : "udp";
      for (let t = 0; t < l.tries && !answered; t++) {
        id = (id * 25173 + 13849) & 0xffff;
        const query = encodeQuery({
          id,
          name: qname,
          type: l.type,
          recursionDesired: l.recurse,
          edns: l.edns,
          cookie: l.cookie ?? undefined,
          adFlag: l.adFlag,
        });
        const raw = await transport({ ip: server, port: l.port }, query, proto);
        const reply = raw ? decodeMessage(raw) : null;
        if (!reply) {
          errors.push(`;; communications error to ${server}#${l.port}: timed out`);
          elapsedMs += l.timeout * 1000;
          continue;
        }
        if (reply.tc && proto === "udp") {
          errors.push(";; Truncated, retrying in TCP mode.");
          proto = "tcp";
          t--;
          continue;
        }
        answered = { errors, reply, qname, server, transport: proto, elapsedMs };
      }
      if (answered && l.servfailStops === false && answered.reply!.rcode === "SERVFAIL") {
        const more = l.servers.indexOf(server) < l.servers.length - 1;
        errors.push(`;; Got SERVFAIL reply from ${server}${more ? ", trying next server" : ""}`);
        if (more) {
          answered = null;
          continue;
        }
      }
      if (answered) break;
    }
    if (!answered)
      return { errors, reply: null, qname, server: null, transport: l.tcp ? "tcp" : "udp", elapsedMs };
    answered.elapsedMs = elapsedMs;
    last = answered;
    if (answered.reply!.rcode !== "NXDOMAIN") return answered;
  }
  return last!;
}

/** Servers from resolv.conf text (up to 3), as dighost's get_server_list reads it. */
export function resolvConfServers(text: string | null): {
  servers: string[];
  search: string[];
  ndots: number;
} {
  const servers: string[] = [];
  let search: string[] = [];
  let ndots = 1;
  for (const line of (text ?? "").split("\n")) {
    const w = line.trim().split(/\s+/);
    if (w[0] === "nameserver" && w[1] && servers.length < 3) servers.push(w[1]);
    else if (w[0] === "search" || w[0] === "domain") search = w.slice(1).filter((d) => d !== "");
    else if (w[0] === "options")
      for (const o of w.slice(1)) {
        const m = /^ndots:(\d+)$/.exec(o);
        if (m) ndots = Math.min(15, Number(m[1]));
      }
  }
  if (servers.length === 0) servers.push("127.0.0.1");
  return { servers, search, ndots };
}
