/**
 * @module k8s/kubelet/dns
 * What the kubelet (v1.33, pkg/kubelet/network/dns/dns.go) hands the
 * container runtime as a pod's DNS config, rendered as containerd's CRI
 * writes /etc/resolv.conf, and the /etc/hosts the kubelet itself writes
 * (kubelet_pods.go managedHostsFileContent / nodeHostsFileContent).
 * Pure functions on strings: k8s may not import the DNS layer.
 */

export type DnsPolicy = "ClusterFirst" | "ClusterFirstWithHostNet" | "Default" | "None";

export interface PodDnsConfigOption {
  name: string;
  value?: string;
}

/** pod.spec.dnsConfig. */
export interface PodDnsConfig {
  nameservers?: string[];
  searches?: string[];
  options?: PodDnsConfigOption[];
}

/** The pod fields the configurer reads. */
export interface PodDnsSpec {
  namespace: string;
  name: string;
  /** metadata.uid, shown in the MissingClusterDNS event as format.Pod prints it. */
  uid?: string;
  /** Defaults to ClusterFirst, as the API server defaults it. */
  dnsPolicy?: DnsPolicy;
  hostNetwork?: boolean;
  dnsConfig?: PodDnsConfig;
}

/** The kubelet's DNS flags (--cluster-dns, --cluster-domain, --resolv-conf) and the node. */
export interface KubeletDnsSettings {
  /** --cluster-dns: kind sets the kube-dns Service IP (10.96.0.10). */
  clusterDNS: string[];
  /** --cluster-domain: "cluster.local" in kind. */
  clusterDomain: string;
  /** The text of --resolv-conf (the node's /etc/resolv.conf); null means --resolv-conf="". */
  hostResolvConf: string | null;
  /** The node's IPs (used only when --resolv-conf=""). */
  nodeIPs?: string[];
}

/** runtimeapi.DNSConfig: what the kubelet passes to the runtime. */
export interface RuntimeDnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** A Kubernetes event the kubelet records while forming the config. */
export interface KubeletEvent {
  type: "Warning";
  reason: "DNSConfigForming" | "MissingClusterDNS";
  /** "pod" (involvedObject the pod) or "node". */
  object: "pod" | "node";
  message: string;
}

export interface PodDnsResult {
  config: RuntimeDnsConfig;
  /** /etc/resolv.conf as containerd renders the config. */
  resolvConf: string;
  events: KubeletEvent[];
}

/** validation.MaxDNSNameservers. */
export const MAX_DNS_NAMESERVERS = 3;
/** validation.MaxDNSSearchPaths / MaxDNSSearchListChars (ExpandedDNSConfig, GA since 1.28). */
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
/** utilvalidation.DNS1123SubdomainMaxLength: longer search paths make glibc 2.28 abort. */
const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

const DEFAULT_DNS_OPTIONS = ["ndots:5"];

function omitDuplicates(strs: string[]): string[] {
  return [...new Set(strs)];
}

/**
 * parseResolvConf: nameserver lines accumulate; the last search line wins
 * (trailing dots trimmed, "." dropped); the last options line wins.
 */
export function parseResolvConf(text: string): RuntimeDnsConfig {
  const servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("#")) continue;
    const fields = trimmed.split(/\s+/).filter((f) => f !== "");
    if (fields.length === 0) continue;
    if (fields[0] === "nameserver" && fields.length >= 2) servers.push(fields[1]!);
    if (fields[0] === "search")
      searches = fields
        .slice(1)
        .filter((s) => s !== ".")
        .map((s) => s.replace(/\.$/, ""));
    if (fields[0] === "options") options = fields.slice(1);
  }
  return { servers, searches, options };
}

function podDnsType(pod: PodDnsSpec): "cluster" | "host" | "none" {
  switch (pod.dnsPolicy ?? "ClusterFirst") {
    case "None":
      return "none";
    case "ClusterFirstWithHostNet":
      return "cluster";
    case "ClusterFirst":
      // A hostNetwork pod with ClusterFirst falls back to Default.
      return pod.hostNetwork ? "host" : "cluster";
    case "Default":
      return "host";
  }
}

function searchesForClusterFirst(hostSearch: string[], pod: PodDnsSpec, domain: string): string[] {
  if (domain === "") return hostSearch;
  return omitDuplicates([`${pod.namespace}.svc.${domain}`, `svc.${domain}`, domain, ...hostSearch]);
}

/** mergeDNSOptions: pod options override by name. Go rebuilds them from a map (random order); we keep first-seen order. */
function mergeDnsOptions(existing: string[], pod: PodDnsConfigOption[]): string[] {
  const m = new Map<string, string>();
  for (const op of existing) {
    const i = op.indexOf(":");
    if (i !== -1) m.set(op.slice(0, i), op.slice(i + 1));
    else m.set(op, "");
  }
  for (const op of pod) m.set(op.name, op.value ?? "");
  return [...m].map(([k, v]) => (v !== "" ? `${k}:${v}` : k));
}

