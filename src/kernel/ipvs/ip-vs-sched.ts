/**
 * @module kernel/ipvs/ip-vs-sched
 * The schedulers (ip_vs_rr.c, ip_vs_wrr.c, ip_vs_lc.c, ip_vs_wlc.c,
 * ip_vs_sed.c, ip_vs_nq.c, ip_vs_sh.c, ip_vs_dh.c): each picks a real
 * server from the service's list, in list order (newest destination first,
 * as list_add_rcu leaves it), skipping weight 0. Deterministic given the
 * service's state, as in the kernel.
 */
import type { IpVsDest, IpVsService } from "./ip-vs-ctl.js";
import { IP_VS_SVC_F_SCHED2 } from "./ip-vs-ctl.js";

/** What a scheduler may look at: the packet's addresses and ports. */
export interface SchedInput {
  saddr: number;
  sport: number;
  daddr: number;
}

const usable = (d: IpVsDest): boolean => d.weight > 0;

/** ip_vs_rr_schedule: the next usable destination after the last one chosen, wrapping. */
function rr(svc: IpVsService): IpVsDest | null {
  const n = svc.dests.length;
  for (let k = 1; k <= n; k++) {
    const i = (svc.sched.last + k + n) % n;
    const d = svc.dests[i]!;
    if (usable(d)) {
      svc.sched.last = i;
      return d;
    }
  }
  return null;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** ip_vs_wrr_schedule: interleaved weighted round robin (cw falls by the weights' gcd each pass). */
function wrr(svc: IpVsService): IpVsDest | null {
  const ds = svc.dests;
  const weights = ds.map((d) => d.weight).filter((w) => w > 0);
  if (weights.length === 0) return null;
  const di = weights.reduce(gcd);
  const mw = Math.max(...weights) - (di - 1);
  const st = svc.sched;
  for (let guard = 0; guard < ds.length * (mw / di + 2); guard++) {
    st.last++;
    if (st.last >= ds.length) {
      st.last = -1;
      st.cw -= di;
      if (st.cw <= 0) st.cw = mw;
      continue;
    }
    const d = ds[st.last]!;
    if (d.weight >= st.cw && d.weight > 0) return d;
  }
  return null;
}

/** ip_vs_dest_conn_overhead: active connections weigh 256 inactive ones. */
function overhead(d: IpVsDest): number {
  return d.activeconns * 256 + d.inactconns;
}

function lc(svc: IpVsService): IpVsDest | null {
  let least: IpVsDest | null = null;
  for (const d of svc.dests) if (usable(d) && (!least || overhead(d) < overhead(least))) least = d;
  return least;
}

/** wlc / sed: least overhead per weight, compared as loh * w(d) > doh * w(least) (no division). */
function weighted(svc: IpVsService, oh: (d: IpVsDest) => number): IpVsDest | null {
  let least: IpVsDest | null = null;
  for (const d of svc.dests) {
    if (!usable(d)) continue;
    if (!least || oh(least) * d.weight > oh(d) * least.weight) least = d;
  }
  return least;
}

function nq(svc: IpVsService): IpVsDest | null {
  for (const d of svc.dests) if (usable(d) && d.activeconns === 0) return d;
  return weighted(svc, (d) => d.activeconns + 1);
}

const TAB_SIZE = 256;

/** hash_32(val, 8): the golden-ratio multiplicative hash. */
function hash32(v: number, bits: number): number {
  return Math.imul(v >>> 0, 0x61c88647) >>> (32 - bits);
}

/** ip_vs_sh_reassign / ip_vs_dh_reassign: buckets dealt out in list order (sh: `weight` each). */
function buildTable(svc: IpVsService, byWeight: boolean): number[] {
  const t: number[] = [];
  const n = svc.dests.length;
  if (n === 0) return t;
  let p = 0;
  let count = 0;
  for (let i = 0; i < TAB_SIZE; i++) {
    t.push(p);
    if (!byWeight || ++count >= Math.max(1, svc.dests[p]!.weight)) {
      p = (p + 1) % n;
      count = 0;
    }
  }
  return t;
}

function hashed(svc: IpVsService, key: number, byWeight: boolean): IpVsDest | null {
  if (svc.dests.length === 0) return null;
  if (!svc.sched.table) svc.sched.table = buildTable(svc, byWeight);
  const d = svc.dests[svc.sched.table[key] ?? 0] ?? null;
  return d && usable(d) ? d : null;
}

/** svc->scheduler->schedule */
export function ipVsSchedule(svc: IpVsService, in_: SchedInput): IpVsDest | null {
  switch (svc.scheduler) {
    case "rr":
      return rr(svc);
    case "wrr":
      return wrr(svc);
    case "lc":
      return lc(svc);
    case "wlc":
      return weighted(svc, overhead);
    case "sed":
      return weighted(svc, (d) => d.activeconns + 1);
    case "nq":
      return nq(svc);
    case "sh": {
      const port = svc.flags & IP_VS_SVC_F_SCHED2 ? in_.sport : 0;
      return hashed(svc, hash32((port + in_.saddr) >>> 0, 8) % TAB_SIZE, true);
    }
    case "dh":
      return hashed(svc, (Math.imul(in_.daddr >>> 0, 2654435761) >>> 0) & (TAB_SIZE - 1), false);
    default:
      return null;
  }
}
