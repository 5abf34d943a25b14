/**
 * @module kernel/ipvs/ip-vs-ctl
 * ip_vs_ctl.c: the per-namespace table of virtual services and their real
 * servers, changed as IP_VS_SO_SET_* / IPVS_CMD_* change it (ipvsadm and
 * kube-proxy's netlink calls). Results are data: EEXIST for an existing
 * service or destination, ESRCH for a missing service, ENOENT for a missing
 * destination — the errnos ipvsadm turns into its messages.
 */
import type { KResult } from "../errno.js";
import { nfState } from "../netfilter/tables.js";
import type { NetNs } from "../netns.js";

/** IPPROTO_TCP / IPPROTO_UDP / IPPROTO_SCTP */
export type IpVsProto = 6 | 17 | 132;

/** IP_VS_CONN_F_FWD_MASK values: how a real server is reached. */
export type IpVsFwd = "masq" | "local" | "tunnel" | "route";

/** struct ip_vs_kstats: what `ipvsadm -L --stats` shows. */
export interface IpVsStats {
  conns: number;
  inpkts: number;
  outpkts: number;
  inbytes: number;
  outbytes: number;
}

export function newStats(): IpVsStats {
  return { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
}

/** struct ip_vs_dest */
export interface IpVsDest {
  addr: number;
  port: number;
  weight: number;
  fwd: IpVsFwd;
  activeconns: number;
  inactconns: number;
  persistconns: number;
  stats: IpVsStats;
  /** IP_VS_DEST_F_AVAILABLE: cleared when it is deleted (its connections may still point at it). */
  available: boolean;
}

/** IP_VS_SVC_F_* */
export const IP_VS_SVC_F_PERSISTENT = 0x0001;
export const IP_VS_SVC_F_HASHED = 0x0002;
export const IP_VS_SVC_F_ONEPACKET = 0x0004;
/** IP_VS_SVC_F_SCHED1: the sh/mh "sh-fallback"/"mh-fallback" flag. */
export const IP_VS_SVC_F_SCHED1 = 0x0008;
/** IP_VS_SVC_F_SCHED2: the sh/mh "sh-port"/"mh-port" flag (kube-proxy's FlagSourceHash). */
export const IP_VS_SVC_F_SCHED2 = 0x0010;

/** struct ip_vs_service */
export interface IpVsService {
  proto: IpVsProto;
  addr: number;
  port: number;
  scheduler: string;
  flags: number;
  /** Persistence timeout in seconds (IP_VS_SVC_F_PERSISTENT). */
  timeout: number;
  netmask: number;
  /** In list order: a new destination goes to the head (list_add_rcu), as the schedulers see it. */
  dests: IpVsDest[];
  /** The scheduler's private state (rr's last position, wrr's cw/mw, sh/dh tables). */
  sched: { last: number; cw: number; table: number[] | null };
  stats: IpVsStats;
}

export interface IpVsServiceUser {
  proto: IpVsProto;
  addr: number;
  port: number;
  scheduler: string;
  flags?: number;
  timeout?: number;
  netmask?: number;
}

export interface IpVsDestUser {
  addr: number;
  port: number;
  weight: number;
  fwd?: IpVsFwd;
}

/** The schedulers the model has (ip_vs_rr.c, ip_vs_wrr.c, ip_vs_lc.c, …). */
export const IP_VS_SCHEDULERS = ["rr", "wrr", "lc", "wlc", "sh", "dh", "sed", "nq"] as const;

/** IP_VS_CONN_TAB_BITS 12: the size ipvsadm's header prints. */
export const IP_VS_CONN_TAB_SIZE = 4096;

/** The namespace's IPVS state (struct netns_ipvs). */
export interface NetnsIpvs {
  services: Map<string, IpVsService>;
}

const states = new WeakMap<NetNs, NetnsIpvs>();

export function ipvsOf(ns: NetNs): NetnsIpvs {
  let s = states.get(ns);
  if (!s) states.set(ns, (s = { services: new Map() }));
  return s;
}

/** Whether IPVS has any virtual service here (its hooks have work only then). */
export function ipvsActive(ns: NetNs): boolean {
  const s = states.get(ns);
  return s !== undefined && s.services.size > 0;
}

export function svcKey(proto: number, addr: number, port: number): string {
  return `${proto}/${addr >>> 0}:${port}`;
}

function err<T>(errno: "EEXIST" | "ESRCH" | "ENOENT" | "EINVAL" | "EOPNOTSUPP"): KResult<T> {
  return { ok: false, err: { errno } };
}

function validScheduler(name: string): boolean {
  return (IP_VS_SCHEDULERS as readonly string[]).includes(name);
}

/** ip_vs_add_service */
export function ipVsAddService(ns: NetNs, u: IpVsServiceUser): KResult<IpVsService> {
  const s = ipvsOf(ns);
  const k = svcKey(u.proto, u.addr, u.port);
  if (s.services.has(k)) return err("EEXIST");
  // request_module("ip_vs_%s") fails for an unknown scheduler: ENOENT.
  if (!validScheduler(u.scheduler)) return err("ENOENT");
  const svc: IpVsService = {
    proto: u.proto,
    addr: u.addr >>> 0,
    port: u.port,
    scheduler: u.scheduler,
    flags: (u.flags ?? 0) | IP_VS_SVC_F_HASHED,
    timeout: u.timeout ?? 0,
    netmask: u.netmask ?? 0xffffffff,
    dests: [],
    sched: { last: -1, cw: 0, table: null },
    stats: newStats(),
  };
  s.services.set(k, svc);
  // Loading ip_vs registers its netfilter hooks in the namespace.
  nfState(ns);
  return { ok: true, value: svc };
}

export function ipVsFindService(ns: NetNs, proto: number, addr: number, port: number): IpVsService | null {
  return ipvsOf(ns).services.get(svcKey(proto, addr, port)) ?? null;
}

/** ip_vs_edit_service: scheduler, flags and persistence change; destinations stay. */
export function ipVsEditService(ns: NetNs, u: IpVsServiceUser): KResult<IpVsService> {
  const svc = ipVsFindService(ns, u.proto, u.addr, u.port);
  if (!svc) return err("ESRCH");
  if (!validScheduler(u.scheduler)) return err("ENOENT");
  if (svc.scheduler !== u.scheduler) svc.sched = { last: -1, cw: 0, table: null };
  svc.scheduler = u.scheduler;
  svc.flags = (u.flags ?? 0) | IP_VS_SVC_F_HASHED;
  svc.timeout = u.timeout ?? 0;
  svc.netmask = u.netmask ?? 0xffffffff;
  svc.sched.table = null;
  return { ok: true, value: svc };
}

/** ip_vs_del_service: its connections lose their destination (they expire; the model drops them). */
export function ipVsDelService(ns: NetNs, proto: number, addr: number, port: number): KResult<void> {
  const s = ipvsOf(ns);
  const svc = s.services.get(svcKey(proto, addr, port));
  if (!svc) return err("ESRCH");
  for (const d of svc.dests) d.available = false;
  s.services.delete(svcKey(proto, addr, port));
  return { ok: true, value: undefined };
}

/** ip_vs_flush (ipvsadm -C) */
export function ipVsFlush(ns: NetNs): void {
  ipvsOf(ns).services.clear();
}

export function ipVsFindDest(svc: IpVsService, addr: number, port: number): IpVsDest | null {
  return svc.dests.find((d) => d.addr === addr >>> 0 && d.port === port) ?? null;
}

/** ip_vs_add_dest: EEXIST when present; the new one goes to the list head. */
export function ipVsAddDest(svc: IpVsService, u: IpVsDestUser): KResult<IpVsDest> {
  if (u.weight < 0) return err("EINVAL");
  if (ipVsFindDest(svc, u.addr, u.port)) return err("EEXIST");
  const d: IpVsDest = {
    addr: u.addr >>> 0,
    port: u.port,
    weight: u.weight,
    fwd: u.fwd ?? "masq",
    activeconns: 0,
    inactconns: 0,
    persistconns: 0,
    stats: newStats(),
    available: true,
  };
  svc.dests.unshift(d);
  // rr keeps pointing at the same element; its index moved by one.
  if (svc.sched.last >= 0) svc.sched.last++;
  svc.sched.table = null;
  return { ok: true, value: d };
}

/** ip_vs_edit_dest */
export function ipVsEditDest(svc: IpVsService, u: IpVsDestUser): KResult<IpVsDest> {
  if (u.weight < 0) return err("EINVAL");
  const d = ipVsFindDest(svc, u.addr, u.port);
  if (!d) return err("ENOENT");
  d.weight = u.weight;
  if (u.fwd) d.fwd = u.fwd;
  svc.sched.table = null;
  return { ok: true, value: d };
}

/** ip_vs_del_dest */
export function ipVsDelDest(svc: IpVsService, addr: number, port: number): KResult<void> {
  const i = svc.dests.findIndex((d) => d.addr === addr >>> 0 && d.port === port);
  if (i < 0) return err("ENOENT");
  svc.dests[i]!.available = false;
  svc.dests.splice(i, 1);
  if (svc.sched.last >= i) svc.sched.last--;
  svc.sched.table = null;
  return { ok: true, value: undefined };
}
