/**
 * Ports of upstream pkg/proxy/iptables/proxier_test.go (v1.33): the same
 * services and slices, the same expected restore text after sortIPTablesRules,
 * and the same packet-flow expectations through tracePacket.
 */
import { describe, expect, it } from "vitest";
import type { EndpointSlice, Service } from "../types.js";
import { portProtoHash, servicePortEndpointChainName, servicePortPolicyClusterChain } from "./chain-names.js";
import {
  fakeNode,
  fakeSync,
  makeTestEndpointSlice,
  makeTestService,
  testExternalClient,
  testExternalClientBlocked,
  testNodeIP,
  testNodeIPAlt,
  testNodeIPs,
} from "./fixtures.js";
import { computeProbability, jumpRules, type SyncProxyRulesResult } from "./proxier.js";
import {
  chainRules,
  checkIPTablesRuleJumps,
  sortIPTablesRules,
  tracePacket,
  withJumpRules,
} from "./testing.js";

/** upstream's dedent: drop the common leading whitespace and the first newline. */
function dedent(s: string): string {
  const lines = s.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
  return lines
    .map((l) => l.slice(indent))
    .join("\n")
    .replace(/[ \t]+$/, "");
}

interface PacketFlowTest {
  name: string;
  sourceIP: string;
  protocol?: "TCP" | "UDP" | "SCTP";
  destIP: string;
  destPort: number;
  output: string;
  masq?: boolean;
}

function runPacketFlowTests(r: SyncProxyRulesResult, tests: PacketFlowTest[]): void {
  const tables = withJumpRules(r.payload, r.jumpRules);
  for (const tc of tests) {
    const got = tracePacket(
      tables,
      tc.sourceIP,
      (tc.protocol ?? "TCP").toLowerCase(),
      tc.destIP,
      String(tc.destPort),
      testNodeIPs,
    );
    expect({ name: tc.name, output: got.output, masq: got.masq }, got.matches.join("\n")).toEqual({
      name: tc.name,
      output: tc.output,
      masq: tc.masq ?? false,
    });
  }
}

const tcp80 = (name = "p80") => ({ name, port: 80, protocol: "TCP" as const });
const epPort = (name: string, port: number, protocol: "TCP" | "UDP" | "SCTP" = "TCP") => ({
  name,
  port,
  protocol,
});

describe("chain names", () => {
  it("hashes as kube-proxy does (base32(sha256)[:16])", () => {
    expect(portProtoHash("ns1/svc1:p80", "tcp")).toBe("XPGD46QRK7WJZT7O");
    expect(servicePortPolicyClusterChain("ns1/svc1:p80", "tcp")).toBe("KUBE-SVC-XPGD46QRK7WJZT7O");
    expect(servicePortEndpointChainName("ns1/svc1:p80", "tcp", "10.180.0.1:80")).toBe(
      "KUBE-SEP-SXIVWICOYRO3J4NJ",
    );
  });

  it("TestComputeProbability", () => {
    const expected: Record<number, string> = {
      1: "1.0000000000",
      2: "0.5000000000",
      10: "0.1000000000",
      100: "0.0100000000",
      1000: "0.0010000000",
      10000: "0.0001000000",
      100000: "0.0000100000",
      100001: "0.0000099999",
    };
    for (const [n, p] of Object.entries(expected)) expect(computeProbability(Number(n))).toBe(p);
    expect(computeProbability(3)).toBe("0.3333333333");
  });
});

