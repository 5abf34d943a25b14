/**
 * @module kernel/link/vxlan/vxlan-fdb
 * The vxlan forwarding database (drivers/net/vxlan/vxlan_core.c): each
 * device maps inner destination MACs to the remote VTEPs frames for them are
 * tunnelled to. The all-zeros MAC is the default entry (unknown unicast,
 * broadcast, multicast), which may hold several remotes for head-end
 * replication. Entries come from `bridge fdb add|append|replace`, from
 * `remote` at creation, and from learning; dynamic ones age out.
 *
 * The table is a Map keyed by MAC: a node of a large cluster holds an entry
 * per peer, and every frame sent looks one up.
 */
import type { IPv4 } from "../../../net/ip.js";
import { isMulticastMac, type Mac, ZERO_MAC } from "../../../net/mac.js";
import { fail, type KResult, okVoid } from "../../errno.js";
import type { NetDevice, VxlanFdbEntry, VxlanFdbState, VxlanInfo, VxlanRdst } from "../../types.js";

/** FDB_AGE_DEFAULT: learned entries live 300 s unless `ageing` says otherwise. */
export const VXLAN_AGEING_DEFAULT = 300;

/** The netlink flags of RTM_NEWNEIGH that decide between add, append and replace. */
export interface FdbNlFlags {
  /** NLM_F_CREATE */
  create: boolean;
  /** NLM_F_EXCL (`bridge fdb add`) */
  excl: boolean;
  /** NLM_F_REPLACE (`bridge fdb replace`) */
  replace: boolean;
  /** NLM_F_APPEND (`bridge fdb append`) */
  append: boolean;
}

export const FDB_ADD: FdbNlFlags = { create: true, excl: true, replace: false, append: false };
export const FDB_APPEND: FdbNlFlags = { create: true, excl: false, replace: false, append: true };
export const FDB_REPLACE: FdbNlFlags = { create: true, excl: false, replace: true, append: false };

/** The parts of a remote `bridge fdb` may give; the rest default as vxlan_fdb_parse fills them. */
export interface RdstSpec {
  ip: IPv4;
  port?: number;
  vni?: number;
  ifindex?: number;
}

function info(dev: NetDevice): VxlanInfo | null {
  return dev.kind === "vxlan" ? dev.vxlan : null;
}

/** vxlan_fdb_parse: an absent port is the device's dstport, an absent VNI its id, no `via` is any device. */
export function rdstOf(v: VxlanInfo, s: RdstSpec): VxlanRdst {
  return { ip: s.ip, port: s.port || v.dstport, vni: s.vni ?? v.id, ifindex: s.ifindex ?? 0 };
}

function sameRdst(a: VxlanRdst, b: VxlanRdst): boolean {
  return a.ip === b.ip && a.port === b.port && a.vni === b.vni && a.ifindex === b.ifindex;
}

/** Multicast and all-zeros entries list remotes to replicate to; only they take `append`. */
function isGroupMac(mac: Mac): boolean {
  return mac === ZERO_MAC || isMulticastMac(mac);
}

/** Dynamic entries expire `ageing` seconds after their last update (vxlan_cleanup). */
function expired(v: VxlanInfo, e: VxlanFdbEntry, now: number): boolean {
  return e.state === "REACHABLE" && now - e.updated >= v.ageing * 1000;
}

/**
 * The entry for a MAC, as __vxlan_find_mac finds it. vxlan_cleanup runs every
 * 10 s in the kernel; here an expired entry is removed when it is next met.
 */
function findMac(v: VxlanInfo, mac: Mac, now: number): VxlanFdbEntry | undefined {
  const e = v.fdb.get(mac);
  if (e && expired(v, e, now)) {
    v.fdb.delete(mac);
    return undefined;
  }
  return e;
}

/** vxlan_find_mac on the transmit path: the lookup also marks the entry used. */
export function vxlanFindMac(dev: NetDevice, mac: Mac, now: number): VxlanFdbEntry | undefined {
  const v = info(dev);
  if (!v) return undefined;
  const e = findMac(v, mac, now);
  if (e) e.used = now;
  return e;
}

/**
 * vxlan_fdb_update: create, append to or replace an entry with the netlink
 * flags' semantics (and their errors, which `bridge fdb` prints).
 */
export function vxlanFdbUpdate(
  dev: NetDevice,
  mac: Mac,
  spec: RdstSpec,
  state: VxlanFdbState,
  flags: FdbNlFlags,
  now: number,
): KResult {
  const v = info(dev);
  if (!v) return fail("EOPNOTSUPP");
  const rd = rdstOf(v, spec);
  const f = findMac(v, mac, now);
  if (f) {
    if (flags.excl) return fail("EEXIST");
    // vxlan_fdb_update_existing: the state is the caller's whichever way the remotes change.
    if (f.state !== state) {
      f.state = state;
      f.updated = now;
    }
    if (flags.replace) {
      if (isGroupMac(mac)) return fail("EOPNOTSUPP", "Cannot replace non-unicast fdb entries");
      // vxlan_fdb_replace: the first remote takes the new destination.
      const first = f.remotes[0];
      if (first && !sameRdst(first, rd)) {
        f.remotes[0] = rd;
        f.updated = now;
      }
    }
    // A unicast MAC has one remote: appending to it is accepted and does nothing.
    if (flags.append && isGroupMac(mac) && !f.remotes.some((r) => sameRdst(r, rd))) {
      f.remotes.push(rd);
      f.updated = now;
    }
    return okVoid();
  }
  if (!flags.create) return fail("ENOENT");
  // Disallow replace to add a multicast entry (vxlan_fdb_update_create).
  if (flags.replace && isGroupMac(mac)) return fail("EOPNOTSUPP");
  v.fdb.set(mac, { mac, remotes: [rd], state, updated: now, used: now });
  return okVoid();
}

