/**
 * @module dns/coredns/plugins/cache
 * cache [TTL] [ZONES…] { success/denial CAPACITY [TTL [MINTTL]]; servfail; disable success|denial ZONES } (plugin/cache).
 * A reply's TTL is its smallest record TTL clamped to [MINTTL, TTL] (5 s and
 * 3600 s / 1800 s by default); every record in it is set to that TTL; a hit
 * returns the entry with every TTL set to what remains, AA set, the client's id.
 */
import type { Answer, Packet } from "dns-packet";
import { normalizeZoneArg } from "../../../corefile/index.js";
import { FLAG, type Handler, matchZone, qname, qtype, RCODE, rcodeOf, setReply } from "../../plugin.js";
import { setTTL, ttlOf } from "../../rr.js";
import { Controller, parseDuration, type SetupInput } from "../../setup.js";

export interface CacheConfig {
  zones: string[];
  pttl: number;
  minpttl: number;
  nttl: number;
  minnttl: number;
  failttl: number;
  disableSuccess: string[];
  disableDenial: string[];
  keepttl: boolean;
}

export function setupCache(input: SetupInput): CacheConfig {
  const c = new Controller(input.directive);
  const cfg: CacheConfig = {
    zones: input.serverZones,
    pttl: 3600,
    minpttl: 5,
    nttl: 1800,
    minnttl: 5,
    failttl: 5,
    disableSuccess: [],
    disableDenial: [],
    keepttl: false,
  };
  const args = c.args;
  let rest = args;
  if (args[0] !== undefined && /^\d+$/.test(args[0])) {
    const t = Number(args[0]);
    cfg.pttl = t;
    cfg.nttl = t;
    if (t < cfg.minpttl) cfg.minpttl = t;
    if (t < cfg.minnttl) cfg.minnttl = t;
    rest = args.slice(1);
  }
  if (rest.length) cfg.zones = rest.flatMap(normalizeZoneArg);
  for (const bl of c.block) {
    const a = bl.args.map((t) => t.text);
    const line = bl.name.line;
    const num = (s: string | undefined): number => {
      if (s === undefined || !/^\d+$/.test(s))
        throw c.err(`strconv.Atoi: parsing "${s ?? ""}": invalid syntax`, line);
      return Number(s);
    };
    switch (bl.name.text) {
      case "success":
      case "denial": {
        if (a.length < 1 || a.length > 3) throw c.argErr(bl.name.text, line);
        num(a[0]);
        const succ = bl.name.text === "success";
        if (a[1] !== undefined) {
          const t = num(a[1]);
          if (succ) cfg.pttl = t;
          else cfg.nttl = t;
        }
        if (a[2] !== undefined) {
          const t = num(a[2]);
          if (succ) cfg.minpttl = t;
          else cfg.minnttl = t;
        }
        break;
      }
      case "servfail": {
        if (a.length !== 1) throw c.argErr(bl.name.text, line);
        const d = parseDuration(a[0]!);
        if (d === null) throw c.err(`time: invalid duration "${a[0]}"`, line);
        if (d > 300) throw c.errf("caching SERVFAIL responses over 5 minutes is not permitted", line);
        cfg.failttl = d;
        break;
      }
      case "disable": {
        if (a.length < 1) throw c.argErr(bl.name.text, line);
        const zones = a.length > 1 ? a.slice(1).flatMap(normalizeZoneArg) : cfg.zones;
        if (a[0] === "success") cfg.disableSuccess.push(...zones);
        else if (a[0] === "denial") cfg.disableDenial.push(...zones);
        else throw c.errf(`cache type for disable must be "success" or "denial"`, line);
        break;
      }
      case "keepttl":
        cfg.keepttl = true;
        break;
      case "prefetch":
      case "serve_stale":
        break;
      default:
        throw c.errf(`unknown property '${bl.name.text}'`, line);
    }
  }
  return cfg;
}

type MsgType = "success" | "nodata" | "nxdomain" | "servfail" | "other";

