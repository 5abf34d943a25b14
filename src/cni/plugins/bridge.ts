/**
 * @module cni/plugins/bridge
 * plugins/main/bridge (v1.1.1): a Linux bridge on the node, a veth per
 * container with its host end enslaved, IPAM's addresses in the container,
 * the gateway address on the bridge, forwarding and masquerade.
 */
import { HostError } from "../../host/host.js";
import { CNI_ERR, CniError } from "../error.js";
import type { CniArgs, CniInterface, CniResult, NetConf } from "../types.js";
import { type PluginEnv, sandboxRef } from "./env.js";
import {
  delLinkByNameAddr,
  enableIp4Forward,
  firstAddress,
  formatChainName,
  formatComment,
  setupIpMasq,
  setupVeth,
  teardownIpMasq,
} from "./ip.js";
import { configureIface, execIpamAdd, execIpamDel, WIDE_MASK } from "./ipam.js";

interface BridgeConf {
  brName: string;
  isGateway: boolean;
  isDefaultGateway: boolean;
  forceAddress: boolean;
  ipMasq: boolean;
  mtu: number;
  hairpinMode: boolean;
  promiscMode: boolean;
  layer3: boolean;
}

function loadNetConf(conf: NetConf): BridgeConf {
  const bool = (k: string): boolean => {
    const v = conf[k];
    if (v === undefined) return false;
    if (typeof v !== "boolean")
      throw new CniError(
        CNI_ERR.DECODING_FAILURE,
        `failed to load netconf: json: cannot unmarshal ${typeof v} into Go struct field NetConf.${k} of type bool`,
      );
    return v;
  };
  const br = conf.bridge ?? "cni0";
  if (typeof br !== "string")
    throw new CniError(
      CNI_ERR.DECODING_FAILURE,
      "failed to load netconf: json: cannot unmarshal into Go struct field NetConf.bridge of type string",
    );
  const mtu = conf.mtu ?? 0;
  if (typeof mtu !== "number" || !Number.isInteger(mtu))
    throw new CniError(
      CNI_ERR.DECODING_FAILURE,
      "failed to load netconf: json: cannot unmarshal into Go struct field NetConf.mtu of type int",
    );
  const n: BridgeConf = {
    brName: br,
    isGateway: bool("isGateway"),
    isDefaultGateway: bool("isDefaultGateway"),
    forceAddress: bool("forceAddress"),
    ipMasq: bool("ipMasq"),
    mtu,
    hairpinMode: bool("hairpinMode"),
    promiscMode: bool("promiscMode"),
    layer3: typeof conf.ipam?.type === "string" && conf.ipam.type !== "",
  };
  if (n.isDefaultGateway) n.isGateway = true;
  return n;
}

/** ensureBridge: create it (EEXIST is fine if it is a bridge), promiscuous if asked, accept_ra 0, up. */
async function setupBridge(env: PluginEnv, n: BridgeConf): Promise<CniInterface> {
  const h = env.host;
  try {
    await h.bridgeAdd(null, n.brName, n.mtu ? { mtu: n.mtu } : {});
  } catch (e) {
    if (!(e instanceof HostError) || e.errno !== "EEXIST")
      throw new Error(`could not add "${n.brName}": ${(e as Error).message}`);
  }
  if (n.promiscMode) await h.linkSet(null, n.brName, { promisc: true });
  const br = (await h.linkList(null)).find((l) => l.name === n.brName);
  if (!br) throw new Error(`could not lookup "${n.brName}": Link not found`);
  if (br.kind !== "bridge") throw new Error(`${n.brName} already exists but is not a bridge`);
  await h.sysctlSet(null, `net.ipv6.conf.${n.brName}.accept_ra`, "0").catch(() => undefined);
  await h.linkSet(null, n.brName, { up: true });
  return { name: br.name, mac: br.mac };
}

/** calcGateways: every IP is the container interface's (index 2); a default route via the gateway if asked. */
function calcGateways(result: CniResult, n: BridgeConf): string[] {
  const gws: string[] = [];
  let defaultRouteFound = false;
  for (const ipc of result.ips ?? []) {
    ipc.interface = 2;
    if (ipc.gateway === undefined && n.isGateway) ipc.gateway = firstAddress(ipc.address);
    if (n.isDefaultGateway && !defaultRouteFound) {
      defaultRouteFound = (result.routes ?? []).some((r) => r.gw !== undefined && r.dst === "0.0.0.0/0");
      if (!defaultRouteFound) {
        const def = { dst: "0.0.0.0/0", ...(ipc.gateway ? { gw: ipc.gateway } : {}) };
        WIDE_MASK.add(def);
        result.routes = [...(result.routes ?? []), def];
        defaultRouteFound = true;
      }
    }
    if (n.isGateway && ipc.gateway) gws.push(`${ipc.gateway}/${ipc.address.split("/")[1]}`);
  }
  return gws;
}

