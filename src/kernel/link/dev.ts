/**
 * @module kernel/link/dev
 * net/core/dev.c for the model: registering and unregistering devices,
 * admin state, carrier and operstate, renaming, MTU and MAC changes, and
 * moving a device to another namespace (dev_change_net_namespace).
 */
import { type Mac, randomMac, ZERO_MAC } from "../../net/mac.js";
import { fail, type KResult, okVoid } from "../errno.js";
import { devinetDown, devinetUp } from "../ipv4/devinet.js";
import { addrconfCarrierChange, addrconfDown } from "../ipv6/addrconf.js";
import type { Kernel } from "../kernel.js";
import type { NetNs } from "../netns.js";
import type { LinkKind, NetDevice } from "../types.js";
import {
  brDelIf,
  bridgeRecalcCarrier,
  bridgeRecalcMac,
  brMtuAutoAdjust,
  brPortStateUpdate,
  brStpChangeBridgeId,
} from "./bridge/br-if.js";
import { vxlanOpen, vxlanStop } from "./vxlan/vxlan-core.js";

export const IFNAMSIZ = 16;

/** dev_valid_name */
export function validIfName(name: string): boolean {
  if (name.length === 0 || name.length >= IFNAMSIZ) return false;
  if (name === "." || name === "..") return false;
  return !/[/:\s]/.test(name);
}

export function newDevice(ns: NetNs, name: string, kind: LinkKind, mac?: Mac): NetDevice {
  const isLo = kind === "loopback";
  return {
    ifindex: 0,
    name,
    kind,
    ns,
    mac: isLo ? ZERO_MAC : (mac ?? randomMac(ns.kernel.rng)),
    macSetByUser: mac !== undefined,
    brd: isLo ? ZERO_MAC : "ff:ff:ff:ff:ff:ff",
    mtu: isLo ? 65536 : kind === "vxlan" ? 1450 : 1500,
    minMtu: isLo ? 0 : 68,
    maxMtu: isLo ? 0 : kind === "bridge" ? 65535 : kind === "veth" ? 65535 : kind === "vxlan" ? 65535 : 0,
    txqlen: 1000,
    up: false,
    promisc: 0,
    allmulti: 0,
    noarp: kind === "dummy" || isLo,
    multicast: kind !== "dummy" && !isLo,
    group: 0,
    master: null,
    brport: null,
    peer: null,
    bridge: null,
    vxlan: null,
    inet: [],
    inet6: [],
    stats: {
      rxPackets: 0,
      rxBytes: 0,
      rxDropped: 0,
      txPackets: 0,
      txBytes: 0,
      txDropped: 0,
      txErrors: 0,
      txCarrierErrors: 0,
      multicast: 0,
    },
    alias: null,
    lastCarrier: false,
    everUp: false,
  };
}

/** Veths being unregistered: veth_dellink has already cleared their peer pointers. */
const unpaired = new WeakSet<NetDevice>();

/** rtnl_link_ops->get_link_net: the namespace a veth's peer lives in; vxlan's is its own (never moved here). */
function linkNet(dev: NetDevice): NetNs {
  return dev.kind === "veth" && dev.peer && !unpaired.has(dev) ? dev.peer.ns : dev.ns;
}

/**
 * rtnl_fill_link_netnsid: every link message (a notification, a dump entry, an RTM_GETLINK reply)
 * about a device whose link namespace is not its own carries IFLA_LINK_NETNSID, and building it
 * runs peernet2id_alloc in `net` (the namespace the message is for): the first such message
 * gives the peer namespace the lowest free id there. Returns the id, or null for no attribute.
 */
export function rtnlFillLinkNetnsid(dev: NetDevice, net: NetNs = dev.ns): number | null {
  const link = linkNet(dev);
  return link === dev.ns ? null : net.idOf(link);
}

/** rtmsg_ifinfo: an RTM_NEWLINK/RTM_DELLINK notification, built for the device's own namespace. */
export function rtmsgIfinfo(dev: NetDevice): void {
  rtnlFillLinkNetnsid(dev, dev.ns);
}

/** The rtnl lock's depth and linkwatch's pending devices (__LINK_STATE_LINKWATCH_PENDING), per machine. */
interface Rtnl {
  depth: number;
  linkwatch: NetDevice[];
}
const rtnlOf = new WeakMap<Kernel, Rtnl>();
function rtnl(k: Kernel): Rtnl {
  let r = rtnlOf.get(k);
  if (!r) {
    r = { depth: 0, linkwatch: [] };
    rtnlOf.set(k, r);
  }
  return r;
}

