/**
 * kube-proxy's service health check servers on a simulated node: a
 * LoadBalancer Service with externalTrafficPolicy Local gets an HTTP server
 * on its healthCheckNodePort that answers as upstream's hcHandler (200 with
 * the local endpoints, 503 with none), follows endpoint changes, and closes
 * when the Service no longer needs it.
 */
import { describe, expect, it } from "vitest";
import { httpResponse } from "../host/sim/serve.js";
import { SimHost } from "../host/sim/sim-host.js";
import { Kernel } from "../kernel/kernel.js";
import { ShellSession } from "../shell/session.js";
import { KubeProxy } from "./agent.js";
import { healthReply, localReadyEndpoints } from "./healthcheck.js";
import { makeTestEndpointSlice, makeTestService } from "./iptables/fixtures.js";
import type { EndpointSlice, Service } from "./types.js";

const node = { name: "node-0", ips: ["172.18.0.2"] };
const config = { clusterCIDR: "10.244.0.0/16", hasRandomFully: true, hasNfacct: false };

function service(policy: "Local" | "Cluster"): Service {
  return makeTestService("default", "web", (s) => {
    s.spec = {
      type: "LoadBalancer",
      clusterIP: "10.96.0.20",
      clusterIPs: ["10.96.0.20"],
      externalTrafficPolicy: policy,
      ...(policy === "Local" ? { healthCheckNodePort: 30900 } : {}),
      ports: [
        { name: "http", port: 80, targetPort: 8080, protocol: "TCP", nodePort: 30080 },
        { name: "https", port: 443, targetPort: 8443, protocol: "TCP", nodePort: 30443 },
      ],
    };
  });
}

function slice(nodeName: string, ready = true): EndpointSlice {
  return makeTestEndpointSlice("default", "web", 1, (e) => {
    e.endpoints = [{ addresses: ["10.244.0.5"], nodeName, conditions: { ready } }];
    e.ports = [
      { name: "http", port: 8080, protocol: "TCP" },
      { name: "https", port: 8443, protocol: "TCP" },
    ];
  });
}

async function node0(): Promise<{ host: SimHost; proxy: KubeProxy; get: () => Promise<string> }> {
  const kernel = new Kernel({ seed: 1 });
  const host = new SimHost(kernel);
  await host.dummyAdd(null, "eth0");
  await host.addrAdd(null, "eth0", "172.18.0.2/16");
  await host.linkSet(null, "eth0", { up: true });
  await host.linkSet(null, "lo", { up: true });
  const proxy = new KubeProxy(host, node, config);
  await proxy.start();
  const shell = new ShellSession({ kernel });
  const get = async (): Promise<string> =>
    (await shell.run(`printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' | nc -w 1 172.18.0.2 30900; echo "rc=$?"`))
      .stdout;
  return { host, proxy, get };
}

describe("service health check servers (healthCheckNodePort)", () => {
  it("answer 200 with the local ready endpoints (one per port), 503 without, and close with the policy", async () => {
    const { proxy, get } = await node0();
    await proxy.sync([service("Local")], [slice("node-0")]);
    expect(await get()).toBe(
      'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\nDate: Wed, 01 Jan 2025 00:00:00 GMT\r\nContent-Length: 114\r\n\r\n{\n\t"service": {\n\t\t"namespace": "default",\n\t\t"name": "web"\n\t},\n\t"localEndpoints": 2,\n\t"serviceProxyHealthy": true\n}rc=0\n',
    );
    // The endpoint moves to another node: this node has none to offer.
    await proxy.sync([service("Local")], [slice("node-1")]);
    expect(await get()).toMatch(/^HTTP\/1\.0 503 Service Unavailable\r\n[\s\S]*"localEndpoints": 0,/);
    // Not ready counts as none.
    await proxy.sync([service("Local")], [slice("node-0", false)]);
    expect(await get()).toMatch(/^HTTP\/1\.0 503 /);
    // Cluster policy: no health check port, the server is closed (the SYN is refused).
    await proxy.sync([service("Cluster")], [slice("node-0")]);
    expect(proxy.healthServer.ports().size).toBe(0);
    expect(await get()).toBe("rc=1\n");
  });

  it("reports a port it cannot open, and opens it once free", async () => {
    const { host, proxy, get } = await node0();
    await host.serve(null, { proto: "tcp", port: 30900, reply: "squatter" });
    await proxy.sync([service("Local")], [slice("node-0")]);
    expect(proxy.healthServer.errors).toEqual([
      'node node-0 failed to start healthcheck "default/web" on port 30900: tcp port 30900: Address already in use',
    ]);
    expect(await get()).toMatch(/squatter/);
  });
});

describe("the HTTP answer, as Go's net/http writes it", () => {
  const h = () => healthReply("ns/a", 1, true);
  it("keeps an HTTP/1.1 connection open unless asked to close, and says 400 to anything else", () => {
    expect(httpResponse("GET / HTTP/1.1\r\nHost: x\r\n\r\n", h, 1500).close).toBe(false);
    const closing = httpResponse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", h, 61_000);
    expect(closing.close).toBe(true);
    expect(closing.text).toContain("\r\nConnection: close\r\nDate: Wed, 01 Jan 2025 00:01:01 GMT\r\n");
    expect(httpResponse("hello\n\n", h, 0).text).toBe(
      "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request",
    );
  });

  it("counts local ready endpoints per service over all its ports", () => {
    const ep = (isLocal: boolean, ready: boolean) => ({
      ip: "10.0.0.1",
      port: 80,
      endpoint: "10.0.0.1:80",
      isLocal,
      ready,
      serving: ready,
      terminating: false,
      nodeName: "",
      zone: "",
    });
    const m = new Map([
      ["ns/a:http/TCP", [ep(true, true), ep(false, true)]],
      ["ns/a:dns/UDP", [ep(true, true), ep(true, false)]],
      ["ns/b/TCP", [ep(true, true)]],
    ]);
    expect(localReadyEndpoints(m)).toEqual(
      new Map([
        ["ns/a", 2],
        ["ns/b", 1],
      ]),
    );
  });
});