/** ensureAddr: the gateway on the bridge, once; then the bridge's MAC pinned to what it was (so ports churning do not move it). */
async function ensureAddr(env: PluginEnv, n: BridgeConf, gw: string, brMac: string): Promise<void> {
  const h = env.host;
  for (const a of (await h.addrList(null)).filter((x) => x.dev === n.brName)) {
    if (a.cidr === gw) return;
    if (!n.forceAddress) throw new Error(`"${n.brName}" already has an IP address different from ${gw}`);
    await h.addrDel(null, n.brName, a.cidr);
  }
  try {
    await h.addrAdd(null, n.brName, gw, { broadcast: true });
  } catch (e) {
    if (!(e instanceof HostError) || e.errno !== "EEXIST")
      throw new Error(`could not add IP address to "${n.brName}": ${(e as Error).message}`);
  }
  await h.linkSet(null, n.brName, { mac: brMac });
}

export async function bridgeAdd(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<CniResult> {
  const n = loadNetConf(conf);
  if (n.hairpinMode && n.promiscMode)
    throw new Error("cannot set hairpin mode and promiscuous mode at the same time.");
  const h = env.host;
  const brIface = await setupBridge(env, n);
  const sandbox = sandboxRef(args.netns);
  const veth = await setupVeth(env, sandbox, args.netns, args.ifName, n.mtu);
  try {
    await h.linkSet(null, veth.host.name, { master: n.brName });
  } catch (e) {
    throw new Error(`failed to connect "${veth.host.name}" to bridge ${n.brName}: ${(e as Error).message}`);
  }
  await h.linkSet(null, veth.host.name, { hairpin: n.hairpinMode });
  const result: CniResult = {
    cniVersion: "1.0.0",
    interfaces: [
      brIface,
      { name: veth.host.name, mac: veth.host.mac },
      { name: veth.cont.name, mac: veth.cont.mac, sandbox: args.netns },
    ],
    dns: {},
  };
  if (n.layer3) {
    const r = execIpamAdd(env, conf, args);
    try {
      result.ips = r.ips ?? [];
      if (r.routes) result.routes = r.routes;
      result.dns = r.dns;
      if (result.ips.length === 0) throw new Error("IPAM plugin returned missing IP config");
      const gws = calcGateways(result, n);
      // Without DAD a hairpinned bridge cannot see the container's own probe as a duplicate.
      await h.sysctlSet(sandbox, `net.ipv6.conf.${args.ifName}.accept_dad`, "0").catch(() => undefined);
      await h.sysctlSet(sandbox, `net.ipv4.conf.${args.ifName}.arp_notify`, "1");
      await configureIface(env, sandbox, args.ifName, result);
      for (const gw of gws) await ensureAddr(env, n, gw, brIface.mac ?? "");
      if (gws.length > 0) await enableIp4Forward(env);
      if (n.ipMasq) {
        const chain = formatChainName(conf.name, args.containerId);
        const comment = formatComment(conf.name, args.containerId);
        for (const ipc of result.ips) await setupIpMasq(env, ipc.address, chain, comment);
      }
    } catch (e) {
      execIpamDel(env, conf, args);
      throw e;
    }
  }
  // The bridge's MAC may have moved when its first port came, or been pinned since.
  const br = (await h.linkList(null)).find((l) => l.name === n.brName);
  if (br && result.interfaces?.[0]) result.interfaces[0].mac = br.mac;
  if (conf.dns) result.dns = conf.dns;
  return result;
}

export async function bridgeDel(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<void> {
  const n = loadNetConf(conf);
  const ipamDel = (): void => {
    if (n.layer3) execIpamDel(env, conf, args);
  };
  if (args.netns === "") {
    ipamDel();
    return;
  }
  let ipnets: string[] | null = null;
  try {
    ipnets = await delLinkByNameAddr(env, sandboxRef(args.netns), args.ifName);
  } catch (e) {
    // A namespace already gone is not an error on DEL (kubernetes#43014).
    if (e instanceof HostError && e.errno === "ENOENT") {
      ipamDel();
      return;
    }
    throw e;
  }
  ipamDel();
  if (n.layer3 && n.ipMasq && ipnets) {
    const chain = formatChainName(conf.name, args.containerId);
    const comment = formatComment(conf.name, args.containerId);
    for (const ipn of ipnets) await teardownIpMasq(env, ipn, chain, comment);
  }
}

export async function bridgeCheck(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<void> {
  const n = loadNetConf(conf);
  const prev = conf.prevResult;
  if (!prev) throw new Error("Required prevResult missing");
  const br = (await env.host.linkList(null)).find((l) => l.name === n.brName);
  if (!br) throw new Error(`Error: bridge ${n.brName} not found`);
  const ns = sandboxRef(args.netns);
  const addrs = (await env.host.addrList(ns)).filter((a) => a.dev === args.ifName).map((a) => a.cidr);
  if (!(await env.host.linkList(ns)).some((l) => l.name === args.ifName))
    throw new Error(`Error: Container Interface name in prevResult: ${args.ifName} not found`);
  for (const ipc of prev.ips ?? [])
    if (!addrs.includes(ipc.address))
      throw new Error(`Failed to match addr ${ipc.address} on interface ${args.ifName}`);
}