function searchFitsLimits(search: string[], events: KubeletEvent[]): string[] {
  let exceeded = false;
  let s = search;
  if (s.length > MAX_DNS_SEARCH_PATHS) {
    s = s.slice(0, MAX_DNS_SEARCH_PATHS);
    exceeded = true;
  }
  const kept = s.filter((d) => d.length <= DNS1123_SUBDOMAIN_MAX_LENGTH);
  if (kept.length !== s.length) exceeded = true;
  s = kept;
  const lineLen = s.join(" ").length;
  if (lineLen > MAX_DNS_SEARCH_LIST_CHARS) {
    // Cut whole domains from the end until the line fits.
    let cutLen = 0;
    let cutNum = 0;
    for (let i = s.length - 1; i >= 0; i--) {
      cutLen += s[i]!.length + 1;
      cutNum++;
      if (lineLen - cutLen <= MAX_DNS_SEARCH_LIST_CHARS) break;
    }
    s = s.slice(0, s.length - cutNum);
    exceeded = true;
  }
  if (exceeded)
    events.push({
      type: "Warning",
      reason: "DNSConfigForming",
      object: "pod",
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${s.join(" ")}`,
    });
  return s;
}

function nameserversFitLimits(servers: string[], events: KubeletEvent[]): string[] {
  if (servers.length <= MAX_DNS_NAMESERVERS) return servers;
  const s = servers.slice(0, MAX_DNS_NAMESERVERS);
  events.push({
    type: "Warning",
    reason: "DNSConfigForming",
    object: "pod",
    message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${s.join(" ")}`,
  });
  return s;
}

/** Configurer.GetPodDNS: the runtime DNS config for a pod, with the events the kubelet records. */
export function getPodDNS(
  pod: PodDnsSpec,
  kubelet: KubeletDnsSettings,
): { config: RuntimeDnsConfig; events: KubeletEvent[] } {
  const events: KubeletEvent[] = [];
  let cfg: RuntimeDnsConfig =
    kubelet.hostResolvConf !== null
      ? parseResolvConf(kubelet.hostResolvConf)
      : { servers: [], searches: [], options: [] };
  const type = podDnsType(pod);
  let host = type === "host";
  if (type === "none") cfg = { servers: [], searches: [], options: [] };
  if (type === "cluster") {
    if (kubelet.clusterDNS.length > 0) {
      // The cluster DNS server is the pod's only nameserver; it forwards what it cannot answer.
      cfg = {
        servers: [...kubelet.clusterDNS],
        searches: searchesForClusterFirst(cfg.searches, pod, kubelet.clusterDomain),
        options: [...DEFAULT_DNS_OPTIONS],
      };
    } else {
      const msg = `kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`;
      events.push({ type: "Warning", reason: "MissingClusterDNS", object: "node", message: msg });
      events.push({
        type: "Warning",
        reason: "MissingClusterDNS",
        object: "pod",
        message: `pod: "${pod.name}_${pod.namespace}(${pod.uid ?? ""})". ${msg}`,
      });
      host = true;
    }
  }
  if (host && kubelet.hostResolvConf === null) {
    // --resolv-conf="": "the nameserver on the local machine", one per node IP family.
    const ips = kubelet.nodeIPs ?? [];
    cfg.servers.push(...ips.map((ip) => (ip.includes(":") ? "::1" : "127.0.0.1")));
    if (cfg.servers.length === 0) cfg.servers.push("127.0.0.1");
    cfg.searches = ["."];
  }
  if (pod.dnsConfig) {
    cfg = {
      servers: omitDuplicates([...cfg.servers, ...(pod.dnsConfig.nameservers ?? [])]),
      searches: omitDuplicates([...cfg.searches, ...(pod.dnsConfig.searches ?? [])]),
      options: mergeDnsOptions(cfg.options, pod.dnsConfig.options ?? []),
    };
  }
  cfg.servers = nameserversFitLimits(cfg.servers, events);
  cfg.searches = searchFitsLimits(cfg.searches, events);
  return { config: cfg, events };
}

/** containerd's parseDNSOptions: search, nameservers, options, each line only when non-empty. */
export function renderResolvConf(cfg: RuntimeDnsConfig): string {
  let s = "";
  if (cfg.searches.length > 0) s += `search ${cfg.searches.join(" ")}\n`;
  for (const ns of cfg.servers) s += `nameserver ${ns}\n`;
  if (cfg.options.length > 0) s += `options ${cfg.options.join(" ")}\n`;
  return s;
}

