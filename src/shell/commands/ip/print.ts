/**
 * @module shell/commands/ip/print
 * iproute2 6.1's text and JSON renderings of links, addresses, routes,
 * neighbours and rules, field for field (including its trailing spaces).
 */

import { RT_TABLE_LOCAL, RT_TABLE_MAIN, tableName } from "../../../kernel/fib/table.js";
import { carrierChanges, carrierOk, operstate } from "../../../kernel/link/dev.js";
import { PROTOCOLS } from "../../../kernel/netfilter/format.js";
import type { NetNs } from "../../../kernel/netns.js";
import type { FibRule, Inet6Addr, InetAddr, NeighEntry, NetDevice, Route } from "../../../kernel/types.js";
import { formatIPv4, formatIPv6 } from "../../../net/ip.js";
import { linksByIndex, rawJson, rtnlDumpLinks } from "./common.js";

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export function linkFlags(dev: NetDevice): string[] {
  const f: string[] = [];
  const carrier = carrierOk(dev);
  if (dev.up && !carrier) f.push("NO-CARRIER");
  if (dev.kind === "loopback") f.push("LOOPBACK");
  else f.push("BROADCAST");
  if (dev.multicast) f.push("MULTICAST");
  // lo answers no ARP without IFF_NOARP: it has IFF_LOOPBACK.
  if (dev.noarp && dev.kind !== "loopback") f.push("NOARP");
  if (dev.allmulti > 0) f.push("ALLMULTI");
  if (dev.promisc > 0) f.push("PROMISC");
  if (dev.up) f.push("UP");
  if (dev.up && carrier) f.push("LOWER_UP");
  if (dev.peer && dev.peer.ns === dev.ns && !dev.peer.up) f.push("M-DOWN");
  return f;
}

/** rtnl_group_n2a: the names of /etc/iproute2/group (only `default`, 0), else the number. */
export function groupName(g: number): string {
  return g === 0 ? "default" : String(g);
}

export function linkName(dev: NetDevice): string {
  if (!dev.peer) return dev.name;
  return dev.peer.ns === dev.ns ? `${dev.name}@${dev.peer.name}` : `${dev.name}@if${dev.peer.ifindex}`;
}

/** The qdisc attached at the first up stays when the device goes down again. */
export function qdisc(dev: NetDevice): string {
  return dev.up || dev.everUp ? "noqueue" : "noop";
}

export function linkNetns(dev: NetDevice): { text: string; id: number } | null {
  if (!dev.peer || dev.peer.ns === dev.ns) return null;
  const id = dev.ns.idOf(dev.peer.ns);
  const name = dev.peer.ns.name;
  return { text: name !== null ? ` link-netns ${name}` : ` link-netnsid ${id}`, id };
}

export interface ShowOpts {
  details: boolean;
  /** How many -s were given. */
  stats: number;
  oneline: boolean;
  family: 4 | 6 | 0;
}

/** The drivers modelled here (veth, bridge, loopback) report no multicast counter. */
export function statsLines(dev: NetDevice, level: number): string {
  const s = dev.stats;
  const n = (v: number, w: number): string => String(v).padStart(w, " ");
  return (
    "    RX:  bytes packets errors dropped  missed   mcast           \n" +
    `    ${n(s.rxBytes, 10)} ${n(s.rxPackets, 7)} ${n(0, 6)} ${n(s.rxDropped, 7)} ${n(0, 7)} ${n(0, 7)} \n` +
    (level > 1
      ? "    RX errors:  length    crc   frame    fifo overrun\n                     0      0       0       0       0 \n"
      : "") +
    "    TX:  bytes packets errors dropped carrier collsns           \n" +
    `    ${n(s.txBytes, 10)} ${n(s.txPackets, 7)} ${n(0, 6)} ${n(s.txDropped, 7)} ${n(0, 7)} ${n(0, 7)} \n` +
    (level > 1
      ? `    TX errors: aborted   fifo  window heartbt transns\n                     0      0       0       0 ${n(carrierChanges(dev), 7)} \n`
      : "")
  );
}

/** A bridge holds its ports promiscuous (no VLAN filtering) and in allmulti: counts, not user flags. */
function promiscuity(dev: NetDevice): number {
  return dev.promisc + (dev.brport ? 1 : 0);
}
function allmultiCount(dev: NetDevice): number {
  return dev.allmulti + (dev.brport ? 1 : 0);
}

