/**
 * @module cni/result
 * Results as plugins print them (types.PrintResult): built in the 1.0.0
 * form and converted to the configuration's cniVersion — 1.0.0 as is;
 * 0.3.x and 0.4.0 add each address's "version"; 0.1.0 and 0.2.0 keep one
 * ip4 and one ip6 with the routes split by family — with the Go structs'
 * field order, four-space indentation and no trailing newline.
 */
import { type GoJson, marshalIndent } from "./ipam/go-json.js";
import type { CniDns, CniInterface, CniIp, CniResult, CniRoute } from "./types.js";

/** The result an IPAM plugin hands back (the 1.0.0 data, no interfaces). */
export interface IpamResult {
  cniVersion: string;
  ips: CniIp[];
  routes?: CniRoute[];
  dns: CniDns;
}

function dnsJson(d: CniDns): GoJson {
  const out: { [k: string]: GoJson } = {};
  if (d.nameservers?.length) out.nameservers = d.nameservers;
  if (d.domain) out.domain = d.domain;
  if (d.search?.length) out.search = d.search;
  if (d.options?.length) out.options = d.options;
  return out;
}

function routeJson(r: CniRoute): GoJson {
  return r.gw ? { dst: r.dst, gw: r.gw } : { dst: r.dst };
}

function ifaceJson(i: CniInterface): GoJson {
  const out: { [k: string]: GoJson } = { name: i.name };
  if (i.mac) out.mac = i.mac;
  if (i.sandbox) out.sandbox = i.sandbox;
  return out;
}

function ipJson(ip: CniIp, withVersion: boolean): GoJson {
  const out: { [k: string]: GoJson } = {};
  if (withVersion) out.version = isV4(ip.address) ? "4" : "6";
  if (ip.interface !== undefined) out.interface = ip.interface;
  out.address = ip.address;
  if (ip.gateway) out.gateway = ip.gateway;
  return out;
}

const isV4 = (cidrOrIp: string) => !cidrOrIp.includes(":") && cidrOrIp.includes(".");

/**
 * The result as the given cniVersion's Go struct marshals it; "" counts as
 * 0.1.0, as skel decodes it. `asIs` keeps the 1.0.0 body under the given
 * version (loopback builds its result that way, without conversion).
 */
export function resultForVersion(r: IpamResult | CniResult, version: string, asIs = false): GoJson {
  const v = version === "" ? "0.1.0" : version;
  const ips = r.ips ?? [];
  if (!asIs && (v === "0.1.0" || v === "0.2.0")) {
    const out: { [k: string]: GoJson } = { cniVersion: v };
    for (const fam of ["ip4", "ip6"] as const) {
      const ip = ips.find((x) => isV4(x.address) === (fam === "ip4"));
      if (!ip) continue;
      const conf: { [k: string]: GoJson } = { ip: ip.address };
      if (ip.gateway) conf.gateway = ip.gateway;
      const routes = (r.routes ?? []).filter((rt) => isV4(rt.dst) === (fam === "ip4"));
      if (routes.length > 0) conf.routes = routes.map(routeJson);
      out[fam] = conf;
    }
    out.dns = dnsJson(r.dns);
    return out;
  }
  const out: { [k: string]: GoJson } = { cniVersion: v };
  const withVersion = !asIs && v !== "1.0.0";
  const ifaces = "interfaces" in r ? r.interfaces : undefined;
  if (ifaces?.length) out.interfaces = ifaces.map(ifaceJson);
  if (ips.length > 0) out.ips = ips.map((ip) => ipJson(ip, withVersion));
  if (r.routes?.length) out.routes = r.routes.map(routeJson);
  out.dns = dnsJson(r.dns);
  return out;
}

/** Exactly what the reference plugin writes on stdout for this result. */
export function printResult(r: IpamResult | CniResult, version: string, asIs = false): string {
  return marshalIndent(resultForVersion(r, version, asIs));
}

/** Reads a result of any version 0.3.0+ back (the prevResult a chained plugin receives). */
export function parseResult(v: unknown): CniResult {
  const o = (v ?? {}) as Record<string, unknown>;
  const ips = (o.ips as Array<Record<string, unknown>> | undefined)?.map((ip) => ({
    address: String(ip.address),
    ...(typeof ip.gateway === "string" ? { gateway: ip.gateway } : {}),
    ...(typeof ip.interface === "number" ? { interface: ip.interface } : {}),
  }));
  return {
    cniVersion: String(o.cniVersion ?? "1.0.0"),
    ...(Array.isArray(o.interfaces) ? { interfaces: o.interfaces as CniInterface[] } : {}),
    ...(ips ? { ips } : {}),
    ...(Array.isArray(o.routes) ? { routes: o.routes as CniRoute[] } : {}),
    dns: (o.dns ?? {}) as CniDns,
  };
}
