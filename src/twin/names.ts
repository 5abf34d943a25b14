/**
 * @module twin/names
 * A trace's destination given as a DNS name, resolved as the source would
 * resolve it: glibc's getaddrinfo with the source pod's /etc/resolv.conf and
 * /etc/hosts (a node's own files for node/NAME), its queries crossing the
 * datapath to CoreDNS.
 */
import { GAI_STRERROR, type HostLookup, Resolver } from "../dns/resolver/index.js";
import { type Endpoint, ProbeError } from "./probe.js";
import { dnsTransportOf, type Twin } from "./twin.js";

/** What a name came to: the address connected to, and how the lookup went. */
export interface NameResolution {
  name: string;
  address: string;
  /** "files" (/etc/hosts), "dns" or "numeric". */
  source: string;
  /** The servers asked, in order. */
  servers: string[];
}

/** A DNS name (not pod/…, svc/…, node/…, external or an address). */
export function isHostName(spec: string): boolean {
  return (
    !/^(pod|svc|node)\//.test(spec) &&
    spec !== "external" &&
    /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/.test(
      spec,
    ) &&
    !/^[\d.]+$/.test(spec)
  );
}

/**
 * The files a pod's or node's processes resolve names with: the kubelet's
 * /etc/resolv.conf and /etc/hosts for a pod, docker's for a node; null for
 * an endpoint that is neither (the docker host, a Service).
 */
export function resolverFiles(twin: Twin, ep: Endpoint): Record<string, string> | null {
  if (ep.label.startsWith("pod/")) return twin.pods.get(ep.label.slice(4))?.sandbox.files ?? null;
  for (const n of twin.nodes.values())
    if (n.kernel === ep.kernel && ep.ns === n.kernel.initNs)
      return Object.fromEntries(
        ["/etc/resolv.conf", "/etc/hosts"].flatMap((f) => (n.files.has(f) ? [[f, n.files.get(f)!]] : [])),
      );
  return null;
}

export async function resolveName(twin: Twin, from: Endpoint, name: string): Promise<NameResolution> {
  const files = resolverFiles(twin, from);
  if (!files)
    throw new ProbeError(`${from.label} has no resolver to look names up with: give an address or svc/NAME`);
  const resolver = new Resolver({
    transport: dnsTransportOf(from.kernel, from.ns),
    resolvConf: files["/etc/resolv.conf"] ?? null,
    hosts: files["/etc/hosts"] ?? null,
    seed: twin.cluster.seed,
  });
  const r: HostLookup = await resolver.getaddrinfo(name, 4);
  const servers = [...new Set(r.queries.map((q) => q.server))];
  if (r.error !== null || r.addresses.length === 0)
    throw new ProbeError(
      `cannot resolve destination "${name}" from ${from.label}: ${GAI_STRERROR[r.error ?? "EAI_NODATA"]}` +
        (servers.length ? ` (asked ${servers.join(", ")})` : ""),
    );
  return { name, address: r.addresses[0]!.address, source: r.source ?? "dns", servers };
}