/** The bridge id as iproute2 prints it: priority in hex, then the MAC without leading zeros per byte. */
function bridgeId(br: NetDevice): string {
  const prio = (br.bridge?.priority ?? 32768).toString(16).padStart(4, "0");
  return `${prio}.${br.mac
    .split(":")
    .map((x) => Number.parseInt(x, 16).toString(16))
    .join(":")}`;
}

function slaveInfo(dev: NetDevice): Array<[string, string, Json]> {
  const p = dev.brport!;
  const id = (p.priority << 10) | p.portNo;
  const br = dev.master ? bridgeId(dev.master) : "";
  // [text key, json key, value]; booleans print on/off.
  return [
    ["state", "state", p.state],
    ["priority", "priority", p.priority],
    ["cost", "cost", p.cost],
    ["hairpin", "hairpin", p.hairpin],
    ["guard", "guard", false],
    ["root_block", "root_block", false],
    ["fastleave", "fastleave", false],
    ["learning", "learning", p.learning],
    ["flood", "flood", p.flood],
    ["port_id", "id", `0x${id.toString(16)}`],
    ["port_no", "no", `0x${p.portNo.toString(16)}`],
    ["designated_port", "designated_port", id],
    ["designated_cost", "designated_cost", 0],
    ["designated_bridge", "bridge_id", br],
    ["designated_root", "root_id", br],
    ["hold_timer", "hold_timer", "0.00"],
    ["message_age_timer", "message_age_timer", "0.00"],
    ["forward_delay_timer", "forward_delay_timer", "0.00"],
    ["topology_change_ack", "topology_change_ack", 0],
    ["config_pending", "config_pending", 0],
    ["proxy_arp", "proxy_arp", false],
    ["proxy_arp_wifi", "proxy_arp_wifi", false],
    ["mcast_router", "multicast_router", 1],
    ["mcast_fast_leave", "", false],
    ["mcast_flood", "mcast_flood", true],
    ["bcast_flood", "bcast_flood", true],
    ["mcast_to_unicast", "mcast_to_unicast", false],
    ["neigh_suppress", "neigh_suppress", false],
    ["group_fwd_mask", "group_fwd_mask", "0"],
    ["group_fwd_mask_str", "group_fwd_mask_str", "0x0"],
    ["vlan_tunnel", "vlan_tunnel", false],
    ["isolated", "isolated", false],
    ["locked", "locked", false],
  ].map(([t, j, v]) => [t as string, j as string, v as Json]);
}

function slaveText(dev: NetDevice): string {
  return slaveInfo(dev)
    .map(([k, , v]) => {
      const val = typeof v === "boolean" ? (v ? "on" : "off") : k.endsWith("_timer") ? `   ${v}` : String(v);
      return `${k} ${val} `;
    })
    .join("");
}

function bridgeInfoJson(dev: NetDevice): { [k: string]: Json } {
  const b = dev.bridge!;
  const id = bridgeId(dev);
  return {
    forward_delay: b.forwardDelay,
    hello_time: b.helloTime,
    max_age: b.maxAge,
    ageing_time: b.ageingTime,
    stp_state: b.stpState,
    priority: b.priority,
    vlan_filtering: b.vlanFiltering,
    bridge_id: id,
    root_id: id,
    root_port: 0,
    root_path_cost: 0,
    topology_change: 0,
    topology_change_detected: 0,
    hello_timer: rawJson("0.00"),
    tcn_timer: rawJson("0.00"),
    topology_change_timer: rawJson("0.00"),
    gc_timer: rawJson("0.00"),
    group_fwd_mask: "0",
    group_addr: "01:80:c2:00:00:00",
    mcast_snooping: 1,
    no_linklocal_learn: 0,
    mcast_vlan_snooping: 0,
    mcast_router: 1,
    mcast_query_use_ifaddr: 0,
    mcast_querier: 0,
    mcast_hash_elasticity: 16,
    mcast_hash_max: 4096,
    mcast_last_member_cnt: 2,
    mcast_startup_query_cnt: 2,
    mcast_last_member_intvl: 100,
    mcast_membership_intvl: 26000,
    mcast_querier_intvl: 25500,
    mcast_query_intvl: 12500,
    mcast_query_response_intvl: 1000,
    mcast_startup_query_intvl: 3124,
    mcast_stats_enabled: 0,
    mcast_igmp_version: 2,
    mcast_mld_version: 1,
    nf_call_iptables: b.nfCallIptables,
    nf_call_ip6tables: 0,
    nf_call_arptables: 0,
  };
}

