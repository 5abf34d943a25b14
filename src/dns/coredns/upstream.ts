/**
 * @module dns/coredns/upstream
 * The Internet as forward sees it: a recursive resolver outside the cluster
 * answering from a small fixed record set. A TwinConfig may replace the set.
 * Unknown names get NXDOMAIN with the SOA of the closest known zone (the
 * root's when none), as a real recursive resolver returns them.
 */
import type { Answer, Packet } from "dns-packet";
import { FLAG, norm, qname, qtype, RCODE, setReply } from "./plugin.js";
import { fq, parseRR } from "./rr.js";

/** Zone-file lines, e.g. "google.com. 300 IN A 142.250.185.78". */
export interface UpstreamRecordSet {
  records: string[];
}

/** A handful of well-known names with plausible fixed addresses. */
export const DEFAULT_UPSTREAM: UpstreamRecordSet = {
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

/** Answers a query sent to `to` (an address from forward's TO list), or null for no reply (timeout). */
export type UpstreamResolver = (query: Packet, to: string) => Packet | null;

/** A resolver over a record set: follows CNAMEs within the set, NXDOMAIN/NODATA with the zone's SOA. */
export function recordSetResolver(set: UpstreamRecordSet = DEFAULT_UPSTREAM): UpstreamResolver {
  const rrs: Answer[] = [];
  for (const line of set.records) {
    const r = parseRR(line);
    if (typeof r !== "string") rrs.push(r);
  }
  const byName = new Map<string, Answer[]>();
  for (const r of rrs) {
    const k = norm(r.name);
    byName.set(k, [...(byName.get(k) ?? []), r]);
  }
  const soaFor = (name: string): Answer | undefined => {
    const labels = norm(name).split(".").filter(Boolean);
    for (let i = 0; i <= labels.length; i++) {
      const z = i === labels.length ? "." : `${labels.slice(i).join(".")}.`;
      const soa = byName.get(z)?.find((r) => r.type === "SOA");
      if (soa) return soa;
    }
    return undefined;
  };
  return (query) => {
    const m = setReply(query);
    m.flags = (m.flags ?? 0) | FLAG.RA;
    const type = qtype(query);
    let name = qname(query);
    const answers: Answer[] = [];
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
        name = fq(String((c as { data: string }).data));
        continue;
      }
      if (here.length === 0 && answers.length === 0) {
        m.flags = (m.flags ?? 0) | RCODE.NXDOMAIN;
      }
      const soa = soaFor(name);
      if (soa) m.authorities = [soa];
      break;
    }
    m.answers = answers;
    return m;
  };
}