describe("TestOverallIPTablesRules", () => {
  const services: Service[] = [
    makeTestService("ns1", "svc1", (svc) => {
      svc.spec = { clusterIP: "172.30.0.41", ports: [tcp80()] };
    }),
    makeTestService("ns2", "svc2", (svc) => {
      svc.spec = {
        type: "LoadBalancer",
        externalTrafficPolicy: "Local",
        clusterIP: "172.30.0.42",
        ports: [{ ...tcp80(), nodePort: 3001 }],
        externalIPs: ["192.168.99.22"],
        healthCheckNodePort: 30000,
      };
      svc.status = { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } };
    }),
    makeTestService("ns3", "svc3", (svc) => {
      svc.spec = { type: "NodePort", clusterIP: "172.30.0.43", ports: [{ ...tcp80(), nodePort: 3003 }] };
    }),
    makeTestService("ns4", "svc4", (svc) => {
      svc.spec = {
        type: "NodePort",
        clusterIP: "172.30.0.44",
        externalIPs: ["192.168.99.33"],
        ports: [{ ...tcp80(), targetPort: 80 }],
      };
    }),
    makeTestService("ns5", "svc5", (svc) => {
      svc.spec = {
        type: "LoadBalancer",
        externalTrafficPolicy: "Cluster",
        clusterIP: "172.30.0.45",
        ports: [{ ...tcp80(), nodePort: 3002 }],
        healthCheckNodePort: 30000,
        // Extra whitespace must not break parsing.
        loadBalancerSourceRanges: [" 203.0.113.0/25"],
        sessionAffinity: "ClientIP",
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      };
      svc.status = { loadBalancer: { ingress: [{ ip: "5.6.7.8" }] } };
    }),
    makeTestService("ns6", "svc6", (svc) => {
      svc.spec = { type: "ClusterIP", clusterIP: "172.30.0.46", ports: [{ ...tcp80(), targetPort: 80 }] };
    }),
  ];
  const slices: EndpointSlice[] = [
    makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
      eps.endpoints = [{ addresses: ["10.180.0.1"] }];
      eps.ports = [epPort("p80", 80)];
    }),
    // No nodeName: not local, so the Local-policy LB has no local endpoints.
    makeTestEndpointSlice("ns2", "svc2", 1, (eps) => {
      eps.endpoints = [{ addresses: ["10.180.0.2"] }];
      eps.ports = [epPort("p80", 80)];
    }),
    makeTestEndpointSlice("ns3", "svc3", 1, (eps) => {
      eps.endpoints = [{ addresses: ["10.180.0.3"] }];
      eps.ports = [epPort("p80", 80)];
    }),
    makeTestEndpointSlice("ns4", "svc4", 1, (eps) => {
      eps.endpoints = [{ addresses: ["10.180.0.4"] }, { addresses: ["10.180.0.5"], nodeName: "test-node" }];
      eps.ports = [epPort("p80", 80)];
    }),
    makeTestEndpointSlice("ns5", "svc5", 1, (eps) => {
      eps.endpoints = [{ addresses: ["10.180.0.3"] }];
      eps.ports = [epPort("p80", 80)];
    }),
  ];

  const expected = dedent(`
    *filter
    :KUBE-NODEPORTS - [0:0]
    :KUBE-SERVICES - [0:0]
    :KUBE-EXTERNAL-SERVICES - [0:0]
    :KUBE-FIREWALL - [0:0]
    :KUBE-FORWARD - [0:0]
    :KUBE-PROXY-FIREWALL - [0:0]
    -A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
    -A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
    -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
    -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
    -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
    -A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
    -A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
    -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
    -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    -A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
    COMMIT
    *nat
    :KUBE-NODEPORTS - [0:0]
    :KUBE-SERVICES - [0:0]
    :KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
    :KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
    :KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]
    :KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
    :KUBE-FW-NUKIZ6OKUXPJNT4C - [0:0]
    :KUBE-MARK-MASQ - [0:0]
    :KUBE-POSTROUTING - [0:0]
    :KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
    :KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
    :KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
    :KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
    :KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
    :KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
    :KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
    :KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
    :KUBE-SVC-NUKIZ6OKUXPJNT4C - [0:0]
    :KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
    :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
    -A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3003 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK
    -A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
    -A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3002 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-NUKIZ6OKUXPJNT4C
    -A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
    -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
    -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
    -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
    -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
    -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
    -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C
    -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C
    -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
    -A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
    -A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
    -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
    -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
    -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
    -A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ
    -A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C
    -A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
    -A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
    -A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
    -A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"
    -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
    -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
    -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
    -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
    -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
    -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
    -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
    -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
    -A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
    -A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
    -A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
    -A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
    -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
    -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
    -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
    -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
    -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
    -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
    -A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
    -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN
    -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
    -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
    -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
    COMMIT
  `);

  it("produces exactly upstream's rules (after sortIPTablesRules)", () => {
    const r = fakeSync(services, slices);
    expect(sortIPTablesRules(r.payload)).toBe(expected);
    expect(checkIPTablesRuleJumps(expected)).toBeNull();
    expect(checkIPTablesRuleJumps(r.payload)).toBeNull();
  });

  it("TestTracePacket expectations hold on the generated rules", () => {
    const r = fakeSync(services, slices);
    runPacketFlowTests(r, [
      { name: "no match", sourceIP: "10.0.0.2", destIP: "10.0.0.3", destPort: 80, output: "" },
      {
        name: "single endpoint",
        sourceIP: "10.0.0.2",
        destIP: "172.30.0.41",
        destPort: 80,
        output: "10.180.0.1:80",
      },
      {
        name: "multiple endpoints",
        sourceIP: "10.0.0.2",
        destIP: "172.30.0.44",
        destPort: 80,
        output: "10.180.0.4:80, 10.180.0.5:80",
      },
      {
        name: "LOCAL, KUBE-MARK-MASQ",
        sourceIP: testNodeIP,
        destIP: "192.168.99.22",
        destPort: 80,
        output: "10.180.0.2:80",
        masq: true,
      },
      { name: "DROP", sourceIP: testExternalClient, destIP: "192.168.99.22", destPort: 80, output: "DROP" },
      {
        name: "ACCEPT (NodePortHealthCheck)",
        sourceIP: testNodeIP,
        destIP: testNodeIP,
        destPort: 30000,
        output: "ACCEPT",
      },
      { name: "REJECT", sourceIP: "10.0.0.2", destIP: "172.30.0.46", destPort: 80, output: "REJECT" },
    ]);
  });
});

