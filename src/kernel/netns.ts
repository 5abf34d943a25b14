/**
 * @module kernel/netns
 * struct net: one network namespace with its own devices, addresses,
 * routing tables and rules, neighbour table, sysctls and sockets.
 */

import { FibRules, FibTables } from "./fib/table.js";
import type { Kernel } from "./kernel.js";
import { NeighTable } from "./neigh/neigh-table.js";
import { SocketTable } from "./socket/socket-table.js";
import type { Sysctl } from "./sysctl.js";
import type { NetDevice } from "./types.js";

export class NetNs {
  readonly devices = new Map<number, NetDevice>();
  readonly byName = new Map<string, NetDevice>();
  /** Last allocated ifindex: allocation is cyclic from here, as dev_index_reserve does. */
  lastIfindex = 0;
  /** peernet2id: the ids this namespace gives to other namespaces. */
  readonly nsids = new Map<NetNs, number>();
  readonly fib = new FibTables();
  readonly rules = new FibRules();
  readonly neigh: NeighTable;
  readonly sysctl: Sysctl;
  readonly sockets = new SocketTable();
  ipId = 0;

  readonly kernel: Kernel;
  /** The name under /run/netns, or null for a namespace without one (the root). */
  name: string | null;
  readonly serial: number;

  constructor(kernel: Kernel, name: string | null, serial: number, sysctl: Sysctl) {
    this.kernel = kernel;
    this.name = name;
    this.serial = serial;
    this.sysctl = sysctl;
    this.neigh = new NeighTable(this);
  }

  /** The label traces use for this namespace. */
  get label(): string {
    return this.name ?? "(root)";
  }

  dev(name: string): NetDevice | undefined {
    return this.byName.get(name);
  }

  allocIfindex(): number {
    let i = this.lastIfindex + 1;
    while (this.devices.has(i) || i < 1) i = i >= 0x7fffffff ? 1 : i + 1;
    this.lastIfindex = i;
    return i;
  }

  /** peernet2id_alloc: the lowest free id, allocated on first use. */
  idOf(peer: NetNs): number {
    const have = this.nsids.get(peer);
    if (have !== undefined) return have;
    const used = new Set(this.nsids.values());
    let id = 0;
    while (used.has(id)) id++;
    this.nsids.set(peer, id);
    return id;
  }
}
