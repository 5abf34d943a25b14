/**
 * @module k8s/objects/api-objects
 * The API objects the controllers' state stands for, as the API server
 * returns them: what `kubetwin get -o yaml` prints and what node
 * components (kube-proxy) watch.
 */
import type { EndpointSliceInfo, PodInfo, ServiceInfo } from "../controllers/workloads.js";
import type { K8sObject } from "./cluster-objects.js";

export function podObject(p: PodInfo): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
    spec: {
      ...(p.hostname !== undefined ? { hostname: p.hostname } : {}),
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
      ...(p.pending ? {} : { nodeName: p.node }),
      ...(p.subdomain !== undefined ? { subdomain: p.subdomain } : {}),
    },
    status: p.pending
      ? { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }] }
      : { phase: "Running", podIP: p.ip, podIPs: [{ ip: p.ip }], hostIP: p.hostIP },
  };
}

export function serviceObject(s: ServiceInfo): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: s.name,
      namespace: s.namespace,
      ...(s.labels && Object.keys(s.labels).length > 0 ? { labels: s.labels } : {}),
    },
    spec: {
      type: s.type,
      ...(s.clusterIP ? { clusterIP: s.clusterIP, clusterIPs: [s.clusterIP] } : {}),
      // The IP family defaulting of an IPv4 single-stack cluster (every type but ExternalName); a headless
      // Service without a selector asks for every family the cluster has (RequireDualStack).
      ...(s.type !== "ExternalName"
        ? {
            ipFamilies: ["IPv4"],
            ipFamilyPolicy: s.clusterIP === "None" && !s.selector ? "RequireDualStack" : "SingleStack",
          }
        : {}),
      ...(s.externalName ? { externalName: s.externalName } : {}),
      ...(s.selector ? { selector: s.selector } : {}),
      ports: s.ports,
      // The rest in ServiceSpec's field order, as the API server serves them after defaulting.
      ...(s.externalIPs ? { externalIPs: s.externalIPs } : {}),
      ...(s.sessionAffinity ? { sessionAffinity: s.sessionAffinity } : {}),
      ...(s.loadBalancerIP ? { loadBalancerIP: s.loadBalancerIP } : {}),
      ...(s.loadBalancerSourceRanges ? { loadBalancerSourceRanges: s.loadBalancerSourceRanges } : {}),
      ...(s.externalTrafficPolicy ? { externalTrafficPolicy: s.externalTrafficPolicy } : {}),
      ...(s.healthCheckNodePort !== undefined ? { healthCheckNodePort: s.healthCheckNodePort } : {}),
      ...(s.sessionAffinityConfig ? { sessionAffinityConfig: s.sessionAffinityConfig } : {}),
      ...(s.allocateLoadBalancerNodePorts !== undefined
        ? { allocateLoadBalancerNodePorts: s.allocateLoadBalancerNodePorts }
        : {}),
      ...(s.internalTrafficPolicy ? { internalTrafficPolicy: s.internalTrafficPolicy } : {}),
    },
    // Every Service has status.loadBalancer; only the load-balancer controller fills its ingress.
    status: {
      loadBalancer:
        s.loadBalancerIngress && s.loadBalancerIngress.length > 0
          ? { ingress: s.loadBalancerIngress.map((ip) => ({ ip, ipMode: "VIP" })) }
          : {},
    },
  };
}

/** The API server lists objects in the order of their storage keys: namespace, then name. */
export function endpointSliceObject(x: EndpointSliceInfo): K8sObject {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: x.name,
      namespace: x.namespace,
      labels: x.labels,
    },
    addressType: "IPv4",
    ports: x.ports,
    endpoints: x.endpoints.map((e) => ({
      addresses: [e.ip],
      // The API server's slice carries only readiness; the controller's add serving, terminating and the pod.
      conditions:
        e.conditions ??
        (e.pod === undefined ? { ready: true } : { ready: true, serving: true, terminating: false }),
      ...(e.hostname !== undefined ? { hostname: e.hostname } : {}),
      ...(e.node !== undefined ? { nodeName: e.node } : {}),
      ...(e.pod !== undefined ? { targetRef: { kind: "Pod", name: e.pod, namespace: x.namespace } } : {}),
    })),
  };
}
