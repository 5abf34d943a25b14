/**
 * @module kernel/netfilter/ipset
 * ip_set: named sets that `-m set --match-set NAME src,dst[,…]` tests a
 * packet against. Types hash:ip, hash:ip,port, hash:ip,port,ip,
 * hash:ip,port,net, hash:net and bitmap:port — the ones kube-proxy's ipvs
 * mode creates. Each flag names which header field feeds the element's
 * part in order (ip_set_get_ip4_port and friends).
 */
import type { IPv4 } from "../../net/ip.js";
import type { Ipv4Packet } from "../../net/packet.js";

export type IpSetType =
  | "hash:ip"
  | "hash:ip,port"
  | "hash:ip,port,ip"
  | "hash:ip,port,net"
  | "hash:net"
  | "bitmap:port";

export interface IpSetEntry {
  addr: IPv4;
  /** Prefix length for hash:net; 32 otherwise. */
  len: number;
  proto: string;
  port: number;
  /** The third part of hash:ip,port,ip / hash:ip,port,net (an address, or a network with len2). */
  addr2?: IPv4;
  len2?: number;
  text: string;
}

export interface IpSet {
  name: string;
  type: IpSetType;
  hashsize: number;
  maxelem: number;
  rangeLo: number;
  rangeHi: number;
  /** Created with the `comment` extension (entries may carry a comment). */
  comment?: boolean;
  entries: Map<string, IpSetEntry>;
  references: number;
}

function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

function addrFor(pkt: Ipv4Packet, dir: "src" | "dst"): number {
  return dir === "src" ? pkt.src : pkt.dst;
}

function portFor(pkt: Ipv4Packet, dir: "src" | "dst"): number {
  const l4 = pkt.l4;
  return l4.proto === "icmp" ? 0 : dir === "src" ? l4.sport : l4.dport;
}

/** The lookup key of an element (how the shell's ipset and the kernel agree on identity). */
export function ipsetKey(type: IpSetType, e: IpSetEntry): string {
  switch (type) {
    case "hash:ip":
      return `${e.addr >>> 0}`;
    case "hash:net":
      return `${e.addr >>> 0}/${e.len}`;
    case "hash:ip,port":
      return `${e.addr >>> 0},${e.proto}:${e.port}`;
    case "hash:ip,port,ip":
      return `${e.addr >>> 0},${e.proto}:${e.port},${(e.addr2 ?? 0) >>> 0}`;
    case "hash:ip,port,net":
      return `${e.addr >>> 0},${e.proto}:${e.port},${(e.addr2 ?? 0) >>> 0}/${e.len2 ?? 32}`;
    case "bitmap:port":
      return `${e.port}`;
  }
}

/** Whether the packet's address (and port, and second address) for each flag is in the set. */
export function ipsetTest(set: IpSet, pkt: Ipv4Packet, flags: ("src" | "dst")[]): boolean {
  const dir = flags[0] ?? "src";
  const addr = addrFor(pkt, dir);
  const l4 = pkt.l4;
  const portDir = flags[1] ?? dir;
  const port = portFor(pkt, portDir);
  switch (set.type) {
    case "hash:ip":
      return set.entries.has(`${addr >>> 0}`);
    case "hash:ip,port":
      return set.entries.has(`${addr >>> 0},${l4.proto}:${port}`);
    case "hash:ip,port,ip": {
      const a2 = addrFor(pkt, flags[2] ?? portDir);
      return set.entries.has(`${addr >>> 0},${l4.proto}:${port},${a2 >>> 0}`);
    }
    case "hash:ip,port,net": {
      const a2 = addrFor(pkt, flags[2] ?? portDir);
      for (const e of set.entries.values())
        if (
          e.addr >>> 0 === addr >>> 0 &&
          e.proto === l4.proto &&
          e.port === port &&
          (a2 & maskOf(e.len2 ?? 32)) >>> 0 === (e.addr2 ?? 0) >>> 0
        )
          return true;
      return false;
    }
    case "hash:net":
      for (const e of set.entries.values()) if ((addr & maskOf(e.len)) >>> 0 === e.addr >>> 0) return true;
      return false;
    case "bitmap:port": {
      const p = l4.proto === "icmp" ? -1 : dir === "src" ? l4.sport : l4.dport;
      return set.entries.has(`${p}`);
    }
  }
}
