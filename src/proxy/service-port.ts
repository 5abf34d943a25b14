/**
 * @module proxy/service-port
 * pkg/proxy's ServicePortName, BaseServicePortInfo and the ServicePortMap that
 * ServiceChangeTracker builds from Services (serviceToServiceMap,
 * newBaseServiceInfo). IPv4 only: the proxier is single-family, as upstream's is.
 */
import { formatIPv4, networkOf, parseIPv4 } from "../net/ip.js";
import type { Protocol, Service, ServicePort } from "./types.js";

/** proxy.ServicePortName: namespace/name, the port's name and its protocol. */
export interface ServicePortName {
  namespace: string;
  name: string;
  port: string;
  protocol: Protocol;
}

/** ServicePortName.String(): "ns/name:port", or "ns/name" when the port has no name (no protocol). */
export function servicePortNameString(n: { namespace: string; name: string; port: string }): string {
  return n.port === "" ? `${n.namespace}/${n.name}` : `${n.namespace}/${n.name}:${n.port}`;
}

/** The map key: a ServicePortName is unique with its protocol (a TCP and a UDP port may share a name). */
export function servicePortKey(n: ServicePortName): string {
  return `${servicePortNameString(n)}/${n.protocol}`;
}

/** types.NamespacedName as text: the unit partial syncs track ("ns/name"). */
export function namespacedName(n: { namespace: string; name: string }): string {
  return `${n.namespace}/${n.name}`;
}

/** BaseServicePortInfo as plain data. */
export interface ServicePortInfo {
  name: ServicePortName;
  /** servicePortNameString(name), as the proxier stores it (svcInfo.nameString). */
  nameString: string;
  /** namespacedName(name): the service, as partial syncs track it (made once, not per sync). */
  serviceName: string;
  clusterIP: string;
  port: number;
  protocol: Protocol;
  nodePort: number;
  loadBalancerVIPs: string[];
  /** Parsed and normalised (Go's *net.IPNet String()), whitespace trimmed. */
  loadBalancerSourceRanges: string[];
  externalIPs: string[];
  sessionAffinityType: "None" | "ClientIP";
  stickyMaxAgeSeconds: number;
  healthCheckNodePort: number;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
}

/** ServicePortMap: service ports by servicePortKey, in key order. */
export type ServicePortMap = ReadonlyMap<string, ServicePortInfo>;

/** ExternallyAccessible: reachable by something other than the ClusterIP. */
export function externallyAccessible(s: ServicePortInfo): boolean {
  return s.nodePort !== 0 || s.loadBalancerVIPs.length !== 0 || s.externalIPs.length !== 0;
}

/** UsesClusterEndpoints: Cluster internal policy, or external traffic at all (short-circuiting needs them). */
export function usesClusterEndpoints(s: ServicePortInfo): boolean {
  return !s.internalPolicyLocal || externallyAccessible(s);
}

/** UsesLocalEndpoints: Local internal policy, or Local external policy on an externally accessible port. */
export function usesLocalEndpoints(s: ServicePortInfo): boolean {
  return s.internalPolicyLocal || (s.externalPolicyLocal && externallyAccessible(s));
}

/** apiservice.ExternallyAccessible (on the Service, not the port). */
function serviceExternallyAccessible(svc: Service): boolean {
  const t = svc.spec?.type ?? "ClusterIP";
  return (
    t === "LoadBalancer" ||
    t === "NodePort" ||
    (t === "ClusterIP" && (svc.spec?.externalIPs?.length ?? 0) > 0)
  );
}

/** apiservice.ExternalPolicyLocal. */
function externalPolicyLocalOf(svc: Service): boolean {
  return serviceExternallyAccessible(svc) && svc.spec?.externalTrafficPolicy === "Local";
}

/** apiservice.NeedsHealthCheck: only LoadBalancers with Local external policy. */
function needsHealthCheck(svc: Service): boolean {
  return svc.spec?.type === "LoadBalancer" && externalPolicyLocalOf(svc);
}

