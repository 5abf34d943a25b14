/**
 * @module dns/resolver/getaddrinfo
 * glibc's name lookup as a program sees it: `hosts: files dns`, so
 * /etc/hosts first and then DNS through resolv.conf. getaddrinfo(AF_UNSPEC)
 * asks A and AAAA together; gethostbyname2 asks one family (getent hosts).
 */
import type { RecordType } from "dns-packet";
import type { DnsTransport } from "../types.js";
import { type HostsEntry, lookupHosts, parseHosts } from "./hosts.js";
import { type Message, sameName } from "./message.js";
import { type HErrno, resSearch } from "./res-search.js";
import { ResolverState, type SentQuery } from "./res-send.js";
import { parseResolverConf, type ResolverConf } from "./resolv-conf.js";

export type Family = 4 | 6;

/** getaddrinfo's return codes (gai_strerror gives the text). */
export type EaiCode = "EAI_NONAME" | "EAI_AGAIN" | "EAI_FAIL" | "EAI_NODATA";

export const GAI_STRERROR: Record<EaiCode, string> = {
  EAI_NONAME: "Name or service not known",
  EAI_AGAIN: "Temporary failure in name resolution",
  EAI_FAIL: "Non-recoverable failure in name resolution",
  EAI_NODATA: "No address associated with hostname",
};

export interface HostLookup {
  /** null on success. */
  error: EaiCode | null;
  /** h_errno when DNS failed. */
  herrno: HErrno | null;
  /** h_name / ai_canonname: the hosts line's first name, or the DNS name at the end of the CNAME chain. */
  canonicalName: string | null;
  /** Names passed on the way (hosts aliases, CNAME owners). */
  aliases: string[];
  addresses: Array<{ address: string; family: Family }>;
  source: "numeric" | "files" | "dns" | null;
  /** Every query sent, in order. */
  queries: SentQuery[];
  /** Simulated time the lookup took. */
  elapsedMs: number;
}

export interface ResolverOptions {
  transport: DnsTransport;
  /** /etc/resolv.conf (null: absent). */
  resolvConf: string | null;
  /** /etc/hosts (null: absent). */
  hosts: string | null;
  /** Seeds query IDs. */
  seed?: number;
}

function numeric(name: string): Family | null {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 4;
  if (name.includes(":") && /^[0-9a-fA-F:.]+$/.test(name)) return 6;
  return null;
}

/** getanswer_r: follow the CNAME chain from the asked name; keep the addresses at its end. */
function collect(
  replies: Message[],
  asked: string,
): Pick<HostLookup, "canonicalName" | "aliases" | "addresses"> {
  let canon: string | null = null;
  let canonFromAddresses = false;
  const aliases: string[] = [];
  const addresses: HostLookup["addresses"] = [];
  for (const r of replies) {
    let cur = asked;
    let found = false;
    for (const a of r.answers) {
      if (!sameName(a.name, cur)) continue;
      if (a.type === "CNAME") {
        if (!aliases.some((x) => sameName(x, cur))) aliases.push(cur);
        cur = String(a.data).replace(/\.$/, "");
      } else if (a.type === "A" || a.type === "AAAA") {
        found = true;
        const address = String(a.data);
        if (!addresses.some((x) => x.address === address))
          addresses.push({ address, family: a.type === "A" ? 4 : 6 });
      }
    }
    // The name the addresses belong to; without any, where the first chain ended.
    if (canon === null || (found && addresses.length > 0 && !canonFromAddresses)) {
      canon = cur;
      canonFromAddresses = found;
    }
  }
  return { canonicalName: canon ?? asked, aliases, addresses };
}

function eaiOf(herrno: HErrno): EaiCode {
  switch (herrno) {
    case "HOST_NOT_FOUND":
      return "EAI_NONAME";
    case "NO_DATA":
      return "EAI_NODATA";
    case "TRY_AGAIN":
      return "EAI_AGAIN";
    case "NO_RECOVERY":
      return "EAI_FAIL";
  }
}

/** The resolver of one process: its resolv.conf, hosts file and way to the servers. */
export class Resolver {
  readonly conf: ResolverConf;
  readonly hosts: HostsEntry[];
  private readonly transport: DnsTransport;
  private readonly seed: number;
  private lookups = 0;
  private readonly rotation = { next: 0 };

  constructor(opts: ResolverOptions) {
    this.conf = parseResolverConf(opts.resolvConf);
    this.hosts = parseHosts(opts.hosts);
    this.transport = opts.transport;
    this.seed = opts.seed ?? 1;
  }

  /** getaddrinfo(name) for a family, or both (AF_UNSPEC). */
  getaddrinfo(name: string, family: Family | "unspec" = "unspec"): Promise<HostLookup> {
    const families: Family[] = family === "unspec" ? [4, 6] : [family];
    return this.lookup(name, families);
  }

  /** gethostbyname2(name, family): what `getent hosts` and old programs call. */
  gethostbyname2(name: string, family: Family): Promise<HostLookup> {
    return this.lookup(name, [family]);
  }

  private async lookup(name: string, families: Family[]): Promise<HostLookup> {
    const base: HostLookup = {
      error: null,
      herrno: null,
      canonicalName: null,
      aliases: [],
      addresses: [],
      source: null,
      queries: [],
      elapsedMs: 0,
    };
    const num = numeric(name);
    if (num !== null) {
      if (!families.includes(num)) return { ...base, error: "EAI_NONAME" };
      return { ...base, canonicalName: name, addresses: [{ address: name, family: num }], source: "numeric" };
    }
    // hosts: files dns
    const fromFile = lookupHosts(this.hosts, name, families);
    if (fromFile)
      return {
        ...base,
        canonicalName: fromFile.name,
        aliases: fromFile.aliases,
        addresses: fromFile.addresses,
        source: "files",
      };
    const state = new ResolverState(this.seed + this.lookups++ * 7919, this.rotation);
    const types: RecordType[] = families.map((f) => (f === 4 ? "A" : "AAAA"));
    const r = await resSearch(this.conf, state, this.transport, name, types);
    const out = { ...base, queries: state.queries, elapsedMs: state.elapsedMs, source: "dns" as const };
    if (!r.ok) return { ...out, error: eaiOf(r.herrno), herrno: r.herrno };
    const got = collect(r.replies, r.name);
    // An answer without addresses (a lone CNAME) ends the search yet finds nothing.
    if (got.addresses.length === 0) return { ...out, ...got, error: "EAI_NODATA", herrno: "NO_DATA" };
    return { ...out, ...got };
  }
}
