/**
 * @module net/mac
 * MAC addresses as lower-case colon strings, the form `ip link` prints.
 */
import type { Rng } from "./rand.js";

export type Mac = string;

export const BROADCAST_MAC: Mac = "ff:ff:ff:ff:ff:ff";
export const ZERO_MAC: Mac = "00:00:00:00:00:00";

export function parseMac(s: string): Mac | null {
  const parts = s.split(":");
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return null;
  return parts.map((p) => p.toLowerCase().padStart(2, "0")).join(":");
}

const HEX = "0123456789abcdef";

/** The I/G bit of the first octet: the low bit of its second hex digit. */
export function isMulticastMac(m: Mac): boolean {
  return (HEX.indexOf(m.charAt(1)) & 1) === 1;
}

/** A random locally administered unicast MAC, as eth_random_addr() makes one. */
export function randomMac(rng: Rng): Mac {
  const b: number[] = [];
  for (let i = 0; i < 6; i++) b.push(rng.nextInt(256));
  b[0] = ((b[0] ?? 0) & 0xfe) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
}

/** Numeric comparison used where the kernel compares addresses with memcmp (bridge id). */
export function compareMac(a: Mac, b: Mac): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Multicast MAC for an IPv4 group (01:00:5e + low 23 bits). */
export function ipv4MulticastMac(group: number): Mac {
  const b = [0x01, 0x00, 0x5e, (group >>> 16) & 0x7f, (group >>> 8) & 0xff, group & 0xff];
  return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
}

/** The MACs the oracle pins on both sides: 02:4b:54 ("KT") and a counter. */
export const SEQUENTIAL_MAC_PREFIX = "02:4b:54";

export function sequentialMac(n: number): Mac {
  const h = (v: number): string => v.toString(16).padStart(2, "0");
  return `${SEQUENTIAL_MAC_PREFIX}:${h((n >> 16) & 255)}:${h((n >> 8) & 255)}:${h(n & 255)}`;
}
