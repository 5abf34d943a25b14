/**
 * @module proxy/ipvs/sync
 * Applies an IpvsSyncPlan to a node through the host interface, in the order
 * syncProxyRules does it: the kube chains and their jump rules
 * (createAndLinkKubeChain), the kube-ipvs0 dummy device, the ipsets; then per
 * virtual server syncService (add, or update when changed; bind its address)
 * and syncEndpoint (add new real servers, gracefully delete old ones); the
 * ipset entries; one iptables-restore --noflush; then the addresses and
 * virtual servers no longer wanted are removed (cleanLegacyService).
 */
import type { Host, IpvsDestSpec, IpvsServiceSpec } from "../../host/host.js";
import { ensureChain, ensureRule } from "../../host/iptables-ensure.js";
import { createSetArgs, IPSET_INFO } from "./ipsets.js";
import { defaultDummyDevice, type IpvsSyncPlan, iptablesChains } from "./proxier.js";

const vsKey = (v: IpvsServiceSpec): string => `${v.address}:${v.port}/${v.protocol}`;
const rsKey = (d: IpvsDestSpec): string => `${d.address}:${d.port}`;

function sameService(a: IpvsServiceSpec, b: IpvsServiceSpec): boolean {
  return (
    a.scheduler === b.scheduler &&
    (a.persistent ?? false) === (b.persistent ?? false) &&
    (a.persistent ? a.timeout === b.timeout : true) &&
    (a.sourceHash ?? false) === (b.sourceHash ?? false)
  );
}

/** The node-side state one proxier keeps between syncs. */
export interface IpvsSyncState {
  initialSync: boolean;
}

/** The addresses of one device (GetLocalAddresses(dev)), or of every device but it and lo. */
export async function localAddresses(
  host: Host,
  dev: string | null,
  except: string | null,
): Promise<string[]> {
  const addrs = await host.addrList(null, 4);
  return addrs
    .filter((a) => (dev === null || a.dev === dev) && (except === null || a.dev !== except) && a.dev !== "lo")
    .map((a) => a.cidr.split("/")[0]!)
    .filter((ip) => !ip.startsWith("127."));
}

/** createAndLinkKubeChain + EnsureDummyDevice + ensureIPSet: what every sync first makes sure of. */
export async function ensureBase(host: Host, plan: IpvsSyncPlan): Promise<void> {
  for (const c of iptablesChains) await ensureChain(host, c.table, c.chain);
  for (const j of plan.jumpRules) await ensureRule(host, j.table, j.chain, j.args, "prepend");
  const links = await host.linkList(null);
  if (!links.some((l) => l.name === defaultDummyDevice)) await host.dummyAdd(null, defaultDummyDevice);
  for (const set of IPSET_INFO) await host.ipset(null, createSetArgs(set));
}

/** The entries of a set as `ipset list` shows them (ListEntries). */
async function listEntries(host: Host, name: string): Promise<string[]> {
  const out = await host.ipset(null, ["list", name]);
  const i = out.indexOf("Members:\n");
  if (i < 0) return [];
  return out
    .slice(i + "Members:\n".length)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** syncIPSetEntries: stale entries deleted, missing ones added, in sorted order. */
async function syncIpsetEntries(host: Host, name: string, want: readonly string[]): Promise<void> {
  const have = new Set(await listEntries(host, name));
  const wanted = new Set(want);
  for (const e of [...have].filter((x) => !wanted.has(x)).sort()) await host.ipset(null, ["del", name, e]);
  for (const e of [...wanted].filter((x) => !have.has(x)).sort())
    await host.ipset(null, ["add", name, e, "-exist"]);
}

/**
 * GracefulDeleteRS: a TCP real server without connections goes at once; with
 * connections it gets weight 0 and stays until a later sync finds it idle
 * (the termination list's retry). UDP and SCTP ones go at once.
 */
async function gracefulDelete(host: Host, vs: IpvsServiceSpec, d: IpvsDestSpec): Promise<void> {
  const conns = (d.activeConns ?? 0) + (d.inactiveConns ?? 0);
  if (vs.protocol !== "TCP" || conns === 0) {
    await host.ipvsDestDel(null, vs, d);
    return;
  }
  if (d.weight !== 0) await host.ipvsDestUpdate(null, vs, { address: d.address, port: d.port, weight: 0 });
}

export async function applyIpvsPlan(host: Host, plan: IpvsSyncPlan, st: IpvsSyncState): Promise<void> {
  await ensureBase(host, plan);
  const alreadyBound = new Set(await localAddresses(host, defaultDummyDevice, null));
  const current = new Map((await host.ipvsServiceList(null)).map((v) => [vsKey(v), v]));
  const active = new Set<string>();
  for (const vs of plan.virtualServers) {
    // syncService
    const applied = current.get(vsKey(vs.spec));
    if (!applied) await host.ipvsServiceAdd(null, vs.spec);
    else if (!sameService(applied, vs.spec)) await host.ipvsServiceUpdate(null, vs.spec);
    current.set(vsKey(vs.spec), vs.spec);
    if (vs.bind && !alreadyBound.has(vs.spec.address)) {
      await host.addrAdd(null, defaultDummyDevice, `${vs.spec.address}/32`);
      alreadyBound.add(vs.spec.address);
    }
    active.add(vsKey(vs.spec));
    // syncEndpoint
    const curDests = await host.ipvsDestList(null, vs.spec);
    const cur = new Map(curDests.map((d) => [rsKey(d), d]));
    const want = new Set(vs.dests.map(rsKey));
    for (const d of vs.dests) {
      const have = cur.get(rsKey(d));
      if (!have) await host.ipvsDestAdd(null, vs.spec, d);
      // A real server being terminated that is wanted again gets its weight back.
      else if (have.weight !== d.weight && (st.initialSync || have.weight === 0))
        await host.ipvsDestUpdate(null, vs.spec, d);
    }
    for (const d of curDests) if (!want.has(rsKey(d))) await gracefulDelete(host, vs.spec, d);
  }
  for (const [name, entries] of plan.ipsets) await syncIpsetEntries(host, name, entries);
  await host.iptablesRestore(null, plan.payload, { noflush: true });
  // Superfluous addresses leave the dummy device.
  const wantBound = new Set(plan.bindAddrs);
  for (const a of await localAddresses(host, defaultDummyDevice, null))
    if (!wantBound.has(a)) await host.addrDel(null, defaultDummyDevice, `${a}/32`);
  // cleanLegacyService
  for (const v of await host.ipvsServiceList(null))
    if (!active.has(vsKey(v))) await host.ipvsServiceDel(null, v);
  st.initialSync = false;
}
