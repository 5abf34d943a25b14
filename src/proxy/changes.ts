/**
 * @module proxy/changes
 * The change-tracking core every proxier mode shares: the state kube-proxy
 * syncs from (ServicePortMap + EndpointsMap, as ServiceChangeTracker and
 * EndpointsChangeTracker leave them after Update) and the difference between
 * two states, which tells a partial sync which services' chains to rewrite
 * (UpdateServiceMapResult / UpdateEndpointsMapResult .UpdatedServices).
 */
import { buildEndpointsMap, type Endpoint, type EndpointsMap } from "./endpoint.js";
import { buildServicePortMap, type ServicePortInfo, type ServicePortMap } from "./service-port.js";
import type { EndpointSlice, Service } from "./types.js";

export type { Endpoint, EndpointsMap } from "./endpoint.js";
export { buildEndpointsMap } from "./endpoint.js";
export type { ServicePortInfo, ServicePortMap, ServicePortName } from "./service-port.js";
export {
  buildServicePortMap,
  externallyAccessible,
  namespacedName,
  servicePortKey,
  servicePortNameString,
  serviceToServicePortMap,
  usesClusterEndpoints,
  usesLocalEndpoints,
} from "./service-port.js";
export { type CategorizedEndpoints, categorizeEndpoints } from "./topology.js";

/** What a proxier syncs from: svcPortMap and endpointsMap, for one node. */
export interface ProxyState {
  nodeName: string;
  svcPortMap: ServicePortMap;
  endpointsMap: EndpointsMap;
}

export function buildProxyState(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
  nodeName: string,
): ProxyState {
  return {
    nodeName,
    svcPortMap: buildServicePortMap(services),
    endpointsMap: buildEndpointsMap(slices, nodeName),
  };
}

/** The difference between two states. */
export interface ProxyStateDiff {
  /** Service ports (servicePortKey) added, removed or changed, service or endpoints, in key order. */
  changedServicePorts: string[];
  /** Their services ("ns/name"): what kube-proxy's partial sync rewrites (UpdatedServices). */
  updatedServices: Set<string>;
}

function sameServicePort(a: ServicePortInfo | undefined, b: ServicePortInfo | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameEndpoints(a: readonly Endpoint[] | undefined, b: readonly Endpoint[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** "ns/name" of a servicePortKey ("ns/name:port/PROTO" or "ns/name/PROTO"). */
function serviceOfKey(key: string): string {
  const noProto = key.slice(0, key.lastIndexOf("/"));
  const slash = noProto.indexOf("/");
  const colon = noProto.indexOf(":", slash);
  return colon < 0 ? noProto : noProto.slice(0, colon);
}

/** Which service ports differ between `prev` and `cur` (services or endpoints). */
export function diffProxyState(prev: ProxyState, cur: ProxyState): ProxyStateDiff {
  const keys = new Set([
    ...prev.svcPortMap.keys(),
    ...cur.svcPortMap.keys(),
    ...prev.endpointsMap.keys(),
    ...cur.endpointsMap.keys(),
  ]);
  const changedServicePorts = [...keys]
    .filter(
      (k) =>
        !sameServicePort(prev.svcPortMap.get(k), cur.svcPortMap.get(k)) ||
        !sameEndpoints(prev.endpointsMap.get(k), cur.endpointsMap.get(k)),
    )
    .sort();
  const updatedServices = new Set<string>();
  for (const k of changedServicePorts) {
    const info = cur.svcPortMap.get(k) ?? prev.svcPortMap.get(k);
    updatedServices.add(info ? info.serviceName : serviceOfKey(k));
  }
  return { changedServicePorts, updatedServices };
}
