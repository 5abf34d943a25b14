/**
 * @module dns/coredns/plugins/hosts
 * hosts [FILE [ZONES…]] { inline entries; ttl; no_reverse; fallthrough } (plugin/hosts):
 * A/AAAA from /etc/hosts-style lines, PTR for their addresses. A name it does
 * not know is SERVFAIL unless it falls through (it has no SOA for an NXDOMAIN).
 */
import type { Answer } from "dns-packet";
import { parseIPv4, parseIPv6 } from "../../../../net/ip.js";
import { normalizeZoneArg } from "../../../corefile/index.js";
import {
  type Fall,
  FLAG,
  fallThrough,
  type Handler,
  matchZone,
  norm,
  qname,
  qtype,
  RCODE,
  setReply,
} from "../../plugin.js";
import * as rr from "../../rr.js";
import { Controller, type SetupInput } from "../../setup.js";
import { extractAddressFromReverse } from "../kubernetes/kubernetes.js";

export interface HostsConfig {
  origins: string[];
  ttl: number;
  noReverse: boolean;
  fall: Fall;
  /** name → addresses, in file order then inline order (inline entries are kept apart in CoreDNS; merged here). */
  byName: Map<string, string[]>;
  byAddr: Map<string, string[]>;
}

export function setupHosts(input: SetupInput): HostsConfig {
  const c = new Controller(input.directive);
  const args = c.args;
  const path = args[0] ?? "/etc/hosts";
  const origins = args.length > 1 ? args.slice(1).flatMap(normalizeZoneArg) : input.serverZones;
  const h: HostsConfig = {
    origins,
    ttl: 3600,
    noReverse: false,
    fall: { zones: null },
    byName: new Map(),
    byAddr: new Map(),
  };
  const inline: string[] = [];
  for (const bl of c.block) {
    const a = bl.args.map((t) => t.text);
    const line = bl.name.line;
    switch (bl.name.text) {
      case "fallthrough":
        h.fall = { zones: a.length ? a.flatMap(normalizeZoneArg) : ["."] };
        break;
      case "no_reverse":
        h.noReverse = true;
        break;
      case "ttl": {
        if (a.length !== 1) throw c.argErr(bl.name.text, line);
        const t = Number(a[0]);
        if (!/^\d+$/.test(a[0]!) || t < 0 || t > 65535) throw c.errf(`ttl provided is invalid`, line);
        h.ttl = t;
        break;
      }
      case "reload":
        if (a.length !== 1) throw c.argErr(bl.name.text, line);
        break;
      default: {
        // Anything else is an inline hosts line: ADDRESS NAME…
        if (parseIPv4(bl.name.text) === null && parseIPv6(bl.name.text) === null)
          throw c.errf(`unknown property '${bl.name.text}'`, line);
        inline.push([bl.name.text, ...a].join(" "));
      }
    }
  }
  const file = input.files[path] ?? "";
  for (const line of [...file.split("\n"), ...inline]) addLine(h, line);
  return h;
}

function addLine(h: HostsConfig, raw: string): void {
  const line = raw.replace(/#.*/, "").trim();
  if (!line) return;
  const [ip, ...names] = line.split(/\s+/);
  if (!ip || names.length === 0) return;
  if (parseIPv4(ip) === null && parseIPv6(ip) === null) return;
  for (const n of names) {
    const name = norm(n);
    if (matchZone(h.origins, name) === "") continue;
    const list = h.byName.get(name) ?? [];
    if (!list.includes(ip)) list.push(ip);
    h.byName.set(name, list);
    const back = h.byAddr.get(ip) ?? [];
    if (!back.includes(name)) back.push(name);
    h.byAddr.set(ip, back);
  }
}

export function hostsHandler(h: HostsConfig): Handler {
  return {
    name: "hosts",
    serveDNS(_ctx, req, next) {
      const qn = qname(req.msg);
      const name = qn.toLowerCase();
      const type = qtype(req.msg);
      // PTR zones need not be listed in the origins.
      if (matchZone(h.origins, name) === "" && type !== "PTR") return next(req);
      let answers: Answer[] = [];
      const ips = h.byName.get(name) ?? [];
      switch (type) {
        case "PTR": {
          const names = h.noReverse ? [] : (h.byAddr.get(extractAddressFromReverse(name)) ?? []);
          if (names.length === 0) return next(req);
          answers = names.map((n) => rr.ptr(qn, h.ttl, n));
          break;
        }
        case "A":
          answers = ips.filter((ip) => ip.includes(".")).map((ip) => rr.a(qn, h.ttl, ip));
          break;
        case "AAAA":
          answers = ips.filter((ip) => ip.includes(":")).map((ip) => rr.aaaa(qn, h.ttl, ip));
          break;
      }
      if (answers.length === 0 && ips.length === 0) {
        if (fallThrough(h.fall, name)) return next(req);
        return { rcode: RCODE.SERVFAIL };
      }
      const m = setReply(req.msg);
      m.flags = (m.flags ?? 0) | FLAG.AA;
      m.answers = answers;
      return { rcode: RCODE.NOERROR, reply: m, by: "hosts" };
    },
  };
}
