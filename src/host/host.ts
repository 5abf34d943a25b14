/**
 * @module host
 * THE interface through which components (CNI plugins, kube-proxy, the
 * policy enforcer) change a node — design principle 2: they speak Linux,
 * with the operations a real node would see (link, address, route,
 * neighbour, FDB, sysctl), and never touch the kernel model directly. Two
 * implementations: `sim` over the kernel model, `linux` over iproute2 on the
 * real kernel. One conformance suite (host.case.ts) runs against both.
 *
 * Namespaces are named as under /run/netns; `null` is the node's own
 * namespace (the root of a simulated machine, or the namespace a Linux host
 * was given — never the machine's own).
 */
export type NsRef = string | null;

export interface LinkInfo {
  ifindex: number;
  name: string;
  kind: "loopback" | "veth" | "bridge" | "dummy" | "vxlan";
  mac: string;
  mtu: number;
  up: boolean;
  master: string | null;
  /** The veth peer's ifindex, in its own namespace. */
  peerIfindex: number | null;
}

export interface AddrInfo {
  dev: string;
  /** "10.244.1.5/24" */
  cidr: string;
  scope: string;
  secondary: boolean;
}

export interface RouteSpec {
  /** "10.244.0.0/16" or "default" */
  dst: string;
  via?: string;
  dev?: string;
  src?: string;
  table?: number;
  metric?: number;
  scope?: "global" | "link" | "host";
  onlink?: boolean;
  type?: "unicast" | "blackhole" | "unreachable" | "prohibit" | "local";
  proto?: string;
}

export interface RouteInfo extends RouteSpec {
  table: number;
}

export interface VethSpec {
  name: string;
  peer: string;
  /** Where the peer end goes (default: the same namespace). */
  peerNs?: NsRef;
  mac?: string;
  peerMac?: string;
  mtu?: number;
  /** Both ends' txqueuelen (the CNI plugins' netlink calls give 0). */
  txqlen?: number;
}

export interface AddrOptions {
  /** Set the broadcast address from the prefix (`brd +`), as Go's netlink.AddrAdd does for IPv4 below /31. */
  broadcast?: boolean;
}

export interface LinkChange {
  up?: boolean;
  master?: string | null;
  netns?: NsRef;
  mtu?: number;
  mac?: string;
  name?: string;
  hairpin?: boolean;
  promisc?: boolean;
}

export interface NeighSpec {
  dst: string;
  lladdr: string;
  dev: string;
  state?: "permanent" | "reachable" | "noarp";
}

export interface FdbSpec {
  mac: string;
  dev: string;
  /** vxlan: the remote VTEP for this MAC. */
  dst?: string;
  self?: boolean;
}

export interface VxlanSpec {
  name: string;
  id: number;
  local?: string;
  dev?: string;
  dstport?: number;
  learning?: boolean;
}

/** A pod's containerPort: a listening socket that answers with `reply` (the pod's name). */
export interface ServeSpec {
  proto: "tcp" | "udp";
  port: number;
  reply: string;
}

/**
 * What a Go net/http handler writes for a request: its status and the headers it set; the server
 * adds Date and Content-Length, as net/http does.
 */
export interface HttpReply {
  status: number;
  headers: readonly [string, string][];
  body: string;
}

/** A handler asked once per request (what it answers may change between requests). */
export type HttpHandler = () => HttpReply;

/** A server a process opened: closing it frees its port. */
export interface HostListener {
  close(): Promise<void>;
}

/**
 * A conntrack entry, as kube-proxy's conntrack.Interface lists it: the fields its cleanup of stale
 * UDP flows reads (the original destination and port, and the reply's source: the endpoint after DNAT).
 */
export interface ConntrackFlowSpec {
  protocol: "TCP" | "UDP" | "SCTP";
  origDst: string;
  origDstPort: number;
  replySrc: string;
}

/**
 * A filter of ClearEntries (`conntrack -D -p udp [--orig-dst A] --orig-port-dst P --reply-src R`):
 * the entries of the protocol with that original destination port (and address, when given) whose
 * reply comes from R.
 */
export interface ConntrackFilterSpec {
  protocol: "UDP";
  origDst?: string;
  origDstPort: number;
  replySrc: string;
}

/** An IPVS virtual service (what kube-proxy's utilipvs.VirtualServer carries). */
export interface IpvsServiceSpec {
  protocol: "TCP" | "UDP" | "SCTP";
  address: string;
  port: number;
  scheduler: string;
  /** FlagPersistent: sessionAffinity ClientIP, with `timeout` seconds. */
  persistent?: boolean;
  timeout?: number;
  /** FlagSourceHash (the mh scheduler's port hashing). */
  sourceHash?: boolean;
}

