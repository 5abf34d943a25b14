import { describe, expect, it } from "vitest";
import { parseIPv4 } from "../../../net/ip.js";
import type { EthFrame } from "../../../net/packet.js";
import { TraceRecorder } from "../../../trace/hop.js";
import { inetAddAddr } from "../../ipv4/devinet.js";
import { ipSend } from "../../ipv4/ip.js";
import { Kernel } from "../../kernel.js";
import type { NetNs } from "../../netns.js";
import type { NetDevice } from "../../types.js";
import { createVeth, createVxlan } from "../create.js";
import { setUp } from "../dev.js";
import { innerFlowHash, udpFlowSrcPort, vxlanSockOf } from "./vxlan-core.js";
import {
  FDB_ADD,
  FDB_APPEND,
  FDB_REPLACE,
  vxlanFdbAdd,
  vxlanFdbAddEntry,
  vxlanFdbDel,
  vxlanFdbDump,
  vxlanSnoop,
} from "./vxlan-fdb.js";

const ip = (s: string): number => parseIPv4(s)!;

function addr(dev: NetDevice, a: string, len: number): void {
  const r = inetAddAddr(dev, {
    local: ip(a),
    prefixlen: len,
    broadcast: null,
    scope: null,
    label: null,
    noprefixroute: false,
    metric: 0,
  });
  expect(r.ok).toBe(true);
}

function vxlan(ns: NetNs, mac: string, local: string | null, lower: NetDevice | null): NetDevice {
  const r = createVxlan(
    { name: "vx0", ns, mac },
    {
      id: 1,
      remote: null,
      local: local === null ? null : ip(local),
      group: null,
      dev: lower,
      dstport: 8472,
      learning: true,
      ttl: 0,
    },
  );
  if (!r.ok) throw new Error(r.err.errno);
  return r.value;
}

/** Two namespaces on a veth, a vxlan device in each, IPv6 off so only our packets cross. */
function twoNodes() {
  const k = new Kernel({ seed: 7 });
  const n1 = k.newNetns("n1");
  const n2 = k.newNetns("n2");
  for (const ns of [n1, n2]) ns.sysctl.set("net.ipv6.conf.default.disable_ipv6", "1");
  const veth = createVeth({ name: "eth0", ns: n1 }, { name: "eth0", ns: n2 });
  if (!veth.ok) throw new Error("veth");
  const e1 = veth.value;
  const e2 = e1.peer!;
  addr(e1, "172.18.0.2", 24);
  addr(e2, "172.18.0.3", 24);
  setUp(e1, true);
  setUp(e2, true);
  const v1 = vxlan(n1, "0a:00:00:00:00:01", "172.18.0.2", e1);
  const v2 = vxlan(n2, "0a:00:00:00:00:02", "172.18.0.3", e2);
  addr(v1, "10.0.0.1", 24);
  addr(v2, "10.0.0.2", 24);
  setUp(v1, true);
  setUp(v2, true);
  n1.neigh.create(v1, ip("10.0.0.2"), "PERMANENT", "0a:00:00:00:00:02");
  n2.neigh.create(v2, ip("10.0.0.1"), "PERMANENT", "0a:00:00:00:00:01");
  return { k, n1, n2, v1, v2 };
}

function ping(ns: NetNs, dst: string): void {
  ipSend(ns, { dst: ip(dst), l4: { proto: "icmp", type: 8, code: 0, id: 1, seq: 1 } });
}

