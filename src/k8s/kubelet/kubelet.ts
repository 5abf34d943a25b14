/**
 * @module k8s/kubelet
 * The kubelet and its container runtime (containerd's CRI) as far as the
 * network goes: for each pod a sandbox network namespace named as containerd
 * names it (cni-<uuid>), CNI ADD of the loopback network and then of the
 * node's default network, the pod's IP from the result, and a server on
 * each containerPort. hostNetwork pods share the node's namespace.
 */
import type { CniRuntime, RuntimeConf } from "../../cni/runtime.js";
import type { Host } from "../../host/host.js";
import { ensureChain, ensureRule } from "../../host/iptables-ensure.js";
import type { Rng } from "../../net/rand.js";
import type { PodInfo } from "../controllers/workloads.js";
import { type KubeletDnsSettings, type KubeletEvent, podHostsFile, podResolvConf } from "./dns.js";

export interface PodSandbox {
  namespace: string;
  name: string;
  /** The 64-hex sandbox (pause container) ID: CNI_CONTAINERID. */
  id: string;
  /** The sandbox's netns name under /run/netns, or null for hostNetwork pods. */
  netns: string | null;
  ip: string;
  /** The CNI result's interfaces (the host-side veth among them). */
  interfaces: Array<{ name: string; mac?: string; sandbox?: string }>;
  /** The files the kubelet mounts into the pod's containers: /etc/resolv.conf and /etc/hosts. */
  files: Record<string, string>;
  /** What the kubelet reported while writing them (DNSConfigForming warnings …). */
  events: KubeletEvent[];
}

/** The kubelet's DNS flags, and the node's own /etc/hosts (what hostNetwork pods see). */
export interface KubeletDnsOptions extends KubeletDnsSettings {
  nodeHosts: string;
}

const LOOPBACK = { cniVersion: "0.3.1", name: "cni-loopback", plugins: [{ type: "loopback" }] };

function hex(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += rng.nextInt(16).toString(16);
  return s;
}

