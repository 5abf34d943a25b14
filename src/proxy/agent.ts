/**
 * @module proxy/agent
 * kube-proxy on one node, iptables mode: at start the canary chains its
 * monitor watches and route_localnet for localhost NodePorts; on each sync
 * the jump rules ensured in the built-in chains (check, else insert), then
 * one iptables-restore --noflush of the generated payload — a full sync the
 * first time, then only the services that changed. Everything goes through
 * the host interface, so the same agent drives the model and a real node.
 */
import type { Host } from "../host/host.js";
import { ensureChain, ensureRule } from "../host/iptables-ensure.js";
import { kubeProxyCanaryChain } from "./iptables/chain-names.js";
import { newProxierCache, type SyncProxyRulesResult, syncProxyRules } from "./iptables/proxier.js";
import { ProxyStateTracker } from "./tracker.js";
import type { EndpointSlice, NodeInfo, ProxierConfig, Service } from "./types.js";

export class KubeProxy {
  private readonly host: Host;
  readonly node: NodeInfo;
  readonly config: ProxierConfig;
  /** The informers' side: OnServiceAdd/Update/Delete and OnEndpointSliceAdd/Update/Delete land here. */
  readonly tracker: ProxyStateTracker;
  private readonly cache = newProxierCache();
  private synced = false;
  /** What the last sync wrote (for `kubetwin` to show and tests to read). */
  last: SyncProxyRulesResult | null = null;

  constructor(host: Host, node: NodeInfo, config: ProxierConfig) {
    this.host = host;
    this.node = node;
    this.config = config;
    this.tracker = new ProxyStateTracker(node.name);
  }

  /** NewProxier: the sysctl localhost NodePorts need, and the canaries ipt.Monitor watches. */
  async start(): Promise<void> {
    if (this.config.localhostNodePorts ?? true)
      await this.host.sysctlSet(null, "net.ipv4.conf.all.route_localnet", "1");
    for (const t of ["mangle", "nat", "filter"]) await ensureChain(this.host, t, kubeProxyCanaryChain);
  }

  /** The cluster's Services and EndpointSlices as the informers last listed them; then a sync. */
  async sync(services: readonly Service[], slices: readonly EndpointSlice[]): Promise<SyncProxyRulesResult> {
    this.tracker.replaceAll(services, slices);
    return this.syncProxyRules();
  }

  /** syncProxyRules with the changes the tracker holds: a full sync the first time, then partial. */
  async syncProxyRules(): Promise<SyncProxyRulesResult> {
    const { updatedServices } = this.tracker.update();
    const r = syncProxyRules({
      state: {
        nodeName: this.node.name,
        svcPortMap: this.tracker.svcPortMap,
        endpointsMap: this.tracker.endpointsMap,
      },
      node: this.node,
      config: this.config,
      cache: this.cache,
      ...(this.synced ? { updatedServices } : {}),
    });
    for (const j of r.jumpRules) {
      await ensureChain(this.host, j.table, j.ensureChain);
      await ensureRule(this.host, j.table, j.chain, j.args, "prepend");
    }
    await this.host.iptablesRestore(null, r.payload, { noflush: true });
    this.synced = true;
    this.last = r;
    return r;
  }
}
