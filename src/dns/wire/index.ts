/**
 * @module dns/wire
 * The DNS wire layer: query decoding and judging, a name-compressing encoder
 * that writes what miekg/dns (CoreDNS) writes, EDNS0 and truncation as
 * CoreDNS does them, and the pure one-exchange server pipeline.
 */
export { FLAG, OPCODE, RCODE } from "./codes.js";
export { asWireBytes, type DecodedQuery, decodeQuery, type WireBytes } from "./decode.js";
export { badVersReply, optOf, replySize, setReply, sizeAndDo } from "./edns.js";
export { type EncodeOptions, encodeMessage, MessageEncoder } from "./encode.js";
export { type DnsHandler, familyOf, type ServeOptions, type ServeResult, serveDns } from "./serve.js";
export { scrub, type Truncated, truncate } from "./truncate.js";