/** vxlan_print_opt's JSON, in its order. */
function vxlanInfoJson(dev: NetDevice): { [k: string]: Json } {
  const v = dev.vxlan!;
  const o: { [k: string]: Json } = { id: v.id };
  if (v.group !== null) o.group = formatIPv4(v.group);
  else if (v.remote !== null) o.remote = formatIPv4(v.remote);
  if (v.local !== null) o.local = formatIPv4(v.local);
  if (v.dev) o.link = v.dev.name;
  Object.assign(o, {
    port_range: { low: 0, high: 0 },
    port: v.dstport,
    learning: v.learning,
    ttl: v.ttl,
    df: "unset",
    ageing: v.ageing,
    udp_csum: true,
    udp_zero_csum6_tx: false,
    udp_zero_csum6_rx: false,
  });
  return o;
}

/** The vxlan text of `ip -d link`: vxlan_print_opt. */
function vxlanDetails(dev: NetDevice): string {
  const v = dev.vxlan!;
  const peer =
    v.group !== null
      ? `group ${formatIPv4(v.group)} `
      : v.remote !== null
        ? `remote ${formatIPv4(v.remote)} `
        : "";
  return `\n    vxlan id ${v.id} ${peer}${v.local !== null ? `local ${formatIPv4(v.local)} ` : ""}${v.dev ? `dev ${v.dev.name} ` : ""}srcport 0 0 dstport ${v.dstport} ${v.learning ? "" : "nolearning "}ttl ${v.ttl === 0 ? "auto" : v.ttl} ageing ${v.ageing} udpcsum noudp6zerocsumtx noudp6zerocsumrx `;
}

/** A vxlan device without a lower device keeps the default TSO limit; one with a lower device takes its. */
function tsoMaxSize(dev: NetDevice): number {
  return dev.kind === "vxlan" && !dev.vxlan?.dev ? 65536 : 524280;
}

/** The `-d` fields of `ip -j link`, in print_linkinfo's order. */
function detailsJson(dev: NetDevice, j: { [k: string]: Json }): void {
  j.promiscuity = promiscuity(dev);
  j.allmulti = allmultiCount(dev);
  j.min_mtu = dev.minMtu;
  j.max_mtu = dev.maxMtu;
  if (dev.kind !== "loopback") {
    const info: { [k: string]: Json } = { info_kind: dev.kind };
    if (dev.kind === "bridge" && dev.bridge) info.info_data = bridgeInfoJson(dev);
    if (dev.kind === "vxlan" && dev.vxlan) info.info_data = vxlanInfoJson(dev);
    if (dev.brport) {
      info.info_slave_kind = "bridge";
      const d: { [k: string]: Json } = {};
      for (const [, k, v] of slaveInfo(dev))
        if (k) d[k] = typeof v === "string" && /^\d+\.\d\d$/.test(v) ? rawJson(v) : v;
      info.info_slave_data = d;
    }
    j.linkinfo = info;
  }
  const q = dev.kind === "veth" ? 2 : 1;
  j.inet6_addr_gen_mode = "eui64";
  j.num_tx_queues = q;
  j.num_rx_queues = q;
  j.gso_max_size = 65536;
  j.gso_max_segs = 65535;
  j.tso_max_size = tsoMaxSize(dev);
  j.tso_max_segs = 65535;
  j.gro_max_size = 65536;
}

