/**
 * @module twin/loadbalancer
 * How a LoadBalancer address reaches the cluster from the underlay. On kind
 * that is MetalLB in layer 2 mode (or cloud-provider-kind, or `minikube
 * tunnel` on minikube): one node is elected per address and the docker host's
 * packets for the address go to that node, whose kube-proxy rules (KUBE-EXT,
 * KUBE-FW) take them. The model writes the outcome of the election as a /32
 * route on the docker host via the elected node: the same next hop MetalLB's
 * ARP answers give, visible in `ip route` and in traces.
 *
 * The election is MetalLB's (speaker/layer2_controller.go ShouldAnnounce):
 * nothing is announced while the Service has no serving endpoint; with
 * externalTrafficPolicy Local only nodes with a serving endpoint stand, else
 * every node with a speaker (not those labelled
 * node.kubernetes.io/exclude-from-external-load-balancers, which kubeadm puts
 * on control-plane nodes); the winner is the first by sha256(node + "#" + ip).
 */
import { createHash } from "node:crypto";
import { SimHost } from "../host/sim/sim-host.js";
import type { ServiceInfo } from "../k8s/controllers/workloads.js";
import type { Twin } from "./twin.js";

/** What the election and the routes need of a twin. */
export type LoadBalancerView = Pick<Twin, "cluster" | "work" | "underlay" | "nodes">;

/** The node that announces `ip` for `svc`, or null when MetalLB would announce it from nowhere. */
export function electSpeaker(twin: LoadBalancerView, svc: ServiceInfo, ip: string): string | null {
  const endpoints = twin.work.endpointSlices
    .filter((s) => s.namespace === svc.namespace && s.service === svc.name)
    .flatMap((s) => s.endpoints);
  if (endpoints.length === 0) return null;
  const hasWorkers = twin.cluster.nodes.some((n) => n.role === "worker");
  const speakers = twin.cluster.nodes
    .filter((n) => !(hasWorkers && n.role === "control-plane"))
    .map((n) => n.name);
  const withEndpoints = new Set(endpoints.map((e) => e.node).filter((n): n is string => n !== undefined));
  const candidates =
    svc.externalTrafficPolicy === "Local" ? speakers.filter((n) => withEndpoints.has(n)) : speakers;
  const hash = (n: string): string => createHash("sha256").update(`${n}#${ip}`).digest("hex");
  const sorted = [...candidates].sort((a, b) => (hash(a) < hash(b) ? -1 : hash(a) > hash(b) ? 1 : 0));
  return sorted[0] ?? null;
}

/** Routes each assigned LoadBalancer address on the docker host via its elected node. */
export async function announceLoadBalancers(twin: LoadBalancerView): Promise<void> {
  const host = new SimHost(twin.underlay);
  for (const svc of twin.work.services) {
    for (const ip of svc.loadBalancerIngress ?? []) {
      const node = electSpeaker(twin, svc, ip);
      const address = node === null ? undefined : twin.nodes.get(node)?.address;
      if (address === undefined) continue;
      await host.routeReplace(null, { dst: `${ip}/32`, via: address, proto: "static" });
    }
  }
}