/** proxyutil.GetClusterIPByFamily for IPv4. */
function clusterIPv4(svc: Service): string {
  const ips = svc.spec?.clusterIPs ?? [];
  if (ips.length === 0) {
    const ip = svc.spec?.clusterIP ?? "";
    return parseIPv4(ip) !== null ? ip : "";
  }
  return ips.find((ip) => parseIPv4(ip) !== null) ?? "";
}

/** proxyutil.ShouldSkipService: headless (no ClusterIP) and ExternalName services are not proxied. */
export function shouldSkipService(svc: Service): boolean {
  const ip = svc.spec?.clusterIP ?? "";
  return ip === "" || ip === "None" || svc.spec?.type === "ExternalName";
}

/** A CIDR as Go's net.ParseCIDR(strings.TrimSpace(s)).String() prints it, or null if not IPv4. */
export function normaliseCIDR(s: string): string | null {
  const [a, l] = s.trim().split("/");
  const ip = parseIPv4(a ?? "");
  const len = Number(l);
  if (ip === null || l === undefined || !/^\d+$/.test(l) || len > 32) return null;
  return `${formatIPv4(networkOf(ip, len))}/${len}`;
}

/** newBaseServiceInfo for one port. */
export function newBaseServiceInfo(svc: Service, port: ServicePort, clusterIP: string): ServicePortInfo {
  const name: ServicePortName = {
    namespace: svc.metadata.namespace ?? "default",
    name: svc.metadata.name,
    port: port.name ?? "",
    protocol: port.protocol ?? "TCP",
  };
  const affinity = svc.spec?.sessionAffinity === "ClientIP" ? "ClientIP" : "None";
  return {
    name,
    nameString: servicePortNameString(name),
    serviceName: namespacedName(name),
    clusterIP,
    port: port.port,
    protocol: name.protocol,
    nodePort: port.nodePort ?? 0,
    loadBalancerVIPs: (svc.status?.loadBalancer?.ingress ?? [])
      .filter((i) => i.ip && i.ipMode !== "Proxy" && parseIPv4(i.ip) !== null)
      .map((i) => i.ip!),
    loadBalancerSourceRanges: (svc.spec?.loadBalancerSourceRanges ?? [])
      .map(normaliseCIDR)
      .filter((c): c is string => c !== null),
    externalIPs: (svc.spec?.externalIPs ?? []).filter((ip) => parseIPv4(ip) !== null),
    sessionAffinityType: affinity,
    // The API server defaults timeoutSeconds to 10800 when ClientIP is set.
    stickyMaxAgeSeconds:
      affinity === "ClientIP" ? (svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : 0,
    healthCheckNodePort: needsHealthCheck(svc) ? (svc.spec?.healthCheckNodePort ?? 0) : 0,
    externalPolicyLocal: externalPolicyLocalOf(svc),
    internalPolicyLocal: svc.spec?.internalTrafficPolicy === "Local",
  };
}

/** serviceToServiceMap: one Service's ports (empty when the Service is not proxied). */
export function serviceToServicePortMap(svc: Service): Map<string, ServicePortInfo> {
  const out = new Map<string, ServicePortInfo>();
  if (shouldSkipService(svc)) return out;
  const clusterIP = clusterIPv4(svc);
  if (clusterIP === "") return out;
  for (const p of svc.spec?.ports ?? []) {
    const info = newBaseServiceInfo(svc, p, clusterIP);
    out.set(servicePortKey(info.name), info);
  }
  return out;
}

/** The ServicePortMap of a set of Services, in key order (upstream iterates a Go map; order is irrelevant to iptables). */
export function buildServicePortMap(services: readonly Service[]): ServicePortMap {
  const all: [string, ServicePortInfo][] = services.flatMap((s) => [...serviceToServicePortMap(s)]);
  return new Map(all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
