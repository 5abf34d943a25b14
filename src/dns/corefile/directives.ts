/**
 * @module dns/corefile/directives
 * The directives CoreDNS knows, in plugin.cfg order. The Corefile parser
 * accepts exactly these names (anything else is "Unknown directive"), and a
 * server runs its plugins in this order whatever order the Corefile lists
 * them in: plugin.cfg is fixed when CoreDNS is built.
 * Source: coredns/coredns plugin.cfg (core/dnsserver/zdirectives.go is generated from it).
 */
export const PLUGIN_ORDER: readonly string[] = [
  "root",
  "metadata",
  "geoip",
  "cancel",
  "tls",
  "timeouts",
  "multisocket",
  "reload",
  "nsid",
  "bufsize",
  "bind",
  "debug",
  "trace",
  "ready",
  "health",
  "pprof",
  "prometheus",
  "errors",
  "log",
  "dnstap",
  "local",
  "dns64",
  "acl",
  "any",
  "chaos",
  "loadbalance",
  "tsig",
  "cache",
  "rewrite",
  "header",
  "dnssec",
  "autopath",
  "minimal",
  "template",
  "transfer",
  "hosts",
  "route53",
  "azure",
  "clouddns",
  "k8s_external",
  "kubernetes",
  "file",
  "auto",
  "secondary",
  "etcd",
  "loop",
  "forward",
  "grpc",
  "erratic",
  "whoami",
  "on",
  "sign",
  "view",
];

const RANK = new Map(PLUGIN_ORDER.map((p, i) => [p, i]));

/** Position of a plugin in the chain (lower runs first), or undefined for an unknown name. */
export function pluginRank(name: string): number | undefined {
  return RANK.get(name);
}