/** An IPVS real server of a service (masquerading, as kube-proxy adds them). */
export interface IpvsDestSpec {
  address: string;
  port: number;
  weight: number;
  /** In lists: the connections it has (graceful termination waits for them). */
  activeConns?: number;
  inactiveConns?: number;
}

/** A failed operation, with the errno and the message the kernel (or iproute2) gave. */
export class HostError extends Error {
  readonly errno: string;
  constructor(errno: string, message: string) {
    super(message);
    this.errno = errno;
  }
}

export interface Host {
  readonly kind: "sim" | "linux";
  netnsAdd(name: string): Promise<void>;
  netnsDel(name: string): Promise<void>;
  netnsList(): Promise<string[]>;
  vethAdd(ns: NsRef, spec: VethSpec): Promise<void>;
  bridgeAdd(ns: NsRef, name: string, opts?: { mtu?: number; mac?: string }): Promise<void>;
  vxlanAdd(ns: NsRef, spec: VxlanSpec): Promise<void>;
  linkSet(ns: NsRef, name: string, change: LinkChange): Promise<void>;
  linkDel(ns: NsRef, name: string): Promise<void>;
  linkList(ns: NsRef): Promise<LinkInfo[]>;
  addrAdd(ns: NsRef, dev: string, cidr: string, opts?: AddrOptions): Promise<void>;
  addrDel(ns: NsRef, dev: string, cidr: string): Promise<void>;
  /** The namespace's addresses of one family (IPv4 unless asked), in link order. */
  addrList(ns: NsRef, family?: 4 | 6): Promise<AddrInfo[]>;
  routeAdd(ns: NsRef, spec: RouteSpec): Promise<void>;
  routeReplace(ns: NsRef, spec: RouteSpec): Promise<void>;
  routeDel(ns: NsRef, spec: RouteSpec): Promise<void>;
  routeList(ns: NsRef, table?: number): Promise<RouteInfo[]>;
  neighAdd(ns: NsRef, spec: NeighSpec): Promise<void>;
  fdbAdd(ns: NsRef, spec: FdbSpec): Promise<void>;
  sysctlSet(ns: NsRef, key: string, value: string): Promise<void>;
  sysctlGet(ns: NsRef, key: string): Promise<string>;
  /** One iptables command line (what go-iptables runs); returns its stdout, throws with its message. */
  iptables(ns: NsRef, args: string[]): Promise<string>;
  iptablesSave(ns: NsRef, table?: string): Promise<string>;
  /** iptables-restore of a payload (with --noflush: only the chains it names are replaced); throws with its message. */
  iptablesRestore(ns: NsRef, payload: string, opts?: { noflush?: boolean }): Promise<void>;
  /** `ip link add NAME type dummy` (kube-proxy's kube-ipvs0). */
  dummyAdd(ns: NsRef, name: string): Promise<void>;
  /** One ipset command line (what kube-proxy's utilipset runs); returns its stdout, throws with its message. */
  ipset(ns: NsRef, args: string[]): Promise<string>;
  /** IPVS over netlink (kube-proxy's utilipvs): services, sorted by protocol, address, port. */
  ipvsServiceList(ns: NsRef): Promise<IpvsServiceSpec[]>;
  ipvsServiceAdd(ns: NsRef, svc: IpvsServiceSpec): Promise<void>;
  ipvsServiceUpdate(ns: NsRef, svc: IpvsServiceSpec): Promise<void>;
  ipvsServiceDel(ns: NsRef, svc: IpvsServiceSpec): Promise<void>;
  /** A service's real servers, sorted by address and port. */
  ipvsDestList(ns: NsRef, svc: IpvsServiceSpec): Promise<IpvsDestSpec[]>;
  ipvsDestAdd(ns: NsRef, svc: IpvsServiceSpec, dest: IpvsDestSpec): Promise<void>;
  ipvsDestUpdate(ns: NsRef, svc: IpvsServiceSpec, dest: IpvsDestSpec): Promise<void>;
  ipvsDestDel(ns: NsRef, svc: IpvsServiceSpec, dest: IpvsDestSpec): Promise<void>;
  /** The IPv4 conntrack entries of a protocol (ctnetlink's dump, as kube-proxy lists them). */
  conntrackList(ns: NsRef, protocol: ConntrackFlowSpec["protocol"]): Promise<ConntrackFlowSpec[]>;
  /** Deletes the IPv4 entries any filter matches. */
  conntrackClear(ns: NsRef, filters: readonly ConntrackFilterSpec[]): Promise<void>;
  /** Starts a container's server on a port of the namespace. */
  serve(ns: NsRef, spec: ServeSpec): Promise<void>;
  /** A process's HTTP server on addr:port of the namespace ("0.0.0.0": every address), as Go's net/http serves. */
  listenHttp(ns: NsRef, addr: string, port: number, handler: HttpHandler): Promise<HostListener>;
}
