/**
 * @module dns/coredns/plugins/kubernetes
 * The kubernetes plugin's answers (plugin/kubernetes/{handler,kubernetes,reverse,ns}.go
 * over the generic lookups of plugin/backend_lookup.go): Services, headless
 * endpoints, SRV, PTR, pod records, ExternalName CNAMEs, the zone's SOA/NS,
 * dns-version TXT, and NXDOMAIN versus NODATA exactly where CoreDNS draws it.
 */
import type { Answer } from "dns-packet";
import { parseIPv4, parseIPv6 } from "../../../../net/ip.js";
import type { DnsClusterView, DnsService } from "../../../types.js";
import {
  type Context,
  FLAG,
  fallThrough,
  type Handler,
  isSubDomain,
  matchZone,
  type Next,
  norm,
  qname,
  qtype,
  RCODE,
  type Request,
  type Result,
  setReply,
} from "../../plugin.js";
import * as rr from "../../rr.js";
import { type ViewIndex, viewIndex } from "./controller.js";
import { parseRequest, type RecordRequest, trimZone } from "./parse.js";
import { isReverse, type KubernetesConfig } from "./setup.js";

/** What a lookup found (msg.Service): an address or a name, its port, and the domain it lives at. */
interface Service {
  host: string;
  port: number;
  ttl: number;
  /** The record's own name (msg.Domain(Key)). */
  domain: string;
  text?: string;
}

type NameError = "noItems" | "nsNotExposed" | "invalid";
interface Found {
  services: Service[];
  err: NameError | null;
}

/** An EndpointSlice as CoreDNS keeps it (object.Endpoints): ready addresses × the slice's ports. */
interface Subset {
  addresses: { ip: string; hostname: string; targetRefName: string }[];
  ports: { port: number; name: string; protocol: string }[];
}

/** The kubernetes plugin bound to its configuration. */
export function kubernetesHandler(k: KubernetesConfig): Handler {
  return { name: "kubernetes", serveDNS: (ctx, req, next) => serve(k, ctx, req, next) };
}

/**
 * The plugin's answers by question, per configuration and cluster view: an
 * answer is a function of the name, the type, the request's flags, the
 * view and CoreDNS's own addresses, so a repeated question gets the same
 * reply with its own ID. Answers that went through the upstream (an
 * ExternalName's target) or fell through to the next plugin are not kept.
 */
const answered = new WeakMap<KubernetesConfig, WeakMap<DnsClusterView, Map<string, Result>>>();
const ANSWERED_MAX = 50_000;

function serve(k: KubernetesConfig, ctx: Context, req: Request, next: Next): Result {
  const key = `${qname(req.msg)}|${qtype(req.msg)}|${req.msg.flags ?? 0}|${ctx.localIPs.join(",")}|${
    ctx.view.modified === undefined ? ctx.now : ""
  }`;
  let byView = answered.get(k);
  if (!byView) answered.set(k, (byView = new WeakMap()));
  let memo = byView.get(ctx.view);
  if (!memo) byView.set(ctx.view, (memo = new Map()));
  const known = memo.get(key);
  if (known?.reply) return { ...known, reply: { ...known.reply, id: req.msg.id ?? 0 } };
  let upstream = false;
  const watched: Context = {
    ...ctx,
    lookup: (n, t, r) => {
      upstream = true;
      return ctx.lookup(n, t, r);
    },
  };
  let fell = false;
  const res = answer(k, watched, req, (r) => {
    fell = true;
    return next(r);
  });
  if (!upstream && !fell && res.reply) {
    if (memo.size >= ANSWERED_MAX) memo.clear();
    memo.set(key, res);
  }
  return res;
}

