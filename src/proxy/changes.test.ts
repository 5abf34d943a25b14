import { describe, expect, it } from "vitest";
import {
  buildEndpointsMap,
  buildProxyState,
  buildServicePortMap,
  categorizeEndpoints,
  diffProxyState,
} from "./changes.js";
import type { EndpointSlice, Service } from "./types.js";

const slice = (name: string, eps: EndpointSlice["endpoints"], svc = "svc1"): EndpointSlice => ({
  metadata: { namespace: "ns1", name, labels: { "kubernetes.io/service-name": svc } },
  addressType: "IPv4",
  ports: [{ name: "p80", port: 80, protocol: "TCP" }],
  endpoints: eps,
});

const svc = (spec: Service["spec"]): Service => ({ metadata: { namespace: "ns1", name: "svc1" }, spec });

describe("buildServicePortMap", () => {
  it("skips headless and ExternalName services, names ports ns/name:port", () => {
    const m = buildServicePortMap([
      svc({
        clusterIP: "172.30.0.41",
        ports: [
          { name: "p80", port: 80, protocol: "TCP" },
          { port: 53, protocol: "UDP" },
        ],
      }),
      {
        metadata: { namespace: "ns1", name: "headless" },
        spec: { clusterIP: "None", ports: [{ port: 80 }] },
      },
      {
        metadata: { namespace: "ns1", name: "ext" },
        spec: { type: "ExternalName", clusterIP: "172.30.0.9", ports: [{ port: 80 }] },
      },
    ]);
    expect([...m.keys()]).toEqual(["ns1/svc1/UDP", "ns1/svc1:p80/TCP"]);
    expect(m.get("ns1/svc1:p80/TCP")!.nameString).toBe("ns1/svc1:p80");
  });

  it("sets healthCheckNodePort only for Local LoadBalancers, and eTP Local only when externally accessible", () => {
    const [lb] = buildServicePortMap([
      svc({
        type: "LoadBalancer",
        clusterIP: "172.30.0.41",
        externalTrafficPolicy: "Local",
        healthCheckNodePort: 30000,
        ports: [{ port: 80, nodePort: 3001 }],
      }),
    ]).values();
    expect(lb).toMatchObject({ healthCheckNodePort: 30000, externalPolicyLocal: true });
    const [cip] = buildServicePortMap([
      svc({ clusterIP: "172.30.0.41", externalTrafficPolicy: "Local", ports: [{ port: 80 }] }),
    ]).values();
    expect(cip).toMatchObject({ healthCheckNodePort: 0, externalPolicyLocal: false });
  });
});

describe("buildEndpointsMap", () => {
  it("merges slices, dedupes ip:port (a running endpoint wins), sorts as strings, marks local", () => {
    const m = buildEndpointsMap(
      [
        slice("svc1-a", [
          { addresses: ["10.0.0.2"], nodeName: "n1" },
          { addresses: ["10.0.0.10"], conditions: { ready: false, serving: true, terminating: true } },
        ]),
        slice("svc1-b", [{ addresses: ["10.0.0.10"], nodeName: "n2" }, { addresses: ["10.0.0.3"] }]),
        slice("other", [{ addresses: ["10.9.9.9"] }], ""),
      ],
      "n1",
    );
    const eps = m.get("ns1/svc1:p80/TCP")!;
    expect(eps.map((e) => e.endpoint)).toEqual(["10.0.0.10:80", "10.0.0.2:80", "10.0.0.3:80"]);
    expect(eps.map((e) => [e.isLocal, e.ready, e.terminating])).toEqual([
      [false, true, false],
      [true, true, false],
      [false, true, false],
    ]);
    expect(m.size).toBe(1);
  });
});

describe("categorizeEndpoints", () => {
  const state = (spec: Service["spec"], eps: EndpointSlice["endpoints"]) => {
    const s = buildProxyState([svc(spec)], [slice("s", eps)], "n1");
    const [info] = s.svcPortMap.values();
    return categorizeEndpoints(s.endpointsMap.get("ns1/svc1:p80/TCP") ?? [], info!);
  };
  const ports = [{ name: "p80", port: 80, nodePort: 3001 }];
  it("eTP Local: local endpoints fall back to serving-terminating independently of cluster ones", () => {
    const c = state({ type: "NodePort", clusterIP: "172.30.0.1", externalTrafficPolicy: "Local", ports }, [
      { addresses: ["10.0.0.1"], nodeName: "n2" },
      {
        addresses: ["10.0.0.2"],
        nodeName: "n1",
        conditions: { ready: false, serving: true, terminating: true },
      },
    ]);
    expect(c.clusterEndpoints.map((e) => e.ip)).toEqual(["10.0.0.1"]);
    expect(c.localEndpoints.map((e) => e.ip)).toEqual(["10.0.0.2"]);
    expect(c.allReachableEndpoints.map((e) => e.ip)).toEqual(["10.0.0.1", "10.0.0.2"]);
    expect(c.hasAnyEndpoints).toBe(true);
  });
  it("iTP Local on a ClusterIP service uses no cluster endpoints", () => {
    const c = state(
      { clusterIP: "172.30.0.1", internalTrafficPolicy: "Local", ports: [{ name: "p80", port: 80 }] },
      [{ addresses: ["10.0.0.1"], nodeName: "n2" }],
    );
    expect(c).toMatchObject({
      clusterEndpoints: [],
      localEndpoints: [],
      allReachableEndpoints: [],
      hasAnyEndpoints: true,
    });
  });
});

describe("diffProxyState", () => {
  it("reports the service ports whose service or endpoints changed", () => {
    const services = [
      svc({ clusterIP: "172.30.0.41", ports: [{ name: "p80", port: 80 }] }),
      {
        metadata: { namespace: "ns2", name: "svc2" },
        spec: { clusterIP: "172.30.0.42", ports: [{ name: "p80", port: 80 }] },
      } as Service,
    ];
    const a = buildProxyState(services, [slice("s", [{ addresses: ["10.0.0.1"] }])], "n1");
    const b = buildProxyState(
      services,
      [slice("s", [{ addresses: ["10.0.0.1"] }, { addresses: ["10.0.0.2"] }])],
      "n1",
    );
    expect(diffProxyState(a, a)).toEqual({ changedServicePorts: [], updatedServices: new Set() });
    expect(diffProxyState(a, b)).toEqual({
      changedServicePorts: ["ns1/svc1:p80/TCP"],
      updatedServices: new Set(["ns1/svc1"]),
    });
    const c = buildProxyState([services[1]!], [], "n1");
    expect(diffProxyState(a, c).updatedServices).toEqual(new Set(["ns1/svc1"]));
  });
});
