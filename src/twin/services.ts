/**
 * @module twin/services
 * What kube-proxy watches, from the controllers' state: Services and
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
    },
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
      conditions: e.pod === undefined ? { ready: true } : { ready: true, serving: true, terminating: false },
      ...(e.node !== undefined ? { nodeName: e.node } : {}),
      ...(e.hostname !== undefined ? { hostname: e.hostname } : {}),
    })),
  };
}