function detailsLine(dev: NetDevice): string {
  const head = `promiscuity ${promiscuity(dev)}  allmulti ${allmultiCount(dev)} minmtu ${dev.minMtu} maxmtu ${dev.maxMtu} `;
  let kind = "";
  if (dev.kind === "veth") kind = "\n    veth ";
  else if (dev.kind === "bridge" && dev.bridge) {
    const b = dev.bridge;
    const id = `${b.priority.toString(16).padStart(4, "0")}.${dev.mac
      .split(":")
      .map((x) => Number.parseInt(x, 16).toString(16))
      .join(":")}`;
    // Timers are idle with STP off; gc_timer counts down in real time (the oracle masks it).
    kind = `\n    bridge forward_delay ${b.forwardDelay} hello_time ${b.helloTime} max_age ${b.maxAge} ageing_time ${b.ageingTime} stp_state ${b.stpState} priority ${b.priority} vlan_filtering ${b.vlanFiltering} bridge_id ${id} designated_root ${id} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer  299.99 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables ${b.nfCallIptables} nf_call_ip6tables 0 nf_call_arptables 0 `;
  } else if (dev.kind === "dummy") kind = "\n    dummy ";
  else if (dev.kind === "vxlan" && dev.vxlan) kind = vxlanDetails(dev);
  let port = "";
  if (dev.brport) {
    const p = dev.brport;
    void p;
    port = `\n    bridge_slave ${slaveText(dev)}`;
  }
  // veth has a queue per possible CPU (2 on the reference machine); the rest one.
  const q = dev.kind === "veth" ? 2 : 1;
  const tail = `addrgenmode eui64 numtxqueues ${q} numrxqueues ${q} gso_max_size 65536 gso_max_segs 65535 tso_max_size ${tsoMaxSize(dev)} tso_max_segs 65535 gro_max_size 65536 `;
  if (!kind && !port) return `${head}${dev.kind === "loopback" ? "" : "\n    "}${tail}`;
  return `${head}${kind}${port}${tail}`;
}

/** The two header lines of `ip link show` (withMode) or `ip addr show`. */
export function linkHeader(dev: NetDevice, withMode: boolean, o: ShowOpts): string {
  const master = dev.master ? ` master ${dev.master.name}` : "";
  const mode = withMode ? " mode DEFAULT" : "";
  const l1 = `${dev.ifindex}: ${linkName(dev)}: <${linkFlags(dev).join(",")}> mtu ${dev.mtu} qdisc ${qdisc(dev)}${master} state ${operstate(dev)}${mode} group ${groupName(dev.group)} ${dev.txqlen ? `qlen ${dev.txqlen}` : ""}`;
  const type = dev.kind === "loopback" ? "loopback" : "ether";
  const nsn = linkNetns(dev);
  let l2 = `    link/${type} ${dev.mac} brd ${dev.brd}${nsn ? nsn.text : ""}`;
  if (o.details) l2 += ` ${detailsLine(dev)}`;
  // print_linkinfo: the alias comes under `ip link`, and under `ip addr` with -d.
  if (dev.alias && (withMode || o.details)) l2 += `\n    alias ${dev.alias}`;
  return `${l1}\n${l2}\n${o.stats > 0 ? statsLines(dev, o.stats) : ""}`;
}

export function inetLine(a: InetAddr): string {
  const metric = a.metric ? ` metric ${a.metric}` : "";
  const brd = a.broadcast !== null ? ` brd ${formatIPv4(a.broadcast)}` : "";
  const sec = a.secondary ? " secondary" : "";
  const npr = a.noprefixroute ? " noprefixroute" : "";
  return `    inet ${formatIPv4(a.local)}/${a.prefixlen}${metric}${brd} scope ${a.scope}${sec}${npr} ${a.label}\n       valid_lft forever preferred_lft forever\n`;
}

export function inet6Flags(a: Inet6Addr, now: number): string[] {
  const f: string[] = [];
  if (a.nodad) f.push("nodad");
  if (a.tentativeUntil > now) f.push("tentative");
  return f;
}

export function inet6Line(a: Inet6Addr, now: number): string {
  const flags = inet6Flags(a, now);
  return `    inet6 ${formatIPv6(a.local)}/${a.prefixlen} scope ${a.scope} ${flags.map((x) => `${x} `).join("")}\n       valid_lft forever preferred_lft forever\n`;
}

/**
 * Devices of a namespace in ifindex order, as a dump returns them (`bridge` starts every command
 * with ll_init_map): the dump gives veth peers' namespaces ids as it goes.
 */
export function devicesOf(ns: NetNs): NetDevice[] {
  rtnlDumpLinks(ns);
  return linksByIndex(ns);
}

/** IPv6 addresses in list order: by scope, global first (ipv6_link_dev_addr), newest first within a scope. */
export function inet6Sorted(dev: NetDevice): Inet6Addr[] {
  const rank = (s: string): number => (s === "global" ? 0 : s === "site" ? 1 : s === "link" ? 2 : 3);
  return [...dev.inet6].sort((a, b) => rank(a.scope) - rank(b.scope));
}