function answer(k: KubernetesConfig, ctx: Context, req: Request, next: Next): Result {
  const qn = qname(req.msg);
  const matched = matchZone(k.zones, qn);
  if (matched === "") return next(req);
  // The zone keeps the query's case (handler.go).
  const zone = qn.slice(qn.length - matched.length);
  const name = qn.toLowerCase();
  const type = qtype(req.msg);
  const b = new Backend(k, ctx, req, zone);
  let records: Answer[] = [];
  let extra: Answer[] = [];
  let err: NameError | null = null;
  switch (type) {
    case "A":
    case "AAAA":
      ({ records, err } = b.address(qn, type, []));
      break;
    case "TXT":
      ({ records, err } = b.txt(qn));
      break;
    case "CNAME":
      ({ records, err } = b.cname(qn));
      break;
    case "PTR":
      ({ records, err } = b.ptr(qn));
      break;
    case "MX": {
      const f = b.services(qn, "MX");
      err = f.err;
      break;
    }
    case "SRV":
      ({ records, extra, err } = b.srv(qn));
      break;
    case "SOA":
      // Only the apex has the SOA; any other name gets NODATA (handler_test.go "svc1… SOA").
      if (name === zone.toLowerCase()) records = [b.soa()];
      break;
    case "NS":
      if (name === zone) {
        ({ records, extra } = b.ns(qn));
        break;
      }
      ({ err } = b.address(qn, "A", []));
      break;
    default:
      // A fake A lookup tells NODATA from NXDOMAIN.
      ({ err } = b.address(qn, "A", []));
  }
  if (err) {
    if (fallThrough(k.fall, name)) return next(req);
    return b.backendError(RCODE.NXDOMAIN);
  }
  if (records.length === 0) return b.backendError(RCODE.NOERROR);
  const m = setReply(req.msg);
  m.flags = (m.flags ?? 0) | FLAG.AA;
  m.answers = records;
  m.additionals = extra;
  return { rcode: RCODE.NOERROR, reply: m, by: "kubernetes" };
}

class Backend {
  readonly k: KubernetesConfig;
  readonly ctx: Context;
  readonly req: Request;
  readonly zone: string;
  constructor(k: KubernetesConfig, ctx: Context, req: Request, zone: string) {
    this.k = k;
    this.ctx = ctx;
    this.req = req;
    this.zone = zone;
  }

  get view(): DnsClusterView {
    return this.ctx.view;
  }

  get index(): ViewIndex {
    return viewIndex(this.ctx.view);
  }

  // ---- plugin/backend_lookup.go ----

  address(
    name: string,
    type: "A" | "AAAA",
    previous: Answer[],
  ): { records: Answer[]; err: NameError | null } {
    const f = this.checkForApex(name, type);
    if (f.err) return { records: [], err: f.err };
    const records: Answer[] = [];
    const dup = new Set<string>();
    for (const s of f.services) {
      const family = hostType(s.host);
      if (family === "CNAME") {
        if (norm(name) === norm(s.host)) continue;
        const c = rr.cname(name, s.ttl, rr.fq(s.host));
        if (previous.length > 7) continue;
        if (
          previous.some(
            (p) =>
              p.type === "CNAME" && norm(p.name) === norm(c.name) && norm(p.data) === norm(rr.fq(s.host)),
          )
        )
          continue;
        if (isSubDomain(this.zone, s.host)) {
          const nxt = this.address(rr.fq(s.host), type, [...previous, c]);
          if (!nxt.err && nxt.records.length > 0) records.push(c, ...nxt.records);
          continue;
        }
        // Outside the zone: ask the server again (plugin/pkg/upstream).
        const m1 = this.ctx.lookup(rr.fq(s.host), type, this.req);
        records.push(c, ...(m1.answers ?? []));
        continue;
      }
      if (family === type && !dup.has(s.host)) {
        dup.add(s.host);
        records.push(rr.addr(name, s.ttl, s.host));
      }
    }
    return { records, err: null };
  }

  private checkForApex(name: string, type: string): Found {
    if (name.toLowerCase() !== this.zone) return this.services(name, type);
    const apex = this.services(`apex.dns.${this.zone}`, type);
    if (!apex.err) return apex;
    return this.services(name, type);
  }

  txt(name: string): { records: Answer[]; err: NameError | null } {
    const f = this.services(name, "TXT");
    return { records: f.services.map((s) => rr.txt(name, s.ttl, s.text ?? "")), err: f.err };
  }

  cname(name: string): { records: Answer[]; err: NameError | null } {
    const f = this.services(name, "CNAME");
    if (f.err) return { records: [], err: f.err };
    const s = f.services[0];
    return { records: s && !rr.isIP(s.host) ? [rr.cname(name, s.ttl, rr.fq(s.host))] : [], err: null };
  }

  ptr(name: string): { records: Answer[]; err: NameError | null } {
    const ip = extractAddressFromReverse(name);
    if (ip === "") return { records: [], err: this.records(name).err };
    const svcs = this.serviceRecordForIP(ip);
    if (svcs.length === 0) return { records: [], err: "noItems" };
    const dup = new Set<string>();
    const records: Answer[] = [];
    for (const s of svcs)
      if (!dup.has(s.host)) {
        dup.add(s.host);
        records.push(rr.ptr(name, s.ttl, s.host));
      }
    return { records, err: null };
  }

