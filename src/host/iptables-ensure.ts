/**
 * @module host/iptables-ensure
 * What go-iptables' NewChain-if-missing and AppendUnique/Insert-if-missing do
 * (and kube-proxy's EnsureChain/EnsureRule): components that own a few chains
 * keep them present without duplicating rules, through the host interface.
 */
import type { Host, NsRef } from "./host.js";

export async function ensureChain(host: Host, table: string, chain: string, ns: NsRef = null): Promise<void> {
  const have = (await host.iptables(ns, ["-t", table, "-S"])).split("\n");
  if (!have.includes(`-N ${chain}`)) await host.iptables(ns, ["-t", table, "-N", chain]);
}

/** The rule unless `-C` finds it: appended, or inserted first ("prepend", kube-proxy's EnsureRule(Prepend)). */
export async function ensureRule(
  host: Host,
  table: string,
  chain: string,
  spec: string[],
  position: "append" | "prepend" = "append",
  ns: NsRef = null,
): Promise<void> {
  try {
    await host.iptables(ns, ["-t", table, "-C", chain, ...spec]);
  } catch {
    await host.iptables(ns, ["-t", table, position === "append" ? "-A" : "-I", chain, ...spec]);
  }
}
