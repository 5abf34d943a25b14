/**
 * @module dns/coredns/testing/helpers
 * Test helpers in the shape of CoreDNS's plugin/test: build a query, serve it,
 * and print a reply's records as zone-file lines so expectations read like
 * upstream's test.A("name 5 IN A 10.0.0.1").
 */
import type { Answer, Packet } from "dns-packet";
import type { DnsClusterView, DnsQuery } from "../../types.js";
import { RCODE_NAMES, rcodeOf } from "../plugin.js";
import { type CorednsOptions, loadCorefile, type ServeEnv, type ServeResult, serveDns } from "../server.js";

export function query(
  name: string,
  type: string,
  opts: { id?: number; port?: number; rd?: boolean } = {},
): DnsQuery {
  return {
    message: {
      id: opts.id ?? 4242,
      type: "query",
      flags: opts.rd === false ? 0 : 0x100,
      questions: [{ name, type: type as "A", class: "IN" }],
    },
    client: { ip: "10.244.1.5", port: 40000 },
    server: { ip: "10.244.0.3", port: opts.port ?? 53 },
    transport: "udp",
  };
}

/** One record as a zone-file line: "name TTL IN TYPE data", names fully qualified. */
export function rrText(r: Answer): string {
  const fq = (n: string) => (n.endsWith(".") ? n : `${n}.`);
  if (r.type === "OPT") return `OPT ${r.udpPayloadSize}`;
  const head = `${fq(r.name)}\t${r.ttl ?? 0}\tIN\t${r.type}\t`;
  switch (r.type) {
    case "A":
    case "AAAA":
      return head + r.data;
    case "CNAME":
    case "PTR":
    case "NS":
    case "DNAME":
      return head + fq(r.data);
    case "SRV":
      return `${head}${r.data.priority ?? 0} ${r.data.weight ?? 0} ${r.data.port} ${fq(r.data.target)}`;
    case "SOA":
      return `${head}${fq(r.data.mname)} ${fq(r.data.rname)} ${r.data.serial} ${r.data.refresh} ${r.data.retry} ${r.data.expire} ${r.data.minimum}`;
    case "TXT": {
      const d = Array.isArray(r.data) ? r.data : [r.data];
      return head + d.map((x) => `"${String(x)}"`).join(" ");
    }
    case "MX":
      return `${head}${r.data.preference ?? 0} ${fq(r.data.exchange)}`;
    default:
      return `${head}?`;
  }
}

export interface Shown {
  rcode: string;
  flags: string[];
  answer: string[];
  ns: string[];
  extra: string[];
  plugin: string;
}

/** A reply reduced to what the tests compare. */
export function show(r: ServeResult): Shown | null {
  const m: Packet | null = r.response;
  if (!m) return null;
  const f = m.flags ?? 0;
  const flags: string[] = [];
  if (f & 0x8000) flags.push("qr");
  if (f & 0x400) flags.push("aa");
  if (f & 0x200) flags.push("tc");
  if (f & 0x100) flags.push("rd");
  if (f & 0x80) flags.push("ra");
  return {
    rcode: RCODE_NAMES[rcodeOf(m)] ?? String(rcodeOf(m)),
    flags,
    answer: (m.answers ?? []).map(rrText),
    ns: (m.authorities ?? []).map(rrText),
    extra: (m.additionals ?? []).filter((x) => x.type !== "OPT").map(rrText),
    plugin: r.plugin,
  };
}

/** Load a Corefile or fail the test with its error. */
export function mustLoad(text: string, opts: CorednsOptions = {}) {
  const r = loadCorefile(text, opts);
  if (!r.ok) throw new Error(r.error.message);
  return r.server;
}

export function ask(
  server: ReturnType<typeof mustLoad>,
  view: DnsClusterView,
  name: string,
  type: string,
  env: ServeEnv = {},
): Shown | null {
  return show(serveDns(server, query(name, type), view, env));
}
