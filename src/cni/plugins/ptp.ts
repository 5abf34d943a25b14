/**
 * @module cni/plugins/ptp
 * plugins/main/ptp (v1.1.1): a veth per container and no bridge. The
 * container reaches its gateway over a /32 link route; the host end carries
 * the gateway address and a host route to the container.
 */
import { HostError } from "../../host/host.js";
import type { CniArgs, CniResult, NetConf } from "../types.js";
import { type PluginEnv, sandboxRef } from "./env.js";
import {
  delLinkByNameAddr,
  enableIp4Forward,
  formatChainName,
  formatComment,
  networkOfCidr,
  setupIpMasq,
  setupVeth,
  teardownIpMasq,
} from "./ip.js";
import { configureIface, execIpamAdd, execIpamDel } from "./ipam.js";

function dnsSet(conf: NetConf): boolean {
  const d = conf.dns;
  return !!d && !!(d.nameservers?.length || d.domain || d.search?.length || d.options?.length);
}

export async function ptpAdd(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<CniResult> {
  const h = env.host;
  const mtu = typeof conf.mtu === "number" ? conf.mtu : 0;
  const result = execIpamAdd(env, conf, args);
  try {
    const ips = result.ips ?? [];
    if (ips.length === 0) throw new Error("IPAM plugin returned missing IP config");
    await enableIp4Forward(env);
    const sandbox = sandboxRef(args.netns);
    // setupContainerVeth
    const veth = await setupVeth(env, sandbox, args.netns, args.ifName, mtu);
    for (const ipc of ips) ipc.interface = 1;
    result.interfaces = [
      { name: veth.host.name, mac: veth.host.mac },
      { name: veth.cont.name, mac: veth.cont.mac, sandbox: args.netns },
    ];
    await configureIface(env, sandbox, args.ifName, result);
    for (const ipc of ips) {
      const src = ipc.address.split("/")[0]!;
      const net = networkOfCidr(ipc.address);
      // The connected route goes: the container reaches its subnet only through the gateway.
      await h.routeDel(sandbox, { dst: net, dev: args.ifName });
      await h.routeAdd(sandbox, { dst: `${ipc.gateway}/32`, dev: args.ifName, scope: "link", src });
      await h.routeAdd(sandbox, { dst: net, dev: args.ifName, via: ipc.gateway!, src, scope: "global" });
    }
    // setupHostVeth: the gateway address on the host end, a host route to the container.
    for (const ipc of ips) {
      await h.addrAdd(null, veth.host.name, `${ipc.gateway}/32`);
      try {
        await h.routeAdd(null, {
          dst: `${ipc.address.split("/")[0]}/32`,
          dev: veth.host.name,
          scope: "host",
        });
      } catch (e) {
        if (!(e instanceof HostError) || e.errno !== "EEXIST")
          throw new Error(`failed to add route on host: ${(e as Error).message}`);
      }
    }
    if (conf.ipMasq === true) {
      const chain = formatChainName(conf.name, args.containerId);
      const comment = formatComment(conf.name, args.containerId);
      for (const ipc of ips) await setupIpMasq(env, ipc.address, chain, comment);
    }
    if (dnsSet(conf) && conf.dns) result.dns = conf.dns;
    return {
      cniVersion: "1.0.0",
      interfaces: result.interfaces,
      ips,
      ...(result.routes ? { routes: result.routes } : {}),
      dns: result.dns,
    };
  } catch (e) {
    execIpamDel(env, conf, args);
    throw e;
  }
}

export async function ptpDel(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<void> {
  execIpamDel(env, conf, args);
  if (args.netns === "") return;
  let ipnets: string[] | null = null;
  try {
    ipnets = await delLinkByNameAddr(env, sandboxRef(args.netns), args.ifName);
  } catch (e) {
    if (e instanceof HostError && e.errno === "ENOENT") return;
    throw e;
  }
  if (conf.ipMasq === true && ipnets) {
    const chain = formatChainName(conf.name, args.containerId);
    const comment = formatComment(conf.name, args.containerId);
    for (const ipn of ipnets) await teardownIpMasq(env, ipn, chain, comment);
  }
}

export async function ptpCheck(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<void> {
  const prev = conf.prevResult;
  if (!prev) throw new Error("Required prevResult missing");
  const ns = sandboxRef(args.netns);
  if (!(await env.host.linkList(ns)).some((l) => l.name === args.ifName))
    throw new Error(`Error: Container Interface name in prevResult: ${args.ifName} not found`);
  const addrs = (await env.host.addrList(ns)).filter((a) => a.dev === args.ifName).map((a) => a.cidr);
  for (const ipc of prev.ips ?? [])
    if (!addrs.includes(ipc.address))
      throw new Error(`Failed to match addr ${ipc.address} on interface ${args.ifName}`);
}
