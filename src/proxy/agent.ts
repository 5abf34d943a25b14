/**
 * @module proxy/agent
 * kube-proxy on one node, in its iptables or ipvs mode.
 *
 * At start, in every mode, conntrack's timeouts as the configuration asks (24 h for
 * established TCP flows, 1 h in CLOSE_WAIT, by default).
 *
 * iptables: at start the canary chains its monitor watches and
 * route_localnet for localhost NodePorts; on each sync the jump rules ensured
 * in the built-in chains (check, else insert), then one iptables-restore
 * --noflush of the generated payload — a full sync the first time, then only
 * the services that changed.
 *
 * ipvs: at start the sysctls NewProxier ensures (net.ipv4.vs.conntrack and
 * friends, strictARP); on each sync a full syncProxyRules: kube chains,
 * kube-ipvs0, ipsets, virtual and real servers, the restore payload.
 *
 * Everything goes through the host interface, so the same agent drives the
 * model and a real node.
 */
import type { Host } from "../host/host.js";
import { ensureChain, ensureRule } from "../host/iptables-ensure.js";
import type { ProxyState } from "./changes.js";
import { staleConntrackFilters } from "./conntrack.js";
import { healthCheckNodePorts, localReadyEndpoints, ServiceHealthServer } from "./healthcheck.js";
import { kubeProxyCanaryChain } from "./iptables/chain-names.js";
import { newProxierCache, type SyncProxyRulesResult, syncProxyRules } from "./iptables/proxier.js";
import {
  type IpvsProxierConfig,
  type IpvsSyncPlan,
  ipvsSysctls,
  nodePortIPs,
  syncIpvsProxyRules,
} from "./ipvs/proxier.js";
import { applyIpvsPlan, type IpvsSyncState, localAddresses } from "./ipvs/sync.js";
import { ProxyStateTracker } from "./tracker.js";
import type { EndpointSlice, NodeInfo, ProxierConfig, Service } from "./types.js";

export type ProxyMode = "iptables" | "ipvs";

/** KubeProxyConfiguration as the agent uses it: the mode and its settings. */
export interface KubeProxyAgentConfig extends IpvsProxierConfig {
  /** Default iptables. */
  mode?: ProxyMode;
  /**
   * conntrack's settings setupConntrack applies, in seconds (0 leaves a sysctl alone); default
   * kube-proxy's: established 24 h, close-wait 1 h, nothing else.
   */
  conntrack?: {
    tcpEstablishedTimeout: number;
    tcpCloseWaitTimeout: number;
    tcpBeLiberal: boolean;
    udpTimeout: number;
    udpStreamTimeout: number;
  };
}

/** The sysctls setupConntrack (cmd/kube-proxy/app/server_linux.go) writes, in its order. */
export function conntrackSysctls(c: KubeProxyAgentConfig["conntrack"]): [string, string][] {
  const ct = c ?? {
    tcpEstablishedTimeout: 86400,
    tcpCloseWaitTimeout: 3600,
    tcpBeLiberal: false,
    udpTimeout: 0,
    udpStreamTimeout: 0,
  };
  const out: [string, string][] = [];
  const nf = "net.netfilter.nf_conntrack_";
  if (ct.tcpEstablishedTimeout > 0)
    out.push([`${nf}tcp_timeout_established`, String(ct.tcpEstablishedTimeout)]);
  if (ct.tcpCloseWaitTimeout > 0) out.push([`${nf}tcp_timeout_close_wait`, String(ct.tcpCloseWaitTimeout)]);
  if (ct.tcpBeLiberal) out.push([`${nf}tcp_be_liberal`, "1"]);
  if (ct.udpTimeout > 0) out.push([`${nf}udp_timeout`, String(ct.udpTimeout)]);
  if (ct.udpStreamTimeout > 0) out.push([`${nf}udp_timeout_stream`, String(ct.udpStreamTimeout)]);
  return out;
}

export class KubeProxy {
  private readonly host: Host;
  readonly node: NodeInfo;
  readonly config: KubeProxyAgentConfig;
  readonly mode: ProxyMode;
  /** The informers' side: OnServiceAdd/Update/Delete and OnEndpointSliceAdd/Update/Delete land here. */
  readonly tracker: ProxyStateTracker;
  private readonly cache = newProxierCache();
  private synced = false;
  private readonly ipvsState: IpvsSyncState = { initialSync: true };
  /** What the last iptables-mode sync wrote (for `kubetwin` to show and tests to read). */
  last: SyncProxyRulesResult | null = null;
  /** What the last ipvs-mode sync programmed. */
  lastIpvs: IpvsSyncPlan | null = null;
  /** The health check servers of externalTrafficPolicy Local services (healthCheckNodePort). */
  readonly healthServer: ServiceHealthServer;

