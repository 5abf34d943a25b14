/**
 * @module cni/plugins/env
 * What a plugin runs with besides its configuration and CNI_* arguments:
 * the node it changes (through the host interface only), the node's files
 * for IPAM state, and randomness for generated names.
 */
import type { Host, NsRef } from "../../host/host.js";
import type { IpamStore } from "../ipam/host-local.js";

export interface PluginEnv {
  host: Host;
  /** The directory `<dataDir>/<network name>` of host-local's state. */
  ipamStore(dataDir: string, network: string): IpamStore;
  /** Random bytes (crypto/rand in the reference; seeded in the model). */
  randomBytes(n: number): Uint8Array;
  /** The node's files (/run/flannel/subnet.env, the flannel plugin's saved delegates). */
  readFile(path: string): string | null;
  writeFile(path: string, data: string): void;
  removeFile(path: string): void;
}

/** CNI_NETNS as the host interface names it: a /run/netns name, or the path itself. */
export function sandboxRef(netns: string): NsRef {
  const m = /^(?:\/var)?\/run\/netns\/([^/]+)$/.exec(netns);
  return m ? m[1]! : netns;
}

/** ns.GetNS: the namespace must exist; the error is the one plugins wrap ("failed to Statfs …"). */
export async function openNetns(env: PluginEnv, netns: string): Promise<NsRef> {
  const ref = sandboxRef(netns);
  try {
    await env.host.linkList(ref);
  } catch {
    throw new Error(`failed to Statfs ${JSON.stringify(netns)}: no such file or directory`);
  }
  return ref;
}
