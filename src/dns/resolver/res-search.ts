/**
 * @module dns/resolver/res-search
 * glibc's __res_context_search (resolv/res_query.c): which names a lookup
 * tries and when it stops. A name with at least `ndots` dots (or a trailing
 * dot) is tried as is first; otherwise the search domains come first and the
 * name as is last. NXDOMAIN, NODATA and SERVFAIL move on to the next search
 * domain; a timeout or REFUSED ends the search.
 */
import type { RecordType } from "dns-packet";
import type { DnsTransport } from "../types.js";
import type { Message } from "./message.js";
import { type ResolverState, resSend } from "./res-send.js";
import type { ResolverConf } from "./resolv-conf.js";

/** h_errno values. */
export type HErrno = "HOST_NOT_FOUND" | "TRY_AGAIN" | "NO_RECOVERY" | "NO_DATA";

export type QueryOutcome =
  | { ok: true; name: string; replies: Message[] }
  | { ok: false; herrno: HErrno; servfail: boolean };

/** __res_context_query: one name, its questions, and h_errno from the first reply. */
export async function resQuery(
  conf: ResolverConf,
  state: ResolverState,
  transport: DnsTransport,
  name: string,
  types: RecordType[],
): Promise<QueryOutcome> {
  const sent = await resSend(
    conf,
    state,
    transport,
    types.map((type) => ({ name, type })),
  );
  if (!sent.ok) return { ok: false, herrno: "TRY_AGAIN", servfail: sent.lastRcode === "SERVFAIL" };
  if (sent.replies.every((r) => r.rcode !== "NOERROR" || r.answers.length === 0)) {
    const first = sent.replies[0]!;
    const herrno: HErrno =
      first.rcode === "NXDOMAIN"
        ? "HOST_NOT_FOUND"
        : first.rcode === "SERVFAIL"
          ? "TRY_AGAIN"
          : first.rcode === "NOERROR"
            ? "NO_DATA"
            : "NO_RECOVERY";
    return { ok: false, herrno, servfail: first.rcode === "SERVFAIL" };
  }
  return { ok: true, name, replies: sent.replies };
}

function countDots(name: string): number {
  return (name.match(/\./g) ?? []).length;
}

/** __res_context_search: the search list applied to `name`. */
export async function resSearch(
  conf: ResolverConf,
  state: ResolverState,
  transport: DnsTransport,
  name: string,
  types: RecordType[],
): Promise<QueryOutcome> {
  const dots = countDots(name);
  const trailingDot = name.endsWith(".");
  const asIs = () => resQuery(conf, state, transport, trailingDot ? name.slice(0, -1) : name, types);
  let saved: HErrno | null = null;
  let last: QueryOutcome | null = null;
  let triedAsIs = false;
  let searched = false;
  let rootOnList = false;
  let gotNodata = false;
  let gotServfail = false;

  if (dots >= conf.ndots || trailingDot) {
    const r = await asIs();
    if (r.ok || trailingDot) return r;
    saved = r.herrno;
    triedAsIs = true;
    last = r;
  }
  // RES_DEFNAMES and RES_DNSRCH are on by default: dotless and dotted names both search.
  if (!trailingDot) {
    let done = false;
    for (const domain of conf.search) {
      if (done) break;
      searched = true;
      const root = domain === "" || domain === ".";
      if (root) rootOnList = true;
      if (rootOnList && triedAsIs) continue;
      const r = root ? await asIs() : await resQuery(conf, state, transport, `${name}.${domain}`, types);
      if (r.ok) return r;
      last = r;
      switch (r.herrno) {
        case "NO_DATA":
          gotNodata = true;
          break;
        case "HOST_NOT_FOUND":
          break;
        case "TRY_AGAIN":
          if (r.servfail) gotServfail = true;
          else done = true;
          break;
        default:
          done = true;
      }
    }
  }
  if ((dots > 0 || !searched || !conf.noTldQuery) && !(triedAsIs || rootOnList)) {
    const r = await asIs();
    if (r.ok) return r;
    last = r;
  }
  const herrno: HErrno =
    saved ??
    (gotNodata ? "NO_DATA" : gotServfail ? "TRY_AGAIN" : last && !last.ok ? last.herrno : "HOST_NOT_FOUND");
  return { ok: false, herrno, servfail: false };
}
