/**
 * @module dns/coredns/plugins/kubernetes/setup
 * The `kubernetes` stanza (plugin/kubernetes/setup.go ParseStanza): zones from
 * the arguments or the server block, then the block's properties.
 */
import { normalizeZoneArg } from "../../../corefile/index.js";
import type { Fall } from "../../plugin.js";
import { Controller, type SetupInput } from "../../setup.js";

export type PodMode = "disabled" | "verified" | "insecure";

export interface KubernetesConfig {
  zones: string[];
  primaryZone: string;
  podMode: PodMode;
  endpointNameMode: boolean;
  namespaces: Set<string>;
  fall: Fall;
  ttl: number;
  noEndpoints: boolean;
  ignoreEmptyService: boolean;
}

/** plugin/kubernetes's defaultTTL. */
export const DEFAULT_TTL = 5;

export function setupKubernetes(input: SetupInput): KubernetesConfig {
  const c = new Controller(input.directive);
  const zones = c.args.length ? c.args.flatMap(normalizeZoneArg) : input.serverZones;
  const primary = zones.find((z) => !isReverse(z));
  if (!primary) throw c.err("non-reverse zone name must be used");
  const k: KubernetesConfig = {
    zones,
    primaryZone: primary,
    podMode: "disabled",
    endpointNameMode: false,
    namespaces: new Set(),
    fall: { zones: null },
    ttl: DEFAULT_TTL,
    noEndpoints: false,
    ignoreEmptyService: false,
  };
  for (const bl of c.block) {
    const name = bl.name.text;
    const args = bl.args.map((t) => t.text);
    const line = bl.name.line;
    const lastTok = bl.args[bl.args.length - 1]?.text ?? name;
    switch (name) {
      case "endpoint_pod_names":
        if (args.length > 0) throw c.argErr(lastTok, line);
        k.endpointNameMode = true;
        break;
      case "pods":
        if (args.length !== 1) throw c.argErr(lastTok, line);
        if (args[0] !== "disabled" && args[0] !== "insecure" && args[0] !== "verified")
          throw c.err(
            `wrong value for pods: ${args[0]},  must be one of: disabled, verified, insecure`,
            line,
          );
        k.podMode = args[0];
        break;
      case "namespaces":
        if (args.length === 0) throw c.argErr(lastTok, line);
        for (const a of args) k.namespaces.add(a);
        break;
      case "endpoint":
      case "labels":
      case "namespace_labels":
        // Which API server to watch, or a label filter: the twin's view is already the cluster's.
        if (args.length === 0) throw c.argErr(lastTok, line);
        break;
      case "tls":
        if (args.length !== 3) throw c.argErr(lastTok, line);
        break;
      case "kubeconfig":
        if (args.length !== 1 && args.length !== 2) throw c.argErr(lastTok, line);
        break;
      case "fallthrough":
        k.fall = { zones: args.length ? args.flatMap(normalizeZoneArg) : ["."] };
        break;
      case "ttl": {
        if (args.length === 0) throw c.argErr(lastTok, line);
        if (!/^-?\d+$/.test(args[0]!))
          throw c.err(`strconv.Atoi: parsing "${args[0]}": invalid syntax`, line);
        const t = Number(args[0]);
        if (t < 0 || t > 3600) throw c.errf(`ttl must be in range [0, 3600]: ${t}`, line);
        k.ttl = t;
        break;
      }
      case "noendpoints":
        if (args.length !== 0) throw c.argErr(lastTok, line);
        k.noEndpoints = true;
        break;
      case "ignore":
        if (args.length > 0) {
          if (args[0] !== "empty_service") throw c.err(`unable to parse ignore value: '${args[0]}'`, line);
          k.ignoreEmptyService = true;
        }
        break;
      case "startup_timeout":
        break;
      default:
        throw c.errf(`unknown property '${name}'`, line);
    }
  }
  return k;
}

/** dnsutil.IsReverse: a name under in-addr.arpa. or ip6.arpa. */
export function isReverse(name: string): boolean {
  const n = name.toLowerCase();
  return n.endsWith("in-addr.arpa.") || n.endsWith("ip6.arpa.");
}
