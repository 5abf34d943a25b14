/**
 * @module cni/plugins/flannel
 * flannel-io/cni-plugin: reads the node's lease from /run/flannel/subnet.env
 * and delegates to the bridge plugin with host-local over that subnet,
 * saving the delegate's configuration for DEL.
 */
import { CNI_ERR, CniError } from "../error.js";
import type { CniArgs, CniResult, NetConf } from "../types.js";
import { bridgeAdd, bridgeCheck, bridgeDel } from "./bridge.js";
import type { PluginEnv } from "./env.js";
import { networkOfCidr } from "./ip.js";

const SUBNET_FILE = "/run/flannel/subnet.env";
const DATA_DIR = "/var/lib/cni/flannel";

interface SubnetEnv {
  network: string;
  subnet: string;
  mtu: number;
  ipmasq: boolean;
}

function loadSubnetEnv(env: PluginEnv, path: string): SubnetEnv {
  const text = env.readFile(path);
  if (text === null) throw new CniError(CNI_ERR.IO_FAILURE, `open ${path}: no such file or directory`);
  const v = new Map<string, string>();
  for (const line of text.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) v.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  const need = (k: string): string => {
    const x = v.get(k);
    if (x === undefined) throw new CniError(CNI_ERR.INVALID_CONFIG, `${path} is missing ${k}`);
    return x;
  };
  return {
    network: need("FLANNEL_NETWORK"),
    subnet: need("FLANNEL_SUBNET"),
    mtu: Number(need("FLANNEL_MTU")),
    ipmasq: need("FLANNEL_IPMASQ") === "true",
  };
}

/** The delegate configuration the flannel plugin hands to bridge (its defaults filled in). */
export function delegateConf(conf: NetConf, fenv: SubnetEnv): NetConf {
  const d = { ...((conf.delegate ?? {}) as Record<string, unknown>) };
  d.name = conf.name;
  d.cniVersion = conf.cniVersion;
  if (d.type === undefined) d.type = "bridge";
  if (d.ipMasq === undefined) d.ipMasq = !fenv.ipmasq;
  if (d.mtu === undefined) d.mtu = fenv.mtu;
  if (d.type === "bridge" && d.isGateway === undefined) d.isGateway = true;
  d.ipam = {
    type: "host-local",
    ranges: [[{ subnet: networkOfCidr(fenv.subnet) }]],
    routes: [{ dst: fenv.network }],
  };
  return d as NetConf;
}

export async function flannelAdd(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<CniResult> {
  const fenv = loadSubnetEnv(env, typeof conf.subnetFile === "string" ? conf.subnetFile : SUBNET_FILE);
  const d = delegateConf(conf, fenv);
  const dir = typeof conf.dataDir === "string" ? conf.dataDir : DATA_DIR;
  env.writeFile(`${dir}/${args.containerId}`, JSON.stringify(d));
  return bridgeAdd(env, d, args);
}

export async function flannelDel(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<void> {
  const dir = typeof conf.dataDir === "string" ? conf.dataDir : DATA_DIR;
  const path = `${dir}/${args.containerId}`;
  const saved = env.readFile(path);
  // Without the saved delegate there is nothing flannel set up: DEL succeeds.
  if (saved === null) return;
  await bridgeDel(env, JSON.parse(saved) as NetConf, args);
  env.removeFile(path);
}

export async function flannelCheck(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<void> {
  const fenv = loadSubnetEnv(env, typeof conf.subnetFile === "string" ? conf.subnetFile : SUBNET_FILE);
  await bridgeCheck(
    env,
    { ...delegateConf(conf, fenv), ...(conf.prevResult ? { prevResult: conf.prevResult } : {}) },
    args,
  );
}
