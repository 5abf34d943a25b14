/**
 * Building N namespaces joined by veth pairs to one bridge, and pinging across it,
 * through the kernel model's own operations (what the host interface calls).
 */
import { inetAddAddr } from "../src/kernel/ipv4/devinet.js";
import { ipSend } from "../src/kernel/ipv4/ip.js";
import { Kernel } from "../src/kernel/kernel.js";
import { brAddIf } from "../src/kernel/link/bridge/br-if.js";
import { createBridge, createVeth } from "../src/kernel/link/create.js";
import { changeNetns, setUp } from "../src/kernel/link/dev.js";
import type { NetNs } from "../src/kernel/netns.js";
import type { NetDevice } from "../src/kernel/types.js";

export interface Built {
  k: Kernel;
  ns: NetNs[];
}

function must<T>(r: { ok: true; value: T } | { ok: false; err: { errno: string } }): T {
  if (!r.ok) throw new Error(r.err.errno);
  return r.value;
}

export function buildBridged(n: number): Built {
  const k = new Kernel({ seed: 1 });
  k.trace = null;
  const root = k.initNs;
  const br = must(createBridge({ name: "br0", ns: root }));
  setUp(br, true);
  const list: NetNs[] = [];
  for (let i = 0; i < n; i++) {
    const ns = k.newNetns(`ns${i}`);
    const inside: NetDevice = must(
      createVeth({ name: `veth${i}`, ns: root }, { name: `br-veth${i}`, ns: root }),
    );
    must(changeNetns(inside, ns));
    const outside = inside.peer!;
    must(brAddIf(br, outside));
    setUp(outside, true);
    const addr = (10 << 24) | (1 << 16) | (Math.floor((i + 1) / 250) << 8) | ((i + 1) % 250);
    must(
      inetAddAddr(inside, {
        local: addr >>> 0,
        prefixlen: 16,
        broadcast: null,
        scope: null,
        label: null,
        noprefixroute: false,
        metric: 0,
      }),
    );
    setUp(inside, true);
    list.push(ns);
  }
  return { k, ns: list };
}

export function buildEmpty(n: number): Kernel {
  const k = new Kernel({ seed: 1 });
  for (let i = 0; i < n; i++) k.newNetns(`ns${i}`);
  return k;
}

/** One echo request and its reply between the first and the last namespace. */
export function pingAcross(b: Built, seq: number): boolean {
  const from = b.ns[0]!;
  const to = b.ns[b.ns.length - 1]!;
  const dst = [...to.devices.values()].find((d) => d.kind === "veth")!.inet[0]!.local;
  let got = false;
  from.sockets.ping.set(4242, { id: 4242, onPacket: () => (got = true) });
  ipSend(from, { dst, l4: { proto: "icmp", type: 8, code: 0, id: 4242, seq } });
  from.sockets.ping.delete(4242);
  return got;
}
