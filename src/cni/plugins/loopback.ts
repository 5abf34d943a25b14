/**
 * @module cni/plugins/loopback
 * plugins/main/loopback: brings `lo` up in the sandbox and reports its
 * addresses, or passes a previous result through.
 */
import type { CniArgs, CniResult, NetConf } from "../types.js";
import { openNetns, type PluginEnv, sandboxRef } from "./env.js";

export async function loopbackAdd(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<CniResult> {
  const ns = await openNetns(env, args.netns);
  await env.host.linkSet(ns, "lo", { up: true });
  const v4 = (await env.host.addrList(ns, 4)).find((a) => a.dev === "lo");
  const v6 = (await env.host.addrList(ns, 6)).find((a) => a.dev === "lo");
  if (conf.prevResult) return conf.prevResult;
  const ips = [v4, v6].filter((a) => a !== undefined).map((a) => ({ interface: 0, address: a.cidr }));
  return {
    cniVersion: conf.cniVersion,
    interfaces: [{ name: "lo", mac: "00:00:00:00:00:00", sandbox: args.netns }],
    ...(ips.length > 0 ? { ips } : {}),
    dns: {},
  };
}

export async function loopbackDel(env: PluginEnv, _conf: NetConf, args: CniArgs): Promise<void> {
  if (args.netns === "") return;
  try {
    await env.host.linkSet(sandboxRef(args.netns), "lo", { up: false });
  } catch {
    // The namespace may be gone already: DEL must succeed then.
  }
}

export async function loopbackCheck(env: PluginEnv, _conf: NetConf, args: CniArgs): Promise<void> {
  const lo = (await env.host.linkList(sandboxRef(args.netns))).find((l) => l.name === "lo");
  if (!lo?.up) throw new Error("loopback interface is down");
}
