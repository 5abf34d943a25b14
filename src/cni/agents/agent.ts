/**
 * @module cni/agents/agent
 * What a node's network agent (kindnetd, flanneld, calico-node) knows and
 * touches: its own node, every node's lease, the node's files (where it
 * writes the CNI configuration) and the host interface.
 */
import type { Host } from "../../host/host.js";
import { ensureChain, ensureRule } from "../../host/iptables-ensure.js";

export interface NodeLease {
  name: string;
  /** The node's underlay address (InternalIP). */
  address: string;
  podCIDR: string;
  /** The underlay device the node reaches the others through. */
  dev: string;
}

export interface AgentContext {
  host: Host;
  self: NodeLease;
  nodes: NodeLease[];
  podSubnet: string;
  files: Map<string, string>;
  /** Underlay MTU (kind's docker network: 1500). */
  mtu: number;
}

export const CNI_CONF_DIR = "/etc/cni/net.d";

export function conflist(o: unknown): string {
  return `${JSON.stringify(o, null, "\t")}\n`;
}

/** The agent's own chain with its rules, and the jump to it, each added unless already there. */
export async function ensureRules(
  host: Host,
  table: string,
  chain: string,
  jump: { from: string; spec: string[] } | null,
  rules: string[][],
): Promise<void> {
  await ensureChain(host, table, chain);
  if (jump) await ensureRule(host, table, jump.from, jump.spec);
  for (const r of rules) await ensureRule(host, table, chain, r);
}
