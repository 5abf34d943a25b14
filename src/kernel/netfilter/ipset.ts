/**
 * @module kernel/netfilter/ipset
 * ip_set: named sets that `-m set --match-set NAME src,dst` tests a packet
 * against. Types hash:ip, hash:ip,port, hash:net and bitmap:port.
 */
import type { IPv4 } from "../../net/ip.js";
import type { Ipv4Packet } from "../../net/packet.js";

export type IpSetType = "hash:ip" | "hash:ip,port" | "hash:net" | "bitmap:port";

export interface IpSetEntry {
  addr: IPv4;
  /** Prefix length for hash:net; 32 otherwise. */
  len: number;
  proto: string;
  port: number;
  text: string;
}

export interface IpSet {
  name: string;
  type: IpSetType;
  hashsize: number;
  maxelem: number;
  rangeLo: number;
  rangeHi: number;
  entries: Map<string, IpSetEntry>;
  references: number;
}

function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Whether the packet's address (and port) for each flag is in the set. */
export function ipsetTest(set: IpSet, pkt: Ipv4Packet, flags: ("src" | "dst")[]): boolean {
  const dir = flags[0] ?? "src";
  const addr = dir === "src" ? pkt.src : pkt.dst;
  const l4 = pkt.l4;
  const portDir = flags[1] ?? dir;
  const port = l4.proto === "icmp" ? 0 : portDir === "src" ? l4.sport : l4.dport;
  switch (set.type) {
    case "hash:ip":
      return set.entries.has(`${addr >>> 0}`);
    case "hash:ip,port":
      return set.entries.has(`${addr >>> 0},${l4.proto}:${port}`);
    case "hash:net":
      for (const e of set.entries.values()) if ((addr & maskOf(e.len)) >>> 0 === e.addr >>> 0) return true;
      return false;
    case "bitmap:port": {
      const p = l4.proto === "icmp" ? -1 : dir === "src" ? l4.sport : l4.dport;
      return set.entries.has(`${p}`);
    }
  }
}
