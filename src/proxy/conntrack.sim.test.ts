/**
 * conntrack.CleanStaleEntries on a simulated node: UDP flows to a Service
 * (ClusterIP and NodePort), DNATed by the rules kube-proxy restored, lose
 * their entries when the endpoint they went to stops serving; TCP flows, the
 * flows of a UDP Service whose endpoints did not change, and those of a
 * Service left without serving endpoints keep theirs.
 */
import { describe, expect, it } from "vitest";
import { SimHost } from "../host/sim/sim-host.js";
import { conntrackOf } from "../kernel/conntrack/conntrack.js";
import { ipSend } from "../kernel/ipv4/ip.js";
import { Kernel } from "../kernel/kernel.js";
import { parseIPv4 } from "../net/ip.js";
import { KubeProxy } from "./agent.js";
import { staleConntrackFilters } from "./conntrack.js";
import { makeTestEndpointSlice, makeTestService } from "./iptables/fixtures.js";
import type { EndpointSlice, Service } from "./types.js";

const node = { name: "node-0", ips: ["172.18.0.2"] };
const config = { clusterCIDR: "10.244.0.0/16", hasRandomFully: true, hasNfacct: false };

function service(name: string, ip: string, protocol: "UDP" | "TCP", nodePort: number): Service {
  return makeTestService("default", name, (s) => {
    s.spec = {
      type: "NodePort",
      clusterIP: ip,
      clusterIPs: [ip],
      ports: [{ name: "p", port: 53, targetPort: 53, protocol, nodePort }],
    };
  });
}

function slice(name: string, protocol: "UDP" | "TCP", ip: string, serving = true): EndpointSlice {
  return makeTestEndpointSlice("default", name, 1, (e) => {
    e.endpoints = [{ addresses: [ip], nodeName: "node-1", conditions: { ready: serving, serving } }];
    e.ports = [{ name: "p", port: 53, protocol }];
  });
}

/** A node with a client pod (10.244.0.250) and the other node's pods routed out of a dummy link. */
async function nodeWithClient(): Promise<{
  host: SimHost;
  send: (dst: string, proto: "udp" | "tcp", dport: number) => void;
}> {
  const host = new SimHost(new Kernel({ seed: 1 }));
  await host.dummyAdd(null, "eth0");
  await host.addrAdd(null, "eth0", "172.18.0.2/16");
  await host.linkSet(null, "eth0", { up: true });
  await host.routeAdd(null, { dst: "10.244.1.0/24", dev: "eth0", scope: "link" });
  await host.netnsAdd("client");
  await host.vethAdd(null, { name: "vethclient", peer: "eth0", peerNs: "client" });
  await host.addrAdd("client", "eth0", "10.244.0.250/24");
  await host.linkSet("client", "eth0", { up: true });
  await host.routeAdd("client", { dst: "default", via: "10.244.0.1" });
  await host.addrAdd(null, "vethclient", "10.244.0.1/32");
  await host.linkSet(null, "vethclient", { up: true });
  await host.routeAdd(null, { dst: "10.244.0.250/32", dev: "vethclient", scope: "link" });
  await host.sysctlSet(null, "net.ipv4.ip_forward", "1");
  const client = host.kernel.named.get("client")!;
  let sport = 40000;
  return {
    host,
    send(dst, proto, dport) {
      const l4 =
        proto === "udp"
          ? { proto, sport: ++sport, dport, payload: "q" }
          : { proto, sport: ++sport, dport, flags: { syn: true }, seq: 1, ack: 0, payload: "" };
      ipSend(client, { dst: parseIPv4(dst)!, l4 } as Parameters<typeof ipSend>[1]);
    },
  };
}

