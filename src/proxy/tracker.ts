/**
 * @module proxy/tracker
 * ServiceChangeTracker and EndpointsChangeTracker: kube-proxy does not
 * rebuild its maps from every object on each sync; the informers' handlers
 * (OnServiceAdd/Update/Delete, OnEndpointSliceAdd/Update/Delete) note which
 * services changed, and the next sync applies only those to svcPortMap and
 * endpointsMap (Update), reporting them as UpdatedServices for a partial
 * sync. Entries of services that did not change keep their identity, which
 * is what lets the proxier reuse what it generated for them.
 */
import { buildEndpointsMap, type Endpoint } from "./endpoint.js";
import { type ServicePortInfo, serviceToServicePortMap } from "./service-port.js";
import { type EndpointSlice, LABEL_SERVICE_NAME, type Service } from "./types.js";

function serviceKey(s: Service): string {
  return `${s.metadata.namespace ?? "default"}/${s.metadata.name}`;
}

function sliceKey(s: EndpointSlice): string {
  return `${s.metadata.namespace ?? "default"}/${s.metadata.name}`;
}

/** The service ("ns/name") an EndpointSlice belongs to, or null when it names none. */
function sliceService(s: EndpointSlice): string | null {
  const svc = s.metadata.labels?.[LABEL_SERVICE_NAME];
  return svc ? `${s.metadata.namespace ?? "default"}/${svc}` : null;
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function byKey<V>(m: Map<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Puts one service's entries (`next`) in place of those it had in `map`
 * (their keys in `keysOf`), keeping an unchanged entry's object. Says whether
 * anything changed, and whether a key was added (the map is then out of order).
 */
function replaceEntries<V>(
  map: Map<string, V>,
  keysOf: Map<string, string[]>,
  svc: string,
  next: ReadonlyMap<string, V>,
): { changed: boolean; added: boolean } {
  const oldKeys = keysOf.get(svc) ?? [];
  let changed = oldKeys.length !== next.size;
  let added = false;
  for (const k of oldKeys)
    if (!next.has(k)) {
      map.delete(k);
      changed = true;
    }
  for (const [k, v] of next) {
    const prev = map.get(k);
    if (prev && sameJSON(prev, v)) continue;
    if (!prev) added = true;
    map.set(k, v);
    changed = true;
  }
  if (next.size > 0) keysOf.set(svc, [...next.keys()]);
  else keysOf.delete(svc);
  return { changed, added };
}

export interface TrackerUpdate {
  /** Services ("ns/name") whose ports or endpoints differ from the last update. */
  updatedServices: Set<string>;
  /**
   * UpdateEndpointsMapResult.ConntrackCleanupRequired: the endpoints of a service with a UDP port
   * (before or after) changed, so stale UDP conntrack entries are looked for after the sync.
   */
  conntrackCleanupRequired: boolean;
}

/** Whether a servicePortKey ("ns/name:port/PROTO") is a UDP port's. */
function isUdpKey(key: string): boolean {
  return key.endsWith("/UDP");
}

export class ProxyStateTracker {
  readonly nodeName: string;
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, EndpointSlice>();
  /** Slices by their service, so one service's endpoints are rebuilt from its own slices only. */
  private readonly slicesByService = new Map<string, Map<string, EndpointSlice>>();
  private readonly pendingServices = new Set<string>();
  private readonly pendingEndpoints = new Set<string>();
  /** svcPortMap and endpointsMap in key order (the order the proxier writes services in). */
  svcPortMap = new Map<string, ServicePortInfo>();
  endpointsMap = new Map<string, readonly Endpoint[]>();
  /** Which keys of each map a service owns. */
  private readonly portKeys = new Map<string, string[]>();
  private readonly endpointKeys = new Map<string, string[]>();

  constructor(nodeName: string) {
    this.nodeName = nodeName;
  }

  onServiceAdd(svc: Service): void {
    this.services.set(serviceKey(svc), svc);
    this.pendingServices.add(serviceKey(svc));
  }

  onServiceUpdate(_old: Service, svc: Service): void {
    this.onServiceAdd(svc);
  }

  onServiceDelete(svc: Service): void {
    this.services.delete(serviceKey(svc));
    this.pendingServices.add(serviceKey(svc));
  }

  onEndpointSliceAdd(slice: EndpointSlice): void {
    this.onEndpointSliceDelete(slice);
    const svc = sliceService(slice);
    this.slices.set(sliceKey(slice), slice);
    if (svc === null) return;
    let m = this.slicesByService.get(svc);
    if (!m) this.slicesByService.set(svc, (m = new Map()));
    m.set(sliceKey(slice), slice);
    this.pendingEndpoints.add(svc);
  }

  onEndpointSliceUpdate(_old: EndpointSlice, slice: EndpointSlice): void {
    this.onEndpointSliceAdd(slice);
  }

  onEndpointSliceDelete(slice: EndpointSlice): void {
    const old = this.slices.get(sliceKey(slice));
    if (!old) return;
    this.slices.delete(sliceKey(slice));
    const svc = sliceService(old);
    if (svc === null) return;
    this.slicesByService.get(svc)?.delete(sliceKey(slice));
    this.pendingEndpoints.add(svc);
  }

  /**
   * Brings the tracker to these lists of objects, as the informers would
   * report them: an object of the same identity as last time is unchanged.
   */
  replaceAll(services: readonly Service[], slices: readonly EndpointSlice[]): void {
    const seenSvc = new Set<string>();
    for (const s of services) {
      const k = serviceKey(s);
      seenSvc.add(k);
      if (this.services.get(k) !== s) this.onServiceAdd(s);
    }
    for (const [k, s] of this.services) if (!seenSvc.has(k)) this.onServiceDelete(s);
    const seenSlice = new Set<string>();
    for (const s of slices) {
      const k = sliceKey(s);
      seenSlice.add(k);
      if (this.slices.get(k) !== s) this.onEndpointSliceAdd(s);
    }
    for (const [k, s] of this.slices) if (!seenSlice.has(k)) this.onEndpointSliceDelete(s);
  }

  /** Update: applies the pending changes to both maps and says which services they changed. */
  update(): TrackerUpdate {
    const updatedServices = new Set<string>();
    let reorderPorts = false;
    for (const svc of this.pendingServices) {
      const obj = this.services.get(svc);
      const r = replaceEntries(
        this.svcPortMap,
        this.portKeys,
        svc,
        obj ? serviceToServicePortMap(obj) : new Map(),
      );
      if (r.changed) updatedServices.add(svc);
      reorderPorts ||= r.added;
    }
    let reorderEndpoints = false;
    let conntrackCleanupRequired = false;
    for (const svc of this.pendingEndpoints) {
      const own = this.slicesByService.get(svc);
      const next = buildEndpointsMap(own ? [...own.values()] : [], this.nodeName);
      const before = this.endpointKeys.get(svc) ?? [];
      const r = replaceEntries(this.endpointsMap, this.endpointKeys, svc, next);
      if (r.changed) {
        updatedServices.add(svc);
        conntrackCleanupRequired ||= before.some(isUdpKey) || [...next.keys()].some(isUdpKey);
      }
      reorderEndpoints ||= r.added;
    }
    if (reorderPorts) this.svcPortMap = byKey(this.svcPortMap);
    if (reorderEndpoints) this.endpointsMap = byKey(this.endpointsMap);
    this.pendingServices.clear();
    this.pendingEndpoints.clear();
    return { updatedServices, conntrackCleanupRequired };
  }
}
