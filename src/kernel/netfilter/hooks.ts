/**
 * @module kernel/netfilter/hooks
 * The five IPv4 netfilter hooks as the stack calls them (NF_HOOK). Until
 * tables are registered on a namespace every hook accepts, as a kernel
 * without iptables rules does; the netfilter subsystem plugs in here.
 */
import type { Ipv4Packet } from "../../net/packet.js";
import type { NetNs } from "../netns.js";
import type { NetDevice } from "../types.js";

export type NfHookName = "PREROUTING" | "INPUT" | "FORWARD" | "OUTPUT" | "POSTROUTING";

export type NfVerdict =
  | { verdict: "ACCEPT"; pkt: Ipv4Packet }
  | { verdict: "DROP"; reason: string }
  | { verdict: "STOLEN" };

export type NfHookFn = (
  ns: NetNs,
  hook: NfHookName,
  pkt: Ipv4Packet,
  inDev: NetDevice | null,
  outDev: NetDevice | null,
) => NfVerdict;

const registered = new WeakMap<NetNs, NfHookFn>();

export function registerNfHooks(ns: NetNs, fn: NfHookFn): void {
  registered.set(ns, fn);
}

export function nfHook(
  ns: NetNs,
  hook: NfHookName,
  pkt: Ipv4Packet,
  inDev: NetDevice | null,
  outDev: NetDevice | null,
): NfVerdict {
  const fn = registered.get(ns);
  return fn ? fn(ns, hook, pkt, inDev, outDev) : { verdict: "ACCEPT", pkt };
}
