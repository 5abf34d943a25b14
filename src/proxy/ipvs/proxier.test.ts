/**
 * The ipvs proxier against upstream's expectations (pkg/proxy/ipvs/proxier_test.go):
 * the virtual and real servers of its fake IPVS, the ipset entries and the
 * rules of each chain (checkIptables: jump target and match-set, in order).
 * Cases are ported from the test named above each one.
 */
import { describe, expect, it } from "vitest";
import type { IpvsServiceSpec } from "../../host/host.js";
import { buildProxyState } from "../changes.js";
import { makeTestEndpointSlice, makeTestService } from "../iptables/fixtures.js";
import type { EndpointSlice, Service } from "../types.js";
import { type IpvsProxierConfig, type IpvsSyncPlan, syncIpvsProxyRules } from "./proxier.js";

const testNodeName = "test-node";

function sync(
  services: Service[],
  slices: EndpointSlice[],
  nodeIPs: string[],
  config: IpvsProxierConfig = {},
): IpvsSyncPlan {
  return syncIpvsProxyRules({
    state: buildProxyState(services, slices, testNodeName),
    node: { name: testNodeName, ips: nodeIPs },
    config: { masqueradeMark: "0x4000", ...config },
    // The fake's nodeIPs, IPv4 only (the proxier is single-family).
    nodeAddresses: nodeIPs.filter((ip) => !ip.includes(":")),
  });
}

/** The fake IPVS as upstream compares it: service key -> real servers. */
function ipvsState(p: IpvsSyncPlan): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const v of p.virtualServers) {
    const s = v.spec;
    const flags = s.persistent ? ` persistent ${s.timeout}` : "";
    out[`${s.protocol} ${s.address}:${s.port} ${s.scheduler}${flags}`] = v.dests.map(
      (d) => `${d.address}:${d.port} w${d.weight}`,
    );
  }
  return out;
}

/** checkIptables: per chain, each rule's jump target and the set it matches ("" for none). */
function chainRules(p: IpvsSyncPlan, chain: string): { jump: string; set: string; src?: string }[] {
  return p.payload
    .split("\n")
    .filter((l) => l.startsWith(`-A ${chain} `))
    .map((l) => {
      const jump = /-j (\S+)/.exec(l)?.[1] ?? "";
      const set = /--match-set (\S+)/.exec(l)?.[1] ?? "";
      const src = /(?:^| )-s (\S+)/.exec(l)?.[1];
      return src ? { jump, set, src } : { jump, set };
    });
}

const nodePortSvc = (proto: "TCP" | "UDP" | "SCTP", etp?: "Local") =>
  makeTestService("ns1", "svc1", (svc) => {
    svc.spec = {
      type: "NodePort",
      clusterIP: "10.20.30.41",
      ports: [{ name: "p80", port: 80, protocol: proto, nodePort: 3001 }],
      ...(etp ? { externalTrafficPolicy: etp } : {}),
    };
  });

const slice = (proto: "TCP" | "UDP" | "SCTP", eps: EndpointSlice["endpoints"]) =>
  makeTestEndpointSlice("ns1", "svc1", 1, (s) => {
    s.endpoints = eps;
    s.ports = [{ name: "p80", port: 80, protocol: proto }];
  });

