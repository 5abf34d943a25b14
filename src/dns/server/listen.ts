/**
 * @module dns/server/listen
 * `--listen ADDR:PORT`: an IPv4 address, or an IPv6 one in brackets ([::1]:5353), and a port 0–65535.
 */
import net from "node:net";

export type Listen = { host: string; port: number } | { error: string };

export function parseListen(s: string): Listen {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:[\]]+):(\d+)$/.exec(s);
  if (!m) return { error: `expects ADDR:PORT (e.g. 127.0.0.1:5353 or [::1]:5353), got "${s}"` };
  const host = m[1]!;
  const port = Number(m[2]);
  if (!net.isIP(host)) return { error: `"${host}" is not an IP address (use e.g. 127.0.0.1 or [::1])` };
  if (s.startsWith("[") !== (net.isIPv6(host) === true))
    return { error: `an IPv6 address goes in brackets, e.g. [::1]:5353; got "${s}"` };
  if (!Number.isInteger(port) || port > 65535) return { error: `port ${m[2]} is out of range (0-65535)` };
  return { host, port };
}
