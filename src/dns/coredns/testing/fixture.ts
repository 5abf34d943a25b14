/**
 * @module dns/coredns/testing/fixture
 * The cluster of CoreDNS's plugin/kubernetes/handler_test.go (APIConnServeTest):
 * the same Services, endpoints and addresses, as a DnsClusterView, plus
 * kube-dns in front of a CoreDNS pod at 10.244.0.3.
 */
import type { DnsClusterView } from "../../types.js";

const http = [{ name: "http", port: 80, protocol: "TCP" }];
export const VIEW: DnsClusterView = {
  namespaces: ["testns", "kube-system"],
  modified: 1499347823,
  services: [
    { namespace: "testns", name: "svc1", type: "ClusterIP", clusterIPs: ["10.0.0.1"], ports: http },
    { namespace: "testns", name: "svcempty", type: "ClusterIP", clusterIPs: ["10.0.0.1"], ports: http },
    { namespace: "testns", name: "svc6", type: "ClusterIP", clusterIPs: ["1234:abcd::1"], ports: http },
    { namespace: "testns", name: "hdls1", type: "ClusterIP", clusterIPs: ["None"], ports: http },
    { namespace: "testns", name: "hdlsprtls", type: "ClusterIP", clusterIPs: ["None"], ports: [] },
    {
      namespace: "testns",
      name: "external",
      type: "ExternalName",
      clusterIPs: [],
      externalName: "ext.interwebs.test",
      ports: http,
    },
    {
      namespace: "testns",
      name: "external-to-service",
      type: "ExternalName",
      clusterIPs: [],
      externalName: "svc1.testns.svc.cluster.local",
      ports: http,
    },
    {
      namespace: "testns",
      name: "svc-dual-stack",
      type: "ClusterIP",
      clusterIPs: ["10.0.0.3", "10::3"],
      ports: http,
    },
    {
      namespace: "kube-system",
      name: "kube-dns",
      type: "ClusterIP",
      clusterIPs: ["10.96.0.10"],
      ports: [
        { name: "dns", port: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53, protocol: "TCP" },
      ],
    },
  ],
  endpointSlices: [
    {
      namespace: "testns",
      name: "svc1-slice1",
      service: "svc1",
      addressType: "IPv4",
      ports: http,
      endpoints: [{ addresses: ["172.0.0.1"], hostname: "ep1a" }],
    },
    {
      namespace: "testns",
      name: "hdls1-slice1",
      service: "hdls1",
      addressType: "IPv4",
      ports: http,
      endpoints: [
        { addresses: ["172.0.0.2"] },
        { addresses: ["172.0.0.3"] },
        { addresses: ["172.0.0.4"], hostname: "dup-name" },
        { addresses: ["172.0.0.5"], hostname: "dup-name" },
        { addresses: ["172.0.0.9"], ready: false, hostname: "notready" },
      ],
    },
    {
      namespace: "testns",
      name: "hdls1-slice2",
      service: "hdls1",
      addressType: "IPv6",
      ports: http,
      endpoints: [{ addresses: ["5678:abcd::1"] }, { addresses: ["5678:abcd::2"] }],
    },
    {
      namespace: "testns",
      name: "hdlsprtls-slice1",
      service: "hdlsprtls",
      addressType: "IPv4",
      ports: [],
      endpoints: [{ addresses: ["172.0.0.20"] }],
    },
    {
      namespace: "kube-system",
      name: "kube-dns-abcde",
      service: "kube-dns",
      addressType: "IPv4",
      ports: [{ name: "dns", port: 53, protocol: "UDP" }],
      endpoints: [
        {
          addresses: ["10.244.0.3"],
          targetRef: { kind: "Pod", namespace: "kube-system", name: "coredns-1" },
        },
      ],
    },
  ],
  pods: [{ namespace: "testns", name: "pod-1", ip: "10.244.1.7", hostNetwork: false }],
};
