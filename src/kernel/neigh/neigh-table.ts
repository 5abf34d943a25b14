/**
 * @module kernel/neigh/neigh-table
 * net/core/neighbour.c for ARP: entries per (device, address) with the NUD
 * state machine. INCOMPLETE entries solicit every retrans_time until
 * mcast_solicit probes went unanswered (FAILED); REACHABLE turns STALE after
 * reachable_time; a STALE entry that is used goes DELAY, then PROBE after
 * delay_first_probe_time, and REACHABLE again when confirmed.
 */
import type { IPv4 } from "../../net/ip.js";
import type { Mac } from "../../net/mac.js";
import type { Ipv4Packet } from "../../net/packet.js";
import type { Timer } from "../clock.js";
import type { NetNs } from "../netns.js";
import type { NeighEntry, NetDevice, NudState } from "../types.js";

export const NUD_VALID: ReadonlySet<NudState> = new Set([
  "PERMANENT",
  "NOARP",
  "REACHABLE",
  "PROBE",
  "STALE",
  "DELAY",
]);
export const NUD_CONNECTED: ReadonlySet<NudState> = new Set(["PERMANENT", "NOARP", "REACHABLE"]);

export interface NeighHooks {
  solicit(n: NeighEntry, unicast: boolean): void;
  failed(n: NeighEntry, queued: Ipv4Packet[]): void;
}

function key(dev: NetDevice, ip: IPv4): string {
  return `${dev.ifindex}/${ip}`;
}

export class NeighTable {
  private readonly entries = new Map<string, NeighEntry>();
  private readonly timers = new Map<NeighEntry, Timer>();
  /** Proxy entries (pneigh) added with `ip neigh add proxy`. */
  readonly proxies = new Map<string, { ip: IPv4; dev: NetDevice }>();
  hooks: NeighHooks | null = null;

  private readonly ns: NetNs;
  constructor(ns: NetNs) {
    this.ns = ns;
  }

  lookup(dev: NetDevice, ip: IPv4): NeighEntry | undefined {
    return this.entries.get(key(dev, ip));
  }

  list(): NeighEntry[] {
    return [...this.entries.values()];
  }

  private get now(): number {
    return this.ns.kernel.clock.now;
  }

  private param(dev: NetDevice, attr: string): number {
    return this.ns.sysctl.neigh(dev.name, attr);
  }

  create(dev: NetDevice, ip: IPv4, state: NudState, lladdr: Mac | null): NeighEntry {
    const n: NeighEntry = {
      ip,
      dev,
      lladdr,
      state,
      updated: this.now,
      // neigh_alloc backdates the confirmation by twice the base reachable time.
      confirmed: this.now - 2 * this.param(dev, "base_reachable_time_ms"),
      used: this.now,
      probes: 0,
      router: false,
      queue: [],
      proxy: false,
    };
    // Dumps list entries in creation order here; the kernel's order is its hash's (docs/fidelity.md).
    this.entries.set(key(dev, ip), n);
    return n;
  }

  delete(n: NeighEntry): void {
    this.cancel(n);
    this.entries.delete(key(n.dev, n.ip));
  }

  private cancel(n: NeighEntry): void {
    const t = this.timers.get(n);
    if (t) t.cancelled = true;
    this.timers.delete(n);
  }

  private arm(n: NeighEntry, ms: number, fn: () => void): void {
    this.cancel(n);
    this.timers.set(
      n,
      this.ns.kernel.clock.schedule(ms, () => {
        this.timers.delete(n);
        if (this.entries.get(key(n.dev, n.ip)) === n) fn();
      }),
    );
  }

  private reachableTime(dev: NetDevice): number {
    // neigh_rand_reach_time: uniformly in [base/2, 3*base/2).
    const base = this.param(dev, "base_reachable_time_ms");
    return Math.floor(base / 2 + this.ns.kernel.rng.next() * base);
  }

  /** neigh_update: a confirmed or learned link-layer address. */
  update(n: NeighEntry, lladdr: Mac, state: NudState, override = true): void {
    if (n.state === "PERMANENT" || n.state === "NOARP") return;
    const changed = n.lladdr !== lladdr;
    if (!override && changed && NUD_VALID.has(n.state)) return;
    if (!changed && state === "STALE" && NUD_VALID.has(n.state)) {
      // Same address learned again: keep a connected state as it is.
      return;
    }
    n.lladdr = lladdr;
    n.state = state;
    n.updated = this.now;
    n.probes = 0;
    if (state === "REACHABLE") {
      n.confirmed = this.now;
      this.arm(n, this.reachableTime(n.dev), () => this.toStale(n));
    } else {
      this.cancel(n);
    }
    const q = n.queue;
    n.queue = [];
    for (const p of q) this.flushQueued(n, p);
  }

