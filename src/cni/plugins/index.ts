/**
 * @module cni/plugins
 * The plugins by their `type`, as a runtime finds them on CNI_PATH.
 */
import type { CniArgs, CniResult, NetConf } from "../types.js";
import { bridgeAdd, bridgeCheck, bridgeDel } from "./bridge.js";
import type { PluginEnv } from "./env.js";
import { flannelAdd, flannelCheck, flannelDel } from "./flannel.js";
import { loopbackAdd, loopbackCheck, loopbackDel } from "./loopback.js";
import { portmapAdd, portmapCheck, portmapDel } from "./portmap.js";
import { ptpAdd, ptpCheck, ptpDel } from "./ptp.js";
import { routedAdd, routedCheck, routedDel } from "./routed.js";

export interface Plugin {
  add(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<CniResult>;
  del(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<void>;
  check(env: PluginEnv, conf: NetConf, args: CniArgs): Promise<void>;
  /** Whether ADD needs CNI_NETNS (loopback, bridge, ptp do; an IPAM-only call does not). */
  about: string;
}

export const PLUGINS: Record<string, Plugin> = {
  loopback: { add: loopbackAdd, del: loopbackDel, check: loopbackCheck, about: "loopback plugin" },
  bridge: { add: bridgeAdd, del: bridgeDel, check: bridgeCheck, about: "bridge plugin" },
  ptp: { add: ptpAdd, del: ptpDel, check: ptpCheck, about: "ptp plugin" },
  portmap: { add: portmapAdd, del: portmapDel, check: portmapCheck, about: "portmap plugin" },
  flannel: { add: flannelAdd, del: flannelDel, check: flannelCheck, about: "flannel plugin" },
  routed: { add: routedAdd, del: routedDel, check: routedCheck, about: "routed plugin (Calico-like)" },
};
