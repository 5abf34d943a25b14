/**
 * @module kernel/kernel
 * One simulated Linux machine: its namespaces (the initial one and those
 * named under /run/netns), simulated clock, seeded randomness, the softirq
 * queue that carries frames between devices, the kernel log and the trace
 * sink every stage writes to.
 */
import { createRng, type Rng } from "../net/rand.js";
import type { Hop, HopKind, TraceSink } from "../trace/hop.js";
import { Clock } from "./clock.js";
import { hasConntrack } from "./conntrack/conntrack.js";
import { newDevice, registerDevice, unregister } from "./link/dev.js";
import { installArp } from "./neigh/arp.js";
import { NetNs } from "./netns.js";
import { Sysctl } from "./sysctl.js";

export interface KernelOptions {
  /** Seed for MACs, ports and every other random choice. */
  seed?: number;
  /** The machine's name in traces. */
  hostname?: string;
  /** A clock shared with other machines (a cluster's nodes live in one simulated time). */
  clock?: Clock;
  /** A softirq queue shared with other machines, so frames crossing between them keep one order. */
  softirq?: SoftirqQueue;
}

/** Work raised by devices and timers, drained in order. */
export interface SoftirqQueue {
  work: Array<() => void>;
  running: boolean;
}

export function newSoftirqQueue(): SoftirqQueue {
  return { work: [], running: false };
}

export class Kernel {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly hostname: string;
  readonly initNs: NetNs;
  /** Namespaces by their /run/netns name. */
  readonly named = new Map<string, NetNs>();
  /** Every live namespace, named or not (a namespace lives while a device or name holds it). */
  readonly all = new Set<NetNs>();
  readonly dmesg: string[] = [];
  trace: TraceSink | null = null;
  /** When set, new links without an explicit MAC are numbered (the oracle's pinned MACs) instead of random. */
  macSequence: number | null = null;
  /** Frames handed to devices so far: a cheap clock for simulated latency. */
  xmitCount = 0;
  private nsSerial = 0;
  private readonly q: SoftirqQueue;

  constructor(opts: KernelOptions = {}) {
    this.clock = opts.clock ?? new Clock();
    this.q = opts.softirq ?? newSoftirqQueue();
    this.rng = createRng(opts.seed ?? 1);
    this.hostname = opts.hostname ?? "host";
    this.initNs = new NetNs(this, null, this.nsSerial++, new Sysctl());
    this.setupNs(this.initNs);
  }

  /** Every namespace starts with its loopback device (down) and the ARP protocol. */
  private setupNs(ns: NetNs): void {
    this.all.add(ns);
    installArp(ns);
    registerDevice(ns, newDevice(ns, "lo", "loopback"));
    ns.sysctl.compute("net.netfilter.nf_conntrack_count", () => String(hasConntrack(ns)?.count ?? 0));
  }

  /** copy_net_ns: a fresh namespace whose IPv4 settings start as the initial namespace's. */
  newNetns(name: string | null): NetNs {
    const ns = new NetNs(this, name, this.nsSerial++, new Sysctl(this.initNs.sysctl));
    this.setupNs(ns);
    if (name !== null) this.named.set(name, ns);
    return ns;
  }

  /** Queues work as a softirq would (a frame arriving on a device); runs it unless already draining. */
  raise(work: () => void): void {
    this.q.work.push(work);
    if (!this.q.running) this.drain();
  }

  private drain(): void {
    this.q.running = true;
    // An index walks the queue (shift() would make a flood to N ports cost N²).
    let i = 0;
    try {
      for (; i < this.q.work.length; i++) this.q.work[i]!();
    } finally {
      this.q.work.splice(0, i);
      this.q.running = false;
    }
  }

  /** Runs `fn` with packet processing held back, then processes what it raised (a state change settles first). */
  hold(fn: () => void): void {
    if (this.q.running) {
      fn();
      return;
    }
    this.q.running = true;
    try {
      fn();
    } finally {
      this.q.running = false;
    }
    this.drain();
  }

  /** Advances simulated time, running due timers and the work they raise. */
  advance(ms: number): void {
    this.clock.advanceTo(this.clock.now + ms, () => {
      if (!this.q.running) this.drain();
    });
  }

  /**
   * Runs simulated time timer by timer until `done()` holds or the clock reaches `deadline`
   * (absolute ms): a program blocked in poll() until an answer or its timeout. True if done.
   */
  runUntil(done: () => boolean, deadline: number): boolean {
    while (!done() && this.clock.now < deadline) {
      const next = this.clock.nextDue();
      if (next === null || next > deadline) {
        this.advance(deadline - this.clock.now);
        break;
      }
      this.advance(Math.max(0, next - this.clock.now));
    }
    return done();
  }

  hop(ns: { label: string }, kind: HopKind, detail: string, packet: string): void {
    if (this.trace)
      this.trace.record({ host: this.hostname, netns: ns.label, kind, detail, packet } satisfies Hop);
  }

  log(msg: string): void {
    const t = (this.clock.now / 1000).toFixed(6).padStart(12, " ");
    this.dmesg.push(`[${t}] ${msg}`);
  }
}

/** `ip netns del`: the name goes, and with it the namespace and its devices (a veth's peer too). */
export function destroyNetns(k: Kernel, ns: NetNs): void {
  if (ns.name !== null) k.named.delete(ns.name);
  for (const dev of [...ns.devices.values()]) if (ns.devices.has(dev.ifindex)) unregister(dev);
  k.all.delete(ns);
  for (const other of k.all) other.nsids.delete(ns);
}
