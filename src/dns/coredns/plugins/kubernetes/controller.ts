/**
 * @module dns/coredns/plugins/kubernetes/controller
 * What CoreDNS's dnsController keeps besides the objects: informer indexes
 * (svcNameNamespaceIndex, svcIPIndex, epNameNamespaceIndex, epIPIndex,
 * podIPIndex), so a query looks up the objects it names instead of
 * walking them all. Built once per cluster view.
 */
import type { DnsClusterView, DnsEndpointSlice, DnsService } from "../../../types.js";

export interface ViewIndex {
  namespaces: Set<string>;
  /** By "namespace/name", lower-cased (names in queries match case-insensitively). */
  services: Map<string, DnsService[]>;
  /** A Service's slices, by "namespace/service" as the API spells them. */
  slices: Map<string, DnsEndpointSlice[]>;
  servicesByIP: Map<string, DnsService[]>;
  /** The Services with an endpoint at this address. */
  servicesByEndpointIP: Map<string, DnsService[]>;
  /** Pods by "namespace/ip", lower-cased namespace. */
  podsByIP: Map<string, number>;
  /** Services in the view's order, for walks that need every one (ns.dns NS answers). */
  all: DnsService[];
}

const indexes = new WeakMap<DnsClusterView, ViewIndex>();

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

export function viewIndex(view: DnsClusterView): ViewIndex {
  const known = indexes.get(view);
  if (known) return known;
  const ix: ViewIndex = {
    namespaces: new Set(view.namespaces),
    services: new Map(),
    slices: new Map(),
    servicesByIP: new Map(),
    servicesByEndpointIP: new Map(),
    podsByIP: new Map(),
    all: view.services,
  };
  for (const s of view.endpointSlices) push(ix.slices, `${s.namespace}/${s.service}`, s);
  for (const svc of view.services) {
    push(ix.services, `${svc.namespace}/${svc.name}`.toLowerCase(), svc);
    for (const ip of svc.clusterIPs) push(ix.servicesByIP, ip, svc);
    const seen = new Set<string>();
    for (const s of ix.slices.get(`${svc.namespace}/${svc.name}`) ?? [])
      for (const e of s.endpoints)
        for (const ip of e.addresses)
          if (!seen.has(ip)) {
            seen.add(ip);
            push(ix.servicesByEndpointIP, ip, svc);
          }
  }
  for (const p of view.pods) {
    const k = `${p.namespace.toLowerCase()}/${p.ip}`;
    ix.podsByIP.set(k, (ix.podsByIP.get(k) ?? 0) + 1);
  }
  indexes.set(view, ix);
  return ix;
}
