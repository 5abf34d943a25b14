/**
 * @module cni/plugins/ipam
 * pkg/ipam: calling the IPAM plugin a configuration names (ipam.type), and
 * ConfigureIface, which puts the IPAM result on the container's interface.
 */
import { HostError, type NsRef } from "../../host/host.js";
import { CNI_ERR, CniError, GO_ERRNO_TEXT } from "../error.js";
import { DEFAULT_DATA_DIR, hostLocalAdd, hostLocalDel } from "../ipam/host-local.js";
import type { CniArgs, CniResult, CniRoute, NetConf } from "../types.js";
import type { PluginEnv } from "./env.js";

/** Routes made from a 16-byte Go IP (bridge's own default route): Go prints their mask in 32 hex digits. */
export const WIDE_MASK = new WeakSet<CniRoute>();

/** Go's %v of a net.IPNet: "{IP MASK-IN-HEX}". */
function goIpNet(r: CniRoute): string {
  const [ip, l] = r.dst.split("/");
  const len = Number(l);
  const mask = (len === 0 ? 0 : (~0 << (32 - len)) >>> 0).toString(16).padStart(8, "0");
  return `{${ip} ${WIDE_MASK.has(r) ? `00000000000000000000ffff${mask}` : mask}}`;
}

/** The text of a Go syscall.Errno, which plugins print (lower case). */
export function goErr(e: unknown): string {
  if (e instanceof HostError) return GO_ERRNO_TEXT[e.errno] ?? "invalid argument";
  return e instanceof Error ? e.message : String(e);
}

function store(env: PluginEnv, conf: NetConf) {
  const dataDir = typeof conf.ipam?.dataDir === "string" ? conf.ipam.dataDir : DEFAULT_DATA_DIR;
  return env.ipamStore(dataDir, conf.name);
}

function ipamType(conf: NetConf): string {
  const t = conf.ipam?.type;
  if (t !== "host-local")
    throw new CniError(CNI_ERR.INVALID_CONFIG, `failed to find plugin "${String(t)}" in path [/opt/cni/bin]`);
  return t;
}

/** ipam.ExecAdd: the IPAM plugin's result (ips, routes, dns). */
export function execIpamAdd(env: PluginEnv, conf: NetConf, args: CniArgs): CniResult {
  ipamType(conf);
  const r = hostLocalAdd(
    conf,
    { containerId: args.containerId, ifName: args.ifName, ...(args.args ? { cniArgs: args.args } : {}) },
    store(env, conf),
    {
      readFile: (p) => {
        const t = env.readFile(p);
        if (t === null) throw new Error(`open ${p}: no such file or directory`);
        return t;
      },
    },
  );
  return {
    cniVersion: conf.cniVersion,
    ...(r.ips ? { ips: r.ips.map((ip) => ({ ...ip })) } : {}),
    ...(r.routes ? { routes: r.routes.map((rt) => ({ ...rt })) } : {}),
    dns: r.dns ?? {},
  };
}

export function execIpamDel(env: PluginEnv, conf: NetConf, args: CniArgs): void {
  ipamType(conf);
  hostLocalDel(conf, { containerId: args.containerId, ifName: args.ifName }, store(env, conf));
}

/**
 * ipam.ConfigureIface: the link up, each address whose interface index names
 * it, then each route — via its own gateway or the first gateway of its family.
 */
export async function configureIface(
  env: PluginEnv,
  ns: NsRef,
  ifName: string,
  res: CniResult,
): Promise<void> {
  const h = env.host;
  const ifaces = res.interfaces ?? [];
  if (ifaces.length === 0) throw new Error("no interfaces to configure");
  if (!(await h.linkList(ns)).some((l) => l.name === ifName))
    throw new Error(`failed to lookup "${ifName}": Link not found`);
  await h.linkSet(ns, ifName, { up: true });
  let v4gw: string | undefined;
  for (const ipc of res.ips ?? []) {
    if (ipc.interface === undefined) continue;
    if (ipc.interface < 0 || ipc.interface >= ifaces.length || ifaces[ipc.interface]?.name !== ifName)
      throw new Error(`failed to add IP addr ${ipc.address} to "${ifName}": invalid interface index`);
    try {
      await h.addrAdd(ns, ifName, ipc.address, { broadcast: true });
    } catch (e) {
      throw new Error(`failed to add IP addr ${ipc.address} to "${ifName}": ${goErr(e)}`);
    }
    if (ipc.gateway && v4gw === undefined) v4gw = ipc.gateway;
  }
  for (const r of res.routes ?? []) {
    const gw = r.gw ?? v4gw;
    try {
      await h.routeAdd(ns, {
        dst: r.dst === "0.0.0.0/0" ? "default" : r.dst,
        dev: ifName,
        ...(gw ? { via: gw, scope: "global" } : { scope: "global" }),
      });
    } catch (e) {
      throw new Error(`failed to add route '${goIpNet(r)} via ${gw ?? "<nil>"} dev ${ifName}': ${goErr(e)}`);
    }
  }
}
