/**
 * @module cni/plugins/ip
 * The reference plugins' pkg/ip and pkg/utils: veth pairs with a random host
 * name, IP forwarding, the per-container masquerade chain, and deleting a
 * link with its addresses.
 */
import { createHash } from "node:crypto";
import { HostError, type NsRef } from "../../host/host.js";
import { ensureChain, ensureRule } from "../../host/iptables-ensure.js";
import { formatIPv4, networkOf, parseIPv4 } from "../../net/ip.js";
import { openNetns, type PluginEnv } from "./env.js";

/**
 * utils.FormatChainName: "CNI-" and the sha512 of name+id, cut to iptables'
 * 28 characters; a prefix ("DN-" for portmap) goes after "CNI-" and costs hex digits.
 */
export function formatChainName(name: string, id: string, prefix = ""): string {
  return `CNI-${prefix}${createHash("sha512")
    .update(name + id)
    .digest("hex")}`.slice(0, 28);
}

/** utils.FormatComment: Go's %q of each. */
export function formatComment(name: string, id: string): string {
  return `name: ${JSON.stringify(name)} id: ${JSON.stringify(id)}`;
}

/** ip.RandomVethName: "veth" and four random bytes in hex. */
export function randomVethName(env: PluginEnv): string {
  return `veth${Buffer.from(env.randomBytes(4)).toString("hex")}`;
}

export interface VethEnds {
  host: { name: string; mac: string };
  cont: { name: string; mac: string };
}

/**
 * ip.SetupVeth: the pair is made in the container's namespace with the peer
 * in the host's (retrying a taken random name), the container end is set up,
 * then the host end, whose routes the plugin owns (accept_ra 0).
 */
export async function setupVeth(
  env: PluginEnv,
  sandbox: NsRef,
  netnsPath: string,
  ifName: string,
  mtu: number,
): Promise<VethEnds> {
  const h = env.host;
  try {
    await openNetns(env, netnsPath);
  } catch (e) {
    throw new Error(`failed to open netns ${JSON.stringify(netnsPath)}: ${(e as Error).message}`);
  }
  let hostName = "";
  for (let i = 0; ; i++) {
    hostName = randomVethName(env);
    try {
      await h.vethAdd(sandbox, {
        name: ifName,
        peer: hostName,
        peerNs: null,
        txqlen: 0,
        ...(mtu ? { mtu } : {}),
      });
      break;
    } catch (e) {
      if (!(e instanceof HostError) || e.errno !== "EEXIST" || i >= 9)
        throw new Error(`failed to make veth pair: ${e instanceof Error ? e.message : String(e)}`);
      // EEXIST from the container side means ifName itself is taken: the reference reports it.
      if ((await h.linkList(sandbox)).some((l) => l.name === ifName))
        throw new Error(`container veth name provided (${ifName}) already exists`);
    }
  }
  await h.linkSet(sandbox, ifName, { up: true });
  await h.linkSet(null, hostName, { up: true });
  await h.sysctlSet(null, `net.ipv6.conf.${hostName}.accept_ra`, "0").catch(() => undefined);
  const mac = async (ns: NsRef, n: string): Promise<string> =>
    (await h.linkList(ns)).find((l) => l.name === n)?.mac ?? "";
  return {
    host: { name: hostName, mac: await mac(null, hostName) },
    cont: { name: ifName, mac: await mac(sandbox, ifName) },
  };
}

/** ip.EnableIP4Forward. */
export async function enableIp4Forward(env: PluginEnv): Promise<void> {
  await env.host.sysctlSet(null, "net.ipv4.ip_forward", "1");
}

const MULTICAST_NET = "224.0.0.0/4";

/** ip.SetupIPMasq: traffic from the pod to its own subnet is left alone, the rest (but multicast) masqueraded. */
export async function setupIpMasq(
  env: PluginEnv,
  cidr: string,
  chain: string,
  comment: string,
): Promise<void> {
  const h = env.host;
  await ensureChain(h, "nat", chain);
  const c = ["-m", "comment", "--comment", comment];
  await ensureRule(h, "nat", chain, ["-d", cidr, "-j", "ACCEPT", ...c]);
  await ensureRule(h, "nat", chain, ["!", "-d", MULTICAST_NET, "-j", "MASQUERADE", ...c]);
  await ensureRule(h, "nat", "POSTROUTING", ["-s", cidr.split("/")[0]!, "-j", chain, ...c]);
}

/** ip.TeardownIPMasq: each step tolerates what is already gone. */
export async function teardownIpMasq(
  env: PluginEnv,
  cidr: string,
  chain: string,
  comment: string,
): Promise<void> {
  const c = ["-m", "comment", "--comment", comment];
  const quiet = (args: string[]): Promise<unknown> =>
    env.host.iptables(null, ["-t", "nat", ...args]).catch(() => "");
  await quiet(["-D", "POSTROUTING", "-s", cidr.split("/")[0]!, "-j", chain, ...c]);
  await quiet(["-D", "POSTROUTING", "-s", cidr, "-j", chain, ...c]);
  await quiet(["-F", chain]);
  await quiet(["-X", chain]);
}

/** ip.DelLinkByNameAddr: the link's global addresses, then the link (its veth peer goes with it). */
export async function delLinkByNameAddr(env: PluginEnv, ns: NsRef, ifName: string): Promise<string[] | null> {
  const links = await env.host.linkList(ns);
  if (!links.some((l) => l.name === ifName)) return null;
  const addrs = (await env.host.addrList(ns))
    .filter((a) => a.dev === ifName && a.scope === "global")
    .map((a) => a.cidr);
  await env.host.linkDel(ns, ifName);
  return addrs;
}

/** The network of an address with its prefix: "10.244.1.2/24" → "10.244.1.0/24". */
export function networkOfCidr(cidr: string): string {
  const [a, l] = cidr.split("/");
  const len = Number(l);
  return `${formatIPv4(networkOf(parseIPv4(a ?? "") ?? 0, len))}/${len}`;
}

/** calcGatewayIP: the first address of the network. */
export function firstAddress(cidr: string): string {
  const [a, l] = cidr.split("/");
  return formatIPv4((networkOf(parseIPv4(a ?? "") ?? 0, Number(l)) + 1) >>> 0);
}
