/**
 * @module twin/coredns
 * The cluster's CoreDNS: the Corefile of the kube-system `coredns`
 * ConfigMap (kind's when the definition has none) loaded into the CoreDNS
 * model, answering from the cluster's Services, EndpointSlices and Pods,
 * with the TwinConfig's record set as the Internet behind `forward`.
 * One instance serves every CoreDNS pod, as their caches would converge.
 */

import {
  type CorednsServer,
  loadCorefile,
  recordSetResolver,
  type ServeResult,
  serveDns,
  type UpstreamResolver,
} from "../dns/coredns/index.js";
import { parseRR } from "../dns/coredns/rr.js";
import { KIND_COREFILE } from "../dns/corefile/index.js";
import type { DnsClusterView, DnsQuery } from "../dns/types.js";
import type { ClusterSpec } from "../k8s/cluster/cluster.js";
import type { Workloads } from "../k8s/controllers/workloads.js";
import { dnsClusterView } from "./dns-view.js";

export class ClusterDnsError extends Error {}

/** 2025-01-01T00:00:00Z, the creationTimestamp the twin gives its objects. */
export const CLUSTER_CREATED = 1735689600;

export interface ClusterDns {
  server: CorednsServer;
  view: DnsClusterView;
  /** The CoreDNS pods' addresses (what an NS query for the zone answers). */
  localIPs: string[];
  answer(q: DnsQuery, nowSeconds?: number): ServeResult;
}

export function isCoreDnsPod(labels: Record<string, string>): boolean {
  return labels["k8s-app"] === "kube-dns";
}

/**
 * The Internet's resolver (what docker's embedded DNS forwards to): the
 * TwinConfig's `dns.upstream` records, a default set without one, nothing
 * at all when it is "unreachable". A record it cannot read is an error
 * naming the TwinConfig.
 */
export function internetResolver(cluster: ClusterSpec): UpstreamResolver {
  const upstream = cluster.dns.upstream;
  if (upstream === "unreachable") return () => null;
  if (!upstream) return recordSetResolver();
  upstream.records.forEach((line, i) => {
    const r = parseRR(line);
    if (typeof r === "string")
      throw new ClusterDnsError(
        `${upstream.file}:${upstream.line}: TwinConfig dns.upstream[${i}]: ${r} in "${line}"`,
      );
  });
  return recordSetResolver({ records: upstream.records });
}

/**
 * Loads the cluster's Corefile; a mistake in it is an error naming the
 * definition's file and line (the Corefile's own line inside it too).
 * `resolvConf` is the CoreDNS pods' /etc/resolv.conf (dnsPolicy Default:
 * the node's), which `forward . /etc/resolv.conf` reads.
 */
export function clusterDns(
  cluster: ClusterSpec,
  work: Workloads,
  namespaces: readonly string[],
  resolvConf: string,
): ClusterDns {
  const src = cluster.dns.corefile;
  const loaded = loadCorefile(src?.text ?? KIND_COREFILE, {
    filename: "Corefile",
    seed: cluster.seed,
    files: { "/etc/resolv.conf": resolvConf },
    upstream: internetResolver(cluster),
  });
  if (!loaded.ok) {
    const e = loaded.error;
    const where = src
      ? `${src.file}:${src.line + e.line - 1}: ConfigMap kube-system/coredns data.Corefile: `
      : "";
    throw new ClusterDnsError(`${where}${e.message}`);
  }
  const server = loaded.server;
  // The SOA serial is the time of the last change CoreDNS saw: the cluster's creation, in the twin.
  const view = { ...dnsClusterView(work, namespaces), modified: CLUSTER_CREATED };
  const localIPs = work.pods.filter((p) => !p.pending && isCoreDnsPod(p.labels)).map((p) => p.ip);
  return {
    server,
    view,
    localIPs,
    answer: (q, nowSeconds = 0) => serveDns(server, q, view, { now: nowSeconds, localIPs }),
  };
}