/**
 * rtnl_lock() … rtnl_unlock(): linkwatch's work needs the lock, so carrier events raised by an
 * operation are reported only once it has finished (a veth whose peer was just moved reports
 * the peer's new namespace).
 */
export function withRtnl(k: Kernel, fn: () => void): void {
  const r = rtnl(k);
  r.depth++;
  try {
    fn();
  } finally {
    r.depth--;
  }
  if (r.depth === 0) linkwatchRunQueue(k);
}

/** linkwatch_fire_event: a carrier change, queued once per device. */
function linkwatchFireEvent(dev: NetDevice): void {
  const k = dev.ns.kernel;
  const r = rtnl(k);
  if (!r.linkwatch.includes(dev)) r.linkwatch.push(dev);
  if (r.depth === 0) linkwatchRunQueue(k);
}

/** __linkwatch_run_queue → linkwatch_do_dev: netdev_state_change notifies a device that is up. */
function linkwatchRunQueue(k: Kernel): void {
  const r = rtnl(k);
  while (r.linkwatch.length > 0) {
    const dev = r.linkwatch.shift()!;
    if (dev.up && dev.ns.devices.get(dev.ifindex) === dev) rtmsgIfinfo(dev);
  }
}

/** register_netdevice: name must be free; ifindex is allocated unless requested. */
export function registerDevice(ns: NetNs, dev: NetDevice, ifindex?: number): KResult {
  if (ns.byName.has(dev.name)) return fail("EEXIST");
  if (ifindex !== undefined && ifindex > 0) {
    if (ns.devices.has(ifindex)) return fail("EBUSY");
    dev.ifindex = ifindex;
  } else {
    dev.ifindex = ns.allocIfindex();
  }
  dev.ns = ns;
  ns.devices.set(dev.ifindex, dev);
  ns.byName.set(dev.name, dev);
  ns.sysctl.addDevice(dev.name);
  dev.lastCarrier = carrierOk(dev);
  noteCarrier(dev);
  return okVoid();
}

/** Carrier as the driver reports it (netif_carrier_ok). */
export function carrierOk(dev: NetDevice): boolean {
  switch (dev.kind) {
    case "loopback":
    case "dummy":
    case "vxlan":
      return true;
    case "veth":
      return dev.up && dev.peer?.up === true;
    case "bridge":
      return bridgeRecalcCarrier(dev);
  }
}

/** IFF_RUNNING as userspace sees it: up with carrier. */
export function isRunning(dev: NetDevice): boolean {
  return dev.up && carrierOk(dev);
}

/** The operstate RFC 2863 name that `ip link` prints. */
export function operstate(dev: NetDevice): string {
  if (!dev.up) return "DOWN";
  switch (dev.kind) {
    case "loopback":
    case "dummy":
    case "vxlan":
      return "UNKNOWN";
    case "veth": {
      if (carrierOk(dev)) return "UP";
      // default_operstate: the device with the peer's ifindex *in this namespace* decides
      // (the peer itself when both ends share it; whatever holds that index otherwise).
      const idx = dev.peer?.ifindex;
      if (idx === undefined || idx === dev.ifindex) return "DOWN";
      const other = dev.ns.devices.get(idx);
      if (!other) return "DOWN";
      return carrierOk(other) ? "DOWN" : "LOWERLAYERDOWN";
    }
    case "bridge":
      if (dev.bridge && !bridgeCarrierManaged(dev)) return "UNKNOWN";
      return carrierOk(dev) ? "UP" : "DOWN";
  }
}

/** A bridge reports UNKNOWN until it first has ports and starts managing its carrier. */
export function bridgeCarrierManaged(dev: NetDevice): boolean {
  return dev.bridge?.carrierManaged === true;
}
export function markBridgeCarrierManaged(dev: NetDevice): void {
  if (!dev.bridge) return;
  if (!dev.bridge.carrierManaged) {
    // br_port_state_selection runs with the new port still disabled: the carrier drops first.
    const c = carrierState(dev);
    if (c.bit) {
      c.bit = false;
      c.changes++;
    }
  }
  dev.bridge.carrierManaged = true;
}