export function linkJson(
  dev: NetDevice,
  withMode: boolean,
  details = false,
  stats = 0,
): { [k: string]: Json } {
  const j: { [k: string]: Json } = { ifindex: dev.ifindex };
  if (dev.peer) {
    if (dev.peer.ns === dev.ns) j.link = dev.peer.name;
    else j.link_index = dev.peer.ifindex;
  }
  j.ifname = dev.name;
  j.flags = linkFlags(dev);
  j.mtu = dev.mtu;
  j.qdisc = qdisc(dev);
  if (dev.master) j.master = dev.master.name;
  j.operstate = operstate(dev);
  if (withMode) j.linkmode = "DEFAULT";
  j.group = groupName(dev.group);
  // iproute2's print_txqlen leaves out a queue length of 0 (veths the CNI plugins create).
  if (dev.txqlen) j.txqlen = dev.txqlen;
  j.link_type = dev.kind === "loopback" ? "loopback" : "ether";
  j.address = dev.mac;
  j.broadcast = dev.brd;
  const nsn = linkNetns(dev);
  if (nsn) j.link_netnsid = nsn.id;
  if (details) detailsJson(dev, j);
  if (dev.alias && (withMode || details)) j.ifalias = dev.alias;
  if (stats > 0) j.stats64 = statsJson(dev, stats);
  return j;
}

function statsJson(dev: NetDevice, level: number): { [k: string]: Json } {
  const s = dev.stats;
  const rx: { [k: string]: Json } = {
    bytes: s.rxBytes,
    packets: s.rxPackets,
    errors: 0,
    dropped: s.rxDropped,
    over_errors: 0,
    multicast: 0,
  };
  const tx: { [k: string]: Json } = {
    bytes: s.txBytes,
    packets: s.txPackets,
    errors: 0,
    dropped: s.txDropped,
    carrier_errors: 0,
    collisions: 0,
  };
  if (level > 1) {
    Object.assign(rx, { length_errors: 0, crc_errors: 0, frame_errors: 0, fifo_errors: 0, missed_errors: 0 });
    Object.assign(tx, {
      aborted_errors: 0,
      fifo_errors: 0,
      window_errors: 0,
      heartbeat_errors: 0,
      carrier_changes: carrierChanges(dev),
    });
  }
  return { rx, tx };
}

export function addrJson(
  dev: NetDevice,
  now: number,
  family: 0 | 4 | 6,
  keep: (a: InetAddr | Inet6Addr) => boolean = () => true,
): Json[] {
  const out: Json[] = [];
  if (family !== 6)
    for (const a of dev.inet.filter(keep)) {
      const j: { [k: string]: Json } = { family: "inet", local: formatIPv4(a.local), prefixlen: a.prefixlen };
      if (a.metric) j.metric = a.metric;
      if (a.broadcast !== null) j.broadcast = formatIPv4(a.broadcast);
      j.scope = a.scope;
      if (a.secondary) j.secondary = true;
      if (a.noprefixroute) j.noprefixroute = true;
      j.label = a.label;
      j.valid_life_time = 4294967295;
      j.preferred_life_time = 4294967295;
      out.push(j);
    }
  if (family !== 4)
    for (const a of inet6Sorted(dev).filter(keep)) {
      const j: { [k: string]: Json } = {
        family: "inet6",
        local: formatIPv6(a.local),
        prefixlen: a.prefixlen,
        scope: a.scope,
      };
      for (const f of inet6Flags(a, now)) j[f] = true;
      j.valid_life_time = 4294967295;
      j.preferred_life_time = 4294967295;
      out.push(j);
    }
  return out;
}

// ---- routes ----

function dstText(r: Route): string {
  if (r.family === 4) {
    if (r.dstLen === 0 && r.dst === 0) return "default";
    return r.dstLen === 32 ? formatIPv4(r.dst) : `${formatIPv4(r.dst)}/${r.dstLen}`;
  }
  if (r.dstLen === 0) return "default";
  return r.dstLen === 128 ? formatIPv6(r.dst6) : `${formatIPv6(r.dst6)}/${r.dstLen}`;
}

function routeLinkdown(r: Route): boolean {
  // IPv6 routes are flagged too (rt6_sync_down_dev on NETDEV_CHANGE), except local ones.
  return r.dev?.up === true && !carrierOk(r.dev!) && r.type !== "local";
}