  srv(name: string): { records: Answer[]; extra: Answer[]; err: NameError | null } {
    const f = this.services(name, "SRV");
    if (f.err) return { records: [], extra: [], err: f.err };
    const records: Answer[] = [];
    const extra: Answer[] = [];
    const dup = new Set<string>();
    // Weight is 100 shared over every record at the priority (all 0 here), at least 1.
    const total = f.services.length * 100;
    for (const s of f.services) {
      if (s.port === -1) continue;
      const weight = Math.max(1, Math.floor((100 / total) * 100));
      const family = hostType(s.host);
      if (family === "CNAME") continue; // ExternalName SRV is filtered out in Services()
      const target = s.domain;
      const kSrv = `${target.toLowerCase()}|${s.port}`;
      if (!dup.has(kSrv)) {
        dup.add(kSrv);
        records.push(rr.srv(name, s.ttl, 0, weight, s.port, target));
      }
      const kAddr = `${target.toLowerCase()}|@${s.host}`;
      if (!dup.has(kAddr)) {
        dup.add(kAddr);
        extra.push(rr.addr(target, s.ttl, s.host));
      }
    }
    return { records, extra, err: null };
  }

  /** NS for the zone apex: the Service fronting CoreDNS, with its address as glue (ns.go nsAddrs). */
  ns(name: string): { records: Answer[]; extra: Answer[] } {
    const records: Answer[] = [];
    const extra: Answer[] = [];
    const seen = new Set<string>();
    for (const n of this.nsAddrs()) {
      extra.push(rr.addr(n.name, this.k.ttl, n.ip));
      if (seen.has(n.name)) continue;
      seen.add(n.name);
      records.push(rr.ns(name, this.k.ttl, n.name));
    }
    return { records, extra };
  }

  /** The zone's SOA (backend_lookup.go SOA): TTL min(ttl, 300), minimum = ttl. */
  soa(): Answer {
    return {
      name: this.zone,
      type: "SOA",
      class: "IN",
      ttl: Math.min(this.k.ttl, 300),
      data: {
        mname: `ns.dns.${this.zone}`,
        rname: `hostmaster.${this.zone}`,
        serial: (this.view.modified ?? Math.floor(this.ctx.now)) >>> 0,
        refresh: 7200,
        retry: 1800,
        expire: 86400,
        minimum: this.k.ttl,
      },
    };
  }

  /** plugin.BackendError: rcode, AA, the SOA in authority. */
  backendError(rcode: number): Result {
    const m = setReply(this.req.msg, rcode);
    m.flags = (m.flags ?? 0) | FLAG.AA;
    m.authorities = [this.soa()];
    return { rcode: RCODE.NOERROR, reply: m, by: "kubernetes" };
  }

  // ---- kubernetes.go Services / Records ----

  services(name: string, type: string): Found {
    const lname = name.toLowerCase();
    if (type === "TXT") {
      const t = trimZone(name, this.zone);
      if (t.split(".").length !== 1 || t.toLowerCase() !== "dns-version") return { services: [], err: null };
      return { services: [{ host: "", port: 0, ttl: 28800, domain: name, text: "1.1.0" }], err: null };
    }
    if (type === "NS") return { services: [], err: null };
    if (lname === `ns.dns.${this.zone.toLowerCase()}`) {
      const svcs: Service[] = [];
      for (const n of this.nsAddrs())
        if (hostType(n.ip) === type) svcs.push({ host: n.ip, port: 0, ttl: this.k.ttl, domain: name });
      return { services: svcs, err: null };
    }
    const f = this.records(name);
    if (type !== "SRV") return f;
    return { services: f.services.filter((s) => hostType(s.host) !== "CNAME"), err: f.err };
  }

  records(name: string): Found {
    // state.Name() is lower-cased; only the zone keeps the query's case.
    const r = parseRequest(name.toLowerCase(), this.zone);
    if (r === "invalid") return { services: [], err: "invalid" };
    if (r.podOrSvc === "") return { services: [], err: null };
    if (isReverse(name)) return { services: [], err: "noItems" };
    if (!this.namespaceExposed(r.namespace)) return { services: [], err: "nsNotExposed" };
    return r.podOrSvc === "pod" ? this.findPods(r) : this.findServices(r);
  }

  private namespaceExposed(ns: string): boolean {
    if (this.k.namespaces.size > 0 && !this.k.namespaces.has(ns)) return false;
    return this.index.namespaces.has(ns);
  }

