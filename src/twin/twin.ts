/**
 * @module twin/twin
 * A cluster brought to life in the model: one simulated machine per node
 * (its own kernel, namespaces and files) plugged into the underlay as kind
 * plugs node containers into its docker network — a bridge on the docker
 * host with 172.18.0.1, each node's eth0 a veth whose host end is a port of
 * it. Then each node's network agent (kindnetd, flanneld …) and kubelet run,
 * and the kubelets start their pods through CNI. All machines share one
 * clock and one trace.
 */
import { createHash } from "node:crypto";
import type { AgentContext, NodeLease } from "../cni/agents/agent.js";
import { flanneld } from "../cni/agents/flanneld.js";
import { kindnetd } from "../cni/agents/kindnetd.js";
import { bridgeAgent, routedAgent } from "../cni/agents/routed.js";
import { type IpamStore, memoryIpamStore } from "../cni/ipam/host-local.js";
import type { PluginEnv } from "../cni/plugins/env.js";
import { CniRuntime } from "../cni/runtime.js";
import type { DnsTransport } from "../dns/types.js";
import { serveDns as serveWire } from "../dns/wire/serve.js";
import { SimHost } from "../host/sim/sim-host.js";
import type { ClusterSpec } from "../k8s/cluster/cluster.js";
import type { PodInfo, Workloads } from "../k8s/controllers/workloads.js";
import { kindNodeResolvConf } from "../k8s/kubelet/dns.js";
import { Kubelet, type PodSandbox } from "../k8s/kubelet/kubelet.js";
import { systemNamespaces } from "../k8s/objects/cluster-objects.js";
import { Clock } from "../kernel/clock.js";
import { Kernel, newSoftirqQueue } from "../kernel/kernel.js";
import { changeNetns } from "../kernel/link/dev.js";
import type { NetNs } from "../kernel/netns.js";
import { createRng, type Rng } from "../net/rand.js";
import { KubeProxy } from "../proxy/agent.js";
import { TraceRecorder } from "../trace/hop.js";
import { CLUSTER_CREATED, type ClusterDns, clusterDns, internetResolver, isCoreDnsPod } from "./coredns.js";
import { serveDns } from "./dns-server.js";
import { namespaceDnsTransport } from "./dns-transport.js";
import { announceLoadBalancers } from "./loadbalancer.js";
import { proxyEndpointSlice, proxyService } from "./services.js";

export interface TwinNode {
  name: string;
  address: string;
  podCIDR: string;
  kernel: Kernel;
  host: SimHost;
  files: Map<string, string>;
  kubelet: Kubelet;
  /** null when the cluster runs without kube-proxy (kubeProxyMode: none). */
  kubeProxy: KubeProxy | null;
}

export interface TwinPod {
  info: PodInfo;
  node: TwinNode;
  sandbox: PodSandbox;
  /** The pod's network namespace (the node's own for hostNetwork pods). */
  ns: NetNs;
}

export interface Twin {
  cluster: ClusterSpec;
  work: Workloads;
  clock: Clock;
  trace: TraceRecorder;
  /** The docker host: the underlay bridge, and where `external` clients live. */
  underlay: Kernel;
  nodes: Map<string, TwinNode>;
  pods: Map<string, TwinPod>;
  /** Pods by their own (sandbox) IP; hostNetwork pods are not here. */
  podsByIp: Map<string, TwinPod>;
  /** Pods by name, across namespaces. */
  podsByName: Map<string, TwinPod[]>;
  /** The cluster's CoreDNS (every CoreDNS pod answers with it). */
  dns: ClusterDns;
}

/** Docker's MAC for a container address before 26.0: 02:42 and the IPv4 bytes. */
export function dockerMac(ip: string): string {
  return `02:42:${ip
    .split(".")
    .map((x) => Number(x).toString(16).padStart(2, "0"))
    .join(":")}`;
}

function rngBytes(rng: Rng): (n: number) => Uint8Array {
  return (n) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = rng.nextInt(256);
    return b;
  };
}

/** A plugin environment over a node's host and files (IPAM state in memory, like a tmpfs /run). */
export function nodePluginEnv(host: SimHost, files: Map<string, string>, rng: Rng): PluginEnv {
  const stores = new Map<string, IpamStore>();
  return {
    host,
    ipamStore: (dataDir, network) => {
      const dir = `${dataDir}/${network}`;
      let s = stores.get(dir);
      if (!s) stores.set(dir, (s = memoryIpamStore()));
      return s;
    },
    randomBytes: rngBytes(rng),
    readFile: (p) => files.get(p) ?? null,
    writeFile: (p, d) => {
      files.set(p, d);
    },
    removeFile: (p) => {
      files.delete(p);
    },
  };
}

export function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** kind's --cluster-domain. */
export const CLUSTER_DOMAIN = "cluster.local";