/** vxlan_fdb_add (ndo_fdb_add): a destination is required; the state must be permanent or reachable. */
export function vxlanFdbAddEntry(
  dev: NetDevice,
  mac: Mac,
  spec: RdstSpec | null,
  state: VxlanFdbState,
  flags: FdbNlFlags,
  now: number,
): KResult {
  if (!info(dev)) return fail("EOPNOTSUPP");
  if (spec === null || spec.ip === 0) return fail("EINVAL");
  return vxlanFdbUpdate(dev, mac, spec, state, flags, now);
}

/**
 * __vxlan_fdb_delete: without a destination the whole entry goes; with one,
 * that remote (or the entry, when it was the last). A destination the entry
 * does not have is not an error.
 */
export function vxlanFdbDelete(dev: NetDevice, mac: Mac, spec: RdstSpec | null, now: number): KResult {
  const v = info(dev);
  if (!v) return fail("EOPNOTSUPP");
  const f = findMac(v, mac, now);
  if (!f) return fail("ENOENT");
  if (spec !== null && spec.ip !== 0) {
    const rd = rdstOf(v, spec);
    const i = f.remotes.findIndex((r) => sameRdst(r, rd));
    if (i < 0) return okVoid();
    if (f.remotes.length > 1) {
      f.remotes.splice(i, 1);
      return okVoid();
    }
  }
  v.fdb.delete(mac);
  return okVoid();
}

/**
 * vxlan_flush with a state filter: `bridge fdb flush` takes everything (or
 * the entries in `state`); stopping the device takes the dynamic ones.
 */
export function vxlanFdbFlush(dev: NetDevice, state: VxlanFdbState | null): void {
  const v = info(dev);
  if (!v) return;
  for (const [mac, e] of v.fdb) if (state === null || e.state === state) v.fdb.delete(mac);
}

/** vxlan_fdb_dump order: the newest entry first (fdb_list is built at its head). */
export function vxlanFdbDump(dev: NetDevice, now: number): VxlanFdbEntry[] {
  const v = info(dev);
  if (!v) return [];
  const out: VxlanFdbEntry[] = [];
  for (const [mac, e] of v.fdb) {
    if (expired(v, e, now)) v.fdb.delete(mac);
    else out.push(e);
  }
  return out.reverse();
}

/**
 * vxlan_snoop: learn (or move) the inner source MAC to the outer source
 * address. Returns true when the frame must be dropped: a static or permanent
 * entry says this MAC lives elsewhere, and such entries are not migrated.
 */
export function vxlanSnoop(dev: NetDevice, srcIp: IPv4, srcMac: Mac, now: number): boolean {
  const v = info(dev);
  if (!v) return false;
  const f = findMac(v, srcMac, now);
  if (f) {
    const first = f.remotes[0];
    if (first && first.ip === srcIp && first.ifindex === 0) {
      // Since Linux 6.16 learning refreshes the entry, so an active peer does not age out.
      f.updated = now;
      return false;
    }
    if (f.state !== "REACHABLE") return true;
    if (first) first.ip = srcIp;
    f.updated = now;
    return false;
  }
  v.fdb.set(srcMac, {
    mac: srcMac,
    remotes: [{ ip: srcIp, port: v.dstport, vni: v.id, ifindex: 0 }],
    state: "REACHABLE",
    updated: now,
    used: now,
  });
  return false;
}

/**
 * The default entry `remote` (or `group`) creates with the device:
 * all-zeros MAC, permanent, reached through the lower device if one is named.
 */
export function vxlanFdbCreateDefault(dev: NetDevice, now: number): void {
  const v = info(dev);
  if (!v) return;
  const ip = v.remote ?? v.group;
  if (ip === null) return;
  v.fdb.set(ZERO_MAC, {
    mac: ZERO_MAC,
    remotes: [{ ip, port: v.dstport, vni: v.id, ifindex: v.dev?.ifindex ?? 0 }],
    state: "PERMANENT",
    updated: now,
    used: now,
  });
}

/**
 * Programs one remote VTEP for a MAC, as flannel's vxlan backend does
 * (netlink NeighSet: NLM_F_CREATE|NLM_F_REPLACE, NUD_PERMANENT, NTF_SELF).
 * A unicast MAC is created or pointed at `dst`; the all-zeros or a multicast
 * MAC, which cannot be replaced, gets `dst` appended to its remotes
 * (`bridge fdb append`), so calling it again with the same arguments is harmless.
 *
 * @example vxlanFdbAdd(flannel1, "aa:bb:cc:dd:ee:ff", parseIPv4("172.18.0.3"))
 */
export function vxlanFdbAdd(dev: NetDevice, mac: Mac, dst: IPv4): KResult {
  const flags = isGroupMac(mac) ? FDB_APPEND : FDB_REPLACE;
  return vxlanFdbAddEntry(dev, mac, { ip: dst }, "PERMANENT", flags, dev.ns.kernel.clock.now);
}

/** Removes a MAC's entry, or only the remote `dst` of it (`bridge fdb del MAC dev D [dst IP]`). */
export function vxlanFdbDel(dev: NetDevice, mac: Mac, dst?: IPv4): KResult {
  return vxlanFdbDelete(dev, mac, dst === undefined ? null : { ip: dst }, dev.ns.kernel.clock.now);
}
