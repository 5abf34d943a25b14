/**
 * @module proxy/types
 * What kube-proxy reads: Services and EndpointSlices as the API server serves
 * them (narrow, structurally compatible with kubernetes-types' `Service` and
 * `EndpointSlice`), the node it runs on, and the part of its
 * KubeProxyConfiguration the iptables mode uses. Plain data, no behaviour.
 */

/** core/v1 Protocol. kube-proxy lower-cases it for iptables ("tcp"). */
export type Protocol = "TCP" | "UDP" | "SCTP";

export type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";

/** core/v1 ServicePort (targetPort is not used by kube-proxy: EndpointSlices carry the resolved port). */
export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: Protocol;
  nodePort?: number;
}

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  /** "VIP" (default) or "Proxy"; kube-proxy ignores Proxy-mode addresses. */
  ipMode?: "VIP" | "Proxy";
}

export interface Service {
  metadata: { namespace?: string; name: string; annotations?: Record<string, string> };
  spec?: {
    type?: ServiceType;
    /** "None" (headless) or "" means not proxied. */
    clusterIP?: string;
    clusterIPs?: string[];
    ports?: ServicePort[];
    externalIPs?: string[];
    loadBalancerSourceRanges?: string[];
    externalTrafficPolicy?: "Cluster" | "Local";
    internalTrafficPolicy?: "Cluster" | "Local";
    sessionAffinity?: "None" | "ClientIP";
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
    healthCheckNodePort?: number;
    externalName?: string;
  };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}

/** discovery/v1 EndpointConditions: nil ready/serving mean true, nil terminating means false. */
export interface EndpointConditions {
  ready?: boolean | null;
  serving?: boolean | null;
  terminating?: boolean | null;
}

export interface EndpointSliceEndpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  nodeName?: string | null;
  hostname?: string | null;
  zone?: string | null;
}

export interface EndpointSlicePort {
  name?: string | null;
  port?: number | null;
  protocol?: Protocol | null;
}

/** The label that ties an EndpointSlice to its Service. */
export const LABEL_SERVICE_NAME = "kubernetes.io/service-name";

export interface EndpointSlice {
  metadata: { namespace?: string; name: string; labels?: Record<string, string> };
  addressType: "IPv4" | "IPv6" | "FQDN";
  ports?: EndpointSlicePort[] | null;
  endpoints: EndpointSliceEndpoint[];
}

/** The node kube-proxy runs on: its name (for isLocal) and its IPv4 addresses, primary first. */
export interface NodeInfo {
  name: string;
  ips: string[];
}

/**
 * How kube-proxy tells pod traffic from the rest (`--detect-local-mode`):
 * ClusterCIDR → `-s`/`! -s <cidr>`; BridgeInterface → `-i`/`! -i <bridge>`;
 * InterfaceNamePrefix → `-i`/`! -i <prefix>+`.
 */
export type LocalDetector =
  | { mode: "ClusterCIDR"; cidr: string }
  | { mode: "BridgeInterface"; bridge: string }
  | { mode: "InterfaceNamePrefix"; prefix: string };

/** The iptables-mode part of KubeProxyConfiguration, and what kube-proxy probes on the host. */
export interface ProxierConfig {
  masqueradeAll?: boolean;
  /** iptables.masqueradeBit, default 14 → mark 0x4000. */
  masqueradeBit?: number;
  /**
   * The mark text exactly as written into the payload. Default: kube-proxy's
   * `fmt.Sprintf("%#08x", 1<<bit)` = "0x00004000"; upstream's unit tests set "0x4000".
   */
  masqueradeMark?: string;
  /** iptables.localhostNodePorts, default true. */
  localhostNodePorts?: boolean;
  /** clusterCIDR: the ClusterCIDR local-traffic detector (kind: podSubnet 10.244.0.0/16). */
  clusterCIDR?: string;
  /** Another detector; wins over clusterCIDR. */
  localDetector?: LocalDetector;
  /** nodePortAddresses (CIDRs); empty means all local addresses. */
  nodePortAddresses?: string[];
  /** sysctl net/netfilter/nf_conntrack_tcp_be_liberal != 0: no INVALID drop rule. */
  conntrackTCPBeLiberal?: boolean;
  /** `iptables` supports --random-fully (HasRandomFully). */
  hasRandomFully?: boolean;
  /** nfacct counters could be ensured (ct_state_invalid_dropped_pkts, localhost_nps_accepted_pkts). */
  hasNfacct?: boolean;
}
