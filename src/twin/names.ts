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

/** The /etc/resolv.conf and /etc/hosts of the source. */
function sourceFiles(twin: Twin, from: Endpoint): { resolvConf: string | null; hosts: string | null } {
  if (from.label.startsWith("pod/")) {
    const tp = twin.pods.get(from.label.slice(4));
    return {
      resolvConf: tp?.sandbox.files["/etc/resolv.conf"] ?? null,
      hosts: tp?.sandbox.files["/etc/hosts"] ?? null,
    };
  }
  for (const n of twin.nodes.values())
    if (n.kernel === from.kernel)
      return {
        resolvConf: n.files.get("/etc/resolv.conf") ?? null,
        hosts: n.files.get("/etc/hosts") ?? null,
      };
  throw new ProbeError(`${from.label} has no resolver to look names up with: give an address or svc/NAME`);
}

export async function resolveName(twin: Twin, from: Endpoint, name: string): Promise<NameResolution> {
  const files = sourceFiles(twin, from);
  const resolver = new Resolver({
    transport: dnsTransportOf(from.kernel, from.ns),
    ...files,
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