describe("TestNodePortIPv4", () => {
  it("1 service with node port, has 2 endpoints", () => {
    const v6 = makeTestEndpointSlice("ns1", "svc1", 2, (s) => {
      s.addressType = "IPv6";
      s.endpoints = [{ addresses: ["1002:ab8::2:10"] }];
      s.ports = [{ name: "p80", port: 80, protocol: "TCP" }];
    });
    const p = sync(
      [nodePortSvc("TCP")],
      [slice("TCP", [{ addresses: ["10.180.0.1"] }]), v6],
      ["100.101.102.103", "2001:db8::1:1"],
    );
    expect(ipvsState(p)).toEqual({
      "TCP 10.20.30.41:80 rr": ["10.180.0.1:80 w1"],
      "TCP 100.101.102.103:3001 rr": ["10.180.0.1:80 w1"],
    });
  });

  it("1 UDP service with node port, has endpoints", () => {
    const p = sync(
      [nodePortSvc("UDP")],
      [slice("UDP", [{ addresses: ["10.180.0.1"] }])],
      ["100.101.102.103"],
      {
        nodePortAddresses: ["0.0.0.0/0"],
      },
    );
    expect(ipvsState(p)).toEqual({
      "UDP 10.20.30.41:80 rr": ["10.180.0.1:80 w1"],
      "UDP 100.101.102.103:3001 rr": ["10.180.0.1:80 w1"],
    });
    expect(p.ipsets.get("KUBE-NODE-PORT-UDP")).toEqual(["3001"]);
    expect(chainRules(p, "KUBE-NODE-PORT")).toEqual([
      { jump: "KUBE-MARK-MASQ", set: "KUBE-NODE-PORT-UDP" },
      { jump: "ACCEPT", set: "KUBE-HEALTH-CHECK-NODE-PORT" },
    ]);
    // Upstream's fake proxier has no local detector: the ClusterIP rule masquerades "src,dst".
    expect(chainRules(p, "KUBE-SERVICES")).toEqual([
      { jump: "RETURN", set: "", src: "127.0.0.0/8" },
      { jump: "KUBE-MARK-MASQ", set: "KUBE-CLUSTER-IP" },
      { jump: "KUBE-NODE-PORT", set: "" },
      { jump: "ACCEPT", set: "KUBE-CLUSTER-IP" },
    ]);
  });

  it("service has node port but no endpoints", () => {
    const p = sync([nodePortSvc("TCP")], [], ["100.101.102.103"]);
    expect(ipvsState(p)).toEqual({ "TCP 10.20.30.41:80 rr": [], "TCP 100.101.102.103:3001 rr": [] });
  });

  it("node port service with protocol sctp on a node with multiple nodeIPs", () => {
    const ips = ["100.101.102.103", "100.101.102.104", "100.101.102.105", "2001:db8::1:1", "2001:db8::1:2"];
    const p = sync([nodePortSvc("SCTP")], [slice("SCTP", [{ addresses: ["10.180.0.1"] }])], ips);
    expect(ipvsState(p)).toEqual({
      "SCTP 10.20.30.41:80 rr": ["10.180.0.1:80 w1"],
      "SCTP 100.101.102.103:3001 rr": ["10.180.0.1:80 w1"],
      "SCTP 100.101.102.104:3001 rr": ["10.180.0.1:80 w1"],
      "SCTP 100.101.102.105:3001 rr": ["10.180.0.1:80 w1"],
    });
    expect(p.ipsets.get("KUBE-NODE-PORT-SCTP-HASH")).toEqual([
      "100.101.102.103,sctp:3001",
      "100.101.102.104,sctp:3001",
      "100.101.102.105,sctp:3001",
    ]);
  });

  it("node port service with protocol sctp and externalTrafficPolicy local", () => {
    const p = sync(
      [nodePortSvc("SCTP", "Local")],
      [
        slice("SCTP", [
          { addresses: ["10.180.0.1"], nodeName: testNodeName },
          { addresses: ["10.180.1.1"], nodeName: "other-node" },
        ]),
      ],
      ["100.101.102.103"],
    );
    expect(ipvsState(p)).toEqual({
      "SCTP 10.20.30.41:80 rr": ["10.180.0.1:80 w1", "10.180.1.1:80 w1"],
      "SCTP 100.101.102.103:3001 rr": ["10.180.0.1:80 w1"],
    });
    expect(p.ipsets.get("KUBE-NODE-PORT-SCTP-HASH")).toEqual(["100.101.102.103,sctp:3001"]);
    expect(p.ipsets.get("KUBE-NODE-PORT-LOCAL-SCTP-HASH")).toEqual(["100.101.102.103,sctp:3001"]);
    expect(chainRules(p, "KUBE-NODE-PORT")).toEqual([
      { jump: "RETURN", set: "KUBE-NODE-PORT-LOCAL-SCTP-HASH" },
      { jump: "KUBE-MARK-MASQ", set: "KUBE-NODE-PORT-SCTP-HASH" },
      { jump: "ACCEPT", set: "KUBE-HEALTH-CHECK-NODE-PORT" },
    ]);
  });
});

