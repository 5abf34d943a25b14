/**
 * @module cni/plugins/routed
 * A routed, bridgeless datapath as Calico's CNI plugin builds it: the pod has
 * a /32 and a default route via the link-local 169.254.1.1, which the host
 * end answers by proxy ARP (its MAC is ee:ee:ee:ee:ee:ee); the node routes
 * the pod's /32 to that veth. Names follow Calico: "cali" and the sha1 of
 * namespace.pod, cut to 15 characters.
 */
import { createHash } from "node:crypto";
import { HostError } from "../../host/host.js";
import type { CniArgs, CniResult, NetConf } from "../types.js";
import { type PluginEnv, sandboxRef } from "./env.js";
import { delLinkByNameAddr } from "./ip.js";
import { execIpamAdd, execIpamDel } from "./ipam.js";

const GATEWAY = "169.254.1.1";
const HOST_MAC = "ee:ee:ee:ee:ee:ee";

function k8sArgs(args: CniArgs): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of (args.args ?? "").split(";")) {
    const i = kv.indexOf("=");
    if (i > 0) m.set(kv.slice(0, i), kv.slice(i + 1));
  }
  return m;
}

/** Calico's host-side name: "cali" + sha1("namespace.pod")[:11] (the container ID when not a pod). */
export function caliName(args: CniArgs): string {
  const a = k8sArgs(args);
  const ns = a.get("K8S_POD_NAMESPACE");
  const pod = a.get("K8S_POD_NAME");
  const key = ns && pod ? `${ns}.${pod}` : args.containerId;
  return `cali${createHash("sha1").update(key).digest("hex").slice(0, 11)}`;
}

export async function routedAdd(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<CniResult> {
  const h = env.host;
  const sandbox = sandboxRef(args.netns);
  const r = execIpamAdd(env, conf, args);
  const hostName = caliName(args);
  try {
    const ip = r.ips?.[0];
    if (!ip) throw new Error("IPAM plugin returned missing IP config");
    const addr = ip.address.split("/")[0]!;
    await h.vethAdd(sandbox, {
      name: args.ifName,
      peer: hostName,
      peerNs: null,
      peerMac: HOST_MAC,
      ...(typeof conf.mtu === "number" ? { mtu: conf.mtu } : {}),
    });
    await h.linkSet(sandbox, args.ifName, { up: true });
    await h.addrAdd(sandbox, args.ifName, `${addr}/32`);
    await h.routeAdd(sandbox, { dst: `${GATEWAY}/32`, dev: args.ifName, scope: "link" });
    await h.routeAdd(sandbox, { dst: "default", via: GATEWAY, dev: args.ifName });
    for (const [k, v] of [
      [`net.ipv4.conf.${hostName}.forwarding`, "1"],
      [`net.ipv4.conf.${hostName}.proxy_arp`, "1"],
      [`net.ipv4.neigh.${hostName}.proxy_delay`, "0"],
    ] as const)
      await h.sysctlSet(null, k, v);
    await h.linkSet(null, hostName, { up: true });
    try {
      await h.routeAdd(null, { dst: `${addr}/32`, dev: hostName, scope: "link" });
    } catch (e) {
      if (!(e instanceof HostError) || e.errno !== "EEXIST") throw e;
    }
    const links = await h.linkList(sandbox);
    return {
      cniVersion: "1.0.0",
      interfaces: [
        { name: args.ifName, mac: links.find((l) => l.name === args.ifName)?.mac ?? "", sandbox: args.netns },
      ],
      ips: [{ interface: 0, address: `${addr}/32` }],
      dns: r.dns,
    };
  } catch (e) {
    execIpamDel(env, conf, args);
    throw e;
  }
}

export async function routedDel(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<void> {
  execIpamDel(env, conf, args);
  if (args.netns === "") return;
  try {
    await delLinkByNameAddr(env, sandboxRef(args.netns), args.ifName);
  } catch (e) {
    if (!(e instanceof HostError) || e.errno !== "ENOENT") throw e;
  }
}

export async function routedCheck(env: PluginEnv, _conf: NetConf, args: CniArgs): Promise<void> {
  if (!(await env.host.linkList(sandboxRef(args.netns))).some((l) => l.name === args.ifName))
    throw new Error(`interface ${args.ifName} not found`);
}