  private findPods(r: RecordRequest): Found {
    if (this.k.podMode === "disabled") return { services: [], err: "noItems" };
    const podname = r.service;
    if (podname === "") return { services: [], err: null };
    const domain = `${podname}.${r.namespace}.pod.${this.zone}`;
    const ip =
      (podname.match(/-/g) ?? []).length === 3 && !podname.includes("--")
        ? podname.replaceAll("-", ".")
        : podname.replaceAll("-", ":");
    if (this.k.podMode === "insecure") {
      if (!rr.isIP(ip)) return { services: [], err: "noItems" };
      return { services: [{ host: ip, port: 0, ttl: this.k.ttl, domain }], err: null };
    }
    const pods = this.index.podsByIP.get(`${r.namespace.toLowerCase()}/${ip}`) ?? 0;
    if (pods === 0) return { services: [], err: "noItems" };
    return {
      services: Array.from({ length: pods }, () => ({ host: ip, port: 0, ttl: this.k.ttl, domain })),
      err: null,
    };
  }

  private findServices(r: RecordRequest): Found {
    if (r.service === "") return { services: [], err: null };
    let err: NameError | null = "noItems";
    const out: Service[] = [];
    for (const svc of this.index.services.get(`${r.namespace}/${r.service}`.toLowerCase()) ?? []) {
      const base = `${svc.name}.${svc.namespace}.svc.${this.zone}`;
      if (this.k.ignoreEmptyService && svc.type !== "ExternalName" && !headless(svc)) {
        const count = this.subsets(svc).reduce((n, s) => n + s.addresses.length, 0);
        if (count === 0) continue;
      }
      if (svc.type === "ExternalName") {
        if (r.endpoint !== "") continue;
        const host = svc.externalName ?? "";
        if (hostType(host) === "CNAME") {
          out.push({ host, port: 0, ttl: this.k.ttl, domain: base });
          err = null;
        }
        continue;
      }
      if (headless(svc) || r.endpoint !== "") {
        for (const sub of this.subsets(svc))
          for (const a of sub.addresses) {
            const hn = endpointHostname(a, this.k.endpointNameMode);
            if (r.endpoint !== "" && !eq(r.endpoint, hn)) continue;
            for (const p of sub.ports) {
              if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue;
              out.push({ host: a.ip, port: p.port, ttl: this.k.ttl, domain: `${hn}.${base}` });
              err = null;
            }
          }
        continue;
      }
      const ports = svc.ports.length ? svc.ports : [{ name: "", port: -1, protocol: "" }];
      for (const p of ports) {
        if (!matchPortAndProtocol(r.port, p.name ?? "", r.protocol, p.protocol)) continue;
        err = null;
        for (const ip of clusterIPs(svc)) out.push({ host: ip, port: p.port, ttl: this.k.ttl, domain: base });
      }
    }
    return { services: out, err };
  }

  /** The Service's EndpointSlices as CoreDNS stores them: ready addresses only; a port-less slice gets port -1. */
  private subsets(svc: DnsService): Subset[] {
    if (this.k.noEndpoints) return [];
    return (this.index.slices.get(`${svc.namespace}/${svc.name}`) ?? [])
      .filter((s) => s.addressType !== "FQDN")
      .map((s) => ({
        addresses: s.endpoints
          .filter((e) => e.ready !== false)
          .flatMap((e) =>
            e.addresses.map((ip) => ({
              ip,
              hostname: e.hostname ?? "",
              targetRefName: e.targetRef?.name ?? "",
            })),
          ),
        ports: s.ports.length
          ? s.ports.map((p) => ({ port: p.port, name: p.name ?? "", protocol: p.protocol }))
          : [{ port: -1, name: "", protocol: "" }],
      }));
  }

  /** reverse.go serviceRecordForIP: a ClusterIP first, else every endpoint with that address. */
  private serviceRecordForIP(ip: string): Service[] {
    const exposed = (ns: string) => this.k.namespaces.size === 0 || this.namespaceExposed(ns);
    for (const svc of this.byAddress(this.index.servicesByIP, ip)) {
      if (!clusterIPs(svc).some((c) => sameIP(c, ip)) || !exposed(svc.namespace)) continue;
      return [
        {
          host: `${svc.name}.${svc.namespace}.svc.${this.k.primaryZone}`,
          port: 0,
          ttl: this.k.ttl,
          domain: "",
        },
      ];
    }
    const out: Service[] = [];
    for (const svc of this.byAddress(this.index.servicesByEndpointIP, ip)) {
      if (!exposed(svc.namespace)) continue;
      for (const sub of this.subsets(svc))
        for (const a of sub.addresses) {
          if (!sameIP(a.ip, ip)) continue;
          const hn = endpointHostname(a, this.k.endpointNameMode);
          out.push({
            host: `${hn}.${svc.name}.${svc.namespace}.svc.${this.k.primaryZone}`,
            port: 0,
            ttl: this.k.ttl,
            domain: "",
          });
        }
    }
    return out;
  }

