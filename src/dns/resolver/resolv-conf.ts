/**
 * @module dns/resolver/resolv-conf
 * /etc/resolv.conf as glibc's res_init (resolv_conf.c, res_init.c) reads it.
 */

export interface ResolverConf {
  /** Up to MAXNS (3) servers; glibc's default is the local machine. */
  nameservers: string[];
  /** The search list; `domain` and `search` replace each other, the last wins. */
  search: string[];
  ndots: number;
  /** Seconds per try (RES_TIMEOUT 5, at most 30). */
  timeout: number;
  /** Tries per server round (RES_DFLRETRY 2, at most 5). */
  attempts: number;
  rotate: boolean;
  /** Send A and AAAA one after the other instead of in parallel. */
  singleRequest: boolean;
  singleRequestReopen: boolean;
  edns0: boolean;
  /** Query over TCP only. */
  useVc: boolean;
  /** RES_NOTLDQUERY: never query a dotless name as is. */
  noTldQuery: boolean;
}

export const MAXNS = 3;
const RES_MAXNDOTS = 15;
const RES_MAXRETRANS = 30;
const RES_MAXRETRY = 5;

export function defaultResolverConf(): ResolverConf {
  return {
    nameservers: [],
    search: [],
    ndots: 1,
    timeout: 5,
    attempts: 2,
    rotate: false,
    singleRequest: false,
    singleRequestReopen: false,
    edns0: false,
    useVc: false,
    noTldQuery: false,
  };
}

function applyOption(c: ResolverConf, opt: string): void {
  const m = /^([a-z0-9-]+)(?::(\d+))?$/.exec(opt);
  if (!m) return;
  const n = m[2] !== undefined ? Number(m[2]) : null;
  switch (m[1]) {
    case "ndots":
      if (n !== null) c.ndots = Math.min(n, RES_MAXNDOTS);
      break;
    case "timeout":
      if (n !== null) c.timeout = Math.min(n, RES_MAXRETRANS);
      break;
    case "attempts":
      if (n !== null) c.attempts = Math.min(n, RES_MAXRETRY);
      break;
    case "rotate":
      c.rotate = true;
      break;
    case "single-request":
      c.singleRequest = true;
      break;
    case "single-request-reopen":
      c.singleRequestReopen = true;
      break;
    case "edns0":
      c.edns0 = true;
      break;
    case "use-vc":
      c.useVc = true;
      break;
    case "no-tld-query":
      c.noTldQuery = true;
      break;
  }
}

/**
 * Parses resolv.conf. Unknown keywords and bad addresses are ignored, as
 * glibc does; without nameserver lines the local machine is used; without
 * search/domain the search list is empty (glibc would derive it from the
 * host name, which our machines do not qualify).
 */
export function parseResolverConf(text: string | null): ResolverConf {
  const c = defaultResolverConf();
  for (const raw of (text ?? "").split("\n")) {
    if (/^\s*[;#]/.test(raw)) continue;
    const words = raw
      .trim()
      .split(/\s+/)
      .filter((w) => w !== "");
    if (words.length === 0) continue;
    const [key, ...rest] = words;
    if (key === "nameserver" && rest.length > 0) {
      const ip = rest[0]!;
      if (c.nameservers.length < MAXNS && (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) || ip.includes(":")))
        c.nameservers.push(ip);
    } else if (key === "domain" && rest.length > 0) {
      c.search = [rest[0]!.replace(/\.$/, "")];
    } else if (key === "search") {
      c.search = rest.map((d) => d.replace(/\.$/, ""));
    } else if (key === "options") {
      // Each options line applies on top of the earlier ones.
      for (const o of rest) applyOption(c, o);
    }
  }
  if (c.nameservers.length === 0) c.nameservers.push("127.0.0.1");
  return c;
}