/** One route as `ip route show` prints it; `showTable` when the table is not implied. */
/** `details` (ip -d) names the type, protocol and scope even when they are the defaults. */
/** Fields a `show` filter fixes, which iproute2 then leaves out (filter.oifmask, protocolmask, scopemask, rvia, rprefsrc). */
export interface RouteHide {
  dev?: boolean;
  proto?: boolean;
  scope?: boolean;
  via?: boolean;
  src?: boolean;
}

export function routeText(r: Route, showTable: boolean, details = false, hide: RouteHide = {}): string {
  let s = "";
  if (r.type !== "unicast" || (details && r.family === 4)) s += `${r.type} `;
  s += dstText(r);
  if (r.family === 6) {
    s += ` ${[
      r.gateway !== null && !hide.via ? `via ${formatIPv4(r.gateway)}` : "",
      r.dev && !hide.dev ? `dev ${r.dev.name}` : "",
      showTable && r.table !== RT_TABLE_MAIN ? `table ${tableName(r.table)}` : "",
      r.protocol !== "boot" && !hide.proto ? `proto ${r.protocol}` : "",
      `metric ${r.metric}`,
      routeLinkdown(r) ? "linkdown" : "",
    ]
      .filter(Boolean)
      .join(" ")}${r.pref6 ? " pref medium" : ""}`;
    return s;
  }
  s += " ";
  if (r.gateway !== null && !hide.via) s += `via ${formatIPv4(r.gateway)} `;
  if (r.dev && !hide.dev) s += `dev ${r.dev.name} `;
  if (showTable && r.table !== RT_TABLE_MAIN) s += `table ${tableName(r.table)} `;
  if ((r.protocol !== "boot" || details) && !hide.proto) s += `proto ${r.protocol} `;
  if ((r.scope !== "global" || details) && !hide.scope) s += `scope ${r.scope} `;
  if (r.prefsrc !== null && !hide.src) s += `src ${formatIPv4(r.prefsrc)} `;
  if (r.metric) s += `metric ${r.metric} `;
  if (r.onlink) s += "onlink ";
  if (routeLinkdown(r)) s += "linkdown ";
  return s;
}

export function routeJson(r: Route, showTable: boolean, hide: RouteHide = {}): { [k: string]: Json } {
  const j: { [k: string]: Json } = {};
  if (r.type !== "unicast") j.type = r.type;
  j.dst = dstText(r);
  if (r.gateway !== null && !hide.via) j.gateway = formatIPv4(r.gateway);
  if (r.dev && !hide.dev) j.dev = r.dev.name;
  if (showTable && r.table !== RT_TABLE_MAIN) j.table = tableName(r.table);
  if (r.protocol !== "boot" && !hide.proto) j.protocol = r.protocol;
  if (r.family === 4 && r.scope !== "global" && !hide.scope) j.scope = r.scope;
  if (r.prefsrc !== null && !hide.src) j.prefsrc = formatIPv4(r.prefsrc);
  if (r.family === 6 || r.metric) j.metric = r.metric;
  const flags: Json[] = [];
  if (r.onlink) flags.push("onlink");
  if (routeLinkdown(r)) flags.push("linkdown");
  j.flags = flags;
  if (r.pref6) j.pref = "medium";
  return j;
}

export function isLocalTable(id: number): boolean {
  return id === RT_TABLE_LOCAL;
}

// ---- neighbours ----

/** `showDev` is false under a `dev` filter: iproute2 then leaves the device out. */
export function neighText(n: NeighEntry, showDev = true): string {
  const ll =
    n.lladdr !== null && n.state !== "INCOMPLETE" && n.state !== "FAILED" ? `lladdr ${n.lladdr} ` : "";
  const router = n.router ? "router " : "";
  return `${formatIPv4(n.ip)} ${showDev ? `dev ${n.dev.name} ` : ""}${ll}${router}${n.state} `;
}

export function neighJson(n: NeighEntry, showDev = true): { [k: string]: Json } {
  const j: { [k: string]: Json } = { dst: formatIPv4(n.ip) };
  if (showDev) j.dev = n.dev.name;
  if (n.lladdr !== null && n.state !== "INCOMPLETE" && n.state !== "FAILED") j.lladdr = n.lladdr;
  if (n.router) j.router = true;
  j.state = [n.state];
  return j;
}

// ---- rules ----

function prefixText(a: number | null, len: number): string {
  if (a === null) return "all";
  return len === 32 ? formatIPv4(a) : `${formatIPv4(a)}/${len}`;
}