function typify(m: Packet): MsgType {
  const rc = rcodeOf(m);
  if (rc === RCODE.NXDOMAIN) return "nxdomain";
  if (rc === RCODE.SERVFAIL) return "servfail";
  if (rc !== RCODE.NOERROR) return "other";
  return (m.answers ?? []).length > 0 ? "success" : "nodata";
}

interface Item {
  msg: Packet;
  stored: number;
  ttl: number;
}

/** The cache's entries live in the handler: one cache per server block, as in CoreDNS. */
export function cacheHandler(cfg: CacheConfig): Handler {
  const entries = new Map<string, Item>();
  return {
    name: "cache",
    serveDNS(ctx, req, next) {
      const name = qname(req.msg).toLowerCase();
      if (matchZone(cfg.zones, name) === "") return next(req);
      const opt = (req.msg.additionals ?? []).find((a) => a.type === "OPT");
      const doBit = opt !== undefined && "flag_do" in opt && opt.flag_do === true;
      const cd = ((req.msg.flags ?? 0) & FLAG.CD) !== 0;
      const key = `${name}|${qtype(req.msg)}|${doBit}|${cd}`;
      const hit = entries.get(key);
      if (hit) {
        const left = hit.ttl - Math.floor(ctx.now - hit.stored);
        if (left > 0) {
          const m = setReply(req.msg, rcodeOf(hit.msg));
          // AA is set on hits: some clients drop non-authoritative answers (item.go toMsg).
          m.flags = (m.flags ?? 0) | FLAG.AA | ((hit.msg.flags ?? 0) & FLAG.RA);
          const keep = (rrs: Answer[] | undefined) =>
            (rrs ?? [])
              .filter((r) => r.type !== "OPT")
              .map((r) => (cfg.keepttl ? { ...r } : setTTL(r, left)));
          m.answers = keep(hit.msg.answers);
          m.authorities = keep(hit.msg.authorities);
          m.additionals = keep(hit.msg.additionals);
          return { rcode: RCODE.NOERROR, reply: m, by: "cache" };
        }
        entries.delete(key);
      }
      const res = next(req);
      // An rcode nobody wrote is written by the server past the cache's writer: nothing to store.
      if (!res.reply) return res;
      const m = res.reply;
      const mt = typify(m);
      if (mt === "other" || ((m.flags ?? 0) & FLAG.TC) !== 0) return res;
      const duration =
        mt === "servfail"
          ? cfg.failttl
          : clamp(
              minimalTTL(m, mt),
              mt === "success" ? cfg.minpttl : cfg.minnttl,
              mt === "success" ? cfg.pttl : cfg.nttl,
            );
      const disabled =
        (mt === "success" && matchZone(cfg.disableSuccess, name) !== "") ||
        ((mt === "nodata" || mt === "nxdomain") && matchZone(cfg.disableDenial, name) !== "");
      if (duration > 0 && !disabled)
        entries.set(key, { msg: structuredClone(m), stored: ctx.now, ttl: duration });
      if (cfg.keepttl) return res;
      // The reply itself carries the capped TTL, so clients see no jump when the next answer is a hit.
      const cap = (rrs: Answer[] | undefined): Answer[] =>
        (rrs ?? []).every((r) => r.type === "OPT" || ttlOf(r) === duration)
          ? (rrs ?? [])
          : (rrs ?? []).map((r) => (r.type === "OPT" ? r : setTTL(r, duration)));
      return {
        ...res,
        reply: {
          ...m,
          answers: cap(m.answers),
          authorities: cap(m.authorities),
          additionals: cap(m.additionals),
        },
      };
    },
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/** dnsutil.MinimalTTL: the smallest TTL in the reply; a denial's SOA minimum counts too; 5 s when empty. */
function minimalTTL(m: Packet, mt: MsgType): number {
  let min = 3600;
  let any = false;
  for (const rrs of [m.answers, m.authorities, m.additionals])
    for (const r of rrs ?? [])
      if (r.type !== "OPT") {
        any = true;
        min = Math.min(min, ttlOf(r));
      }
  if (!any) return 5;
  if (mt === "nodata" || mt === "nxdomain")
    for (const r of m.authorities ?? []) if (r.type === "SOA") min = Math.min(min, r.data.minimum ?? min);
  return min;
}
