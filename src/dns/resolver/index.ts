/**
 * @module dns/resolver
 * The pod's resolver: glibc's lookup through /etc/hosts and resolv.conf,
 * over the injected DnsTransport.
 */
export {
  type EaiCode,
  type Family,
  GAI_STRERROR,
  type HostLookup,
  Resolver,
  type ResolverOptions,
} from "./getaddrinfo.js";
export { type HostsEntry, type HostsMatch, lookupHosts, parseHosts, reverseHosts } from "./hosts.js";
export {
  decodeMessage,
  encodeQuery,
  type Message,
  type QueryOptions,
  type Rcode,
  reverseName,
  sameName,
} from "./message.js";
export { type HErrno, type QueryOutcome, resQuery, resSearch } from "./res-search.js";
export { ResolverState, resSend, type SendResult, type SentQuery } from "./res-send.js";
export { defaultResolverConf, MAXNS, parseResolverConf, type ResolverConf } from "./resolv-conf.js";
