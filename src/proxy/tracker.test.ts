import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SimHost } from "../host/sim/sim-host.js";
import { Kernel } from "../kernel/kernel.js";
import { KubeProxy } from "./agent.js";
import { buildProxyState, diffProxyState } from "./changes.js";
import { ProxyStateTracker } from "./tracker.js";
import type { EndpointSlice, Service } from "./types.js";

/** Service s (0..4) in its current version v: ClusterIP, one or two ports, sometimes Local. */
function service(s: number, v: number): Service {
  return {
    metadata: { namespace: "ns", name: `svc${s}` },
    spec: {
      clusterIP: `10.96.0.${10 + s}`,
      ports: [
        { name: "http", port: 80, protocol: "TCP" },
        ...(v % 2 ? [{ name: "dns", port: 53, protocol: "UDP" as const }] : []),
      ],
      ...(v % 3 === 2 ? { externalTrafficPolicy: "Local" as const, type: "NodePort" as const } : {}),
    },
  };
}

/** Slice k of service s with endpoints drawn from version v. */
function slice(s: number, k: number, v: number): EndpointSlice {
  return {
    metadata: { namespace: "ns", name: `svc${s}-${k}`, labels: { "kubernetes.io/service-name": `svc${s}` } },
    addressType: "IPv4",
    ports: [
      { name: "http", port: 8080, protocol: "TCP" },
      { name: "dns", port: 53, protocol: "UDP" },
    ],
    endpoints: Array.from({ length: v % 4 }, (_, i) => ({
      addresses: [`10.244.${k}.${(v + i) % 7}`],
      nodeName: i % 2 ? "n1" : "n2",
      conditions: { ready: (v + i) % 5 !== 0 },
    })),
  };
}

type Step = { kind: "svc" | "slice"; s: number; k: number; v: number; del: boolean };

const step = fc.record({
  kind: fc.constantFrom("svc" as const, "slice" as const),
  s: fc.integer({ min: 0, max: 4 }),
  k: fc.integer({ min: 0, max: 1 }),
  v: fc.integer({ min: 0, max: 11 }),
  del: fc.boolean(),
});

/** Applies a step to the object lists (new objects for changes, as an API server hands out). */
function apply(services: Map<number, Service>, slices: Map<string, EndpointSlice>, st: Step): void {
  if (st.kind === "svc") {
    if (st.del) services.delete(st.s);
    else services.set(st.s, service(st.s, st.v));
  } else if (st.del) slices.delete(`${st.s}-${st.k}`);
  else slices.set(`${st.s}-${st.k}`, slice(st.s, st.k, st.v));
}

describe("ProxyStateTracker", () => {
  it("keeps the same maps as a rebuild from every object, and reports the services that changed", () => {
    fc.assert(
      fc.property(fc.array(fc.array(step, { maxLength: 4 }), { minLength: 1, maxLength: 8 }), (batches) => {
        const tracker = new ProxyStateTracker("n1");
        const services = new Map<number, Service>();
        const slices = new Map<string, EndpointSlice>();
        let prev = buildProxyState([], [], "n1");
        for (const batch of batches) {
          for (const st of batch) apply(services, slices, st);
          tracker.replaceAll([...services.values()], [...slices.values()]);
          const { updatedServices } = tracker.update();
          const rebuilt = buildProxyState([...services.values()], [...slices.values()], "n1");
          expect([...tracker.svcPortMap]).toEqual([...rebuilt.svcPortMap]);
          expect([...tracker.endpointsMap]).toEqual([...rebuilt.endpointsMap]);
          expect(updatedServices).toEqual(diffProxyState(prev, rebuilt).updatedServices);
          prev = rebuilt;
        }
      }),
      { numRuns: 150 },
    );
  });

  it("keeps the entries of unchanged services as the same objects", () => {
    const tracker = new ProxyStateTracker("n1");
    const a = service(0, 0);
    const b = service(1, 0);
    tracker.replaceAll([a, b], [slice(0, 0, 1), slice(1, 0, 1)]);
    tracker.update();
    const before = tracker.svcPortMap.get("ns/svc0:http/TCP");
    const eps = tracker.endpointsMap.get("ns/svc0:http/TCP");
    tracker.replaceAll([a, service(1, 1)], [slice(0, 0, 1), slice(1, 0, 2)]);
    expect(tracker.update().updatedServices).toEqual(new Set(["ns/svc1"]));
    expect(tracker.svcPortMap.get("ns/svc0:http/TCP")).toBe(before);
    expect(tracker.endpointsMap.get("ns/svc0:http/TCP")).toBe(eps);
  });
});

describe("KubeProxy partial syncs", () => {
  it("leave the node's rules as one full sync of the final state would", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(step, { maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        async (batches) => {
          const node = { name: "n1", ips: ["172.18.0.2"] };
          const config = { clusterCIDR: "10.244.0.0/16", hasRandomFully: true };
          const host = new SimHost(new Kernel({ seed: 1 }));
          const proxy = new KubeProxy(host, node, config);
          await proxy.start();
          const services = new Map<number, Service>();
          const slices = new Map<string, EndpointSlice>();
          for (const batch of batches) {
            for (const st of batch) apply(services, slices, st);
            await proxy.sync([...services.values()], [...slices.values()]);
          }
          const fresh = new SimHost(new Kernel({ seed: 1 }));
          const once = new KubeProxy(fresh, node, config);
          await once.start();
          await once.sync([...services.values()], [...slices.values()]);
          expect(await host.iptablesSave(null, "nat")).toBe(await fresh.iptablesSave(null, "nat"));
          expect(await host.iptablesSave(null, "filter")).toBe(await fresh.iptablesSave(null, "filter"));
        },
      ),
      { numRuns: 40 },
    );
  });
});