describe("TestNoEndpointsReject", () => {
  it("rejects the ClusterIP, externalIP, NodePort and LB IP of a service with no endpoints", () => {
    const r = fakeSync([
      makeTestService("ns1", "svc1", (svc) => {
        svc.spec = {
          type: "LoadBalancer",
          clusterIP: "172.30.0.41",
          externalIPs: ["192.168.99.11"],
          ports: [{ ...tcp80(), nodePort: 3001 }],
        };
        svc.status = { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } };
      }),
    ]);
    runPacketFlowTests(r, [
      {
        name: "pod to cluster IP with no endpoints",
        sourceIP: "10.0.0.2",
        destIP: "172.30.0.41",
        destPort: 80,
        output: "REJECT",
      },
      {
        name: "external to external IP",
        sourceIP: testExternalClient,
        destIP: "192.168.99.11",
        destPort: 80,
        output: "REJECT",
      },
      { name: "pod to NodePort", sourceIP: "10.0.0.2", destIP: testNodeIP, destPort: 3001, output: "REJECT" },
      {
        name: "external to NodePort",
        sourceIP: testExternalClient,
        destIP: testNodeIP,
        destPort: 3001,
        output: "REJECT",
      },
      { name: "pod to LB IP", sourceIP: "10.0.0.2", destIP: "1.2.3.4", destPort: 80, output: "REJECT" },
      {
        name: "external to LB IP",
        sourceIP: testExternalClient,
        destIP: "1.2.3.4",
        destPort: 80,
        output: "REJECT",
      },
    ]);
  });
});