describe("ClusterIP, session affinity, bindings", () => {
  it("sessionAffinity ClientIP becomes a persistent virtual server with the Service's timeout", () => {
    const svc = makeTestService("ns1", "svc1", (s) => {
      s.spec = {
        clusterIP: "10.20.30.41",
        ports: [{ name: "p80", port: 80, protocol: "TCP" }],
        sessionAffinity: "ClientIP",
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      };
    });
    const p = sync([svc], [slice("TCP", [{ addresses: ["10.180.0.1"] }])], ["100.101.102.103"]);
    const vs = p.virtualServers[0]!.spec satisfies IpvsServiceSpec;
    expect(vs).toEqual({
      protocol: "TCP",
      address: "10.20.30.41",
      port: 80,
      scheduler: "rr",
      persistent: true,
      timeout: 10800,
    });
  });

  it("binds ClusterIPs to kube-ipvs0 but not an external IP that is a node address; KUBE-IPVS-IPS lists the bound ones", () => {
    const svc = makeTestService("ns1", "svc1", (s) => {
      s.spec = {
        clusterIP: "10.20.30.41",
        externalIPs: ["100.101.102.103", "50.60.70.81"],
        ports: [{ name: "p80", port: 80, protocol: "TCP" }],
      };
    });
    const p = sync(
      [svc],
      [slice("TCP", [{ addresses: ["10.180.0.1"], nodeName: testNodeName }])],
      ["100.101.102.103"],
    );
    expect(p.bindAddrs).toEqual(["10.20.30.41", "50.60.70.81"]);
    expect(p.ipsets.get("KUBE-IPVS-IPS")).toEqual(["10.20.30.41", "50.60.70.81"]);
    expect(p.ipsets.get("KUBE-EXTERNAL-IP")).toEqual(["100.101.102.103,tcp:80", "50.60.70.81,tcp:80"]);
    // A local endpoint: hairpin traffic is masqueraded through KUBE-LOOP-BACK.
    expect(p.ipsets.get("KUBE-LOOP-BACK")).toEqual(["10.180.0.1,tcp:80,10.180.0.1"]);
    expect(chainRules(p, "KUBE-POSTROUTING")[0]).toEqual({ jump: "MASQUERADE", set: "KUBE-LOOP-BACK" });
  });

  it("LoadBalancer source ranges: the firewall sets, and node access dropped unless a range covers the node (kubernetes#119656)", () => {
    const lb = (ranges: string[]) =>
      makeTestService("ns1", "svc1", (s) => {
        s.spec = {
          type: "LoadBalancer",
          clusterIP: "10.20.30.41",
          ports: [{ name: "p80", port: 80, protocol: "TCP", nodePort: 3001 }],
          loadBalancerSourceRanges: ranges,
        };
        s.status = { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } };
      });
    const blocked = sync([lb(["203.0.113.0/25"])], [], ["100.101.102.103"]);
    expect(blocked.ipsets.get("KUBE-LOAD-BALANCER-FW")).toEqual(["1.2.3.4,tcp:80"]);
    expect(blocked.ipsets.get("KUBE-LOAD-BALANCER-SOURCE-CIDR")).toEqual(["1.2.3.4,tcp:80,203.0.113.0/25"]);
    expect(blocked.payload).toContain(
      "-A KUBE-IPVS-OUT-FILTER -s 1.2.3.4 -m ipvs --vaddr 1.2.3.4 --vproto tcp --vport 80 -j DROP\n",
    );
    expect(chainRules(blocked, "KUBE-PROXY-FIREWALL")).toEqual([
      { jump: "KUBE-SOURCE-RANGES-FIREWALL", set: "KUBE-LOAD-BALANCER-FW" },
    ]);
    expect(chainRules(blocked, "KUBE-SOURCE-RANGES-FIREWALL")).toEqual([
      { jump: "RETURN", set: "KUBE-LOAD-BALANCER-SOURCE-CIDR" },
      { jump: "DROP", set: "" },
    ]);
    const allowed = sync([lb(["100.101.0.0/16"])], [], ["100.101.102.103"]);
    expect(allowed.ipsets.get("KUBE-LOAD-BALANCER-SOURCE-IP")).toEqual(["1.2.3.4,tcp:80,1.2.3.4"]);
    expect(allowed.payload).not.toContain("KUBE-IPVS-OUT-FILTER -s");
  });

  it("writes writeIptablesRules' payload: chains, then rules, nat before filter", () => {
    const svc = makeTestService("ns1", "svc1", (s) => {
      s.spec = { clusterIP: "10.20.30.41", ports: [{ name: "p80", port: 80, protocol: "TCP" }] };
    });
    const p = sync([svc], [], ["100.101.102.103"], { clusterCIDR: "10.0.0.0/8", hasRandomFully: true });
    expect(p.payload).toBe(
      [
        "*nat",
        ":KUBE-SERVICES - [0:0]",
        ":KUBE-POSTROUTING - [0:0]",
        ":KUBE-NODE-PORT - [0:0]",
        ":KUBE-LOAD-BALANCER - [0:0]",
        ":KUBE-MARK-MASQ - [0:0]",
        "-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN",
        '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
        "-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT",
        "-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ",
        "-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT",
        "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
        "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000",
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
        "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000",
        "COMMIT",
        "*filter",
        ":KUBE-FORWARD - [0:0]",
        ":KUBE-NODE-PORT - [0:0]",
        ":KUBE-PROXY-FIREWALL - [0:0]",
        ":KUBE-SOURCE-RANGES-FIREWALL - [0:0]",
        ":KUBE-IPVS-FILTER - [0:0]",
        ":KUBE-IPVS-OUT-FILTER - [0:0]",
        "-A KUBE-SOURCE-RANGES-FIREWALL -j DROP",
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        '-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT',
        "-A KUBE-IPVS-FILTER -m set --match-set KUBE-LOAD-BALANCER dst,dst -j RETURN",
        "-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN",
        "-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP dst,dst -j RETURN",
        "-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -j RETURN",
        "-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN",
        "-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT",
        "COMMIT",
        "",
      ].join("\n"),
    );
  });
});