export interface BuildOptions {
  /** Every namespace of the cluster (what CoreDNS knows exists); else the system ones and the pods'. */
  namespaces?: string[];
}

/**
 * Builds the cluster's machines and starts every pod, then CoreDNS in its pods and docker's
 * embedded DNS on the docker host. Throws with the failing pod and plugin named.
 */
export async function buildTwin(
  cluster: ClusterSpec,
  work: Workloads,
  opts: BuildOptions = {},
): Promise<Twin> {
  const clock = new Clock();
  const trace = new TraceRecorder();
  const softirq = newSoftirqQueue();
  const underlay = new Kernel({ seed: cluster.seed * 31 + 7, hostname: "docker-host", clock, softirq });
  underlay.trace = trace;
  const uh = new SimHost(underlay);
  const bridge = `br-${createHash("sha256").update(cluster.name).digest("hex").slice(0, 12)}`;
  const gwLen = cluster.underlay.subnet.split("/")[1];
  await uh.bridgeAdd(null, bridge);
  await uh.addrAdd(null, bridge, `${cluster.underlay.gateway}/${gwLen}`);
  await uh.linkSet(null, bridge, { up: true });
  await uh.sysctlSet(null, "net.ipv4.ip_forward", "1");

  const nodes = new Map<string, TwinNode>();
  const leases: NodeLease[] = cluster.nodes.map((n) => ({
    name: n.name,
    address: n.address,
    podCIDR: n.podCIDR,
    dev: "eth0",
  }));
  // kind's kubelets get --cluster-dns: the kube-dns Service's ClusterIP (.10 of the service subnet).
  const kubeDnsIP =
    work.services.find((s) => s.namespace === "kube-system" && s.name === "kube-dns")?.clusterIP ??
    "10.96.0.10";
  for (const [i, n] of cluster.nodes.entries()) {
    const kernel = new Kernel({ seed: cluster.seed * 1009 + i + 1, hostname: n.name, clock, softirq });
    kernel.trace = trace;
    const host = new SimHost(kernel);
    const files = new Map<string, string>();
    // The node container's eth0: a veth whose docker-host end ("veth" + 7 hex) joins the bridge.
    const hostEnd = `veth${createHash("sha256").update(n.name).digest("hex").slice(0, 7)}`;
    await uh.vethAdd(null, { name: hostEnd, peer: "eth0", peerNs: null });
    const peer = underlay.initNs.byName.get(hostEnd)!.peer!;
    // Move the node end into the node's machine (a namespace of another kernel).
    const moved = changeNetns(peer, kernel.initNs);
    if (!moved.ok) throw new Error(`node ${n.name}: cannot attach eth0`);
    await uh.linkSet(null, hostEnd, { master: bridge, up: true });
    await host.linkSet(null, "eth0", { mac: dockerMac(n.address), up: true });
    await host.addrAdd(null, "eth0", `${n.address}/${gwLen}`);
    await host.routeAdd(null, { dst: "default", via: cluster.underlay.gateway, dev: "eth0" });
    await host.linkSet(null, "lo", { up: true });
    // kubeadm's preflight requires IPv4 forwarding on every node.
    await host.sysctlSet(null, "net.ipv4.ip_forward", "1");
    const rng = createRng(cluster.seed * 7919 + i * 104729 + 3);
    const cni = new CniRuntime(nodePluginEnv(host, files, rng), files);
    // The node container's own files, as docker writes them and kind's entrypoint rewrites resolv.conf.
    files.set("/etc/resolv.conf", kindNodeResolvConf(cluster.underlay.gateway));
    files.set("/etc/hosts", dockerHostsFile(n.address, n.name));
    const kubelet = new Kubelet(n.name, n.address, host, cni, rng, {
      clusterDNS: [kubeDnsIP],
      clusterDomain: CLUSTER_DOMAIN,
      hostResolvConf: files.get("/etc/resolv.conf")!,
      nodeIPs: [n.address],
      nodeHosts: files.get("/etc/hosts")!,
    });
    // kind's KubeProxyConfiguration: clusterCIDR is the pod subnet. The model's iptables has no
    // nfacct objects, so kube-proxy finds no counters, as on a kernel without nfnetlink_acct.
    const kubeProxy =
      cluster.kubeProxyMode === "iptables" || cluster.kubeProxyMode === "ipvs"
        ? new KubeProxy(
            host,
            { name: n.name, ips: [n.address] },
            {
              clusterCIDR: cluster.kubeProxy.clusterCIDR,
              masqueradeAll: cluster.kubeProxy.masqueradeAll,
              masqueradeBit: cluster.kubeProxy.masqueradeBit,
              localhostNodePorts: cluster.kubeProxy.localhostNodePorts,
              nodePortAddresses: cluster.kubeProxy.nodePortAddresses.map((a) =>
                a === "primary" ? `${n.address}/32` : a,
              ),
              hasRandomFully: true,
              hasNfacct: false,
              mode: cluster.kubeProxyMode,
              scheduler: cluster.kubeProxy.ipvsScheduler,
              strictARP: cluster.kubeProxy.ipvsStrictARP,
              conntrack: cluster.kubeProxy.conntrack,
            },
          )
        : null;
    nodes.set(n.name, {
      name: n.name,
      address: n.address,
      podCIDR: n.podCIDR,
      kernel,
      host,
      files,
      kubelet,
      kubeProxy,
    });
  }

  for (const node of nodes.values()) {
    await node.kubelet.syncIptablesRules();
    await node.kubeProxy?.start();
  }
  for (const node of nodes.values()) {
    const ctx: AgentContext = {
      host: node.host,
      self: leases.find((l) => l.name === node.name)!,
      nodes: leases,
      podSubnet: cluster.podSubnet,
      files: node.files,
      mtu: 1500,
    };
    switch (cluster.cni.type) {
      case "kindnet":
        await kindnetd(ctx);
        break;
      case "flannel":
        await flanneld(ctx, cluster.cni.backend ?? "vxlan");
        break;
      case "routed":
        await routedAgent(ctx);
        break;
      case "bridge":
        await bridgeAgent(ctx);
        break;
    }
  }

  const pods = new Map<string, TwinPod>();
  const podsByIp = new Map<string, TwinPod>();
  const podsByName = new Map<string, TwinPod[]>();
  for (const p of work.pods) {
    const node = nodes.get(p.node);
    if (!node) continue;
    let sandbox: PodSandbox;
    try {
      sandbox = await node.kubelet.runPod(p);
    } catch (e) {
      throw new Error(`pod ${p.namespace}/${p.name} on ${p.node}: ${(e as Error).message}`);
    }
    // The pod's IP is what CNI gave it. The controllers predicted it; where CNI decided otherwise
    // (a host-local range of the user's own), the EndpointSlices follow the pod, as the controller would.
    if (p.ip !== sandbox.ip && !p.hostNetwork)
      for (const sl of work.endpointSlices)
        if (sl.namespace === p.namespace)
          for (const e of sl.endpoints) if (e.pod === p.name) e.ip = sandbox.ip;
    p.ip = sandbox.ip;
    const ns = sandbox.netns === null ? node.kernel.initNs : node.kernel.named.get(sandbox.netns)!;
    const tp: TwinPod = { info: p, node, sandbox, ns };
    pods.set(podKey(p.namespace, p.name), tp);
    if (sandbox.netns !== null) podsByIp.set(sandbox.ip, tp);
    const same = podsByName.get(p.name);
    if (same) same.push(tp);
    else podsByName.set(p.name, [tp]);
  }
  // kube-proxy's first sync, once the pods (and so the EndpointSlices' addresses) exist.
  const services = work.services.map(proxyService);
  const slices = work.endpointSlices.map(proxyEndpointSlice);
  for (const node of nodes.values()) await node.kubeProxy?.sync(services, slices);
  await announceLoadBalancers({ cluster, work, underlay, nodes });
  const namespaces = opts.namespaces ?? [
    ...new Set([...systemNamespaces(cluster), ...work.pods.map((p) => p.namespace)]),
  ];
  const dns = clusterDns(cluster, work, namespaces, kindNodeResolvConf(cluster.underlay.gateway));
  for (const tp of pods.values())
    if (isCoreDnsPod(tp.info.labels) && tp.sandbox.netns !== null) serveCoreDns(tp.ns, dns, clock);
  // Docker's embedded DNS, which kind's nodes reach at the network's gateway: the modelled Internet.
  const internet = internetResolver(cluster);
  serveDns(underlay.initNs, 53, (bytes, peer) => {
    const r = serveWire(bytes, peer, (q) => internet(q.message, peer.server.ip));
    return r instanceof Promise ? null : r.bytes;
  });
  return { cluster, work, clock, trace, underlay, nodes, pods, podsByIp, podsByName, dns };
}

/** What docker writes into a container's /etc/hosts on a user-defined network (IPv4 only here). */
export function dockerHostsFile(address: string, hostname: string): string {
  return (
    "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n" +
    `ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${address}\t${hostname}\n`
  );
}

/** The coredns container: port 53 over UDP and TCP answered by the cluster's CoreDNS, on the twin's clock. */
function serveCoreDns(ns: NetNs, dns: ClusterDns, clock: Clock): void {
  serveDns(ns, 53, (bytes, peer) => {
    const r = serveWire(
      bytes,
      peer,
      (q) => dns.answer(q, CLUSTER_CREATED + Math.floor(clock.now / 1000)).response,
    );
    return r instanceof Promise ? null : r.bytes;
  });
}

/** A namespace's way to its DNS servers: real datagrams through the twin's datapath. */
export function dnsTransportOf(kernel: Kernel, ns: NetNs): DnsTransport {
  return namespaceDnsTransport(kernel, ns);
}
