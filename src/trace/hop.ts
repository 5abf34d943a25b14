/**
 * @module trace/hop
 * The trace contract of design.md: each stage a packet passes appends one hop.
 */
export type HopKind =
  | "send"
  | "route"
  | "arp"
  | "neigh"
  | "xmit"
  | "veth"
  | "bridge"
  | "rcv"
  | "forward"
  | "local"
  | "netfilter"
  | "conntrack"
  | "nat"
  | "ipvs"
  | "encap"
  | "decap"
  | "icmp"
  | "socket"
  | "drop";

export interface Hop {
  /** The simulated machine (node name; "host" in `kubetwin sh`). */
  host: string;
  /** The network namespace, by its `ip netns` name or "(root)". */
  netns: string;
  kind: HopKind;
  detail: string;
  /** A one-line summary of the packet at this stage. */
  packet: string;
}

export interface TraceSink {
  record(hop: Hop): void;
}

export class TraceRecorder implements TraceSink {
  readonly hops: Hop[] = [];
  record(hop: Hop): void {
    this.hops.push(hop);
  }
}
