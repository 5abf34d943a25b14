/**
 * @module kernel/types
 * The kernel's objects as plain data: net_device, in_ifaddr, inet6_ifaddr,
 * fib routes and rules, neighbour entries. Behaviour lives in the
 * subsystem modules that take these as arguments.
 */
import type { IPv4, IPv6 } from "../net/ip.js";
import type { Mac } from "../net/mac.js";
import type { Ipv4Packet } from "../net/packet.js";
import type { NetNs } from "./netns.js";

export type LinkKind = "loopback" | "veth" | "bridge" | "dummy" | "vxlan";

/** rtnetlink scopes, by their names in /etc/iproute2/rt_scopes. */
export type Scope = "global" | "site" | "link" | "host" | "nowhere";

export const SCOPE_VALUE: Record<Scope, number> = {
  global: 0,
  site: 200,
  link: 253,
  host: 254,
  nowhere: 255,
};

export interface InetAddr {
  local: IPv4;
  prefixlen: number;
  /** Broadcast given with `brd`, or null (iproute2 sets none by default). */
  broadcast: IPv4 | null;
  scope: Scope;
  label: string;
  secondary: boolean;
  noprefixroute: boolean;
  metric: number;
}

export interface Inet6Addr {
  local: IPv6;
  prefixlen: number;
  scope: Scope;
  /** Simulated time until which DAD is still running (the address shows `tentative`). */
  tentativeUntil: number;
  nodad: boolean;
  permanent: boolean;
}

export type BridgePortState = "disabled" | "listening" | "learning" | "forwarding" | "blocking";

export interface BridgePort {
  /** br_if.c find_portno: the lowest free port number, from 1. */
  portNo: number;
  state: BridgePortState;
  hairpin: boolean;
  learning: boolean;
  flood: boolean;
  priority: number;
  cost: number;
}

export interface FdbEntry {
  mac: Mac;
  port: NetDevice;
  /** Learned (dynamic) entries age out; local (the ports' own MACs) and static ones do not. */
  kind: "learned" | "local" | "static";
  updated: number;
  used: number;
}

export interface BridgeInfo {
  ports: NetDevice[];
  fdb: Map<string, FdbEntry>;
  /** centiseconds, as `ip -d link` prints them */
  ageingTime: number;
  forwardDelay: number;
  helloTime: number;
  maxAge: number;
  stpState: number;
  priority: number;
  vlanFiltering: number;
  nfCallIptables: number;
  /** Set once the bridge drives its own carrier (its first port, or a MAC set by the user). */
  carrierManaged: boolean;
  /** BROPT_MTU_SET_BY_USER: an MTU set on the bridge stops it following its ports' smallest. */
  mtuSetByUser: boolean;
}

/** struct vxlan_config: what `ip link add … type vxlan` sets. */
export interface VxlanConfig {
  /** The VNI (24 bits). */
  id: number;
  /** The default destination: the all-zeros FDB entry the device is created with. */
  remote: IPv4 | null;
  local: IPv4 | null;
  group: IPv4 | null;
  /** The lower device (remote_ifindex) the default destination is reached through. */
  dev: NetDevice | null;
  dstport: number;
  learning: boolean;
  /** 0: auto (ip4_dst_hoplimit, the namespace's ip_default_ttl). */
  ttl: number;
  /** Seconds before a learned entry ages out (cfg.age_interval; 300 unless `ageing`). */
  ageing?: number;
}

/** The kernel's NUD states a vxlan FDB entry may have: permanent, static (NOARP), or dynamic (REACHABLE). */
export type VxlanFdbState = "PERMANENT" | "NOARP" | "REACHABLE";

/** struct vxlan_rdst: one remote VTEP an entry sends to. Port 0 and VNI 0 are never stored: the device's apply. */
export interface VxlanRdst {
  ip: IPv4;
  port: number;
  vni: number;
  /** remote_ifindex (`via DEV`), 0 for any. */
  ifindex: number;
}

/** struct vxlan_fdb: a MAC and the remotes frames for it are sent to (several for the all-zeros default). */
export interface VxlanFdbEntry {
  mac: Mac;
  remotes: VxlanRdst[];
  state: VxlanFdbState;
  updated: number;
  used: number;
}

