/**
 * @module dns/corefile
 * Corefile parsing: tokens with lines, server blocks, zone addresses, errors as data.
 */
export {
  fqdn,
  normalizeKey,
  normalizeZoneArg,
  reverseZones,
  type ZoneAddr,
  zoneAddrString,
} from "./address.js";
export { PLUGIN_ORDER, pluginRank } from "./directives.js";
export { CorefileError, parseError } from "./errors.js";
export { KIND_COREFILE, kubeadmCorefile } from "./kind-default.js";
export { lex, type Token } from "./lexer.js";
export {
  ArgErrText,
  type BlockLine,
  type Corefile,
  type Directive,
  type ParseOptions,
  type ParseResult,
  parseCorefile,
  type ServerBlock,
} from "./parse.js";