describe("TestClusterIPGeneral", () => {
  it("routes each port and protocol to its endpoints", () => {
    const r = fakeSync(
      [
        makeTestService("ns1", "svc1", (svc) => {
          svc.spec = { clusterIP: "172.30.0.41", ports: [{ name: "http", port: 80, protocol: "TCP" }] };
        }),
        makeTestService("ns2", "svc2", (svc) => {
          svc.spec = {
            clusterIP: "172.30.0.42",
            ports: [
              { name: "http", port: 80, protocol: "TCP" },
              { name: "https", port: 443, protocol: "TCP", targetPort: 8443 },
              { name: "dns-udp", port: 53, protocol: "UDP" },
              { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 5353 },
              { name: "dns-sctp", port: 53, protocol: "SCTP" },
            ],
          };
        }),
      ],
      [
        makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
          eps.endpoints = [{ addresses: ["10.180.0.1"], nodeName: "test-node" }];
          eps.ports = [epPort("http", 80)];
        }),
        makeTestEndpointSlice("ns2", "svc2", 1, (eps) => {
          eps.endpoints = [
            { addresses: ["10.180.0.1"], nodeName: "test-node" },
            { addresses: ["10.180.2.1"], nodeName: "node2" },
          ];
          eps.ports = [
            epPort("http", 80),
            epPort("https", 8443),
            epPort("dns-udp", 53, "UDP"),
            epPort("dns-tcp", 5353),
            epPort("dns-sctp", 53, "SCTP"),
          ];
        }),
      ],
    );
    runPacketFlowTests(r, [
      {
        name: "simple clusterIP",
        sourceIP: "10.180.0.2",
        destIP: "172.30.0.41",
        destPort: 80,
        output: "10.180.0.1:80",
      },
      {
        name: "hairpin to cluster IP",
        sourceIP: "10.180.0.1",
        destIP: "172.30.0.41",
        destPort: 80,
        output: "10.180.0.1:80",
        masq: true,
      },
      {
        name: "clusterIP with multiple endpoints",
        sourceIP: "10.180.0.2",
        destIP: "172.30.0.42",
        destPort: 80,
        output: "10.180.0.1:80, 10.180.2.1:80",
      },
      {
        name: "clusterIP with TargetPort",
        sourceIP: "10.180.0.2",
        destIP: "172.30.0.42",
        destPort: 443,
        output: "10.180.0.1:8443, 10.180.2.1:8443",
      },
      {
        name: "TCP on a shared port",
        sourceIP: "10.180.0.2",
        protocol: "TCP",
        destIP: "172.30.0.42",
        destPort: 53,
        output: "10.180.0.1:5353, 10.180.2.1:5353",
      },
      {
        name: "UDP on a shared port",
        sourceIP: "10.180.0.2",
        protocol: "UDP",
        destIP: "172.30.0.42",
        destPort: 53,
        output: "10.180.0.1:53, 10.180.2.1:53",
      },
      {
        name: "SCTP on a shared port",
        sourceIP: "10.180.0.2",
        protocol: "SCTP",
        destIP: "172.30.0.42",
        destPort: 53,
        output: "10.180.0.1:53, 10.180.2.1:53",
      },
      {
        name: "TCP-only port does not match UDP traffic",
        sourceIP: "10.180.0.2",
        protocol: "UDP",
        destIP: "172.30.0.42",
        destPort: 80,
        output: "",
      },
      {
        name: "svc1 does not accept svc2's ports",
        sourceIP: "10.180.0.2",
        destIP: "172.30.0.41",
        destPort: 443,
        output: "",
      },
    ]);
  });
});

describe("TestLoadBalancer", () => {
  it("filters LB traffic by loadBalancerSourceRanges, not NodePort traffic", () => {
    const ep = "10.180.0.1:80";
    const r = fakeSync(
      [
        makeTestService("ns1", "svc1", (svc) => {
          svc.spec = {
            type: "LoadBalancer",
            clusterIP: "172.30.0.41",
            ports: [{ ...tcp80(), nodePort: 3001 }],
            loadBalancerSourceRanges: ["192.168.0.0/24", " 203.0.113.0/25"],
          };
          svc.status = { loadBalancer: { ingress: [{ ip: "1.2.3.4" }, { ip: "5.6.7.8" }] } };
        }),
      ],
      [
        makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
          eps.endpoints = [{ addresses: ["10.180.0.1"] }];
          eps.ports = [epPort("p80", 80)];
        }),
      ],
    );
    runPacketFlowTests(r, [
      { name: "pod to cluster IP", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output: ep },
      {
        name: "external to nodePort",
        sourceIP: testExternalClient,
        destIP: testNodeIP,
        destPort: 3001,
        output: ep,
        masq: true,
      },
      {
        name: "nodePort bypasses LoadBalancerSourceRanges",
        sourceIP: testExternalClientBlocked,
        destIP: testNodeIP,
        destPort: 3001,
        output: ep,
        masq: true,
      },
      {
        name: "accepted external to LB1",
        sourceIP: testExternalClient,
        destIP: "1.2.3.4",
        destPort: 80,
        output: ep,
        masq: true,
      },
      {
        name: "accepted external to LB2",
        sourceIP: testExternalClient,
        destIP: "5.6.7.8",
        destPort: 80,
        output: ep,
        masq: true,
      },
      {
        name: "blocked external to LB1",
        sourceIP: testExternalClientBlocked,
        destIP: "1.2.3.4",
        destPort: 80,
        output: "DROP",
      },
      {
        name: "blocked external to LB2",
        sourceIP: testExternalClientBlocked,
        destIP: "5.6.7.8",
        destPort: 80,
        output: "DROP",
      },
      { name: "pod to LB1 (blocked)", sourceIP: "10.0.0.2", destIP: "1.2.3.4", destPort: 80, output: "DROP" },
      { name: "pod to LB2 (blocked)", sourceIP: "10.0.0.2", destIP: "5.6.7.8", destPort: 80, output: "DROP" },
      {
        name: "node to LB1 (allowed)",
        sourceIP: testNodeIP,
        destIP: "1.2.3.4",
        destPort: 80,
        output: ep,
        masq: true,
      },
      {
        name: "node to LB2 (allowed)",
        sourceIP: testNodeIP,
        destIP: "5.6.7.8",
        destPort: 80,
        output: ep,
        masq: true,
      },
      {
        name: "same node to LB1, SNATted to LB1",
        sourceIP: "1.2.3.4",
        destIP: "1.2.3.4",
        destPort: 80,
        output: ep,
        masq: true,
      },
      {
        name: "same node to LB2, SNATted to LB2",
        sourceIP: "5.6.7.8",
        destIP: "5.6.7.8",
        destPort: 80,
        output: ep,
        masq: true,
      },
    ]);
  });
});

