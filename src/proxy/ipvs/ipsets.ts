/**
 * @module proxy/ipvs/ipsets
 * The ipsets kube-proxy's ipvs mode keeps (pkg/proxy/ipvs/ipset.go: names,
 * types and comments, in ipsetInfo's order), the `ipset create` arguments
 * utilipset gives them (hashsize 1024, maxelem 65536, bitmap range
 * 0-65535), and Entry.String() for each type.
 */

export type IpsetType = "hash:ip" | "hash:ip,port" | "hash:ip,port,ip" | "hash:ip,port,net" | "bitmap:port";

export const kubeLoopBackIPSet = "KUBE-LOOP-BACK";
export const kubeClusterIPSet = "KUBE-CLUSTER-IP";
export const kubeExternalIPSet = "KUBE-EXTERNAL-IP";
export const kubeExternalIPLocalSet = "KUBE-EXTERNAL-IP-LOCAL";
export const kubeLoadBalancerSet = "KUBE-LOAD-BALANCER";
export const kubeLoadBalancerFWSet = "KUBE-LOAD-BALANCER-FW";
export const kubeLoadBalancerLocalSet = "KUBE-LOAD-BALANCER-LOCAL";
export const kubeLoadBalancerSourceIPSet = "KUBE-LOAD-BALANCER-SOURCE-IP";
export const kubeLoadBalancerSourceCIDRSet = "KUBE-LOAD-BALANCER-SOURCE-CIDR";
export const kubeNodePortSetTCP = "KUBE-NODE-PORT-TCP";
export const kubeNodePortLocalSetTCP = "KUBE-NODE-PORT-LOCAL-TCP";
export const kubeNodePortSetUDP = "KUBE-NODE-PORT-UDP";
export const kubeNodePortLocalSetUDP = "KUBE-NODE-PORT-LOCAL-UDP";
export const kubeNodePortSetSCTP = "KUBE-NODE-PORT-SCTP-HASH";
export const kubeNodePortLocalSetSCTP = "KUBE-NODE-PORT-LOCAL-SCTP-HASH";
export const kubeHealthCheckNodePortSet = "KUBE-HEALTH-CHECK-NODE-PORT";
export const kubeIPVSSet = "KUBE-IPVS-IPS";

export interface IpsetInfo {
  name: string;
  type: IpsetType;
  comment: string;
}

/** ipsetInfo, in upstream's order. */
export const IPSET_INFO: readonly IpsetInfo[] = [
  {
    name: kubeLoopBackIPSet,
    type: "hash:ip,port,ip",
    comment: "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose",
  },
  {
    name: kubeClusterIPSet,
    type: "hash:ip,port",
    comment: "Kubernetes service cluster ip + port for masquerade purpose",
  },
  {
    name: kubeExternalIPSet,
    type: "hash:ip,port",
    comment: "Kubernetes service external ip + port for masquerade and filter purpose",
  },
  {
    name: kubeExternalIPLocalSet,
    type: "hash:ip,port",
    comment: "Kubernetes service external ip + port with externalTrafficPolicy=local",
  },
  { name: kubeLoadBalancerSet, type: "hash:ip,port", comment: "Kubernetes service lb portal" },
  {
    name: kubeLoadBalancerFWSet,
    type: "hash:ip,port",
    comment: "Kubernetes service load balancer ip + port for load balancer with sourceRange",
  },
  {
    name: kubeLoadBalancerLocalSet,
    type: "hash:ip,port",
    comment: "Kubernetes service load balancer ip + port with externalTrafficPolicy=local",
  },
  {
    name: kubeLoadBalancerSourceIPSet,
    type: "hash:ip,port,ip",
    comment: "Kubernetes service load balancer ip + port + source IP for packet filter purpose",
  },
  {
    name: kubeLoadBalancerSourceCIDRSet,
    type: "hash:ip,port,net",
    comment: "Kubernetes service load balancer ip + port + source cidr for packet filter purpose",
  },
  {
    name: kubeNodePortSetTCP,
    type: "bitmap:port",
    comment: "Kubernetes nodeport TCP port for masquerade purpose",
  },
  {
    name: kubeNodePortLocalSetTCP,
    type: "bitmap:port",
    comment: "Kubernetes nodeport TCP port with externalTrafficPolicy=local",
  },
  {
    name: kubeNodePortSetUDP,
    type: "bitmap:port",
    comment: "Kubernetes nodeport UDP port for masquerade purpose",
  },
  {
    name: kubeNodePortLocalSetUDP,
    type: "bitmap:port",
    comment: "Kubernetes nodeport UDP port with externalTrafficPolicy=local",
  },
  {
    name: kubeNodePortSetSCTP,
    type: "hash:ip,port",
    comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'",
  },
  {
    name: kubeNodePortLocalSetSCTP,
    type: "hash:ip,port",
    comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'",
  },
  { name: kubeHealthCheckNodePortSet, type: "bitmap:port", comment: "Kubernetes health check node port" },
  { name: kubeIPVSSet, type: "hash:ip", comment: "Addresses on the ipvs interface" },
];

export const IPSET_BY_NAME: ReadonlyMap<string, IpsetInfo> = new Map(IPSET_INFO.map((i) => [i.name, i]));

/** utilipset's createSet arguments, with setIPSetDefaults' values. */
export function createSetArgs(set: IpsetInfo): string[] {
  const args = ["create", set.name, set.type];
  if (set.type === "bitmap:port") args.push("range", "0-65535");
  else args.push("family", "inet", "hashsize", "1024", "maxelem", "65536");
  args.push("-exist");
  return args;
}

/** IPSet.getComment: the comment as written into an iptables-restore line. */
export function setComment(name: string): string {
  return `"${IPSET_BY_NAME.get(name)?.comment ?? ""}"`;
}

/** Entry.String() for hash:ip,port ("10.96.0.1,tcp:443"). */
export function ipPortEntry(ip: string, proto: string, port: number): string {
  return `${ip},${proto}:${port}`;
}

/** Entry.String() for hash:ip,port,ip / hash:ip,port,net. */
export function ipPortIpEntry(ip: string, proto: string, port: number, ip2: string): string {
  return `${ip},${proto}:${port},${ip2}`;
}