/** The kernel's carrier bit (__LINK_STATE_NOCARRIER) and how often it flipped (IFLA_CARRIER_CHANGES). */
const carrierBits = new WeakMap<NetDevice, { bit: boolean; changes: number }>();
function carrierState(dev: NetDevice): { bit: boolean; changes: number } {
  let c = carrierBits.get(dev);
  if (!c) {
    // A device is allocated with carrier on; veth_newlink turns it off at once.
    c = { bit: true, changes: 0 };
    carrierBits.set(dev, c);
  }
  return c;
}
function carrierBit(dev: NetDevice): boolean {
  if (dev.kind === "veth") return carrierOk(dev);
  if (dev.kind === "bridge") return bridgeCarrierManaged(dev) ? carrierOk(dev) : true;
  return true;
}
function noteCarrier(dev: NetDevice): void {
  const c = carrierState(dev);
  const bit = carrierBit(dev);
  if (bit !== c.bit) {
    c.bit = bit;
    c.changes++;
    linkwatchFireEvent(dev);
  }
}
/** `ip -s -s link`'s transns. */
export function carrierChanges(dev: NetDevice): number {
  return carrierState(dev).changes;
}

/** Re-evaluates carrier for a device and the devices that depend on it, firing the events. */
export function propagateCarrier(dev: NetDevice): void {
  dev.ns.kernel.hold(() => propagateCarrierHeld(dev));
}

function propagateCarrierHeld(dev: NetDevice): void {
  const seen = new Set<NetDevice>();
  const visit = (d: NetDevice | null): void => {
    if (!d || seen.has(d)) return;
    seen.add(d);
    const now = carrierOk(d);
    noteCarrier(d);
    if (d.brport && d.master) brPortStateUpdate(d);
    if (now !== d.lastCarrier) {
      d.lastCarrier = now;
      if (d.up) addrconfCarrierChange(d, now);
    }
    visit(d.peer);
    visit(d.master);
  };
  visit(dev);
  if (dev.peer) visit(dev.peer.master);
}

const downedOnce = new WeakSet<NetDevice>();
/**
 * Whether the device has been taken down after being up: its multicast
 * memberships were then dropped (ip_mc_down, ipv6_mc_down) and come back in
 * a different order when it is up again, as `bridge fdb show` lists them.
 */
export function hasBeenDowned(dev: NetDevice): boolean {
  return downedOnce.has(dev);
}

/** dev_open / dev_close, then __dev_notify_flags' RTM_NEWLINK. */
export function setUp(dev: NetDevice, up: boolean): void {
  if (dev.up === up) return;
  const k = dev.ns.kernel;
  withRtnl(k, () => k.hold(() => setUpHeld(dev, up)));
}

function setUpHeld(dev: NetDevice, up: boolean): void {
  dev.up = up;
  if (up) {
    dev.everUp = true;
    if (dev.kind === "vxlan") vxlanOpen(dev);
    devinetUp(dev);
    dev.lastCarrier = carrierOk(dev);
    if (dev.lastCarrier) addrconfCarrierChange(dev, true);
  } else {
    downedOnce.add(dev);
    if (dev.kind === "vxlan") vxlanStop(dev);
    devinetDown(dev);
    addrconfDown(dev);
    dev.ns.neigh.flushDev(dev, false);
    dev.lastCarrier = false;
  }
  rtmsgIfinfo(dev);
  propagateCarrier(dev);
}

export function rename(dev: NetDevice, name: string): KResult {
  if (dev.name === name) return okVoid();
  // Since Linux 6.12 an interface may be renamed while it is up.
  if (dev.ns.byName.has(name)) return fail("EEXIST");
  dev.ns.byName.delete(dev.name);
  dev.ns.sysctl.renameDevice(dev.name, name);
  for (const a of dev.inet)
    if (a.label === dev.name || a.label.startsWith(`${dev.name}:`))
      a.label = name + a.label.slice(dev.name.length);
  dev.name = name;
  dev.ns.byName.set(name, dev);
  // NETDEV_CHANGENAME → rtnetlink_event
  rtmsgIfinfo(dev);
  return okVoid();
}

/**
 * dev_set_mtu. `byUser` is an MTU asked for (ip link set): on a bridge br_change_mtu then marks it
 * as set by the user. A port's new MTU makes its bridge adjust (NETDEV_CHANGEMTU).
 */