describe("TestNodePorts (IPv4 cases)", () => {
  const cases = [
    {
      name: "localhost-nodeports enabled",
      localhostNodePorts: true,
      nodePortAddresses: [],
      allowAlt: true,
      firewall: true,
    },
    {
      name: "localhost-nodeports disabled",
      localhostNodePorts: false,
      nodePortAddresses: [],
      allowAlt: true,
      firewall: false,
    },
    {
      name: "localhost-nodeports disabled, localhost in nodeport-addresses",
      localhostNodePorts: false,
      nodePortAddresses: ["192.168.0.0/24", "127.0.0.1/32"],
      allowAlt: false,
      firewall: false,
    },
    {
      name: "multiple nodeport-addresses",
      localhostNodePorts: false,
      nodePortAddresses: ["192.168.0.0/24", "192.168.1.0/24", "2001:db8::/64"],
      allowAlt: true,
      firewall: false,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const r = fakeSync(
        [
          makeTestService("ns1", "svc1", (svc) => {
            svc.spec = {
              type: "NodePort",
              clusterIP: "172.30.0.41",
              ports: [{ ...tcp80(), nodePort: 3001 }],
            };
          }),
        ],
        [
          makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
            eps.endpoints = [
              { addresses: ["10.180.0.1"] },
              { addresses: ["10.180.2.1"], nodeName: "test-node" },
            ];
            eps.ports = [epPort("p80", 80)];
          }),
        ],
        { localhostNodePorts: tc.localhostNodePorts, nodePortAddresses: tc.nodePortAddresses },
      );
      const output = "10.180.0.1:80, 10.180.2.1:80";
      runPacketFlowTests(r, [
        { name: "pod to cluster IP", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output },
        {
          name: "external to nodePort",
          sourceIP: testExternalClient,
          destIP: testNodeIP,
          destPort: 3001,
          output,
          masq: true,
        },
        {
          name: "node to nodePort",
          sourceIP: testNodeIP,
          destIP: testNodeIP,
          destPort: 3001,
          output,
          masq: true,
        },
        tc.localhostNodePorts
          ? {
              name: "localhost to nodePort",
              sourceIP: "127.0.0.1",
              destIP: "127.0.0.1",
              destPort: 3001,
              output,
              masq: true,
            }
          : {
              name: "localhost to nodePort ignored",
              sourceIP: "127.0.0.1",
              destIP: "127.0.0.1",
              destPort: 3001,
              output: "",
            },
        tc.allowAlt
          ? {
              name: "secondary IP",
              sourceIP: testExternalClient,
              destIP: testNodeIPAlt,
              destPort: 3001,
              output,
              masq: true,
            }
          : {
              name: "secondary IP ignored",
              sourceIP: testExternalClient,
              destIP: testNodeIPAlt,
              destPort: 3001,
              output: "",
            },
      ]);
      expect(chainRules(r.payload, "filter", "KUBE-FIREWALL")).toBe(
        tc.firewall
          ? `-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n`
          : "",
      );
    });
  }
});

