/**
 * @module shell/commands/getent
 * glibc's getent for the hosts database: `getent hosts NAME…` asks
 * gethostbyname2 for IPv6 then IPv4 (files, then DNS), an address asks
 * gethostbyaddr (the hosts file here). Exit 2 when a key is not found.
 */
import { parseHosts, Resolver, reverseHosts } from "../../dns/resolver/index.js";
import type { CmdContext, CmdResult } from "../types.js";
import { hostsOf, idSeed, resolvConfOf, spend, transportOf } from "./bind/tool-context.js";

/** print_hosts: "%-15s %s" and the aliases. */
function line(address: string, name: string, aliases: string[]): string {
  return `${address.padEnd(15)} ${[name, ...aliases].join(" ")}\n`;
}

export async function getentCommand(argv: string[], ctx: CmdContext): Promise<CmdResult> {
  const db = argv[0];
  if (db === undefined)
    return {
      stdout: "",
      stderr:
        "getent: wrong number of arguments\nTry `getent --help' or `getent --usage' for more information.\n",
      exitCode: 1,
    };
  if (db !== "hosts")
    return {
      stdout: "",
      stderr: `Unknown database: ${db}\nTry \`getent --help' or \`getent --usage' for more information.\n`,
      exitCode: 1,
    };
  const hostsText = hostsOf(ctx);
  const keys = argv.slice(1);
  if (keys.length === 0) {
    // Enumeration walks the file only.
    return {
      stdout: parseHosts(hostsText)
        .map((e) => line(e.address, e.names[0]!, e.names.slice(1)))
        .join(""),
      stderr: "",
      exitCode: 0,
    };
  }
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
