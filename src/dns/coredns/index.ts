/**
 * @module dns/coredns
 * The CoreDNS model: load a Corefile, answer queries against a cluster view.
 */

export { parseRR } from "./rr.js";
export {
  type CorednsOptions,
  type CorednsServer,
  type LoadResult,
  loadCorefile,
  type ServeEnv,
  type ServeResult,
  type ServerInstance,
  serveDns,
} from "./server.js";
export {
  DEFAULT_UPSTREAM,
  recordSetResolver,
  type UpstreamRecordSet,
  type UpstreamResolver,
} from "./upstream.js";
