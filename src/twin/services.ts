/**
 * @module twin/services
 * What kube-proxy watches, from the controllers' state: Services (with their
 * traffic policies, affinity, external and load-balancer addresses) and
 * EndpointSlices as the API server serves them.
 */
import type { EndpointSliceInfo, ServiceInfo } from "../k8s/controllers/workloads.js";
import type { EndpointSlice, Protocol, Service } from "../proxy/types.js";

function protocol(p: string): Protocol {
  return p === "UDP" || p === "SCTP" ? p : "TCP";
}

export function proxyService(s: ServiceInfo): Service {
  return {
    metadata: { namespace: s.namespace, name: s.name },
    spec: {
      type: s.type,
      ...(s.clusterIP ? { clusterIP: s.clusterIP, clusterIPs: [s.clusterIP] } : {}),
      ...(s.externalName ? { externalName: s.externalName } : {}),
      ports: s.ports.map((p) => ({
        ...(p.name !== undefined ? { name: p.name } : {}),
        port: p.port,
        targetPort: p.targetPort,
        protocol: protocol(p.protocol),
        ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
      })),
      ...(s.externalIPs ? { externalIPs: s.externalIPs } : {}),
      ...(s.loadBalancerSourceRanges ? { loadBalancerSourceRanges: s.loadBalancerSourceRanges } : {}),
      ...(s.externalTrafficPolicy ? { externalTrafficPolicy: s.externalTrafficPolicy } : {}),
      ...(s.internalTrafficPolicy ? { internalTrafficPolicy: s.internalTrafficPolicy } : {}),
      ...(s.sessionAffinity ? { sessionAffinity: s.sessionAffinity } : {}),
      ...(s.sessionAffinityConfig ? { sessionAffinityConfig: s.sessionAffinityConfig } : {}),
      ...(s.healthCheckNodePort !== undefined ? { healthCheckNodePort: s.healthCheckNodePort } : {}),
    },
    // The load-balancer controller's addresses, as kube-proxy reads them from the status (ipMode VIP).
    ...(s.loadBalancerIngress && s.loadBalancerIngress.length > 0
      ? {
          status: {
            loadBalancer: { ingress: s.loadBalancerIngress.map((ip) => ({ ip, ipMode: "VIP" as const })) },
          },
        }
      : {}),
  };
}

export function proxyEndpointSlice(x: EndpointSliceInfo): EndpointSlice {
  return {
    metadata: { namespace: x.namespace, name: x.name, labels: x.labels },
    addressType: "IPv4",
    ports: x.ports.map((p) => ({
      ...(p.name !== undefined ? { name: p.name } : {}),
      port: p.port,
      protocol: protocol(p.protocol),
    })),
    endpoints: x.endpoints.map((e) => ({
      addresses: [e.ip],
      conditions:
        e.conditions ??
        (e.pod === undefined ? { ready: true } : { ready: true, serving: true, terminating: false }),
      ...(e.node !== undefined ? { nodeName: e.node } : {}),
      ...(e.hostname !== undefined ? { hostname: e.hostname } : {}),
    })),
  };
}
