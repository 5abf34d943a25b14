/**
 * @module dns/coredns/rr
 * Resource records as dns-packet `Answer`s: builders for the types CoreDNS
 * answers with, and a reader for one zone-file line (`name TTL IN TYPE data`),
 * what miekg/dns's NewRR reads for the template plugin and tests.
 */
import type { Answer } from "dns-packet";
import { parseIPv4, parseIPv6 } from "../../net/ip.js";

export function a(name: string, ttl: number, ip: string): Answer {
  return { name, type: "A", class: "IN", ttl, data: ip };
}
export function aaaa(name: string, ttl: number, ip: string): Answer {
  return { name, type: "AAAA", class: "IN", ttl, data: ip };
}
/** A or AAAA by the address's family. */
export function addr(name: string, ttl: number, ip: string): Answer {
  return ip.includes(":") ? aaaa(name, ttl, ip) : a(name, ttl, ip);
}
export function cname(name: string, ttl: number, target: string): Answer {
  return { name, type: "CNAME", class: "IN", ttl, data: target };
}
export function ptr(name: string, ttl: number, target: string): Answer {
  return { name, type: "PTR", class: "IN", ttl, data: target };
}
export function ns(name: string, ttl: number, target: string): Answer {
  return { name, type: "NS", class: "IN", ttl, data: target };
}
export function txt(name: string, ttl: number, text: string): Answer {
  return { name, type: "TXT", class: "IN", ttl, data: [text] };
}
export function srv(
  name: string,
  ttl: number,
  priority: number,
  weight: number,
  port: number,
  target: string,
): Answer {
  return { name, type: "SRV", class: "IN", ttl, data: { priority, weight, port, target } };
}

export function isIP(s: string): boolean {
  return parseIPv4(s) !== null || parseIPv6(s) !== null;
}

/** Fully qualified, case kept. */
export function fq(name: string): string {
  return name.endsWith(".") ? name : `${name}.`;
}

/**
 * Read one zone-file record: `name [TTL] [class] TYPE rdata…` (TTL and class in
 * either order). Returns an error message for what it cannot read.
 */
export function parseRR(text: string, defaultTTL = 3600): Answer | string {
  const fields = splitFields(text);
  const name = fields.shift();
  if (!name) return "empty record";
  let ttl = defaultTTL;
  let cls = "IN";
  for (let i = 0; i < 2; i++) {
    const f = fields[0];
    if (f !== undefined && /^\d+$/.test(f)) {
      ttl = Number(fields.shift());
    } else if (f !== undefined && /^(IN|CH|HS|CS|ANY)$/i.test(f)) {
      cls = fields.shift()!.toUpperCase();
    }
  }
  const type = fields.shift()?.toUpperCase();
  if (!type) return `no record type in "${text}"`;
  const owner = fq(name);
  const base = { name: owner, class: cls as "IN", ttl };
  const need = (n: number): string | null => (fields.length < n ? `bad ${type} record "${text}"` : null);
  switch (type) {
    case "A":
      if (fields.length !== 1 || parseIPv4(fields[0]!) === null) return `bad A A: "${fields[0] ?? ""}"`;
      return { ...base, type: "A", data: fields[0]! };
    case "AAAA":
      if (fields.length !== 1 || parseIPv6(fields[0]!) === null) return `bad AAAA AAAA: "${fields[0] ?? ""}"`;
      return { ...base, type: "AAAA", data: fields[0]! };
    case "CNAME":
    case "PTR":
    case "NS":
    case "DNAME":
      return need(1) ?? { ...base, type, data: fq(fields[0]!) };
    case "TXT":
      return need(1) ?? { ...base, type: "TXT", data: fields };
    case "MX":
      return (
        need(2) ?? { ...base, type: "MX", data: { preference: Number(fields[0]), exchange: fq(fields[1]!) } }
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
            target: fq(fields[3]!),
          },
        }
      );
    case "SOA":
      return (
        need(7) ?? {
          ...base,
          type: "SOA",
          data: {
            mname: fq(fields[0]!),
            rname: fq(fields[1]!),
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

/** Whitespace-separated fields; "…" groups (TXT strings) with the quotes removed. */
function splitFields(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!);
  return out;
}

/** The TTL of a record (0 when absent). */
export function ttlOf(rr: Answer): number {
  return "ttl" in rr ? (rr.ttl ?? 0) : 0;
}

export function setTTL(rr: Answer, ttl: number): Answer {
  if (rr.type === "OPT") return rr;
  return { ...rr, ttl };
}
