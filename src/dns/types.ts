/**
 * @module dns/types
 * The plain data the DNS layer works on: the cluster as CoreDNS's kubernetes
 * plugin sees it (Services, EndpointSlices, Pods, Namespaces from the API),
 * a query as a server receives it, and the way a resolver reaches a server.
 * The layer imports only src/net; the twin and the CLI fill these in.
 */
import type { Packet } from "dns-packet";

export interface DnsServicePort {
  name?: string;
  port: number;
  /** "TCP" | "UDP" | "SCTP", as the API spells it. */
  protocol: string;
}

export interface DnsService {
  namespace: string;
  name: string;
  type: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
  /** spec.clusterIPs; empty (or ["None"]) for a headless Service. */
  clusterIPs: string[];
  externalName?: string;
  ports: DnsServicePort[];
}

export interface DnsEndpoint {
  addresses: string[];
  /** conditions.ready (absent means ready, as the API defines it). */
  ready?: boolean;
  hostname?: string;
  nodeName?: string;
  /** The Pod behind the endpoint, when there is one (endpoint_pod_names uses its name). */
  targetRef?: { kind: string; namespace: string; name: string };
}

export interface DnsEndpointSlice {
  namespace: string;
  name: string;
  /** The kubernetes.io/service-name label. */
  service: string;
  addressType: "IPv4" | "IPv6" | "FQDN";
  ports: DnsServicePort[];
  endpoints: DnsEndpoint[];
}

export interface DnsPod {
  namespace: string;
  name: string;
  ip: string;
  hostNetwork: boolean;
}

/** What CoreDNS's kubernetes plugin watches. */
export interface DnsClusterView {
  namespaces: string[];
  services: DnsService[];
  endpointSlices: DnsEndpointSlice[];
  pods: DnsPod[];
  /**
   * Unix time (seconds) of the last change CoreDNS saw (APIConn.Modified), the
   * SOA serial. Optional: without it the serial is the query's clock.
   */
  modified?: number;
}

/** A query as a DNS server receives it. */
export interface DnsQuery {
  message: Packet;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  transport: "udp" | "tcp";
}

/**
 * How a resolver reaches a server: the query's wire bytes out, the reply's
 * wire bytes back, or null when nothing answers within `timeoutMs` (the
 * resolver's time for one try; 5000 when not given).
 */
export type DnsTransport = (
  server: { ip: string; port: number },
  query: Uint8Array,
  transport: "udp" | "tcp",
  timeoutMs?: number,
) => Promise<Uint8Array | null>;
