/**
 * @module shell/commands/resolve
 * Host name lookup for the networking commands, as glibc's getaddrinfo does
 * it with `hosts: files dns`: /etc/hosts, then DNS through resolv.conf and
 * the machine's DNS transport (on a bare machine DNS fails at once).
 */
import { GAI_STRERROR, Resolver } from "../../dns/resolver/index.js";
import { type IPv4, parseIPv4 } from "../../net/ip.js";
import type { CmdContext } from "../types.js";
import { hostsOf, idSeed, resolvConfOf, spend, transportOf } from "./bind/tool-context.js";

/** An IPv4 address for `name`, or gai_strerror's text for why there is none. */
export type HostResolution =
  | { addr: IPv4; error: null; canonicalName: string | null }
  | { addr: null; error: string; canonicalName: null };

/** getaddrinfo(name, AF_INET): what ping, nc and traceroute call. Waiting for DNS passes simulated time. */
export async function resolveHost(ctx: CmdContext, name: string): Promise<HostResolution> {
  // A bare machine has no /etc/hosts; its localhost still resolves (nss-myhostname's job there).
  if (name === "localhost" && hostsOf(ctx) === null)
    return { addr: 0x7f000001, error: null, canonicalName: "localhost" };
  const resolver = new Resolver({
    transport: transportOf(ctx),
    resolvConf: resolvConfOf(ctx),
    hosts: hostsOf(ctx),
    seed: idSeed(ctx),
  });
  const r = await resolver.getaddrinfo(name, 4);
  // Without a DNS transport the machine has no way to a server: glibc's send fails at once
  // (ECONNREFUSED/ENETUNREACH, as in a namespace without routes) and it gives up without waiting.
  if (ctx.dnsTransport) spend(ctx, r.elapsedMs);
  const a = r.addresses[0];
  if (r.error === null && a) {
    const addr = parseIPv4(a.address);
    if (addr !== null) return { addr, error: null, canonicalName: r.canonicalName };
  }
  return { addr: null, error: GAI_STRERROR[r.error ?? "EAI_NONAME"], canonicalName: null };
}

/** getnameinfo through /etc/hosts: the first name of the first line naming the address. */
export function reverseHost(ctx: CmdContext, addr: IPv4): string | null {
  const hosts = ctx.readFile?.("/etc/hosts") ?? null;
  if (hosts) {
    for (const line of hosts.split("\n")) {
      const words = line.replace(/#.*/, "").trim().split(/\s+/);
      if (words.length >= 2 && parseIPv4(words[0]!) === addr) return words[1]!;
    }
  }
  return addr === 0x7f000001 ? "localhost" : null;
}
