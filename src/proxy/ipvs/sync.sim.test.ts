/**
 * The ipvs agent on a simulated node (SimHost → the kernel's IPVS, ipsets and
 * iptables): the first sync creates kube-ipvs0, the sets, the chains and the
 * virtual servers; later syncs add and remove real servers, unbind the
 * addresses of deleted Services and delete their virtual servers — the
 * incremental behaviour of syncProxyRules' syncEndpoint, UnbindAddress and
 * cleanLegacyService. The payload loads in the model's iptables-restore.
 */
import { describe, expect, it } from "vitest";
import { SimHost } from "../../host/sim/sim-host.js";
import { Kernel } from "../../kernel/kernel.js";
import { ShellSession } from "../../shell/session.js";
import { KubeProxy } from "../agent.js";
import { makeTestEndpointSlice, makeTestService } from "../iptables/fixtures.js";
import type { EndpointSlice, Service } from "../types.js";

const svc = (name: string, ip: string, extra: Partial<NonNullable<Service["spec"]>> = {}): Service =>
  makeTestService("ns1", name, (s) => {
    s.spec = { clusterIP: ip, ports: [{ name: "p80", port: 80, protocol: "TCP" }], ...extra };
  });

const eps = (name: string, ips: string[]): EndpointSlice =>
  makeTestEndpointSlice("ns1", name, 1, (e) => {
    e.endpoints = ips.map((ip) => ({ addresses: [ip], nodeName: "node2" }));
    e.ports = [{ name: "p80", port: 80, protocol: "TCP" }];
  });

async function node(): Promise<{ kernel: Kernel; proxy: KubeProxy; sh: (c: string) => Promise<string> }> {
  const kernel = new Kernel({ seed: 5, hostname: "test-node" });
  const host = new SimHost(kernel);
  await host.linkSet(null, "lo", { up: true });
  await host.dummyAdd(null, "eth0");
  await host.linkSet(null, "eth0", { up: true });
  await host.addrAdd(null, "eth0", "192.168.0.2/24");
  const proxy = new KubeProxy(
    host,
    { name: "test-node", ips: ["192.168.0.2"] },
    { mode: "ipvs", clusterCIDR: "10.244.0.0/16", hasRandomFully: true, strictARP: true },
  );
  await proxy.start();
  const sh = async (c: string): Promise<string> => {
    const r = await new ShellSession({ kernel }).run(`${c}\n`);
    return r.stdout + r.stderr;
  };
  return { kernel, proxy, sh };
}

describe("ipvs agent on a simulated node", () => {
  it("sets the sysctls NewProxier ensures", async () => {
    const { sh } = await node();
    expect(
      await sh(
        "sysctl net.ipv4.vs.conntrack net.ipv4.vs.expire_nodest_conn net.ipv4.vs.expire_quiescent_template net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce",
      ),
    ).toBe(
      "net.ipv4.vs.conntrack = 1\nnet.ipv4.vs.expire_nodest_conn = 1\nnet.ipv4.vs.expire_quiescent_template = 1\nnet.ipv4.conf.all.arp_ignore = 1\nnet.ipv4.conf.all.arp_announce = 2\n",
    );
  });

  it("adds, changes and removes virtual servers, real servers and kube-ipvs0 addresses across syncs", async () => {
    const { proxy, sh } = await node();
    await proxy.sync(
      [svc("a", "10.96.0.10"), svc("b", "10.96.0.11")],
      [eps("a", ["10.244.1.2", "10.244.1.3"])],
    );
    expect(await sh("ipvsadm -Ln")).toBe(
      "IP Virtual Server version 1.2.1 (size=4096)\n" +
        "Prot LocalAddress:Port Scheduler Flags\n" +
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" +
        "TCP  10.96.0.10:80 rr\n" +
        "  -> 10.244.1.2:80                Masq    1      0          0         \n" +
        "  -> 10.244.1.3:80                Masq    1      0          0         \n" +
        "TCP  10.96.0.11:80 rr\n",
    );
    expect(await sh("ip -br addr show dev kube-ipvs0")).toBe(
      "kube-ipvs0       DOWN           10.96.0.10/32 10.96.0.11/32 \n",
    );
    expect(await sh("ipset list KUBE-CLUSTER-IP")).toContain(
      "Members:\n10.96.0.10,tcp:80\n10.96.0.11,tcp:80\n",
    );

    // b goes; a loses one endpoint and gains another, and becomes sticky.
    await proxy.sync(
      [
        svc("a", "10.96.0.10", {
          sessionAffinity: "ClientIP",
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
        }),
      ],
      [eps("a", ["10.244.1.3", "10.244.2.9"])],
    );
    expect(await sh("ipvsadm -S -n")).toBe(
      "-A -t 10.96.0.10:80 -s rr -p 60\n" +
        "-a -t 10.96.0.10:80 -r 10.244.1.3:80 -m -w 1\n" +
        "-a -t 10.96.0.10:80 -r 10.244.2.9:80 -m -w 1\n",
    );
    expect(await sh("ip -br addr show dev kube-ipvs0")).toBe(
      "kube-ipvs0       DOWN           10.96.0.10/32 \n",
    );
    expect(await sh("ipset list KUBE-IPVS-IPS")).toContain("Members:\n10.96.0.10\n");
    expect(await sh("iptables -t nat -S KUBE-SERVICES")).toContain(
      "-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT\n",
    );
  });

  it("loads the LoadBalancer firewall rules, -m ipvs included, into the model's iptables", async () => {
    const { proxy, sh } = await node();
    const lb = svc("lb", "10.96.0.20", {
      type: "LoadBalancer",
      ports: [{ name: "p80", port: 80, protocol: "TCP", nodePort: 30080 }],
      loadBalancerSourceRanges: ["203.0.113.0/25"],
    });
    lb.status = { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } };
    await proxy.sync([lb], [eps("lb", ["10.244.1.2"])]);
    const filter = await sh("iptables-save -t filter");
    expect(filter).toContain(
      "-A KUBE-IPVS-OUT-FILTER -s 1.2.3.4/32 -m ipvs --vproto 6 --vaddr 1.2.3.4/32 --vport 80 -j DROP\n",
    );
    expect(filter).toContain(
      '-A KUBE-PROXY-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port for load balancer with sourceRange" -m set --match-set KUBE-LOAD-BALANCER-FW dst,dst -j KUBE-SOURCE-RANGES-FIREWALL\n',
    );
    expect(await sh("ipvsadm -Ln")).toContain("TCP  1.2.3.4:80 rr\n  -> 10.244.1.2:80");
  });
});
