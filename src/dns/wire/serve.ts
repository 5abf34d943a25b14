/**
 * @module dns/wire/serve
 * One query's bytes in, the reply's bytes out, with what CoreDNS's server does
 * around its plugins (core/dnsserver/server.go ServeDNS and the ScrubWriter):
 * malformed input judged by decodeQuery; a class other than IN refused
 * (unless the chaos plugin is on); an EDNS version other than 0 answered
 * BADVERS; a handler that throws answered SERVFAIL; then the OPT echoed
 * (SizeAndDo) and the reply fitted to the client's buffer (Scrub).
 * Pure: the Node server and the simulated network both call it.
 */
import type { Packet } from "dns-packet";
import type { DnsQuery } from "../types.js";
import { RCODE } from "./codes.js";
import { decodeQuery } from "./decode.js";
import { badVersReply, replySize, setReply, sizeAndDo } from "./edns.js";
import { encodeMessage } from "./encode.js";
import { scrub } from "./truncate.js";

/** Answers one decoded query; null sends nothing. The reply should echo the question as sent. */
export type DnsHandler = (q: DnsQuery) => Packet | null | Promise<Packet | null>;

export interface ServeOptions {
  /** CoreDNS refuses non-IN classes unless the server block has the chaos plugin. */
  classChaos?: boolean;
}

export interface ServeResult {
  /** Bytes to send back, or null to send nothing. */
  bytes: Uint8Array | null;
  /** Why the server answered by itself (FORMERR, REFUSED, …) or dropped, for the log. */
  note?: string;
}

/** errorAndMetricsFunc: SetRcode + SizeAndDo, written uncompressed and unscrubbed. */
function errorReply(query: Packet, rcode: number): Uint8Array {
  return encodeMessage(sizeAndDo(query, setReply(query, rcode)), { compress: false });
}

export function familyOf(ip: string): 4 | 6 {
  return ip.includes(":") && !ip.startsWith("::ffff:") ? 6 : 4;
}

/**
 * The whole server side of one exchange. Never throws: a failing handler
 * becomes SERVFAIL, as CoreDNS's recover() makes a panicking plugin's.
 * Synchronous when the handler is (no promise per query on the hot path).
 */
export function serveDns(
  bytes: Uint8Array,
  ctx: Omit<DnsQuery, "message">,
  handler: DnsHandler,
  opts: ServeOptions = {},
): ServeResult | Promise<ServeResult> {
  const d = decodeQuery(bytes);
  if (d.kind === "drop") return { bytes: null, note: d.reason };
  if (d.kind === "reply") return { bytes: d.bytes, note: d.reason };
  const query = d.message;
  const q = query.questions?.[0];
  if (!q) return { bytes: errorReply(query, RCODE.SERVFAIL), note: "no question" };
  const cls = q.class ?? "IN";
  if (!opts.classChaos && cls !== "IN")
    return { bytes: errorReply(query, RCODE.REFUSED), note: `class ${cls}` };
  const badVers = badVersReply(query);
  if (badVers) return { bytes: encodeMessage(badVers, { compress: false }), note: "EDNS version" };
  let reply: Packet | null | Promise<Packet | null>;
  try {
    reply = handler({ ...ctx, message: query });
  } catch (e) {
    return handlerFailed(query, e);
  }
  if (reply instanceof Promise)
    return reply.then(
      (r) => finish(query, r, ctx),
      (e: unknown) => handlerFailed(query, e),
    );
  return finish(query, reply, ctx);
}

function handlerFailed(query: Packet, e: unknown): ServeResult {
  return { bytes: errorReply(query, RCODE.SERVFAIL), note: `handler failed: ${(e as Error).message}` };
}

/** The ScrubWriter: SizeAndDo, Scrub, Pack. */
function finish(query: Packet, reply: Packet | null, ctx: Omit<DnsQuery, "message">): ServeResult {
  if (!reply) return { bytes: null };
  try {
    const sized = sizeAndDo(query, reply);
    return {
      bytes: scrub(sized, replySize(query, ctx.transport), ctx.transport, familyOf(ctx.client.ip)).bytes,
    };
  } catch (e) {
    // A record the encoder cannot write: CoreDNS's WriteMsg would fail and the client would time out;
    // SERVFAIL tells the user more.
    return { bytes: errorReply(query, RCODE.SERVFAIL), note: `encoding failed: ${(e as Error).message}` };
  }
}
