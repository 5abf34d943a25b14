/**
 * @module kernel/link/create
 * rtnl_newlink for the link kinds the model has: veth pairs (peer first, as
 * veth_newlink registers it), bridges, dummies and vxlan devices.
 */
import type { Mac } from "../../net/mac.js";
import { fail, type KResult, ok } from "../errno.js";
import type { NetNs } from "../netns.js";
import type { LinkKind, NetDevice, VxlanConfig } from "../types.js";
import { brStpChangeBridgeId, newBridgeInfo } from "./bridge/br-if.js";
import { newDevice, registerDevice, rtmsgIfinfo, setMtu } from "./dev.js";
import { VXLAN_AGEING_DEFAULT, vxlanFdbCreateDefault } from "./vxlan/vxlan-fdb.js";

export interface LinkAttrs {
  name: string | null;
  mac?: Mac;
  mtu?: number;
  txqlen?: number;
  ns: NetNs;
}

/** What `ip link add … type vxlan` configures (the device keeps it in its VxlanInfo, with its FDB). */
export type VxlanAttrs = VxlanConfig;

/** The first free name for a pattern like "veth%d" (dev_alloc_name). */
export function allocName(ns: NetNs, pattern: string): string {
  for (let i = 0; ; i++) {
    const n = pattern.replace("%d", String(i));
    if (!ns.byName.has(n)) return n;
  }
}

function make(a: LinkAttrs, kind: LinkKind, pattern: string): KResult<NetDevice> {
  const name =
    a.name === null ? allocName(a.ns, pattern) : a.name.includes("%d") ? allocName(a.ns, a.name) : a.name;
  if (a.ns.byName.has(name)) return fail("EEXIST");
  const dev = newDevice(a.ns, name, kind, a.mac);
  if (a.txqlen !== undefined) dev.txqlen = a.txqlen;
  if (a.mtu !== undefined) {
    // rtnl_create_link sets the MTU directly: not an MTU set by the user on a bridge.
    const r = setMtu(dev, a.mtu, false);
    if (!r.ok) return r;
  }
  return ok(dev);
}

export function createVeth(a: LinkAttrs, peer: LinkAttrs): KResult<NetDevice> {
  const p = make(peer, "veth", "veth%d");
  if (!p.ok) return p;
  const d = make(a, "veth", "veth%d");
  if (!d.ok) return d;
  if (a.ns === peer.ns && d.value.name === p.value.name) {
    // veth_newlink registers the peer first, taking an ifindex, before the device's own name clashes
    // with it; the index stays used (the allocator moves on).
    peer.ns.allocIfindex();
    return fail("EEXIST");
  }
  const rp = registerDevice(peer.ns, p.value);
  if (!rp.ok) return rp;
  const rd = registerDevice(a.ns, d.value);
  if (!rd.ok) {
    peer.ns.devices.delete(p.value.ifindex);
    peer.ns.byName.delete(p.value.name);
    peer.ns.sysctl.removeDevice(p.value.name);
    return rd;
  }
  d.value.peer = p.value;
  p.value.peer = d.value;
  // rtnl_configure_link: the peer's RTM_NEWLINK went out before the pair was tied (no peer
  // namespace in it); the device's carries the peer's, so only the device's namespace learns an id.
  rtmsgIfinfo(d.value);
  return ok(d.value);
}

export function createBridge(a: LinkAttrs): KResult<NetDevice> {
  const d = make(a, "bridge", "bridge%d");
  if (!d.ok) return d;
  d.value.bridge = newBridgeInfo();
  const r = registerDevice(a.ns, d.value);
  if (!r.ok) return r;
  if (a.mac !== undefined) brStpChangeBridgeId(d.value);
  return ok(d.value);
}

export function createDummy(a: LinkAttrs): KResult<NetDevice> {
  const d = make(a, "dummy", "dummy%d");
  if (!d.ok) return d;
  const r = registerDevice(a.ns, d.value);
  return r.ok ? ok(d.value) : r;
}

/**
 * vxlan_newlink: the MTU leaves room for the 50 bytes of outer headers on the
 * lower device (a device without one starts at 1500); a `remote` or `group` becomes the all-zeros FDB entry. One
 * namespace cannot have two devices with the same VNI on the same port: a
 * received packet would not know which to go to.
 */
export function createVxlan(a: LinkAttrs, v: VxlanAttrs): KResult<NetDevice> {
  for (const other of a.ns.devices.values())
    if (other.vxlan && other.vxlan.id === v.id && other.vxlan.dstport === v.dstport)
      return fail("EEXIST", "A VXLAN device with the specified VNI already exists");
  const d = make(
    // vxlan_config_apply: the lower device's MTU less VXLAN_HEADROOM; without one, ETH_DATA_LEN.
    { ...a, ...(a.mtu === undefined ? { mtu: v.dev ? v.dev.mtu - 50 : 1500 } : {}) },
    "vxlan",
    "vxlan%d",
  );
  if (!d.ok) return d;
  d.value.vxlan = { ...v, ageing: v.ageing ?? VXLAN_AGEING_DEFAULT, fdb: new Map() };
  const r = registerDevice(a.ns, d.value);
  if (!r.ok) return r;
  vxlanFdbCreateDefault(d.value, a.ns.kernel.clock.now);
  return ok(d.value);
}