/** A version-4 UUID from the seeded generator. */
function uuid(rng: Rng): string {
  const h = hex(rng, 32).split("");
  h[12] = "4";
  h[16] = "89ab"[rng.nextInt(4)]!;
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

function portMappings(pod: PodInfo): Record<string, unknown> {
  const pm = pod.ports
    .filter((p) => p.hostPort !== undefined && p.hostPort > 0)
    .map((p) => ({
      hostPort: p.hostPort,
      containerPort: p.containerPort,
      protocol: p.protocol.toLowerCase(),
      ...(p.hostIP ? { hostIP: p.hostIP } : {}),
    }));
  return pm.length > 0 ? { portMappings: pm } : {};
}

export class Kubelet {
  readonly sandboxes = new Map<string, PodSandbox>();

  readonly node: string;
  readonly nodeIP: string;
  private readonly host: Host;
  private readonly cni: CniRuntime;
  private readonly rng: Rng;

  private readonly dns: KubeletDnsOptions;

  constructor(node: string, nodeIP: string, host: Host, cni: CniRuntime, rng: Rng, dns?: KubeletDnsOptions) {
    this.node = node;
    this.nodeIP = nodeIP;
    this.host = host;
    this.cni = cni;
    this.rng = rng;
    this.dns = dns ?? {
      clusterDNS: ["10.96.0.10"],
      clusterDomain: "cluster.local",
      hostResolvConf: null,
      nodeIPs: [nodeIP],
      nodeHosts: "",
    };
  }

  /** The pod's /etc/resolv.conf and /etc/hosts, as kubelet's DNS configurer and hosts file writer make them. */
  private podFiles(pod: PodInfo, ip: string): { files: Record<string, string>; events: KubeletEvent[] } {
    const d = this.dns;
    const r = podResolvConf(
      {
        namespace: pod.namespace,
        name: pod.name,
        hostNetwork: pod.hostNetwork,
        ...(pod.dns?.dnsPolicy ? { dnsPolicy: pod.dns.dnsPolicy } : {}),
        ...(pod.dns?.dnsConfig ? { dnsConfig: pod.dns.dnsConfig } : {}),
      },
      d,
    );
    const hosts = podHostsFile(
      {
        namespace: pod.namespace,
        name: pod.name,
        hostNetwork: pod.hostNetwork,
        podIPs: [ip],
        ...(pod.hostname !== undefined ? { hostname: pod.hostname } : {}),
        ...(pod.subdomain !== undefined ? { subdomain: pod.subdomain } : {}),
        ...(pod.dns?.hostAliases ? { hostAliases: pod.dns.hostAliases } : {}),
      },
      d.clusterDomain,
      d.nodeHosts,
    );
    return { files: { "/etc/resolv.conf": r.resolvConf, "/etc/hosts": hosts }, events: r.events };
  }

  /**
   * kubelet_network_linux.go: the hint chain that tells other components
   * which iptables backend the node uses, the canary chains whose loss means
   * the tables were flushed, and KUBE-FIREWALL, which drops martian
   * traffic to 127.0.0.0/8 (kube-proxy sets route_localnet for NodePorts).
   */
  async syncIptablesRules(): Promise<void> {
    const h = this.host;
    await ensureChain(h, "mangle", "KUBE-IPTABLES-HINT");
    await ensureChain(h, "filter", "KUBE-FIREWALL");
    await ensureRule(h, "filter", "KUBE-FIREWALL", [
      "!",
      "-s",
      "127.0.0.0/8",
      "-d",
      "127.0.0.0/8",
      "-m",
      "comment",
      "--comment",
      "block incoming localnet connections",
      "-m",
      "conntrack",
      "!",
      "--ctstate",
      "RELATED,ESTABLISHED,DNAT",
      "-j",
      "DROP",
    ]);
    await ensureRule(h, "filter", "OUTPUT", ["-j", "KUBE-FIREWALL"]);
    await ensureRule(h, "filter", "INPUT", ["-j", "KUBE-FIREWALL"]);
    for (const t of ["mangle", "nat", "filter"]) await ensureChain(h, t, "KUBE-KUBELET-CANARY");
  }

  /** RunPodSandbox + the containers' listening sockets. */
  async runPod(pod: PodInfo): Promise<PodSandbox> {
    const id = hex(this.rng, 64);
    const key = `${pod.namespace}/${pod.name}`;
    if (pod.hostNetwork) {
      const sb: PodSandbox = {
        namespace: pod.namespace,
        name: pod.name,
        id,
        netns: null,
        ip: this.nodeIP,
        interfaces: [],
        ...this.podFiles(pod, this.nodeIP),
      };
      this.sandboxes.set(key, sb);
      await this.serve(null, pod);
      return sb;
    }
    const netns = `cni-${uuid(this.rng)}`;
    await this.host.netnsAdd(netns);
    const rt = (ifName: string): RuntimeConf => ({
      containerId: id,
      netns: `/var/run/netns/${netns}`,
      ifName,
      args: [
        ["K8S_POD_INFRA_CONTAINER_ID", id],
        ["K8S_POD_UID", uuid(this.rng)],
        ["IgnoreUnknown", "1"],
        ["K8S_POD_NAMESPACE", pod.namespace],
        ["K8S_POD_NAME", pod.name],
      ],
      // The CRI passes each hostPort to CNI as the portMappings capability (portmap).
      capabilityArgs: portMappings(pod),
    });
    await this.cni.addNetworkList(LOOPBACK, rt("lo"));
    const result = await this.cni.addNetworkList(this.cni.defaultNetwork(), rt("eth0"));
    const ip = result.ips?.[0]?.address.split("/")[0];
    if (!ip) throw new Error(`pod ${key}: the CNI result has no IP address`);
    const sb: PodSandbox = {
      namespace: pod.namespace,
      name: pod.name,
      id,
      netns,
      ip,
      interfaces: result.interfaces ?? [],
      ...this.podFiles(pod, ip),
    };
    this.sandboxes.set(key, sb);
    await this.serve(netns, pod);
    return sb;
  }

  private async serve(netns: string | null, pod: PodInfo): Promise<void> {
    for (const p of pod.ports) {
      const proto = p.protocol.toLowerCase();
      if (proto !== "tcp" && proto !== "udp") continue;
      await this.host.serve(netns, { proto, port: p.containerPort, reply: pod.name });
    }
  }
}
