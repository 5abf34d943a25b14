/**
 * @module shell/commands/getent
 * glibc's getent for the hosts database: `getent hosts NAME…` asks
 * gethostbyname2 for IPv6 then IPv4 (files, then DNS), an address asks
 * gethostbyaddr (the hosts file here); `getent ahosts[v4|v6] NAME…` calls
 * getaddrinfo and prints one line per socket type. Exit 2 when a key is not
 * found.
 */
import { parseHosts, Resolver, reverseHosts } from "../../dns/resolver/index.js";
import type { CmdContext, CmdResult } from "../types.js";
import { hostsOf, idSeed, resolvConfOf, spend, transportOf } from "./bind/tool-context.js";

const FAMILY = { ahosts: "unspec", ahostsv4: 4, ahostsv6: 6 } as const;

/** ahosts_keys: getaddrinfo with AI_CANONNAME; "%-15s %-6s %s" per address and socket type, the name on the first line only. */
async function ahosts(db: keyof typeof FAMILY, keys: string[], ctx: CmdContext): Promise<CmdResult> {
  // Without keys ahosts walks the hosts file as `hosts` does.
  if (keys.length === 0) return hostsEnumeration(ctx);
  const resolver = new Resolver({
    transport: transportOf(ctx),
    resolvConf: resolvConfOf(ctx),
    hosts: hostsOf(ctx),
    seed: idSeed(ctx),
  });
  let out = "";
  let status = 0;
  for (const key of keys) {
    const r = await resolver.getaddrinfo(key, FAMILY[db]);
    spend(ctx, r.elapsedMs);
    if (r.error !== null) {
      status = 2;
      continue;
    }
    let first = true;
    for (const a of r.addresses)
      for (const type of ["STREAM", "DGRAM", "RAW"]) {
        out += `${a.address.padEnd(15)} ${type.padEnd(6)} ${first ? (r.canonicalName ?? key) : ""}\n`;
        first = false;
      }
  }
  return { stdout: out, stderr: "", exitCode: status };
}

function hostsEnumeration(ctx: CmdContext): CmdResult {
  const entries = parseHosts(hostsOf(ctx));
  return {
    stdout: entries.map((e) => line(e.address, e.names[0]!, e.names.slice(1))).join(""),
    stderr: "",
    exitCode: 0,
  };
}

/** print_hosts: "%-15s %s" and the aliases. */
function line(address: string, name: string, aliases: string[]): string {
  return `${address.padEnd(15)} ${[name, ...aliases].join(" ")}\n`;
}

export async function getentCommand(argv: string[], ctx: CmdContext): Promise<CmdResult> {
  const db = argv[0];
  // argp prints its hint on stdout, the error on stderr.
  const hint = "Try `getent --help' or `getent --usage' for more information.\n";
  if (db === undefined) return { stdout: hint, stderr: "getent: wrong number of arguments\n", exitCode: 1 };
  if (db === "ahosts" || db === "ahostsv4" || db === "ahostsv6") return ahosts(db, argv.slice(1), ctx);
  if (db !== "hosts") return { stdout: hint, stderr: `Unknown database: ${db}\n`, exitCode: 1 };
  const hostsText = hostsOf(ctx);
  const keys = argv.slice(1);
  // Enumeration walks the file only.
  if (keys.length === 0) return hostsEnumeration(ctx);
  const resolver = new Resolver({
    transport: transportOf(ctx),
    resolvConf: resolvConfOf(ctx),
    hosts: hostsText,
    seed: idSeed(ctx),
  });
  let out = "";
  let status = 0;
  for (const key of keys) {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(key) || key.includes(":")) {
      const name = reverseHosts(resolver.hosts, key);
      if (name === null) status = 2;
      else {
        const e = resolver.hosts.find((h) => h.address === key)!;
        out += line(key, name, e.names.slice(1));
      }
      continue;
    }
    let r = await resolver.gethostbyname2(key, 6);
    spend(ctx, r.elapsedMs);
    if (r.error !== null) {
      r = await resolver.gethostbyname2(key, 4);
      spend(ctx, r.elapsedMs);
    }
    if (r.error !== null) {
      status = 2;
      continue;
    }
    for (const a of r.addresses) out += line(a.address, r.canonicalName ?? key, r.aliases);
  }
  return { stdout: out, stderr: "", exitCode: status };
}