  flushQueued: (n: NeighEntry, p: Ipv4Packet) => void = () => {};

  /** neigh_update with NEIGH_UPDATE_F_ADMIN (`ip neigh add/replace/change`): the state is set as given. */
  admin(n: NeighEntry, state: NudState, lladdr: Mac | null): void {
    this.cancel(n);
    n.state = state;
    n.lladdr = lladdr;
    n.updated = this.now;
    n.probes = 0;
    if (state === "REACHABLE") {
      n.confirmed = this.now;
      this.arm(n, this.reachableTime(n.dev), () => this.toStale(n));
    }
    const q = n.queue;
    n.queue = [];
    if (lladdr !== null && NUD_VALID.has(state)) for (const p of q) this.flushQueued(n, p);
  }

  /** neigh_timer_handler for REACHABLE: still confirmed, recently used (DELAY), or STALE. */
  private toStale(n: NeighEntry): void {
    const delay = this.param(n.dev, "delay_first_probe_time") * 1000;
    if (this.now <= n.used + delay) {
      n.state = "DELAY";
      n.updated = this.now;
      this.arm(n, delay, () => this.probe(n));
      return;
    }
    n.state = "STALE";
    n.updated = this.now;
  }

  /** __neigh_event_send: called before a frame uses the entry; true when it can go now. */
  eventSend(n: NeighEntry, p: Ipv4Packet): boolean {
    // Connected entries go out through the cached header without touching the entry (neigh_hh_output).
    if (!NUD_CONNECTED.has(n.state)) n.used = this.now;
    switch (n.state) {
      case "PERMANENT":
      case "NOARP":
      case "REACHABLE":
      case "DELAY":
      case "PROBE":
        return true;
      case "STALE":
        n.state = "DELAY";
        n.updated = this.now;
        this.arm(n, this.param(n.dev, "delay_first_probe_time") * 1000, () => this.probe(n));
        return true;
      case "FAILED":
      case "INCOMPLETE": {
        if (n.queue.length < this.param(n.dev, "unres_qlen")) n.queue.push(p);
        if (n.state === "FAILED") {
          n.state = "INCOMPLETE";
          n.probes = 0;
        }
        if (n.probes === 0) this.solicit(n);
        return false;
      }
    }
  }

  private solicit(n: NeighEntry): void {
    n.probes++;
    // The retransmit timer is armed before the request goes out: the reply may arrive (and re-arm the
    // entry's timer for REACHABLE) before solicit returns, as delivery here is synchronous.
    this.arm(n, this.param(n.dev, "retrans_time_ms"), () => {
      if (n.probes >= this.param(n.dev, "mcast_solicit")) {
        n.state = "FAILED";
        n.updated = this.now;
        const q = n.queue;
        n.queue = [];
        this.hooks?.failed(n, q);
      } else {
        this.solicit(n);
      }
    });
    this.hooks?.solicit(n, false);
  }

  private probe(n: NeighEntry): void {
    if (n.state === "DELAY" && n.confirmed + this.param(n.dev, "delay_first_probe_time") * 1000 >= this.now) {
      n.state = "REACHABLE";
      n.updated = this.now;
      this.arm(n, n.confirmed + this.reachableTime(n.dev) - this.now, () => this.toStale(n));
      return;
    }
    n.state = "PROBE";
    n.updated = this.now;
    n.probes = 0;
    const step = (): void => {
      if (n.probes >= this.param(n.dev, "ucast_solicit")) {
        n.state = "FAILED";
        n.updated = this.now;
        return;
      }
      n.probes++;
      this.arm(n, this.param(n.dev, "retrans_time_ms"), step);
      this.hooks?.solicit(n, true);
    };
    step();
  }

  /** Drop a device's entries; `all` includes permanent ones (unregister), otherwise they stay (neigh_ifdown). */
  flushDev(dev: NetDevice, all: boolean): void {
    for (const n of [...this.entries.values()]) {
      if (n.dev !== dev) continue;
      if (!all && n.state === "PERMANENT") continue;
      this.delete(n);
    }
    if (all) for (const [k, p] of this.proxies) if (p.dev === dev) this.proxies.delete(k);
  }

  addProxy(dev: NetDevice, ip: IPv4): void {
    this.proxies.set(key(dev, ip), { ip, dev });
  }

  hasProxy(dev: NetDevice, ip: IPv4): boolean {
    return this.proxies.has(key(dev, ip));
  }
}