describe("TestHealthCheckNodePort", () => {
  it("accepts the health check port whether or not there are endpoints, and drops it with the service", () => {
    const svc = makeTestService("ns1", "svc1", (s) => {
      s.spec = {
        type: "LoadBalancer",
        clusterIP: "172.30.0.42",
        ports: [{ ...tcp80(), nodePort: 3001 }],
        healthCheckNodePort: 30000,
        externalTrafficPolicy: "Local",
      };
    });
    const flow = (r: SyncProxyRulesResult, output: string) =>
      runPacketFlowTests(r, [
        { name: "health check", sourceIP: "1.2.3.4", destIP: testNodeIP, destPort: 30000, output },
      ]);
    flow(fakeSync([svc], [], { nodePortAddresses: ["127.0.0.0/8"] }), "ACCEPT");
    flow(fakeSync([], [], { nodePortAddresses: ["127.0.0.0/8"] }), "");
  });
});

describe("TestDropInvalidRule", () => {
  const forward = dedent(`
    -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
    -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  `);
  it.each([
    { nfacct: false, liberal: false, drop: "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n" },
    {
      nfacct: true,
      liberal: false,
      drop: "-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP\n",
    },
    { nfacct: false, liberal: true, drop: "" },
  ])("tcpLiberal $liberal, nfacct $nfacct", ({ nfacct, liberal, drop }) => {
    const r = fakeSync([], [], { hasNfacct: nfacct, conntrackTCPBeLiberal: liberal });
    expect(chainRules(r.payload, "filter", "KUBE-FORWARD")).toBe(drop + forward);
  });
});

describe("TestMasqueradeRule", () => {
  it.each([false, true])("randomFully %s", (randomFully) => {
    const r = fakeSync([], [], { hasRandomFully: randomFully });
    expect(chainRules(r.payload, "nat", "KUBE-POSTROUTING")).toBe(
      dedent(`
        -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
        -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
        -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${randomFully ? " --random-fully" : ""}
      `),
    );
  });

  it("writes kube-proxy's own mark text (%#08x) unless told otherwise", () => {
    const r = fakeSync([], [], { masqueradeMark: undefined });
    expect(chainRules(r.payload, "nat", "KUBE-MARK-MASQ")).toBe(
      "-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000\n",
    );
    const r15 = fakeSync([], [], { masqueradeMark: undefined, masqueradeBit: 15 });
    expect(chainRules(r15.payload, "nat", "KUBE-MARK-MASQ")).toBe(
      "-A KUBE-MARK-MASQ -j MARK --or-mark 0x00008000\n",
    );
  });
});

function trafficPolicyService(policy: "Local" | "Cluster"): { services: Service[]; slices: EndpointSlice[] } {
  return {
    services: [
      makeTestService("ns1", "svc1", (svc) => {
        svc.spec = {
          type: "LoadBalancer",
          externalTrafficPolicy: policy,
          clusterIP: "172.30.0.41",
          externalIPs: ["192.168.99.11"],
          ports: [{ ...tcp80(), nodePort: 3001, targetPort: 80 }],
          healthCheckNodePort: policy === "Local" ? 30000 : undefined,
        };
        svc.status = { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } };
      }),
    ],
    slices: [
      makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
        eps.endpoints = [{ addresses: ["10.180.0.1"] }, { addresses: ["10.180.2.1"], nodeName: "test-node" }];
        eps.ports = [epPort("p80", 80)];
      }),
    ],
  };
}

