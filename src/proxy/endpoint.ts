/**
 * @module proxy/endpoint
 * pkg/proxy's BaseEndpointInfo and the EndpointsMap that EndpointSliceCache
 * builds: every slice of a service merged per service port, deduplicated by
 * "ip:port", sorted by that string (byEndpoint), with the conditions and
 * isLocal (the endpoint's nodeName is this node's).
 */
import { parseIPv4 } from "../net/ip.js";
import { type ServicePortName, servicePortKey } from "./service-port.js";
import { type EndpointSlice, LABEL_SERVICE_NAME } from "./types.js";

/** BaseEndpointInfo as plain data. */
export interface Endpoint {
  ip: string;
  port: number;
  /** String(): net.JoinHostPort(ip, port). */
  endpoint: string;
  isLocal: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName: string;
  zone: string;
}

/** EndpointsMap: the endpoints of each service port (servicePortKey), sorted by "ip:port". */
export type EndpointsMap = ReadonlyMap<string, readonly Endpoint[]>;

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * addEndpoints for one slice port: the first address of each endpoint; a
 * duplicate "ip:port" replaces the earlier one unless it is terminating
 * (prefer the running pod when a terminating one held the IP).
 */
function addEndpoints(
  set: Map<string, Endpoint>,
  slice: EndpointSlice,
  portNum: number,
  nodeName: string,
): void {
  for (const ep of slice.endpoints) {
    const ip = ep.addresses[0];
    if (ip === undefined || parseIPv4(ip) === null) continue;
    const c = ep.conditions ?? {};
    const terminating = c.terminating === true;
    const e: Endpoint = {
      ip,
      port: portNum,
      endpoint: `${ip}:${portNum}`,
      isLocal: nodeName !== "" && (ep.nodeName ?? "") === nodeName,
      ready: c.ready ?? true,
      serving: c.serving ?? true,
      terminating,
      nodeName: ep.nodeName ?? "",
      zone: ep.zone ?? "",
    };
    if (!set.has(e.endpoint) || !terminating) set.set(e.endpoint, e);
  }
}

/**
 * The EndpointsMap of all slices, for the proxier on `nodeName`. Slices
 * without the service-name label, of another address family, and ports with
 * a null name or no port are ignored, as EndpointSliceCache does.
 */
export function buildEndpointsMap(slices: readonly EndpointSlice[], nodeName: string): EndpointsMap {
  const bySP = new Map<string, Map<string, Endpoint>>();
  // Slices in name order: upstream merges a Go map of slices, so a duplicate's winner is unspecified there.
  // Each slice's name made once, not twice per comparison.
  const sorted = slices
    .map((slice) => ({ slice, name: `${slice.metadata.namespace}/${slice.metadata.name}` }))
    .sort((a, b) => byString(a.name, b.name));
  for (const { slice } of sorted) {
    const svcName = slice.metadata.labels?.[LABEL_SERVICE_NAME];
    if (!svcName || slice.addressType !== "IPv4") continue;
    for (const p of slice.ports ?? []) {
      // Upstream skips a nil name; the controller always writes one ("" when unnamed), and YAML
      // that omits it means "", so only an explicit null is skipped here.
      if (p.name === null) continue;
      if (p.port === undefined || p.port === null || p.port === 0) continue;
      const spn: ServicePortName = {
        namespace: slice.metadata.namespace ?? "default",
        name: svcName,
        port: p.name ?? "",
        protocol: p.protocol ?? "TCP",
      };
      const key = servicePortKey(spn);
      let set = bySP.get(key);
      if (!set) bySP.set(key, (set = new Map()));
      addEndpoints(set, slice, p.port, nodeName);
    }
  }
  const out = new Map<string, Endpoint[]>();
  for (const key of [...bySP.keys()].sort(byString)) {
    const eps = [...bySP.get(key)!.values()].sort((a, b) => byString(a.endpoint, b.endpoint));
    if (eps.length > 0) out.set(key, eps);
  }
  return out;
}
