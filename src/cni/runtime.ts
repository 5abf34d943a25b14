/**
 * @module cni/runtime
 * libcni as a container runtime uses it: the network configuration list
 * from the node's /etc/cni/net.d (the first file in lexical order), each
 * plugin called with the list's name and cniVersion injected, the previous
 * plugin's result as prevResult and the capabilities it declares as
 * runtimeConfig; DEL in reverse order with the cached result; CHECK in
 * order. Plugins are called through the same entry as the executable.
 */
import type { PluginEnv } from "./plugins/env.js";
import { parseResult } from "./result.js";
import { invokePlugin } from "./skel.js";
import type { CniResult, NetConfList } from "./types.js";

export interface RuntimeConf {
  containerId: string;
  netns: string;
  ifName: string;
  /** CNI_ARGS pairs (K8S_POD_NAMESPACE …). */
  args: Array<[string, string]>;
  /** Capability arguments offered to plugins that declare them (portMappings …). */
  capabilityArgs: Record<string, unknown>;
}

/** A plugin's failure as the runtime reports it: "plugin type=\"bridge\" name=\"x\" failed (add): msg". */
export class CniCallError extends Error {}

const CACHE_DIR = "/var/lib/cni/results";

export class CniRuntime {
  private readonly env: PluginEnv;
  private readonly files: Map<string, string>;
  private readonly confDir: string;

  constructor(env: PluginEnv, files: Map<string, string>, confDir = "/etc/cni/net.d") {
    this.env = env;
    this.files = files;
    this.confDir = confDir;
  }

  /** The default network: the first .conflist/.conf/.json under the conf dir, in lexical order. */
  defaultNetwork(): NetConfList {
    const names = [...this.files.keys()]
      .filter((f) => f.startsWith(`${this.confDir}/`) && /\.(conflist|conf|json)$/.test(f))
      .sort();
    const f = names[0];
    if (!f) throw new CniCallError(`no network config found in ${this.confDir}: cni plugin not initialized`);
    const o = JSON.parse(this.files.get(f)!) as Record<string, unknown>;
    // A single .conf is a list of one.
    if (!Array.isArray(o.plugins)) {
      const { name, cniVersion, ...plugin } = o;
      return {
        name: String(name),
        cniVersion: String(cniVersion),
        plugins: [plugin as NetConfList["plugins"][0]],
      };
    }
    return o as unknown as NetConfList;
  }

  private vars(cmd: string, rt: RuntimeConf): Record<string, string> {
    return {
      CNI_COMMAND: cmd,
      CNI_CONTAINERID: rt.containerId,
      CNI_NETNS: rt.netns,
      CNI_IFNAME: rt.ifName,
      CNI_ARGS: rt.args.map(([k, v]) => `${k}=${v}`).join(";"),
      CNI_PATH: "/opt/cni/bin",
    };
  }

  private pluginStdin(list: NetConfList, i: number, rt: RuntimeConf, prev: CniResult | null): string {
    const p = list.plugins[i]!;
    const conf: Record<string, unknown> = { ...p, name: list.name, cniVersion: list.cniVersion };
    const caps = (p.capabilities ?? {}) as Record<string, boolean>;
    const runtimeConfig: Record<string, unknown> = {};
    for (const [k, on] of Object.entries(caps))
      if (on && rt.capabilityArgs[k] !== undefined) runtimeConfig[k] = rt.capabilityArgs[k];
    if (Object.keys(runtimeConfig).length > 0) conf.runtimeConfig = runtimeConfig;
    if (prev) conf.prevResult = prev;
    return JSON.stringify(conf);
  }

  private async call(
    list: NetConfList,
    i: number,
    cmd: string,
    rt: RuntimeConf,
    prev: CniResult | null,
  ): Promise<string> {
    const type = String(list.plugins[i]!.type);
    const out = await invokePlugin(type, this.vars(cmd, rt), this.pluginStdin(list, i, rt, prev), this.env);
    if (out.exitCode !== 0) {
      let msg = out.stdout;
      try {
        const e = JSON.parse(out.stdout) as { msg?: string; details?: string };
        msg = e.details ? `${e.msg}; ${e.details}` : String(e.msg);
      } catch {
        // not JSON: keep the raw text
      }
      throw new CniCallError(
        `plugin type="${type}" name="${list.name}" failed (${cmd.toLowerCase()}): ${msg}`,
      );
    }
    return out.stdout;
  }

  private cacheKey(list: NetConfList, rt: RuntimeConf): string {
    return `${CACHE_DIR}/${list.name}-${rt.containerId}-${rt.ifName}`;
  }

  async addNetworkList(list: NetConfList, rt: RuntimeConf): Promise<CniResult> {
    let prev: CniResult | null = null;
    for (let i = 0; i < list.plugins.length; i++)
      prev = parseResult(JSON.parse(await this.call(list, i, "ADD", rt, prev)));
    const result = prev ?? { cniVersion: list.cniVersion, dns: {} };
    this.files.set(
      this.cacheKey(list, rt),
      JSON.stringify({
        kind: "cniCacheV1",
        containerId: rt.containerId,
        ifName: rt.ifName,
        networkName: list.name,
        result,
      }),
    );
    return result;
  }

  async checkNetworkList(list: NetConfList, rt: RuntimeConf): Promise<void> {
    if (list.disableCheck) return;
    const cached = this.cached(list, rt);
    for (let i = 0; i < list.plugins.length; i++) await this.call(list, i, "CHECK", rt, cached);
  }

  async delNetworkList(list: NetConfList, rt: RuntimeConf): Promise<void> {
    const cached = this.cached(list, rt);
    for (let i = list.plugins.length - 1; i >= 0; i--) await this.call(list, i, "DEL", rt, cached);
    this.files.delete(this.cacheKey(list, rt));
  }

  private cached(list: NetConfList, rt: RuntimeConf): CniResult | null {
    const c = this.files.get(this.cacheKey(list, rt));
    return c ? parseResult((JSON.parse(c) as { result: unknown }).result) : null;
  }
}
