/**
 * @module cni/plugins/portmap
 * plugins/meta/portmap, chained after the main plugin: without port
 * mappings in runtimeConfig it passes the previous result through.
 */
import { CNI_ERR, CniError } from "../error.js";
import type { CniArgs, CniResult, NetConf } from "../types.js";
import type { PluginEnv } from "./env.js";

function mappings(conf: NetConf): unknown[] {
  const pm = conf.runtimeConfig?.portMappings;
  return Array.isArray(pm) ? pm : [];
}

export async function portmapAdd(_env: PluginEnv, conf: NetConf, _args: CniArgs): Promise<CniResult> {
  if (!conf.prevResult) throw new CniError(CNI_ERR.INVALID_CONFIG, "must be called as chained plugin");
  if (mappings(conf).length > 0)
    throw new CniError(
      CNI_ERR.INTERNAL,
      "portmap: hostPort mappings are not modelled yet (docs/fidelity.md)",
    );
  return conf.prevResult;
}

export async function portmapDel(_env: PluginEnv, _conf: NetConf, _args: CniArgs): Promise<void> {}

export async function portmapCheck(_env: PluginEnv, conf: NetConf, _args: CniArgs): Promise<void> {
  if (!conf.prevResult) throw new CniError(CNI_ERR.INVALID_CONFIG, "must be called as chained plugin");
}