describe("stale UDP conntrack entries after a sync", () => {
  it("go when their endpoint stops serving, on ClusterIP and NodePort alike", async () => {
    const { host, send } = await nodeWithClient();
    const services = [
      service("dns", "10.96.0.10", "UDP", 30053),
      service("other", "10.96.0.11", "UDP", 30054),
    ];
    services.push(service("web", "10.96.0.12", "TCP", 30055));
    let slices = [slice("dns", "UDP", "10.244.1.2"), slice("other", "UDP", "10.244.1.5")];
    slices.push(slice("web", "TCP", "10.244.1.2"));
    const proxy = new KubeProxy(host, node, config);
    await proxy.start();
    await proxy.sync(services, slices);
    send("10.96.0.10", "udp", 53);
    send("172.18.0.2", "udp", 30053);
    send("10.96.0.11", "udp", 53);
    send("10.96.0.12", "tcp", 53);
    const before = await host.conntrackList(null, "UDP");
    expect(before.map((f) => `${f.origDst}:${f.origDstPort} ${f.replySrc}`).sort()).toEqual([
      "10.96.0.10:53 10.244.1.2",
      "10.96.0.11:53 10.244.1.5",
      "172.18.0.2:30053 10.244.1.2",
    ]);

    // The dns pod is replaced: the flows DNATed to it go, the other service's stays, TCP is not looked at.
    slices = [slice("dns", "UDP", "10.244.1.3"), slices[1]!, slices[2]!];
    await proxy.sync(services, slices);
    expect((await host.conntrackList(null, "UDP")).map((f) => f.origDst)).toEqual(["10.96.0.11"]);
    expect(await host.conntrackList(null, "TCP")).toHaveLength(1);

    // A service left with no serving endpoint keeps its flows (nothing better to send them to).
    send("10.96.0.10", "udp", 53);
    await proxy.sync(services, [slice("dns", "UDP", "10.244.1.3", false), slices[1]!, slices[2]!]);
    expect((await host.conntrackList(null, "UDP")).map((f) => f.replySrc).sort()).toEqual([
      "10.244.1.3",
      "10.244.1.5",
    ]);
  });

  it("filters as cleanup.go does: an address frontend by address and port, a NodePort by port alone", () => {
    const flows = [
      { protocol: "UDP" as const, origDst: "10.96.0.10", origDstPort: 53, replySrc: "10.244.1.9" },
      { protocol: "UDP" as const, origDst: "192.168.7.7", origDstPort: 30053, replySrc: "10.244.1.9" },
      { protocol: "UDP" as const, origDst: "10.96.0.10", origDstPort: 53, replySrc: "10.244.1.2" },
      // Not DNATed (sent while the service had no endpoints): its reply comes from the ClusterIP.
      { protocol: "UDP" as const, origDst: "10.96.0.10", origDstPort: 53, replySrc: "10.96.0.10" },
    ];
    const svc = service("dns", "10.96.0.10", "UDP", 30053);
    const proxy = new KubeProxy(new SimHost(new Kernel()), node, config);
    proxy.tracker.replaceAll([svc], [slice("dns", "UDP", "10.244.1.2")]);
    proxy.tracker.update();
    expect(staleConntrackFilters(flows, proxy.tracker.svcPortMap, proxy.tracker.endpointsMap)).toEqual([
      { protocol: "UDP", origDst: "10.96.0.10", origDstPort: 53, replySrc: "10.244.1.9" },
      { protocol: "UDP", origDstPort: 30053, replySrc: "10.244.1.9" },
      { protocol: "UDP", origDst: "10.96.0.10", origDstPort: 53, replySrc: "10.96.0.10" },
    ]);
  });
});

describe("setupConntrack at kube-proxy's start", () => {
  it("writes the configured timeouts in the node's namespace, and a UDP flow then takes them", async () => {
    const { host, send } = await nodeWithClient();
    const proxy = new KubeProxy(host, node, {
      ...config,
      conntrack: {
        tcpEstablishedTimeout: 7200,
        tcpCloseWaitTimeout: 0,
        tcpBeLiberal: true,
        udpTimeout: 45,
        udpStreamTimeout: 0,
      },
    });
    await proxy.start();
    expect(await host.sysctlGet(null, "net.netfilter.nf_conntrack_tcp_timeout_established")).toBe("7200");
    // 0 leaves a sysctl as it was.
    expect(await host.sysctlGet(null, "net.netfilter.nf_conntrack_tcp_timeout_close_wait")).toBe("60");
    expect(await host.sysctlGet(null, "net.netfilter.nf_conntrack_tcp_be_liberal")).toBe("1");
    // The pod's namespace keeps its own (per-namespace sysctls).
    expect(await host.sysctlGet("client", "net.netfilter.nf_conntrack_udp_timeout")).toBe("30");
    await proxy.sync([service("dns", "10.96.0.10", "UDP", 30053)], [slice("dns", "UDP", "10.244.1.5")]);
    send("10.96.0.10", "udp", 53);
    const ct = conntrackOf(host.kernel.initNs);
    const flows = [...ct.conns];
    expect(flows).toHaveLength(1);
    // conntrack -L's timeout column: the seconds left of the 45 written.
    expect(ct.remaining(flows[0]!)).toBe(44);
  });

  it("writes kube-proxy's defaults when no configuration says otherwise: 24 h established, 1 h close-wait", async () => {
    const host = new SimHost(new Kernel({ seed: 1 }));
    await new KubeProxy(host, node, config).start();
    expect(await host.sysctlGet(null, "net.netfilter.nf_conntrack_tcp_timeout_established")).toBe("86400");
    expect(await host.sysctlGet(null, "net.netfilter.nf_conntrack_tcp_timeout_close_wait")).toBe("3600");
    expect(await host.sysctlGet(null, "net.netfilter.nf_conntrack_udp_timeout")).toBe("30");
  });
});
