/**
 * Partial syncs and stale-chain deletion (upstream TestSyncProxyRulesRepeated's behaviour):
 * KUBE-SERVICES / KUBE-NODEPORTS and the filter table are rewritten whole, per-service
 * chains only for changed services, and chains no longer used are flushed and deleted.
 */
import { describe, expect, it } from "vitest";
import { diffProxyState } from "../changes.js";
import type { EndpointSlice, Service } from "../types.js";
import { fakeConfig, fakeNode, fakeState, makeTestEndpointSlice, makeTestService } from "./fixtures.js";
import { getChainsFromTable, syncProxyRules } from "./proxier.js";

const services: Service[] = ["svc1", "svc2"].map((name, i) =>
  makeTestService("ns1", name, (s) => {
    s.spec = { clusterIP: `172.30.0.4${i + 1}`, ports: [{ name: "p80", port: 80, protocol: "TCP" }] };
  }),
);
const slice = (name: string, ips: string[]): EndpointSlice =>
  makeTestEndpointSlice("ns1", name, 1, (eps) => {
    eps.endpoints = ips.map((ip) => ({ addresses: [ip] }));
    eps.ports = [{ name: "p80", port: 80, protocol: "TCP" }];
  });

describe("partial sync", () => {
  const s1 = fakeState(services, [slice("svc1", ["10.180.0.1"]), slice("svc2", ["10.180.0.2"])]);
  const full = syncProxyRules({ state: s1, node: fakeNode, config: fakeConfig });
  const s2 = fakeState(services, [slice("svc1", ["10.180.0.1"]), slice("svc2", ["10.180.0.3"])]);
  const diff = diffProxyState(s1, s2);
  const partial = syncProxyRules({
    state: s2,
    node: fakeNode,
    config: fakeConfig,
    existingNatChains: getChainsFromTable(full.payload, "nat"),
    updatedServices: diff.updatedServices,
  });

  it("rewrites only the changed service's chains, deletes its stale endpoint chain", () => {
    expect(diff.updatedServices).toEqual(new Set(["ns1/svc2"]));
    expect(partial.fullSync).toBe(false);
    expect(partial.jumpRules).toEqual([]);
    const nat = partial.payload.slice(partial.payload.indexOf("*nat"));
    expect(nat).toContain(`-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP"`);
    expect(nat).not.toContain("-A KUBE-SVC-XPGD46QRK7WJZT7O");
    expect(nat).not.toContain(":KUBE-SVC-XPGD46QRK7WJZT7O");
    expect(nat).toContain("--to-destination 10.180.0.3:80");
    const stale = [...getChainsFromTable(full.payload, "nat")].filter(
      (c) => !partial.activeNatChains.includes(c) && c.startsWith("KUBE-SEP-"),
    );
    expect(stale).toHaveLength(1);
    expect(nat).toContain(`:${stale[0]} - [0:0]`);
    expect(nat).toContain(`-X ${stale[0]}`);
    expect(partial.activeNatChains).toContain("KUBE-SVC-XPGD46QRK7WJZT7O");
  });

  it("deletes every chain of a removed service on a full sync", () => {
    const s3 = fakeState([services[0]!], [slice("svc1", ["10.180.0.1"])]);
    const r = syncProxyRules({
      state: s3,
      node: fakeNode,
      config: fakeConfig,
      existingNatChains: getChainsFromTable(full.payload, "nat"),
    });
    const deleted = r.payload.split("\n").filter((l) => l.startsWith("-X "));
    expect(deleted).toHaveLength(2); // svc2's KUBE-SVC and KUBE-SEP
    expect(getChainsFromTable(r.payload, "nat")).not.toContain(deleted[0]!.slice(3));
  });
});