describe("TestExternalTrafficPolicyLocal", () => {
  it("keeps the source and only local endpoints for external clients; pods reach every endpoint", () => {
    const { services, slices } = trafficPolicyService("Local");
    const both = "10.180.0.1:80, 10.180.2.1:80";
    const local = "10.180.2.1:80";
    runPacketFlowTests(fakeSync(services, slices), [
      { name: "pod to cluster IP", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output: both },
      {
        name: "pod to external IP",
        sourceIP: "10.0.0.2",
        destIP: "192.168.99.11",
        destPort: 80,
        output: both,
      },
      {
        name: "external to external IP",
        sourceIP: testExternalClient,
        destIP: "192.168.99.11",
        destPort: 80,
        output: local,
      },
      { name: "pod to LB IP", sourceIP: "10.0.0.2", destIP: "1.2.3.4", destPort: 80, output: both },
      {
        name: "external to LB IP",
        sourceIP: testExternalClient,
        destIP: "1.2.3.4",
        destPort: 80,
        output: local,
      },
      { name: "pod to NodePort", sourceIP: "10.0.0.2", destIP: testNodeIP, destPort: 3001, output: both },
      {
        name: "external to NodePort",
        sourceIP: testExternalClient,
        destIP: testNodeIP,
        destPort: 3001,
        output: local,
      },
    ]);
  });

  it("without local endpoints: external clients are dropped, pods still reach the service", () => {
    const { services } = trafficPolicyService("Local");
    const slices = [
      makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
        eps.endpoints = [{ addresses: ["10.180.0.1"], nodeName: "node2" }];
        eps.ports = [epPort("p80", 80)];
      }),
    ];
    const r = fakeSync(services, slices);
    runPacketFlowTests(r, [
      {
        name: "pod to cluster IP",
        sourceIP: "10.0.0.2",
        destIP: "172.30.0.41",
        destPort: 80,
        output: "10.180.0.1:80",
      },
      {
        name: "pod to LB IP (short-circuit)",
        sourceIP: "10.0.0.2",
        destIP: "1.2.3.4",
        destPort: 80,
        output: "10.180.0.1:80",
      },
      {
        name: "external to LB IP",
        sourceIP: testExternalClient,
        destIP: "1.2.3.4",
        destPort: 80,
        output: "DROP",
      },
      {
        name: "external to NodePort",
        sourceIP: testExternalClient,
        destIP: testNodeIP,
        destPort: 3001,
        output: "DROP",
      },
      {
        name: "node to NodePort",
        sourceIP: testNodeIP,
        destIP: testNodeIP,
        destPort: 3001,
        output: "10.180.0.1:80",
        masq: true,
      },
      { name: "health check", sourceIP: "1.2.3.4", destIP: testNodeIP, destPort: 30000, output: "ACCEPT" },
    ]);
    // No KUBE-SVL chain at all, and KUBE-EXT has no fall-through jump.
    expect(r.payload).not.toContain("KUBE-SVL-");
    expect(r.payload).toContain(
      `-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP`,
    );
  });
});

describe("TestExternalTrafficPolicyCluster", () => {
  it("masquerades external destinations and uses every endpoint", () => {
    const { services, slices } = trafficPolicyService("Cluster");
    const both = "10.180.0.1:80, 10.180.2.1:80";
    runPacketFlowTests(fakeSync(services, slices), [
      { name: "pod to cluster IP", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output: both },
      {
        name: "pod to external IP",
        sourceIP: "10.0.0.2",
        destIP: "192.168.99.11",
        destPort: 80,
        output: both,
        masq: true,
      },
      {
        name: "external to external IP",
        sourceIP: testExternalClient,
        destIP: "192.168.99.11",
        destPort: 80,
        output: both,
        masq: true,
      },
      {
        name: "pod to LB IP",
        sourceIP: "10.0.0.2",
        destIP: "1.2.3.4",
        destPort: 80,
        output: both,
        masq: true,
      },
      {
        name: "external to LB IP",
        sourceIP: testExternalClient,
        destIP: "1.2.3.4",
        destPort: 80,
        output: both,
        masq: true,
      },
      {
        name: "pod to NodePort",
        sourceIP: "10.0.0.2",
        destIP: testNodeIP,
        destPort: 3001,
        output: both,
        masq: true,
      },
      {
        name: "external to NodePort",
        sourceIP: testExternalClient,
        destIP: testNodeIP,
        destPort: 3001,
        output: both,
        masq: true,
      },
    ]);
  });
});