  /**
   * The Services an address belongs to, in the view's order. An IPv6 address may be
   * spelled in several ways, so those fall back to a walk.
   */
  private byAddress(m: Map<string, DnsService[]>, ip: string): DnsService[] {
    return ip.includes(":") ? this.index.all : (m.get(ip) ?? []);
  }

  /** ns.go nsAddrs: the Services whose endpoints hold CoreDNS's own IPs, else ns.dns.<zone> at those IPs. */
  private nsAddrs(): { name: string; ip: string }[] {
    const out: { name: string; ip: string }[] = [];
    for (const local of this.ctx.localIPs)
      for (const svc of this.byAddress(this.index.servicesByEndpointIP, local))
        for (const sub of this.subsets(svc)) {
          if (!sub.addresses.some((a) => sameIP(a.ip, local))) continue;
          const svcName = `${svc.name}.${svc.namespace}.svc.${this.zone}`;
          if (headless(svc))
            for (const a of sub.addresses)
              out.push({ name: `${endpointHostname(a, this.k.endpointNameMode)}.${svcName}`, ip: a.ip });
          else if (clusterIPs(svc)[0]) out.push({ name: svcName, ip: clusterIPs(svc)[0]! });
        }
    if (out.length === 0) for (const ip of this.ctx.localIPs) out.push({ name: `ns.dns.${this.zone}`, ip });
    return out;
  }
}

function eq(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function matchPortAndProtocol(aPort: string, bPort: string, aProto: string, bProto: string): boolean {
  return (aPort === "" || eq(aPort, bPort)) && (aProto === "" || eq(aProto, bProto));
}

function headless(svc: DnsService): boolean {
  return svc.type !== "ExternalName" && (svc.clusterIPs.length === 0 || svc.clusterIPs[0] === "None");
}

function clusterIPs(svc: DnsService): string[] {
  return svc.clusterIPs.filter((ip) => ip !== "None" && ip !== "");
}

/** endpointHostname: the endpoint's hostname, else (endpoint_pod_names) its pod, else the dashed IP. */
export function endpointHostname(
  a: { ip: string; hostname: string; targetRefName: string },
  endpointNameMode: boolean,
): string {
  if (a.hostname) return a.hostname;
  if (endpointNameMode && a.targetRefName) return a.targetRefName;
  if (a.ip.includes(".")) return a.ip.replaceAll(".", "-");
  if (a.ip.includes(":")) return a.ip.replaceAll(":", "-");
  return "";
}

/** msg.Service.HostType: an IPv4, an IPv6, or a name (CNAME). */
function hostType(host: string): "A" | "AAAA" | "CNAME" {
  if (parseIPv4(host) !== null) return "A";
  if (parseIPv6(host) !== null) return "AAAA";
  return "CNAME";
}

function sameIP(x: string, y: string): boolean {
  if (x === y) return true;
  const a6 = parseIPv6(x);
  return a6 !== null && a6 === parseIPv6(y);
}

/** dnsutil.ExtractAddressFromReverse: the address a full reverse name stands for, else "". */
export function extractAddressFromReverse(name: string): string {
  const n = name.toLowerCase();
  if (n.endsWith(".in-addr.arpa.")) {
    const labels = n.slice(0, -".in-addr.arpa.".length).split(".");
    if (labels.length !== 4) return "";
    const ip = labels.reverse().join(".");
    return parseIPv4(ip) !== null ? ip : "";
  }
  if (n.endsWith(".ip6.arpa.")) {
    const labels = n.slice(0, -".ip6.arpa.".length).split(".");
    if (labels.length !== 32 || labels.some((l) => !/^[0-9a-f]$/.test(l))) return "";
    const hex = labels.reverse().join("");
    const groups = hex.match(/.{4}/g)!.join(":");
    const v = parseIPv6(groups);
    return v === null ? "" : compress6(groups);
  }
  return "";
}

/** net.IP.String for IPv6 (RFC 5952). */
function compress6(full: string): string {
  const parts = full.split(":").map((p) => p.replace(/^0+(?=.)/, ""));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (parts[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && parts[j] === "0") j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return parts.join(":");
  return `${parts.slice(0, best).join(":")}::${parts.slice(best + bestLen).join(":")}`;
}
