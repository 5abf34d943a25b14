/**
 * @module test/support/static-dns
 * A small authoritative handler over a fixed record table, answering as
 * CoreDNS's kubernetes plugin does for the names it knows: AA set, owner names
 * as the question spelled them, TTL 5, NXDOMAIN or NODATA with the zone's SOA
 * in the authority section. For tests and the benchmark, until the CoreDNS
 * model is wired in.
 */
import type { Answer, Packet } from "dns-packet";
import { FLAG, RCODE } from "../../src/dns/wire/codes.js";
import { setReply } from "../../src/dns/wire/edns.js";
import type { DnsHandler } from "../../src/dns/wire/serve.js";

/** A record without its owner name (distributes over the union of record shapes). */
export type Unnamed<T = Answer> = T extends unknown ? Omit<T, "name"> : never;

export interface StaticRecords {
  zone: string;
  /** Lower-case FQDN without the trailing dot → its records (owner names are filled in). */
  names: Record<string, Unnamed[]>;
}

const strip = (n: string): string => n.replace(/\.$/, "");

export function soaOf(zone: string): Answer {
  return {
    name: zone,
    type: "SOA",
    ttl: 5,
    class: "IN",
    data: {
      mname: `ns.dns.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: 1700000000,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: 5,
    },
  };
}

export function staticHandler(rec: StaticRecords): DnsHandler {
  const zone = strip(rec.zone).toLowerCase();
  return (q) => {
    const question = q.message.questions![0]!;
    const asked = strip(question.name);
    const key = asked.toLowerCase();
    const reply: Packet = setReply(q.message, RCODE.NOERROR);
    reply.flags = (reply.flags ?? 0) | FLAG.AA;
    const all = rec.names[key];
    if (!all) {
      if (key !== zone && !key.endsWith(`.${zone}`)) return setReply(q.message, RCODE.REFUSED);
      reply.flags = (reply.flags ?? 0) | RCODE.NXDOMAIN;
      reply.authorities = [soaOf(zone)];
      return reply;
    }
    const matching = all.filter((r) => r.type === question.type || r.type === "CNAME");
    reply.answers = matching.map((r) => ({ ...r, name: asked }) as Answer);
    if (reply.answers.length === 0) reply.authorities = [soaOf(zone)];
    return reply;
  };
}

/** The records the tests and the benchmark serve. */
export const CLUSTER_RECORDS: StaticRecords = {
  zone: "cluster.local",
  names: {
    "kubernetes.default.svc.cluster.local": [{ type: "A", ttl: 5, class: "IN", data: "10.96.0.1" }],
    "kube-dns.kube-system.svc.cluster.local": [{ type: "A", ttl: 5, class: "IN", data: "10.96.0.10" }],
    "web.default.svc.cluster.local": [
      { type: "A", ttl: 5, class: "IN", data: "10.96.12.34" },
      { type: "AAAA", ttl: 5, class: "IN", data: "fd00:10:96::1234" },
    ],
    "_http._tcp.web.default.svc.cluster.local": [
      {
        type: "SRV",
        ttl: 5,
        class: "IN",
        data: { priority: 0, weight: 100, port: 80, target: "web.default.svc.cluster.local" },
      },
    ],
    // A headless service with many endpoints: its A answer outgrows 512 octets.
    "big.default.svc.cluster.local": Array.from({ length: 40 }, (_, i) => ({
      type: "A" as const,
      ttl: 5,
      class: "IN" as const,
      data: `10.244.${Math.floor(i / 200)}.${(i % 200) + 2}`,
    })),
    "txt.default.svc.cluster.local": [{ type: "TXT", ttl: 5, class: "IN", data: ["hello", "world"] }],
  },
};