describe("internalTrafficPolicy Local", () => {
  const svc = makeTestService("ns1", "svc1", (s) => {
    s.spec = { clusterIP: "172.30.0.41", internalTrafficPolicy: "Local", ports: [tcp80()] };
  });
  it("sends ClusterIP traffic to local endpoints only (KUBE-SVL)", () => {
    const r = fakeSync(
      [svc],
      [
        makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
          eps.endpoints = [
            { addresses: ["10.0.1.1"], nodeName: "test-node" },
            { addresses: ["10.0.1.2"], nodeName: "test-node" },
            { addresses: ["10.0.1.3"], nodeName: "host1" },
          ];
          eps.ports = [epPort("p80", 80)];
        }),
      ],
    );
    runPacketFlowTests(r, [
      {
        name: "pod to ClusterIP",
        sourceIP: "10.0.0.2",
        destIP: "172.30.0.41",
        destPort: 80,
        output: "10.0.1.1:80, 10.0.1.2:80",
      },
    ]);
    expect(r.payload).not.toContain("KUBE-SVC-");
    expect(r.activeNatChains.filter((c) => c.startsWith("KUBE-SEP-"))).toHaveLength(2);
  });

  it("drops ClusterIP traffic when this node has none", () => {
    const r = fakeSync(
      [svc],
      [
        makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
          eps.endpoints = [{ addresses: ["10.0.1.3"], nodeName: "host1" }];
          eps.ports = [epPort("p80", 80)];
        }),
      ],
    );
    runPacketFlowTests(r, [
      { name: "pod to ClusterIP", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output: "DROP" },
    ]);
    expect(chainRules(r.payload, "filter", "KUBE-SERVICES")).toBe(
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j DROP\n`,
    );
  });
});

describe("terminating endpoints", () => {
  const svc = makeTestService("ns1", "svc1", (s) => {
    s.spec = { clusterIP: "172.30.0.41", ports: [tcp80()] };
  });
  const slice = (eps: EndpointSlice["endpoints"]) =>
    makeTestEndpointSlice("ns1", "svc1", 1, (s) => {
      s.endpoints = eps;
      s.ports = [epPort("p80", 80)];
    });
  const terminating = (ip: string, serving: boolean) => ({
    addresses: [ip],
    conditions: { ready: false, serving, terminating: true },
  });

  it("ignores terminating endpoints while a ready one exists", () => {
    const r = fakeSync([svc], [slice([{ addresses: ["10.0.1.1"] }, terminating("10.0.1.2", true)])]);
    runPacketFlowTests(r, [
      {
        name: "to ClusterIP",
        sourceIP: "10.0.0.2",
        destIP: "172.30.0.41",
        destPort: 80,
        output: "10.0.1.1:80",
      },
    ]);
  });

  it("falls back to serving terminating endpoints when none is ready", () => {
    const r = fakeSync([svc], [slice([terminating("10.0.1.2", true), terminating("10.0.1.3", false)])]);
    runPacketFlowTests(r, [
      {
        name: "to ClusterIP",
        sourceIP: "10.0.0.2",
        destIP: "172.30.0.41",
        destPort: 80,
        output: "10.0.1.2:80",
      },
    ]);
  });

  it("rejects when no endpoint is ready or serving", () => {
    const r = fakeSync([svc], [slice([terminating("10.0.1.3", false)])]);
    runPacketFlowTests(r, [
      { name: "to ClusterIP", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output: "REJECT" },
    ]);
  });
});

describe("jump rules", () => {
  it("lists kube-proxy's EnsureRule(Prepend) calls in order, comments unquoted", () => {
    const jumps = jumpRules();
    expect(jumps).toHaveLength(14);
    expect(jumps[0]).toEqual({
      table: "filter",
      chain: "INPUT",
      position: "prepend",
      ensureChain: "KUBE-EXTERNAL-SERVICES",
      args: [
        "-m",
        "conntrack",
        "--ctstate",
        "NEW",
        "-m",
        "comment",
        "--comment",
        "kubernetes externally-visible service portals",
        "-j",
        "KUBE-EXTERNAL-SERVICES",
      ],
    });
    expect(jumps.at(-1)).toEqual({
      table: "filter",
      chain: "OUTPUT",
      position: "prepend",
      ensureChain: "KUBE-FIREWALL",
      args: ["-j", "KUBE-FIREWALL"],
    });
    expect(fakeSync([]).jumpRules).toEqual(jumps);
  });
});

describe("unnamed ports and node", () => {
  it("names a port without a name ns/name", () => {
    const r = fakeSync(
      [
        makeTestService(
          "ns1",
          "svc1",
          (s) => (s.spec = { clusterIP: "172.30.0.41", ports: [{ port: 80, protocol: "TCP" }] }),
        ),
      ],
      [
        makeTestEndpointSlice("ns1", "svc1", 1, (s) => {
          s.endpoints = [{ addresses: ["10.0.1.1"] }];
          s.ports = [{ name: "", port: 8080, protocol: "TCP" }];
        }),
      ],
    );
    expect(r.payload).toContain(
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j ${servicePortPolicyClusterChain("ns1/svc1", "tcp")}`,
    );
    expect(r.payload).toContain(
      "-m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:8080",
    );
    expect(fakeNode.name).toBe("test-node");
  });
});
