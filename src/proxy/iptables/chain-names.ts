/**
 * @module proxy/iptables/chain-names
 * kube-proxy's iptables chain names. The per-service and per-endpoint chains
 * are hashed because iptables chain names are at most 28 characters:
 * base32(sha256(name + protocol [+ endpoint]))[:16] after a 9-character prefix.
 */
import { createHash } from "node:crypto";

export const kubeServicesChain = "KUBE-SERVICES";
export const kubeExternalServicesChain = "KUBE-EXTERNAL-SERVICES";
export const kubeNodePortsChain = "KUBE-NODEPORTS";
export const kubePostroutingChain = "KUBE-POSTROUTING";
export const kubeMarkMasqChain = "KUBE-MARK-MASQ";
export const kubeForwardChain = "KUBE-FORWARD";
export const kubeProxyFirewallChain = "KUBE-PROXY-FIREWALL";
export const kubeProxyCanaryChain = "KUBE-PROXY-CANARY";
/** A duplicate of kubelet's chain holding the anti-martian rule. */
export const kubeletFirewallChain = "KUBE-FIREWALL";

export const servicePortPolicyClusterChainNamePrefix = "KUBE-SVC-";
export const servicePortPolicyLocalChainNamePrefix = "KUBE-SVL-";
export const serviceFirewallChainNamePrefix = "KUBE-FW-";
export const serviceExternalChainNamePrefix = "KUBE-EXT-";
export const servicePortEndpointChainNamePrefix = "KUBE-SEP-";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** encoding/base32 StdEncoding (padded; the padding never reaches the first 16 characters of a sha256). */
export function base32StdEncode(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += "=";
  return out;
}

/**
 * Names already hashed. kube-proxy computes a service's and an endpoint's chain names once, when
 * its change tracker builds the ServicePortInfo / EndpointInfo; the state here is rebuilt on each
 * sync, so the names are memoised instead (bounded: cleared when full).
 */
const hashCache = new Map<string, string>();
const hashCacheMax = 1 << 18;

/** Forgets the memoised chain names (a benchmark's cold start). */
export function clearChainNameCache(): void {
  hashCache.clear();
}

/** The first 16 base32 characters of sha256(s): the first 10 bytes encode to exactly 16, unpadded. */
function hash16(s: string): string {
  let h = hashCache.get(s);
  if (h === undefined) {
    h = base32StdEncode(createHash("sha256").update(s).digest().subarray(0, 10));
    if (hashCache.size >= hashCacheMax) hashCache.clear();
    hashCache.set(s, h);
  }
  return h;
}

/** portProtoHash(servicePortName, protocol): protocol lower-case, no separator. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol);
}

/** KUBE-SVC-…: the Cluster traffic policy chain. */
export function servicePortPolicyClusterChain(servicePortName: string, protocol: string): string {
  return servicePortPolicyClusterChainNamePrefix + portProtoHash(servicePortName, protocol);
}

/** KUBE-SVL-…: the Local traffic policy chain. */
export function servicePortPolicyLocalChainName(servicePortName: string, protocol: string): string {
  return servicePortPolicyLocalChainNamePrefix + portProtoHash(servicePortName, protocol);
}

/** KUBE-FW-…: loadBalancerSourceRanges filtering. */
export function serviceFirewallChainName(servicePortName: string, protocol: string): string {
  return serviceFirewallChainNamePrefix + portProtoHash(servicePortName, protocol);
}

/** KUBE-EXT-…: where NodePort, externalIP and LB traffic enters. */
export function serviceExternalChainName(servicePortName: string, protocol: string): string {
  return serviceExternalChainNamePrefix + portProtoHash(servicePortName, protocol);
}

/** KUBE-SEP-…: one endpoint ("ip:port") of a service port. */
export function servicePortEndpointChainName(
  servicePortName: string,
  protocol: string,
  endpoint: string,
): string {
  return servicePortEndpointChainNamePrefix + hash16(servicePortName + protocol + endpoint);
}

/** isServiceChainName: the chains stale-chain cleanup may delete. */
export function isServiceChainName(chain: string): boolean {
  return [
    servicePortPolicyClusterChainNamePrefix,
    servicePortPolicyLocalChainNamePrefix,
    servicePortEndpointChainNamePrefix,
    serviceFirewallChainNamePrefix,
    serviceExternalChainNamePrefix,
  ].some((p) => chain.startsWith(p));
}
