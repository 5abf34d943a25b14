/**
 * @module proxy/healthcheck
 * pkg/proxy/healthcheck's ServiceHealthServer: for every Service with a
 * healthCheckNodePort (externalTrafficPolicy Local), an HTTP server on that
 * port of the node's addresses (all of them, or those nodePortAddresses
 * selects) telling a load balancer whether this node has local endpoints:
 * 200 with their count when it has, 503 when it has none. SyncServices opens
 * and closes the servers, SyncEndpoints updates the counts they answer with.
 */
import type { Host, HostListener, HttpReply } from "../host/host.js";
import type { EndpointsMap } from "./endpoint.js";
import type { ServicePortMap } from "./service-port.js";

interface HcInstance {
  port: number;
  listeners: HostListener[];
  endpoints: number;
}

/** types.NamespacedName ("ns/name") of an EndpointsMap key ("ns/name:port/PROTO" or "ns/name/PROTO"). */
function nsnOfKey(key: string): string {
  const slash = key.indexOf("/");
  const rest = key.slice(slash + 1);
  const end = rest.search(/[:/]/);
  return key.slice(0, slash + 1 + (end < 0 ? rest.length : end));
}

/** ServicePortMap.HealthCheckNodePorts: each service's health check port, from any of its ports. */
export function healthCheckNodePorts(m: ServicePortMap): Map<string, number> {
  const out = new Map<string, number>();
  for (const info of m.values())
    if (info.healthCheckNodePort !== 0) out.set(info.serviceName, info.healthCheckNodePort);
  return out;
}

/** EndpointsMap.LocalReadyEndpoints: per service, its local ready endpoints summed over its ports. */
export function localReadyEndpoints(m: EndpointsMap): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, eps] of m)
    for (const ep of eps)
      if (ep.isLocal && ep.ready) {
        const nsn = nsnOfKey(key);
        out.set(nsn, (out.get(nsn) ?? 0) + 1);
      }
  return out;
}

/** hcHandler.ServeHTTP's answer: the body is the dedented JSON upstream prints, tabs and all. */
export function healthReply(nsn: string, count: number, proxyHealthy: boolean): HttpReply {
  const slash = nsn.indexOf("/");
  const body = [
    "{",
    '\t"service": {',
    `\t\t"namespace": ${JSON.stringify(nsn.slice(0, slash))},`,
    `\t\t"name": ${JSON.stringify(nsn.slice(slash + 1))}`,
    "\t},",
    `\t"localEndpoints": ${count},`,
    `\t"serviceProxyHealthy": ${proxyHealthy}`,
    "}",
  ].join("\n");
  return {
    status: count !== 0 && proxyHealthy ? 200 : 503,
    headers: [
      ["Content-Type", "application/json"],
      ["X-Content-Type-Options", "nosniff"],
    ],
    body,
  };
}

export class ServiceHealthServer {
  private readonly host: Host;
  /** Where the servers listen: ["0.0.0.0"], or the node IPs nodePortAddresses selects (maybe none). */
  private readonly nodeIPs: readonly string[];
  private readonly proxyHealthy: () => boolean;
  private readonly services = new Map<string, HcInstance>();
  /** What the last sync failed to open, as kube-proxy logs it (FailedToStartServiceHealthcheck). */
  errors: string[] = [];

  /** `nodeIPs` null: nodePortAddresses matches all, the servers listen on 0.0.0.0. */
  constructor(host: Host, nodeIPs: readonly string[] | null, proxyHealthy: () => boolean) {
    this.host = host;
    this.nodeIPs = nodeIPs ?? ["0.0.0.0"];
    this.proxyHealthy = proxyHealthy;
  }

  /** The port each service's server listens on now (for tests and `kubetwin` to show). */
  ports(): Map<string, number> {
    return new Map([...this.services].map(([n, s]) => [n, s.port]));
  }

  async syncServices(next: ReadonlyMap<string, number>, nodeName: string): Promise<void> {
    // A port that stays taken fails again on every sync: only the last sync's failures are kept.
    this.errors = [];
    for (const [nsn, svc] of this.services)
      if (next.get(nsn) !== svc.port) {
        for (const l of svc.listeners) await l.close();
        this.services.delete(nsn);
      }
    for (const [nsn, port] of next) {
      if (this.services.has(nsn)) continue;
      const svc: HcInstance = { port, listeners: [], endpoints: 0 };
      try {
        for (const ip of this.nodeIPs)
          svc.listeners.push(
            await this.host.listenHttp(null, ip, port, () =>
              healthReply(nsn, svc.endpoints, this.proxyHealthy()),
            ),
          );
      } catch (e) {
        // listenAndServeAll closes what it opened, so that a later sync may try again.
        for (const l of svc.listeners) await l.close();
        this.errors.push(
          `node ${nodeName} failed to start healthcheck "${nsn}" on port ${port}: ${(e as Error).message}`,
        );
        continue;
      }
      this.services.set(nsn, svc);
    }
  }

  syncEndpoints(counts: ReadonlyMap<string, number>): void {
    for (const [nsn, svc] of this.services) svc.endpoints = counts.get(nsn) ?? 0;
  }
}