describe("vxlan FDB", () => {
  it("keeps add/append/replace/del semantics and dumps newest first", () => {
    const { v1 } = twoNodes();
    const now = 0;
    expect(
      vxlanFdbAddEntry(v1, "aa:bb:cc:dd:ee:01", { ip: ip("1.1.1.1") }, "PERMANENT", FDB_ADD, now).ok,
    ).toBe(true);
    const dup = vxlanFdbAddEntry(v1, "aa:bb:cc:dd:ee:01", { ip: ip("1.1.1.2") }, "PERMANENT", FDB_ADD, now);
    expect(dup.ok ? null : dup.err.errno).toBe("EEXIST");
    expect(vxlanFdbAddEntry(v1, "aa:bb:cc:dd:ee:02", null, "PERMANENT", FDB_ADD, now).ok).toBe(false);
    // append adds remotes only to the all-zeros (and multicast) entries
    vxlanFdbAddEntry(v1, "aa:bb:cc:dd:ee:01", { ip: ip("1.1.1.3") }, "PERMANENT", FDB_APPEND, now);
    vxlanFdbAddEntry(v1, "00:00:00:00:00:00", { ip: ip("2.2.2.1") }, "PERMANENT", FDB_APPEND, now);
    vxlanFdbAddEntry(v1, "00:00:00:00:00:00", { ip: ip("2.2.2.2") }, "PERMANENT", FDB_APPEND, now);
    const rep = vxlanFdbAddEntry(
      v1,
      "00:00:00:00:00:00",
      { ip: ip("2.2.2.3") },
      "PERMANENT",
      FDB_REPLACE,
      now,
    );
    expect(rep.ok ? null : rep.err.extack).toBe("Cannot replace non-unicast fdb entries");
    vxlanFdbAddEntry(v1, "aa:bb:cc:dd:ee:01", { ip: ip("1.1.1.9") }, "NOARP", FDB_REPLACE, now);
    const dump = vxlanFdbDump(v1, now).map((e) => [e.mac, e.state, e.remotes.map((r) => r.ip)]);
    expect(dump).toEqual([
      ["00:00:00:00:00:00", "PERMANENT", [ip("2.2.2.1"), ip("2.2.2.2")]],
      ["aa:bb:cc:dd:ee:01", "NOARP", [ip("1.1.1.9")]],
    ]);
    expect(vxlanFdbDel(v1, "00:00:00:00:00:00", ip("2.2.2.1")).ok).toBe(true);
    expect(vxlanFdbDel(v1, "00:00:00:00:00:00", ip("9.9.9.9")).ok).toBe(true);
    expect(v1.vxlan!.fdb.get("00:00:00:00:00:00")!.remotes).toHaveLength(1);
    expect(vxlanFdbDel(v1, "aa:bb:cc:dd:ee:77").ok).toBe(false);
  });

  it("holds a hundred peers in a Map and programs them idempotently", () => {
    const { v1 } = twoNodes();
    for (let i = 0; i < 120; i++) {
      const mac = `0a:00:00:00:01:${i.toString(16).padStart(2, "0")}`;
      expect(vxlanFdbAdd(v1, mac, ip(`172.18.1.${i}`)).ok).toBe(true);
      expect(vxlanFdbAdd(v1, mac, ip(`172.18.1.${i}`)).ok).toBe(true);
    }
    expect(v1.vxlan!.fdb.size).toBe(120);
    expect(v1.vxlan!.fdb.get("0a:00:00:00:01:10")!.remotes[0]!.ip).toBe(ip("172.18.1.16"));
  });

  it("learns, migrates dynamic entries, refuses to move static ones, and ages them out", () => {
    const { v1 } = twoNodes();
    expect(vxlanSnoop(v1, ip("1.1.1.1"), "aa:00:00:00:00:01", 0)).toBe(false);
    expect(vxlanSnoop(v1, ip("1.1.1.2"), "aa:00:00:00:00:01", 1000)).toBe(false);
    expect(v1.vxlan!.fdb.get("aa:00:00:00:00:01")!.remotes[0]!.ip).toBe(ip("1.1.1.2"));
    vxlanFdbAdd(v1, "aa:00:00:00:00:02", ip("1.1.1.3"));
    expect(vxlanSnoop(v1, ip("1.1.1.4"), "aa:00:00:00:00:02", 1000)).toBe(true);
    expect(vxlanFdbDump(v1, 1000 + 299_999).map((e) => e.mac)).toContain("aa:00:00:00:00:01");
    expect(vxlanFdbDump(v1, 1000 + 300_000).map((e) => e.mac)).not.toContain("aa:00:00:00:00:01");
  });
});

