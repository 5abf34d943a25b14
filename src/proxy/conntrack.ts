/**
 * @module proxy/conntrack
 * conntrack.CleanStaleEntries (pkg/proxy/conntrack/cleanup.go, v1.33): UDP
 * has no connection to end, so a flow DNATed to an endpoint that is gone (or
 * not yet DNATed, when the service had none) would keep its entry, and every
 * later datagram of it would follow that entry instead of the rules. After a
 * sync that changed a UDP service's endpoints, kube-proxy lists the UDP
 * entries and deletes those sent to a service's address and port (ClusterIP,
 * load-balancer and external IPs), or to its NodePort on any address, whose
 * reply does not come from one of its serving endpoints. Services without
 * serving endpoints are left alone, and traffic policies are not looked at.
 */
import type { ConntrackFilterSpec, ConntrackFlowSpec } from "../host/host.js";
import type { EndpointsMap } from "./endpoint.js";
import type { ServicePortMap } from "./service-port.js";

/** The filters ClearEntries gets for these entries: one per stale entry and frontend it was sent to. */
export function staleConntrackFilters(
  flows: readonly ConntrackFlowSpec[],
  svcPortMap: ServicePortMap,
  endpointsMap: EndpointsMap,
): ConntrackFilterSpec[] {
  // "ip:port" of each UDP frontend, and each NodePort, to the IPs of its serving endpoints.
  const byAddress = new Map<string, Set<string>>();
  const byNodePort = new Map<number, Set<string>>();
  for (const [key, svc] of svcPortMap) {
    if (svc.protocol !== "UDP") continue;
    const ips = new Set<string>();
    for (const ep of endpointsMap.get(key) ?? []) if (ep.serving) ips.add(ep.ip);
    if (ips.size === 0) continue;
    for (const ip of [svc.clusterIP, ...svc.loadBalancerVIPs, ...svc.externalIPs])
      if (ip !== "" && ip !== "None") byAddress.set(`${ip}:${svc.port}`, ips);
    if (svc.nodePort !== 0) byNodePort.set(svc.nodePort, ips);
  }
  const filters: ConntrackFilterSpec[] = [];
  for (const f of flows) {
    if (f.protocol !== "UDP") continue;
    const ips = byAddress.get(`${f.origDst}:${f.origDstPort}`);
    if (ips && !ips.has(f.replySrc))
      filters.push({ protocol: "UDP", origDst: f.origDst, origDstPort: f.origDstPort, replySrc: f.replySrc });
    const np = byNodePort.get(f.origDstPort);
    if (np && !np.has(f.replySrc))
      filters.push({ protocol: "UDP", origDstPort: f.origDstPort, replySrc: f.replySrc });
  }
  return filters;
}
