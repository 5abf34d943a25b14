/**
 * @module dns/server
 * The Node edge of the DNS layer: a real UDP + TCP server for the pure pipeline in dns/wire.
 */
export {
  DEFAULT_LIMITS,
  type DnsServer,
  type DnsServerLimits,
  type DnsServerOptions,
  startDnsServer,
} from "./dns-server.js";
export { parseListen } from "./listen.js";