export function setMtu(dev: NetDevice, mtu: number, byUser = true): KResult {
  if (dev.kind !== "loopback" && (mtu < dev.minMtu || (dev.maxMtu > 0 && mtu > dev.maxMtu))) {
    return fail(
      "EINVAL",
      mtu < dev.minMtu ? `mtu less than device minimum` : `mtu greater than device maximum`,
    );
  }
  if (dev.mtu === mtu) return okVoid();
  dev.mtu = mtu;
  if (dev.bridge && byUser) dev.bridge.mtuSetByUser = true;
  // NETDEV_CHANGEMTU → rtnetlink_event, and br_device_event for a bridge port
  if (dev.ifindex !== 0) rtmsgIfinfo(dev);
  if (dev.master?.bridge) brMtuAutoAdjust(dev.master);
  return okVoid();
}

export function setMac(dev: NetDevice, mac: Mac): KResult {
  if (dev.kind === "loopback") return fail("EOPNOTSUPP");
  if ((Number.parseInt(mac.slice(0, 2), 16) & 1) === 1) return fail("EADDRNOTAVAIL");
  dev.mac = mac;
  dev.macSetByUser = true;
  if (dev.bridge) brStpChangeBridgeId(dev);
  if (dev.master?.bridge) bridgeRecalcMac(dev.master);
  // NETDEV_CHANGEADDR → rtnetlink_event
  rtmsgIfinfo(dev);
  return okVoid();
}

/** unregister_netdevice: a veth takes its peer with it. */
export function unregister(dev: NetDevice): void {
  const victims = dev.kind === "veth" && dev.peer ? [dev, dev.peer] : [dev];
  // veth_dellink clears both peer pointers before the devices are closed: their last messages
  // carry no peer namespace.
  for (const d of victims) unpaired.add(d);
  for (const d of victims) {
    if (d.up) setUp(d, false);
    if (d.master) brDelIf(d.master, d);
    if (d.bridge) for (const p of [...d.bridge.ports]) brDelIf(d, p);
    d.inet = [];
    d.ns.fib.flushDev(d, () => false);
    d.ns.neigh.flushDev(d, true);
    d.ns.devices.delete(d.ifindex);
    d.ns.byName.delete(d.name);
    d.ns.sysctl.removeDevice(d.name);
  }
  for (const d of victims) if (d.peer && victims.includes(d.peer)) d.peer = null;
}

/**
 * dev_change_net_namespace: the device goes down, leaves its bridge, loses
 * its addresses and routes, and keeps its ifindex if the target has it free.
 * Namespace ids come in the kernel's order: the old namespace learns the
 * target's (IFLA_NEW_NETNSID) and, in the RTM_DELLINK it then sends, the
 * peer's; the target learns the peer's in its RTM_NEWLINK; and a peer that was
 * up and loses its carrier reports the device's new namespace through linkwatch.
 */
export function changeNetns(dev: NetDevice, target: NetNs, newName?: string): KResult {
  const name = newName ?? dev.name;
  // NETIF_F_NETNS_LOCAL (loopback, bridges): refused even towards its own namespace.
  if (dev.kind === "loopback" || dev.bridge) return fail("EINVAL", "The interface netns is immutable");
  if (target === dev.ns && name === dev.name) return okVoid();
  if (target.byName.has(name)) return fail("EEXIST");
  withRtnl(dev.ns.kernel, () => changeNetnsLocked(dev, target, name));
  return okVoid();
}

function changeNetnsLocked(dev: NetDevice, target: NetNs, name: string): void {
  const from = dev.ns;
  if (dev.up) setUp(dev, false);
  // dev_shutdown: the qdisc attached when it was up goes (`qdisc noop` until it is up again).
  dev.everUp = false;
  if (dev.master) brDelIf(dev.master, dev);
  dev.inet = [];
  dev.inet6 = [];
  from.fib.flushDev(dev, () => false);
  from.neigh.flushDev(dev, true);
  from.idOf(target);
  rtmsgIfinfo(dev);
  from.devices.delete(dev.ifindex);
  from.byName.delete(dev.name);
  from.sysctl.removeDevice(dev.name);
  dev.name = name;
  const keep = target.devices.has(dev.ifindex) ? undefined : dev.ifindex;
  registerDevice(target, dev, keep);
  rtmsgIfinfo(dev);
  propagateCarrier(dev);
}