/** The pod's /etc/resolv.conf and the events recorded while forming it. */
export function podResolvConf(pod: PodDnsSpec, kubelet: KubeletDnsSettings): PodDnsResult {
  const { config, events } = getPodDNS(pod, kubelet);
  return { config, resolvConf: renderResolvConf(config), events };
}

/** What Docker takes from the host's resolv.conf when it writes a container's. */
export interface DockerHostResolver {
  /** The host's search list ("." when it has none, as systemd-resolved's stub writes). */
  search?: string[];
  /** The host's options (Docker appends its own ndots:0). */
  options?: string[];
  /** The host's nameservers, which Docker's embedded DNS forwards to. */
  servers?: string[];
}

/**
 * A kind node's /etc/resolv.conf: Docker Engine's file for a user-defined
 * network (embedded DNS at 127.0.0.11), which kind's entrypoint rewrites to
 * the Docker network's gateway so that pods (and CoreDNS's
 * `forward . /etc/resolv.conf`) reach it through the DNAT rules kind moves
 * to that address. On a host with systemd-resolved this reads, e.g.,
 * `nameserver 172.18.0.1 / search . / options edns0 trust-ad ndots:0`.
 */
export function kindNodeResolvConf(gateway: string, host: DockerHostResolver = {}): string {
  const search = host.search ?? [];
  const options = [...(host.options ?? []).filter((o) => !o.startsWith("ndots:")), "ndots:0"];
  const ext = (host.servers ?? ["127.0.0.53"]).map((ip) => `host(${ip})`).join(" ");
  return (
    "# Generated by Docker Engine.\n" +
    "# This file can be edited; Docker Engine will not make further changes once it\n" +
    "# has been modified.\n\n" +
    `nameserver ${gateway}\n` +
    (search.length > 0 ? `search ${search.join(" ")}\n` : "") +
    `options ${options.join(" ")}\n\n` +
    "# Based on host file: '/etc/resolv.conf' (internal resolver)\n" +
    `# ExtServers: [${ext}]\n` +
    "# Overrides: []\n" +
    "# Option ndots from: internal\n"
  );
}

export interface HostAlias {
  ip: string;
  hostnames: string[];
}

/** The pod fields that shape /etc/hosts. */
export interface PodHostsSpec {
  namespace: string;
  name: string;
  hostname?: string;
  subdomain?: string;
  hostNetwork?: boolean;
  hostAliases?: HostAlias[];
  /** status.podIPs. */
  podIPs: string[];
}

const MANAGED_HOSTS_HEADER = "# Kubernetes-managed hosts file.\n";
const MANAGED_HOSTS_HEADER_WITH_HOST_NETWORK = "# Kubernetes-managed hosts file (host network).\n";

/** truncatePodHostnameIfNeeded: 63 characters, then no trailing '-' or '.'. */
function truncateHostname(hostname: string): string {
  if (hostname.length <= 63) return hostname;
  return hostname.slice(0, 63).replace(/[-.]+$/, "");
}

/** GeneratePodHostNameAndDomain: spec.hostname or the pod name; the domain from spec.subdomain. */
export function podHostnameAndDomain(pod: PodHostsSpec, clusterDomain: string): [string, string] {
  const hostname = truncateHostname(pod.hostname && pod.hostname.length > 0 ? pod.hostname : pod.name);
  const domain = pod.subdomain ? `${pod.subdomain}.${pod.namespace}.svc.${clusterDomain}` : "";
  return [hostname, domain];
}

function hostsEntriesFromHostAliases(aliases: HostAlias[] | undefined): string {
  if (!aliases || aliases.length === 0) return "";
  // One line per IP with all its names, tab-separated.
  return `\n# Entries added by HostAliases.\n${aliases.map((a) => `${a.ip}\t${a.hostnames.join("\t")}\n`).join("")}`;
}

/**
 * The pod's /etc/hosts. hostNetwork pods get the node's file under a
 * different header; others the managed file with their own IPs.
 */
export function podHostsFile(pod: PodHostsSpec, clusterDomain: string, nodeHosts = ""): string {
  if (pod.hostNetwork)
    return MANAGED_HOSTS_HEADER_WITH_HOST_NETWORK + nodeHosts + hostsEntriesFromHostAliases(pod.hostAliases);
  const [hostname, domain] = podHostnameAndDomain(pod, clusterDomain);
  let s =
    MANAGED_HOSTS_HEADER +
    "127.0.0.1\tlocalhost\n" +
    "::1\tlocalhost ip6-localhost ip6-loopback\n" +
    "fe00::0\tip6-localnet\n" +
    "fe00::0\tip6-mcastprefix\n" +
    "fe00::1\tip6-allnodes\n" +
    "fe00::2\tip6-allrouters\n";
  for (const ip of pod.podIPs)
    s += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return s + hostsEntriesFromHostAliases(pod.hostAliases);
}
