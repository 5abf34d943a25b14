/**
 * @module net/ip
 * IPv4 addresses are uint32 numbers inside the model (cheap to mask and
 * compare on the hot path); IPv6 addresses are bigints. Text is parsed and
 * printed only at the edges, with ipaddr.js for IPv6 so that printing
 * follows RFC 5952 as iproute2 does.
 */
import ipaddr from "ipaddr.js";

export type IPv4 = number;

/** Parses dotted-quad IPv4 strictly (four decimal octets); null when invalid. */
export function parseIPv4(s: string): IPv4 | null {
  // Four dot-separated groups of one to three decimal digits, each at most 255; scanned by
  // character because every address of a 400,000-rule restore comes through here.
  let n = 0;
  let octets = 0;
  let i = 0;
  const len = s.length;
  while (octets < 4) {
    let v = 0;
    let digits = 0;
    while (i < len) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || v > 255) return null;
    n = n * 256 + v;
    octets++;
    if (octets < 4) {
      if (s.charCodeAt(i) !== 46) return null;
      i++;
    }
  }
  return i === len ? n >>> 0 : null;
}

/**
 * Parses an address the way iproute2's get_addr_ipv4 does: octets left to
 * right with strtoul base 0, missing ones zero, so "10.1" is 10.1.0.0.
 */
export function parseIPv4Loose(s: string): IPv4 | null {
  const parts = s.split(".");
  if (parts.length > 4) return null;
  const oct: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]+$/i.test(p)) n = Number.parseInt(p, 16);
    else if (/^0[0-7]*$/.test(p)) n = Number.parseInt(p, 8);
    else if (/^[1-9]\d*$/.test(p)) n = Number(p);
    else return null;
    if (n > 255) return null;
    oct.push(n);
  }
  while (oct.length < 4) oct.push(0);
  return ((oct[0]! << 24) | (oct[1]! << 16) | (oct[2]! << 8) | oct[3]!) >>> 0;
}

/** Whether a string is an IPv4 prefix in CIDR notation ("10.244.0.0/16"). */
export function isIPv4Cidr(s: unknown): s is string {
  if (typeof s !== "string") return false;
  const [a, l] = s.split("/");
  return parseIPv4(a ?? "") !== null && l !== undefined && /^\d+$/.test(l) && Number(l) <= 32;
}

export function formatIPv4(n: IPv4): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Netmask for a prefix length, as uint32. */
export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

export function inPrefix(addr: IPv4, net: IPv4, len: number): boolean {
  return (addr & maskOf(len)) >>> 0 === net;
}

export function broadcastOf(addr: IPv4, len: number): IPv4 {
  return (addr | ~maskOf(len)) >>> 0;
}

export function networkOf(addr: IPv4, len: number): IPv4 {
  return (addr & maskOf(len)) >>> 0;
}

export function isMulticast4(a: IPv4): boolean {
  return a >>> 28 === 0xe;
}

export function isLoopback4(a: IPv4): boolean {
  return a >>> 24 === 127;
}

export const INADDR_ANY = 0;
export const INADDR_BROADCAST = 0xffffffff;

// ---- IPv6 ----

export type IPv6 = bigint;

export function parseIPv6(s: string): IPv6 | null {
  if (!s.includes(":") || !ipaddr.IPv6.isValid(s)) return null;
  const bytes = ipaddr.IPv6.parse(s).toByteArray();
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

export function formatIPv6(v: IPv6): string {
  const bytes: number[] = [];
  for (let i = 15; i >= 0; i--) bytes.push(Number((v >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** EUI-64 interface identifier of a MAC, as the kernel builds link-local addresses (addrconf_ifid_eui48). */
export function linkLocalFromMac(mac: string): IPv6 {
  const b = mac.split(":").map((h) => Number.parseInt(h, 16));
  const ifid = [(b[0] ?? 0) ^ 2, b[1] ?? 0, b[2] ?? 0, 0xff, 0xfe, b[3] ?? 0, b[4] ?? 0, b[5] ?? 0];
  let v = 0xfe80n << 112n;
  for (let i = 0; i < 8; i++) v |= BigInt(ifid[i] ?? 0) << BigInt((7 - i) * 8);
  return v;
}

export function maskOf6(len: number): bigint {
  return len === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - len)) - 1n);
}
