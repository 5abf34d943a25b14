/**
 * @module cni/ipam/go-ip
 * IP addresses and prefixes as Go's `net` package parses and prints them,
 * because host-local's output and error messages are Go's `net.IP.String()`
 * and `(*net.IPNet).String()`: strict dotted quads (no leading zeros, no
 * hex), IPv6 without zones, `::` for the longest zero run, and a prefix that
 * keeps the host bits the user wrote (`types.ParseCIDR` does not mask).
 */

/** An address after host-local's canonicalizeIP: IPv4 (including IPv4-mapped IPv6) or IPv6. */
export interface GoIP {
  readonly v4: boolean;
  readonly n: bigint;
}

/** A prefix as `types.IPNet` holds it: the address as written, and a mask of the parsed family's width. */
export interface GoCIDR {
  readonly ip: GoIP;
  readonly ones: number;
  /** The mask's width: 32 when the text parsed as IPv4, else 128 (even for `::ffff:a.b.c.d`). */
  readonly bits: 32 | 128;
}

const V4_MAPPED = 0xffffn << 32n;
const V4_MAPPED_MASK = ~((1n << 32n) - 1n) & ((1n << 128n) - 1n);

function parseV4(s: string): bigint | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    // Go 1.17+ rejects leading zeros (they were ambiguous with octal).
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | null {
  if (s.includes("%")) return null;
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (h: string): bigint[] | null => {
    if (h === "") return [];
    const out: bigint[] = [];
    const fields = h.split(":");
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] ?? "";
      if (i === fields.length - 1 && f.includes(".")) {
        const v4 = parseV4(f);
        if (v4 === null) return null;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(f)) {
        out.push(BigInt(Number.parseInt(f, 16)));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0] ?? "");
  const tail = halves.length === 2 ? groups(halves[1] ?? "") : [];
  if (head === null || tail === null) return null;
  // An embedded IPv4 part is only allowed at the very end.
  if (halves.length === 2 && (halves[0] ?? "").includes(".")) return null;
  const count = head.length + tail.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return null;
  const all = [...head, ...new Array<bigint>(8 - count).fill(0n), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function canonical(n: bigint, v6: boolean): GoIP {
  if (v6 && (n & V4_MAPPED_MASK) === V4_MAPPED) return { v4: true, n: n & 0xffffffffn };
  return { v4: !v6, n };
}

/** `net.ParseIP` followed by canonicalizeIP; null where Go's ParseIP returns nil. */
export function parseGoIP(s: string): GoIP | null {
  const v4 = parseV4(s);
  if (v4 !== null) return { v4: true, n: v4 };
  const v6 = parseV6(s);
  return v6 === null ? null : canonical(v6, true);
}

/** `net.ParseCIDR`, keeping the address's host bits as `types.ParseCIDR` does. */
export function parseGoCIDR(s: string): GoCIDR | null {
  const slash = s.indexOf("/");
  if (slash < 0) return null;
  const addr = s.slice(0, slash);
  const len = s.slice(slash + 1);
  if (!/^[0-9]+$/.test(len) || len.length > 3) return null;
  const ones = Number(len);
  const v4 = parseV4(addr);
  if (v4 !== null) return ones > 32 ? null : { ip: { v4: true, n: v4 }, ones, bits: 32 };
  const v6 = parseV6(addr);
  if (v6 === null || ones > 128) return null;
  return { ip: canonical(v6, true), ones, bits: 128 };
}

/** `net.IP.String()`. */
export function formatGoIP(ip: GoIP): string {
  if (ip.v4) return [24n, 16n, 8n, 0n].map((s) => String((ip.n >> s) & 0xffn)).join(".");
  const g = Array.from({ length: 8 }, (_, i) => Number((ip.n >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups becomes "::"; the first one on a tie.
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(":");
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}

/** `(*net.IPNet).String()`: the address as stored, and the mask narrowed to an IPv4 address's width. */
export function formatGoCIDR(c: GoCIDR): string {
  const ones = c.ip.v4 && c.bits === 128 ? Math.max(0, c.ones - 96) : c.ones;
  return `${formatGoIP(c.ip)}/${ones}`;
}

/** The address width in bits after canonicalisation. */
export function ipBits(ip: GoIP): 32 | 128 {
  return ip.v4 ? 32 : 128;
}

export function ipEqual(a: GoIP, b: GoIP): boolean {
  return a.v4 === b.v4 && a.n === b.n;
}

/** `ip.Cmp` from the plugins' pkg/ip: compares the numeric values, whatever the family. */
export function ipCmp(a: GoIP, b: GoIP): number {
  return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
}

/** `ip.NextIP`; null past the family's last address (Go would produce a malformed IP there). */
export function nextIP(ip: GoIP): GoIP | null {
  const n = ip.n + 1n;
  return n >> BigInt(ipBits(ip)) === 0n ? { v4: ip.v4, n } : null;
}

function maskValue(c: GoCIDR): bigint {
  const bits = BigInt(ipBits(c.ip));
  const ones = BigInt(c.ip.v4 && c.bits === 128 ? Math.max(0, c.ones - 96) : c.ones);
  return ((1n << ones) - 1n) << (bits - ones);
}

/** The network address (`IP.Mask`). */
export function networkOf(c: GoCIDR): GoIP {
  return { v4: c.ip.v4, n: c.ip.n & maskValue(c) };
}

/** The subnet's last address, all host bits set. */
export function lastOf(c: GoCIDR): GoIP {
  const all = (1n << BigInt(ipBits(c.ip))) - 1n;
  return { v4: c.ip.v4, n: (c.ip.n & maskValue(c)) | (all & ~maskValue(c)) };
}

/** `net.IPNet.Contains`. */
export function subnetContains(c: GoCIDR, ip: GoIP): boolean {
  return ip.v4 === c.ip.v4 && (ip.n & maskValue(c)) === (c.ip.n & maskValue(c));
}
