/**
 * @module kernel/link/bridge/br-if
 * net/bridge/br_if.c and br_stp_if.c: enslaving and releasing ports, the
 * bridge's MAC (the lowest port MAC unless set by the user), its carrier
 * and the port states that STP-off bridges move through instantly.
 */
import { compareMac, ZERO_MAC } from "../../../net/mac.js";
import { fail, type KResult, okVoid } from "../../errno.js";
import type { NetDevice } from "../../types.js";
import { isRunning, markBridgeCarrierManaged, propagateCarrier, rtmsgIfinfo, setMtu } from "../dev.js";

export function newBridgeInfo(): NonNullable<NetDevice["bridge"]> {
  return {
    ports: [],
    fdb: new Map(),
    ageingTime: 30000,
    forwardDelay: 1500,
    helloTime: 200,
    maxAge: 2000,
    stpState: 0,
    priority: 32768,
    vlanFiltering: 0,
    nfCallIptables: 0,
    carrierManaged: false,
    mtuSetByUser: false,
  };
}

/** br_add_if */
export function brAddIf(br: NetDevice, port: NetDevice): KResult {
  if (!br.bridge) return fail("EOPNOTSUPP");
  if (port === br) return fail("ELOOP");
  if (port.kind === "loopback") return fail("EINVAL");
  if (port.master === br) return okVoid();
  if (port.master) return fail("EBUSY");
  if (port.bridge) return fail("ELOOP");
  port.master = br;
  const used = new Set(br.bridge.ports.map((p) => p.brport?.portNo ?? 0));
  let portNo = 1;
  while (used.has(portNo)) portNo++;
  port.brport = {
    portNo,
    state: "disabled",
    hairpin: false,
    learning: true,
    flood: true,
    priority: 32,
    cost: 2,
  };
  br.bridge.ports.push(port);
  // The port's own address is a local, permanent FDB entry (fdb_add_local).
  br.bridge.fdb.set(port.mac, {
    mac: port.mac,
    port,
    kind: "local",
    updated: br.ns.kernel.clock.now,
    used: 0,
  });
  markBridgeCarrierManaged(br);
  bridgeRecalcMac(br);
  brMtuAutoAdjust(br);
  brPortStateUpdate(port);
  propagateCarrier(br);
  // netdev_master_upper_dev_link: NETDEV_CHANGEUPPER → rtnetlink_event
  rtmsgIfinfo(port);
  return okVoid();
}

/** br_del_if */
export function brDelIf(br: NetDevice, port: NetDevice): void {
  if (!br.bridge || port.master !== br) return;
  br.bridge.ports = br.bridge.ports.filter((p) => p !== port);
  for (const [k, e] of br.bridge.fdb) if (e.port === port) br.bridge.fdb.delete(k);
  port.master = null;
  port.brport = null;
  bridgeRecalcMac(br);
  brMtuAutoAdjust(br);
  propagateCarrier(br);
  rtmsgIfinfo(port);
}

/**
 * br_mtu_auto_adjust: the bridge takes its ports' smallest MTU (1500 without ports), unless an MTU
 * was set on it; called when a port comes or goes, and when a port's MTU changes.
 */
export function brMtuAutoAdjust(br: NetDevice): void {
  if (!br.bridge || br.bridge.mtuSetByUser) return;
  let mtu = 0;
  for (const p of br.bridge.ports) if (mtu === 0 || p.mtu < mtu) mtu = p.mtu;
  setMtu(br, mtu === 0 ? 1500 : mtu, false);
}

/** br_stp_recalculate_bridge_id: the lowest port MAC, unless the user set one. */
export function bridgeRecalcMac(br: NetDevice): void {
  if (!br.bridge || br.macSetByUser) return;
  // Without ports br_stp_recalculate_bridge_id settles on the zero address (only called once a port was released).
  if (br.bridge.ports.length === 0) {
    br.mac = ZERO_MAC;
    return;
  }
  let min = br.bridge.ports[0]!.mac;
  for (const p of br.bridge.ports) if (compareMac(p.mac, min) < 0) min = p.mac;
  br.mac = min;
}

/**
 * br_stp_change_bridge_id (a MAC set by the user): it ends in
 * br_port_state_selection, so from then on the bridge manages its carrier,
 * and without forwarding ports it has none.
 */
export function brStpChangeBridgeId(br: NetDevice): void {
  if (!br.bridge) return;
  markBridgeCarrierManaged(br);
  propagateCarrier(br);
}

/** A bridge has carrier while any port forwards; with no ports it keeps its carrier until managed. */
export function bridgeRecalcCarrier(br: NetDevice): boolean {
  const info = br.bridge;
  if (!info) return false;
  if (info.ports.length === 0) return !info.carrierManaged;
  return info.ports.some((p) => p.brport?.state === "forwarding");
}

/** br_port_state_selection with STP off: a running port forwards at once, otherwise it is disabled. */
export function brPortStateUpdate(port: NetDevice): void {
  if (!port.brport || !port.master) return;
  port.brport.state = isRunning(port) && port.master.up ? "forwarding" : "disabled";
}