export interface VxlanInfo extends VxlanConfig {
  ageing: number;
  /**
   * The FDB by MAC. Insertion order is the kernel's fdb_list order reversed:
   * new entries go to the head of that list, so a dump walks this map backwards.
   */
  fdb: Map<Mac, VxlanFdbEntry>;
}

export interface LinkStats {
  rxPackets: number;
  rxBytes: number;
  rxDropped: number;
  txPackets: number;
  txBytes: number;
  txDropped: number;
  txErrors: number;
  txCarrierErrors: number;
  multicast: number;
}

export interface NetDevice {
  ifindex: number;
  name: string;
  readonly kind: LinkKind;
  ns: NetNs;
  mac: Mac;
  /** NET_ADDR_RANDOM until the user sets an address (then a bridge keeps it). */
  macSetByUser: boolean;
  brd: Mac;
  mtu: number;
  minMtu: number;
  maxMtu: number;
  txqlen: number;
  up: boolean;
  promisc: number;
  allmulti: number;
  noarp: boolean;
  /** IFF_MULTICAST: set at creation for ethernet-like devices, changed by `ip link set … multicast`. */
  multicast: boolean;
  /** IFLA_GROUP: 0 is `default` (/etc/iproute2/group). */
  group: number;
  master: NetDevice | null;
  brport: BridgePort | null;
  peer: NetDevice | null;
  bridge: BridgeInfo | null;
  vxlan: VxlanInfo | null;
  inet: InetAddr[];
  inet6: Inet6Addr[];
  /** IPv6 multicast link-layer memberships, for `bridge fdb show` self entries. */
  stats: LinkStats;
  alias: string | null;
  /** Carrier as last propagated, to notice transitions (addrconf, bridge carrier). */
  lastCarrier: boolean;
  /** Whether the device was ever brought up: its qdisc is attached then. */
  everUp: boolean;
}

export type RouteType =
  | "unicast"
  | "local"
  | "broadcast"
  | "multicast"
  | "blackhole"
  | "unreachable"
  | "prohibit"
  | "throw";

export type RouteProto = string; // "kernel" | "boot" | "static" | number as text

export interface Route {
  family: 4 | 6;
  table: number;
  type: RouteType;
  dst: IPv4;
  dst6: IPv6;
  dstLen: number;
  metric: number;
  protocol: RouteProto;
  scope: Scope;
  prefsrc: IPv4 | null;
  gateway: IPv4 | null;
  dev: NetDevice | null;
  onlink: boolean;
  /** Kernel-made IPv6 routes print `pref medium`. */
  pref6: boolean;
}

export interface FibRule {
  priority: number;
  src: IPv4 | null;
  srcLen: number;
  dst: IPv4 | null;
  dstLen: number;
  iif: string | null;
  oif: string | null;
  fwmark: number | null;
  fwmask: number | null;
  /** FRA_TOS selector (0: any). */
  tos: number;
  /** FRA_IP_PROTO, FRA_SPORT_RANGE, FRA_DPORT_RANGE, FRA_UID_RANGE selectors (null: any). */
  ipproto: number | null;
  sport: [number, number] | null;
  dport: [number, number] | null;
  uidrange: [number, number] | null;
  table: number;
  /** FR_ACT_TO_TBL (lookup), FR_ACT_GOTO (to the rule of priority `goto`), FR_ACT_NOP, or a rejecting type. */
  action: "lookup" | "goto" | "nop" | "blackhole" | "unreachable" | "prohibit";
  goto: number | null;
  /** FRA_SUPPRESS_PREFIXLEN: a lookup's result with a prefix this long or shorter is passed over (-1: none). */
  suppressPrefixlen: number;
  not: boolean;
  protocol: string | null;
}

export type NudState =
  | "INCOMPLETE"
  | "REACHABLE"
  | "STALE"
  | "DELAY"
  | "PROBE"
  | "FAILED"
  | "NOARP"
  | "PERMANENT";

export interface NeighEntry {
  ip: IPv4;
  dev: NetDevice;
  lladdr: Mac | null;
  state: NudState;
  /** Time of the last confirmation (REACHABLE) or state change. */
  updated: number;
  confirmed: number;
  /** Last transmission through the resolving path (neigh->used): decides DELAY or STALE when reachability expires. */
  used: number;
  probes: number;
  router: boolean;
  /** Packets waiting for resolution (arp_queue, 3 by default in bytes terms; we keep 101 packets as unres_qlen). */
  queue: Ipv4Packet[];
  proxy: boolean;
}
