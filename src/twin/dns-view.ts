/**
 * @module twin/dns-view
 * The cluster as CoreDNS's kubernetes plugin watches it, from the
 * controllers' state: Services (with their ClusterIPs, or none when
 * headless), EndpointSlices (the endpoints' hostnames and pods), Pods and
 * Namespaces.
 */
import type { DnsClusterView } from "../dns/types.js";
import type { Workloads } from "../k8s/controllers/workloads.js";

export function dnsClusterView(work: Workloads, namespaces: readonly string[]): DnsClusterView {
  return {
    namespaces: [...new Set([...namespaces, ...work.services.map((s) => s.namespace)])].sort(),
    services: work.services.map((s) => ({
      namespace: s.namespace,
      name: s.name,
      type: s.type,
      clusterIPs: s.clusterIP && s.clusterIP !== "None" ? [s.clusterIP] : [],
      ...(s.externalName ? { externalName: s.externalName } : {}),
      ports: s.ports.map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: p.port,
        protocol: p.protocol ?? "TCP",
      })),
    })),
    endpointSlices: work.endpointSlices.map((e) => ({
      namespace: e.namespace,
      name: e.name,
      service: e.service,
      addressType: "IPv4" as const,
      ports: e.ports.map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: p.port,
        protocol: p.protocol,
      })),
      endpoints: e.endpoints.map((x) => ({
        addresses: [x.ip],
        ready: true,
        ...(x.hostname ? { hostname: x.hostname } : {}),
        ...(x.node ? { nodeName: x.node } : {}),
        ...(x.pod ? { targetRef: { kind: "Pod", namespace: e.namespace, name: x.pod } } : {}),
      })),
    })),
    pods: work.pods
      .filter((p) => !p.pending)
      .map((p) => ({ namespace: p.namespace, name: p.name, ip: p.ip, hostNetwork: p.hostNetwork })),
  };
}