describe("vxlan datapath", () => {
  it("drops a frame with no FDB entry and counts tx_dropped", () => {
    const { k, n1, v1 } = twoNodes();
    const tr = new TraceRecorder();
    k.trace = tr;
    ping(n1, "10.0.0.2");
    expect(v1.stats.txDropped).toBe(1);
    expect(v1.stats.txPackets).toBe(0);
    expect(tr.hops.some((h) => h.kind === "drop" && h.detail.includes("no fdb entry"))).toBe(true);
  });

  it("encapsulates to the FDB's VTEP, decapsulates by VNI and answers back", () => {
    const { k, n1, v1, v2 } = twoNodes();
    vxlanFdbAdd(v1, "0a:00:00:00:00:02", ip("172.18.0.3"));
    vxlanFdbAdd(v2, "00:00:00:00:00:00", ip("172.18.0.2"));
    const tr = new TraceRecorder();
    k.trace = tr;
    ping(n1, "10.0.0.2");
    const encap = tr.hops.find((h) => h.kind === "encap")!;
    expect(encap.packet).toMatch(
      /^IP 172\.18\.0\.2\.\d+ > 172\.18\.0\.3\.8472: VXLAN, flags \[I\] \(0x08\), vni 1, ttl 64: 0a:00:00:00:00:01 > 0a:00:00:00:00:02, IP 10\.0\.0\.1 > 10\.0\.0\.2: ICMP echo request/,
    );
    expect(tr.hops.filter((h) => h.kind === "decap").map((h) => h.netns)).toEqual(["n2", "n1"]);
    // Counted as iptunnel_xmit_stats and vxlan_rcv count: the inner packet without its Ethernet header.
    expect([v1.stats.txPackets, v1.stats.txBytes, v1.stats.rxPackets, v1.stats.rxBytes]).toEqual([
      1, 84, 1, 84,
    ]);
    expect(v2.vxlan!.fdb.get("0a:00:00:00:00:01")!.remotes[0]!.ip).toBe(ip("172.18.0.2"));
  });

  it("drops a datagram whose VNI has no device, without a port unreachable", () => {
    const { k, n1, v1, v2 } = twoNodes();
    setUp(v2, false);
    v2.vxlan!.id = 2;
    setUp(v2, true);
    vxlanFdbAdd(v1, "0a:00:00:00:00:02", ip("172.18.0.3"));
    const tr = new TraceRecorder();
    k.trace = tr;
    ping(n1, "10.0.0.2");
    expect(tr.hops.some((h) => h.detail.includes("no vxlan device with vni 1"))).toBe(true);
    expect(tr.hops.some((h) => h.kind === "icmp")).toBe(false);
    expect(v2.stats.rxPackets).toBe(0);
  });

  it("opens one socket per port and closes it with the last device", () => {
    const { n1, v1 } = twoNodes();
    expect(vxlanSockOf(n1, 8472)).toEqual({ port: 8472, vnis: [1] });
    expect(n1.sockets.portInUse("udp", 0, 8472)).toBe(true);
    setUp(v1, false);
    expect(vxlanSockOf(n1, 8472)).toBeNull();
    expect(n1.sockets.portInUse("udp", 0, 8472)).toBe(false);
  });

  it("picks the outer source port from the inner flow, inside ip_local_port_range", () => {
    const { n1 } = twoNodes();
    const frame = (id: number): EthFrame => ({
      src: "0a:00:00:00:00:01",
      dst: "0a:00:00:00:00:02",
      type: 0x0800,
      payload: {
        kind: "ipv4",
        src: ip("10.0.0.1"),
        dst: ip("10.0.0.2"),
        ttl: 64,
        tos: 0,
        id: 0,
        len: 84,
        l4: { proto: "icmp", type: 8, code: 0, id, seq: 1 },
      },
    });
    expect(innerFlowHash(frame(1))).toBe(innerFlowHash(frame(1)));
    const ports = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((i) => udpFlowSrcPort(n1, frame(i))));
    expect(ports.size).toBeGreaterThan(4);
    for (const p of ports) expect(p >= 32768 && p < 60999).toBe(true);
  });
});
