/**
 * @module proxy/iptables/fixtures
 * Upstream proxier_test.go's builders and NewFakeProxier settings, for tests:
 * node "test-node" at 192.168.0.2, mark "0x4000", local detector 10.0.0.0/8,
 * no --random-fully, nfacct counters present.
 */
import { buildProxyState, type ProxyState } from "../changes.js";
import type { EndpointSlice, NodeInfo, ProxierConfig, Service } from "../types.js";
import { type SyncProxyRulesResult, syncProxyRules } from "./proxier.js";

export const testNodeName = "test-node";
export const testNodeIP = "192.168.0.2";
export const testNodeIPAlt = "192.168.1.2";
export const testExternalIP = "192.168.99.11";
export const testExternalClient = "203.0.113.2";
export const testExternalClientBlocked = "203.0.113.130";
/** The fake network's IPv4 addresses (eth0), used for LOCAL address types. */
export const testNodeIPs = [testNodeIP, testNodeIPAlt, testExternalIP];

export const fakeNode: NodeInfo = { name: testNodeName, ips: testNodeIPs };

export const fakeConfig: ProxierConfig = {
  masqueradeMark: "0x4000",
  clusterCIDR: "10.0.0.0/8",
  localhostNodePorts: true,
  hasRandomFully: false,
  hasNfacct: true,
};

export function makeTestService(namespace: string, name: string, f: (s: Service) => void): Service {
  const svc: Service = { metadata: { namespace, name, annotations: {} }, spec: {}, status: {} };
  f(svc);
  return svc;
}

export function makeTestEndpointSlice(
  namespace: string,
  name: string,
  sliceNum: number,
  f: (s: EndpointSlice) => void,
): EndpointSlice {
  const eps: EndpointSlice = {
    metadata: { namespace, name: `${name}-${sliceNum}`, labels: { "kubernetes.io/service-name": name } },
    addressType: "IPv4",
    endpoints: [],
  };
  f(eps);
  return eps;
}

export function fakeState(services: Service[], slices: EndpointSlice[] = []): ProxyState {
  return buildProxyState(services, slices, testNodeName);
}

/** A full sync with the fake proxier's settings (overridable). */
export function fakeSync(
  services: Service[],
  slices: EndpointSlice[] = [],
  config: ProxierConfig = {},
): SyncProxyRulesResult {
  return syncProxyRules({
    state: fakeState(services, slices),
    node: fakeNode,
    config: { ...fakeConfig, ...config },
  });
}
