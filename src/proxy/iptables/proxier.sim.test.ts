/**
 * The generated payload loads in the model's iptables (SimHost → the shell's
 * iptables-restore), and iptables-save prints it as the real tool does:
 * matches reordered, /32 added, comments always quoted, MARK as --set-xmark,
 * probabilities with 11 decimals, recent with its defaults.
 */
import { describe, expect, it } from "vitest";
import { SimHost } from "../../host/sim/sim-host.js";
import { Kernel } from "../../kernel/kernel.js";
import { fakeConfig, fakeNode, fakeState, makeTestEndpointSlice, makeTestService } from "./fixtures.js";
import { getChainsFromTable, type SyncProxyRulesResult, syncProxyRules } from "./proxier.js";

const services = [
  makeTestService("ns1", "svc1", (s) => {
    s.spec = {
      type: "LoadBalancer",
      clusterIP: "172.30.0.41",
      externalTrafficPolicy: "Local",
      ports: [{ name: "p80", port: 80, protocol: "TCP", nodePort: 3001 }],
      loadBalancerSourceRanges: ["203.0.113.0/25"],
      sessionAffinity: "ClientIP",
    };
    s.status = { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } };
  }),
];
const slices = (ips: string[]) => [
  makeTestEndpointSlice("ns1", "svc1", 1, (e) => {
    e.endpoints = ips.map((ip, i) => ({ addresses: [ip], nodeName: i === 0 ? "test-node" : "node2" }));
    e.ports = [{ name: "p80", port: 80, protocol: "TCP" }];
  }),
];
// The model has no nfacct match (see below); kube-proxy's own mark text.
const config = { ...fakeConfig, hasNfacct: false, masqueradeMark: undefined };

/** What kube-proxy does on a full sync: EnsureChain + EnsureRule(Prepend) for each jump, then the restore. */
async function apply(host: SimHost, r: SyncProxyRulesResult): Promise<void> {
  for (const j of r.jumpRules) {
    await host.iptables(null, ["-t", j.table, "-N", j.ensureChain]).catch(() => undefined);
    await host.iptables(null, ["-t", j.table, "-I", j.chain, ...j.args]);
  }
  await host.iptablesRestore(null, r.payload, { noflush: true });
}

function body(save: string): string {
  return save
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .join("\n");
}

describe("the payload in the model's iptables", () => {
  it("loads, and iptables-save prints it as iptables-save does", async () => {
    const host = new SimHost(new Kernel());
    await apply(
      host,
      syncProxyRules({
        state: fakeState(services, slices(["10.180.0.1", "10.180.0.2"])),
        node: fakeNode,
        config,
      }),
    );
    expect(body(await host.iptablesSave(null, "nat"))).toBe(`*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-EXT-XPGD46QRK7WJZT7O - [0:0]
:KUBE-FW-XPGD46QRK7WJZT7O - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-LXVODXWDISEETFEF - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
:KUBE-SVL-XPGD46QRK7WJZT7O - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-EXT-XPGD46QRK7WJZT7O -s 10.0.0.0/8 -m comment --comment "pod traffic for ns1/svc1:p80 external destinations" -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-EXT-XPGD46QRK7WJZT7O -m comment --comment "masquerade LOCAL traffic for ns1/svc1:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-XPGD46QRK7WJZT7O -m comment --comment "route LOCAL traffic for ns1/svc1:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-EXT-XPGD46QRK7WJZT7O -j KUBE-SVL-XPGD46QRK7WJZT7O
-A KUBE-FW-XPGD46QRK7WJZT7O -s 203.0.113.0/25 -m comment --comment "ns1/svc1:p80 loadbalancer IP" -j KUBE-EXT-XPGD46QRK7WJZT7O
-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL"
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-NODEPORTS -p tcp -m comment --comment "ns1/svc1:p80" -m tcp --dport 3001 -j KUBE-EXT-XPGD46QRK7WJZT7O
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SEP-LXVODXWDISEETFEF -s 10.180.0.2/32 -m comment --comment "ns1/svc1:p80" -j KUBE-MARK-MASQ
-A KUBE-SEP-LXVODXWDISEETFEF -p tcp -m comment --comment "ns1/svc1:p80" -m recent --set --name KUBE-SEP-LXVODXWDISEETFEF --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.180.0.2:80
-A KUBE-SEP-SXIVWICOYRO3J4NJ -s 10.180.0.1/32 -m comment --comment "ns1/svc1:p80" -j KUBE-MARK-MASQ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -p tcp -m comment --comment "ns1/svc1:p80" -m recent --set --name KUBE-SEP-SXIVWICOYRO3J4NJ --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.180.0.1:80
-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -d 1.2.3.4/32 -p tcp -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp --dport 80 -j KUBE-FW-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-XPGD46QRK7WJZT7O ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-SXIVWICOYRO3J4NJ --mask 255.255.255.255 --rsource -j KUBE-SEP-SXIVWICOYRO3J4NJ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-LXVODXWDISEETFEF --mask 255.255.255.255 --rsource -j KUBE-SEP-LXVODXWDISEETFEF
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -j KUBE-SEP-LXVODXWDISEETFEF
-A KUBE-SVL-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-SXIVWICOYRO3J4NJ --mask 255.255.255.255 --rsource -j KUBE-SEP-SXIVWICOYRO3J4NJ
-A KUBE-SVL-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
COMMIT
`);
    const filter = body(await host.iptablesSave(null, "filter"));
    // Prepended in order, so the last ensured comes first.
    expect(filter.split("\n").filter((l) => l.startsWith("-A INPUT"))).toEqual([
      "-A INPUT -j KUBE-FIREWALL",
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    ]);
    expect(filter).toContain(
      '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    );
    expect(filter).toContain(
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    );
  });

  it("a partial sync rewrites the changed chains and deletes the stale ones", async () => {
    const host = new SimHost(new Kernel());
    const s1 = fakeState(services, slices(["10.180.0.1", "10.180.0.2"]));
    const full = syncProxyRules({ state: s1, node: fakeNode, config });
    await apply(host, full);
    const before = getChainsFromTable(await host.iptablesSave(null, "nat"), "nat");
    const s2 = fakeState(services, slices(["10.180.0.1"]));
    const partial = syncProxyRules({
      state: s2,
      node: fakeNode,
      config,
      existingNatChains: before,
      updatedServices: new Set(["ns1/svc1"]),
    });
    await apply(host, partial);
    const after = await host.iptablesSave(null, "nat");
    expect(after).not.toContain("KUBE-SEP-LXVODXWDISEETFEF");
    expect(after).toContain(
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    );
    expect(
      [...getChainsFromTable(after, "nat")].filter((c) => c.startsWith("KUBE-S") && c !== "KUBE-SERVICES"),
    ).toEqual(partial.activeNatChains.filter((c) => c.startsWith("KUBE-S")).sort());
  });

  it("the model has no nfacct match yet, so kube-proxy's default payload (nfacct present) does not load", async () => {
    const host = new SimHost(new Kernel());
    const r = syncProxyRules({
      state: fakeState([], []),
      node: fakeNode,
      config: { ...config, hasNfacct: true },
    });
    await expect(host.iptablesRestore(null, r.payload, { noflush: true })).rejects.toThrow(/nfacct/);
  });
});