  constructor(host: Host, node: NodeInfo, config: KubeProxyAgentConfig) {
    this.host = host;
    this.node = node;
    this.config = config;
    this.mode = config.mode ?? "iptables";
    this.tracker = new ProxyStateTracker(node.name);
    // The proxier's own healthz is healthy once rules were written (no sync has failed since).
    this.healthServer = new ServiceHealthServer(
      host,
      config.nodePortAddresses?.length ? nodePortIPs(node.ips, config.nodePortAddresses) : null,
      () => this.synced || this.lastIpvs !== null,
    );
  }

  /**
   * The server's setupConntrack, then NewProxier: the sysctls the mode needs, and (iptables) the
   * canaries ipt.Monitor watches.
   */
  async start(): Promise<void> {
    // realConntracker.setIntSysCtl, like proxyutil.EnsureSysctl: a value is written only when it differs.
    for (const [k, v] of conntrackSysctls(this.config.conntrack)) await this.ensureSysctl(k, v);
    if (this.mode === "ipvs") {
      for (const [k, v] of ipvsSysctls(this.config)) await this.ensureSysctl(k, v);
      return;
    }
    if (this.config.localhostNodePorts ?? true)
      await this.host.sysctlSet(null, "net.ipv4.conf.all.route_localnet", "1");
    for (const t of ["mangle", "nat", "filter"]) await ensureChain(this.host, t, kubeProxyCanaryChain);
  }

  private async ensureSysctl(key: string, value: string): Promise<void> {
    if ((await this.host.sysctlGet(null, key)) !== value) await this.host.sysctlSet(null, key, value);
  }

  /** The cluster's Services and EndpointSlices as the informers last listed them; then a sync. */
  async sync(
    services: readonly Service[],
    slices: readonly EndpointSlice[],
  ): Promise<SyncProxyRulesResult | IpvsSyncPlan> {
    this.tracker.replaceAll(services, slices);
    return this.syncProxyRules();
  }

  /** syncProxyRules with the changes the tracker holds: the iptables result, or the ipvs plan. */
  async syncProxyRules(): Promise<SyncProxyRulesResult | IpvsSyncPlan> {
    const { updatedServices, conntrackCleanupRequired } = this.tracker.update();
    const state: ProxyState = {
      nodeName: this.node.name,
      svcPortMap: this.tracker.svcPortMap,
      endpointsMap: this.tracker.endpointsMap,
    };
    const r =
      this.mode === "ipvs" ? await this.syncIpvs(state) : await this.syncIptables(state, updatedServices);
    // The service health checks follow the rules: servers opened and closed, their counts updated.
    await this.healthServer.syncServices(healthCheckNodePorts(state.svcPortMap), this.node.name);
    this.healthServer.syncEndpoints(localReadyEndpoints(state.endpointsMap));
    // Finish housekeeping: once the rules send new datagrams to the new endpoints, the entries that
    // still send a UDP flow elsewhere go (both modes, at the end of syncProxyRules).
    if (conntrackCleanupRequired) await this.cleanStaleEntries(state);
    return r;
  }

  /** conntrack.CleanStaleEntries: the node's UDP entries listed, the stale ones deleted. */
  private async cleanStaleEntries(state: ProxyState): Promise<void> {
    const flows = await this.host.conntrackList(null, "UDP");
    const filters = staleConntrackFilters(flows, state.svcPortMap, state.endpointsMap);
    if (filters.length > 0) await this.host.conntrackClear(null, filters);
  }

  /** iptables mode: a full sync the first time, then only the services that changed. */
  private async syncIptables(state: ProxyState, updatedServices: Set<string>): Promise<SyncProxyRulesResult> {
    const cfg: ProxierConfig = this.config;
    const r = syncProxyRules({
      state,
      node: this.node,
      config: cfg,
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

  /** ipvs mode: always a full sync (upstream's ipvs proxier has no partial sync). */
  private async syncIpvs(state: ProxyState): Promise<IpvsSyncPlan> {
    const plan = syncIpvsProxyRules({
      state,
      node: this.node,
      config: this.config,
      nodeAddresses: await localAddresses(this.host, null, "kube-ipvs0"),
    });
    await applyIpvsPlan(this.host, plan, this.ipvsState);
    this.lastIpvs = plan;
    return plan;
  }
}