/** A port or UID range as iprule prints it: "N" when it is one value. */
function rangeText(r: [number, number]): string {
  return r[0] === r[1] ? `${r[0]}` : `${r[0]}-${r[1]}`;
}

function ipprotoName(n: number): string {
  return PROTOCOLS[n] ?? `ipproto-${n}`;
}

/**
 * print_rule: selectors in iproute2's order, then the action; `unresolved` for a goto whose target
 * priority has no rule, `details` (-d) for the protocol even when unset.
 */
export function ruleText(r: FibRule, unresolved = false, details = false): string {
  let s = `${r.priority}:\t`;
  if (r.not) s += "not ";
  s += `from ${prefixText(r.src, r.srcLen)} `;
  if (r.dst !== null) s += `to ${prefixText(r.dst, r.dstLen)} `;
  if (r.tos !== 0) s += `tos 0x${r.tos.toString(16).padStart(2, "0")} `;
  if (r.fwmark !== null)
    s +=
      r.fwmask !== null && r.fwmask !== 0xffffffff
        ? `fwmark 0x${r.fwmark.toString(16)}/0x${r.fwmask.toString(16)} `
        : `fwmark 0x${r.fwmark.toString(16)} `;
  if (r.iif !== null) s += `iif ${r.iif} `;
  if (r.oif !== null) s += `oif ${r.oif} `;
  if (r.uidrange !== null) s += `uidrange ${r.uidrange[0]}-${r.uidrange[1]} `;
  if (r.ipproto !== null) s += `ipproto ${ipprotoName(r.ipproto)} `;
  if (r.sport !== null) s += `sport ${rangeText(r.sport)} `;
  if (r.dport !== null) s += `dport ${rangeText(r.dport)} `;
  if (r.action === "lookup" || r.table) {
    s += `lookup ${tableName(r.table)} `;
    if (r.suppressPrefixlen !== -1) s += `suppress_prefixlength ${r.suppressPrefixlen} `;
  }
  if (r.action === "goto") s += `goto ${r.goto}${unresolved ? " [unresolved]" : ""} `;
  else if (r.action !== "lookup") s += `${r.action} `;
  if (r.protocol !== null || details) s += `proto ${r.protocol ?? "unspec"} `;
  return s.trimEnd();
}

export function ruleJson(r: FibRule, unresolved = false, details = false): { [k: string]: Json } {
  const j: { [k: string]: Json } = { priority: r.priority };
  if (r.not) j.not = null;
  j.src = r.src === null ? "all" : formatIPv4(r.src);
  if (r.src !== null && r.srcLen !== 32) j.srclen = r.srcLen;
  if (r.dst !== null) {
    j.dst = formatIPv4(r.dst);
    if (r.dstLen !== 32) j.dstlen = r.dstLen;
  }
  if (r.tos !== 0) j.tos = `0x${r.tos.toString(16).padStart(2, "0")}`;
  if (r.fwmark !== null) {
    j.fwmark = `0x${r.fwmark.toString(16)}`;
    if (r.fwmask !== null && r.fwmask !== 0xffffffff) j.fwmask = `0x${r.fwmask.toString(16)}`;
  }
  if (r.iif !== null) j.iif = r.iif;
  if (r.oif !== null) j.oif = r.oif;
  if (r.uidrange !== null) {
    j.uid_start = r.uidrange[0];
    j.uid_end = r.uidrange[1];
  }
  if (r.ipproto !== null) j.ipproto = ipprotoName(r.ipproto);
  for (const [k, v] of [
    ["sport", r.sport],
    ["dport", r.dport],
  ] as const) {
    if (v === null) continue;
    if (v[0] === v[1]) j[k] = v[0];
    else {
      j[`${k}_start`] = v[0];
      j[`${k}_end`] = v[1];
    }
  }
  if (r.action === "lookup" || r.table) {
    j.table = tableName(r.table);
    if (r.suppressPrefixlen !== -1) j.suppress_prefixlen = r.suppressPrefixlen;
  }
  if (r.action === "goto") {
    j.goto = r.goto;
    if (unresolved) j.unresolved = null;
  } else if (r.action === "nop") j.nop = null;
  else if (r.action !== "lookup") j.action = r.action;
  if (r.protocol !== null || details) j.protocol = r.protocol ?? "unspec";
  return j;
}
