/**
 * @module proxy/iptables/chain-names
 * kube-proxy's iptables chain names. The per-service and per-endpoint chains
 * are hashed because iptables chain names are at most 28 characters:
 * base32(sha256(name + protocol [+ endpoint]))[:16] after a 9-character prefix.
 */
import { hash } from "node:crypto";

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

/** encoding/base32 StdEncoding's alphabet. */
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * Service port hashes already computed. kube-proxy computes a service's chain names once, when its
 * change tracker builds the ServicePortInfo; the state here is plain data, so the hash is memoised
 * instead (bounded: cleared when full).
 */
const hashCache = new Map<string, string>();
const hashCacheMax = 1 << 18;

/** Forgets the memoised chain names (a benchmark's cold start). */
export function clearChainNameCache(): void {
  hashCache.clear();
}

const BASE32_CODES = Uint8Array.from(BASE32, (c) => c.charCodeAt(0));
// A plain array, so fromCharCode.apply reads it by index (a typed array spread would iterate it).
const nameCodes: number[] = [];

/**
 * prefix + the first 16 base32 characters of sha256(s): its first 10 bytes (20 hex digits, 80 bits)
 * encode to exactly 16, unpadded. Read from the hex digest, which costs no Buffer, and made as one
 * flat string, not a concatenation: a cold sync of a large cluster hashes a hundred thousand names
 * and puts each in a set and a map.
 */
function hashedName(prefix: string, s: string): string {
  const hex = hash("sha256", s, "hex");
  let n = 0;
  for (; n < prefix.length; n++) nameCodes[n] = prefix.charCodeAt(n);
  let value = 0;
  let bits = 0;
  for (let i = 0; i < 20; i++) {
    const c = hex.charCodeAt(i);
    value = ((value << 4) | (c <= 57 ? c - 48 : c - 87)) & 0xff;
    bits += 4;
    if (bits >= 5) {
      nameCodes[n++] = BASE32_CODES[(value >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
  }
  nameCodes.length = n;
  return String.fromCharCode.apply(null, nameCodes);
}

/** The first 16 base32 characters of sha256(s), memoised (a service's four chain names share it). */
function hash16(s: string): string {
  let h = hashCache.get(s);
  if (h === undefined) {
    h = hashedName("", s);
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
  // Not memoised: a service's four chain names share one hash, but each endpoint's is used once a
  // sync (the proxier keeps unchanged services' lines), and a memo of a hundred thousand names
  // would cost a cold sync more than hashing them.
  return hashedName(servicePortEndpointChainNamePrefix, servicePortName + protocol + endpoint);
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
