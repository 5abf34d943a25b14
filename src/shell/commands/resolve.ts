/**
 * @module shell/commands/resolve
 * Host name lookup for the networking commands: /etc/hosts in the shell's
 * files, as glibc's "files" source does. DNS arrives with the DNS work.
 */
import { type IPv4, parseIPv4 } from "../../net/ip.js";
import type { CmdContext } from "../types.js";

export function resolveHost(ctx: CmdContext, name: string): IPv4 | null {
  if (name === "localhost") return 0x7f000001;
  const hosts = ctx.readFile?.("/etc/hosts") ?? null;
  if (hosts) {
    for (const line of hosts.split("\n")) {
      const words = line.replace(/#.*/, "").trim().split(/\s+/);
      if (words.length >= 2 && words.slice(1).includes(name)) {
        const a = parseIPv4(words[0]!);
        if (a !== null) return a;
      }
    }
  }
  return null;
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
