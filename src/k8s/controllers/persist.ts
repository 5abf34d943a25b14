/**
 * @module k8s/controllers/persist
 * What the API server keeps of its own choices. A Service's ClusterIP,
 * NodePorts and health check port are allocated once, stored in the object,
 * and kept by later applies that leave them out (kubectl apply's merge keeps
 * fields the server set): deleting or adding another Service never moves them.
 */
import type { ServiceInfo } from "./services.js";

type Obj = Record<string, unknown>;

const NODE_PORT_TYPES = new Set(["NodePort", "LoadBalancer"]);

function specOf(o: Obj): Obj {
  return (o.spec ?? {}) as Obj;
}

function portsOf(spec: Obj): Obj[] {
  return Array.isArray(spec.ports) ? (spec.ports as Obj[]) : [];
}

/** A port of a list by its merge key (port and protocol). */
function samePort(a: Obj, b: Obj): boolean {
  return a.port === b.port && (a.protocol ?? "TCP") === (b.protocol ?? "TCP");
}

/**
 * The applied Service with the allocations the stored one holds and it leaves out: the ClusterIP
 * (unless it becomes an ExternalName), each NodePort whose port it still has (while its type has
 * node ports), the health check port (while it still needs one).
 */
export function keepAllocations(applied: Obj, stored: Obj): Obj {
  if (applied.kind !== "Service" || stored.kind !== "Service") return applied;
  const a = specOf(applied);
  const s = specOf(stored);
  const type = String(a.type ?? "ClusterIP");
  const spec: Obj = { ...a };
  if (a.clusterIP === undefined && type !== "ExternalName" && typeof s.clusterIP === "string") {
    spec.clusterIP = s.clusterIP;
    if (s.clusterIPs !== undefined && a.clusterIPs === undefined) spec.clusterIPs = s.clusterIPs;
  }
  if (NODE_PORT_TYPES.has(type))
    spec.ports = portsOf(a).map((p) => {
      if (p.nodePort !== undefined) return p;
      const old = portsOf(s).find((q) => samePort(p, q));
      return old?.nodePort !== undefined ? { ...p, nodePort: old.nodePort } : p;
    });
  if (
    a.healthCheckNodePort === undefined &&
    s.healthCheckNodePort !== undefined &&
    type === "LoadBalancer" &&
    a.externalTrafficPolicy === "Local"
  )
    spec.healthCheckNodePort = s.healthCheckNodePort;
  return { ...applied, spec };
}

/** The Service as the API server stores it after allocating: its ClusterIP, NodePorts and health check port written in. */
export function withAllocations(obj: Obj, svc: ServiceInfo | undefined): Obj {
  if (obj.kind !== "Service" || !svc) return obj;
  const a = specOf(obj);
  const spec: Obj = { ...a };
  if (a.clusterIP === undefined && svc.clusterIP !== "") {
    spec.clusterIP = svc.clusterIP;
    if (a.clusterIPs === undefined) spec.clusterIPs = [svc.clusterIP];
  }
  if (Array.isArray(a.ports))
    spec.ports = portsOf(a).map((p, i) => {
      const np = svc.ports[i]?.nodePort;
      return p.nodePort === undefined && np !== undefined && np !== 0 ? { ...p, nodePort: np } : p;
    });
  if (
    a.healthCheckNodePort === undefined &&
    svc.healthCheckNodePort !== undefined &&
    svc.healthCheckNodePort !== 0
  )
    spec.healthCheckNodePort = svc.healthCheckNodePort;
  return { ...obj, spec };
}
