/**
 * @module dns/corefile/address
 * Server block keys and plugin zone arguments normalised as CoreDNS does
 * (core/dnsserver/address.go normalizeZone, plugin/normalize.go SplitHostPort):
 * lower-cased, fully qualified, default port 53, a `dns://` style transport
 * prefix, and a CIDR turned into the reverse zone(s) that cover it. A prefix
 * that is not on an octet (IPv4) or nibble (IPv6) boundary becomes several
 * zones, one per covered octet or nibble value.
 */
import { parseIPv4, parseIPv6 } from "../../net/ip.js";

export interface ZoneAddr {
  zone: string;
  port: number;
  transport: "dns" | "tls" | "quic" | "grpc" | "https";
}

const TRANSPORTS = ["dns", "tls", "quic", "grpc", "https"] as const;
const DEFAULT_PORTS: Record<ZoneAddr["transport"], number> = {
  dns: 53,
  tls: 853,
  quic: 853,
  grpc: 443,
  https: 443,
};

/** Lower-case and make fully qualified (plugin.Name.Normalize). */
export function fqdn(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith(".") ? n : `${n}.`;
}

/**
 * The reverse zones that cover a CIDR, or null when the text is not a CIDR.
 * 10.0.0.0/24 → ["0.0.10.in-addr.arpa."]; 172.16.0.0/12 → 16.172 … 31.172.
 */
export function reverseZones(cidr: string): string[] | null {
  const slash = cidr.indexOf("/");
  if (slash < 0) return null;
  const addr = cidr.slice(0, slash);
  const lenText = cidr.slice(slash + 1);
  if (!/^\d+$/.test(lenText)) return null;
  const len = Number(lenText);
  const v4 = parseIPv4(addr);
  if (v4 !== null) {
    if (len > 32) return null;
    const octets = Math.ceil(len / 8);
    const extra = octets * 8 - len;
    const zones: string[] = [];
    const base = octets === 0 ? 0 : (v4 >>> (32 - octets * 8)) & ~((1 << extra) - 1);
    for (let i = 0; i < 1 << extra; i++) {
      const v = base + i;
      const labels: string[] = [];
      for (let o = 0; o < octets; o++) labels.push(String((v >>> ((octets - 1 - o) * 8)) & 0xff));
      zones.push(`${[...labels.reverse(), "in-addr", "arpa"].join(".")}.`);
    }
    return zones;
  }
  const v6 = parseIPv6(addr);
  if (v6 !== null) {
    if (len > 128) return null;
    const nibbles = Math.ceil(len / 4);
    const extra = nibbles * 4 - len;
    const hex = formatHex(v6);
    const zones: string[] = [];
    const head = nibbles === 0 ? 0n : BigInt(`0x${hex.slice(0, nibbles)}`) & ~((1n << BigInt(extra)) - 1n);
    for (let i = 0n; i < 1n << BigInt(extra); i++) {
      const v = (head + i).toString(16).padStart(nibbles, "0");
      zones.push(`${[...v.split("").reverse(), "ip6", "arpa"].join(".")}.`);
    }
    return zones;
  }
  return null;
}

function formatHex(v: bigint): string {
  return v.toString(16).padStart(32, "0");
}

/**
 * Parse a server block key (`.:53`, `dns://cluster.local:1053`, `10.0.0.0/24`)
 * into one zone address per zone, or an error message.
 */
export function normalizeKey(key: string): ZoneAddr[] | string {
  let rest = key;
  let transport: ZoneAddr["transport"] = "dns";
  const m = /^([a-z]+):\/\//.exec(rest);
  if (m) {
    const t = TRANSPORTS.find((x) => x === m[1]);
    if (!t) return `unsupported transport "${m[1]}" in "${key}"`;
    transport = t;
    rest = rest.slice(m[0].length);
  }
  let host = rest;
  let port = DEFAULT_PORTS[transport];
  // host:port, but an IPv6 CIDR also holds colons: only split off a trailing :digits after the host part.
  const pm = /^(.*?)(?::(\d*))?$/.exec(rest);
  if (pm && pm[2] !== undefined && !rest.includes("/")) {
    host = pm[1] ?? "";
    if (pm[2] === "") return `invalid port in "${key}"`;
    port = Number(pm[2]);
  } else if (rest.includes("/")) {
    const cm = /^(.*\/\d+)(?::(\d+))?$/.exec(rest);
    if (cm) {
      host = cm[1]!;
      if (cm[2] !== undefined) port = Number(cm[2]);
    }
  }
  if (port > 65535) return `invalid port in "${key}"`;
  if (host === "") host = ".";
  const rev = reverseZones(host);
  if (host.includes("/") && !rev) return `invalid CIDR "${host}" in "${key}"`;
  const zones = rev ?? [fqdn(host)];
  return zones.map((zone) => ({ zone, port, transport }));
}

/** Normalise a plugin's zone argument (plugin.Host(...).NormalizeExact): a name or a CIDR. */
export function normalizeZoneArg(arg: string): string[] {
  return reverseZones(arg) ?? [fqdn(arg)];
}

/** `dns://.:53`, as CoreDNS prints a zone address. */
export function zoneAddrString(z: ZoneAddr): string {
  return `${z.transport}://${z.zone}:${z.port}`;
}
