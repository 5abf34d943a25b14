/**
 * @module dns/coredns/plugins/kubernetes/parse
 * A query name read as the kubernetes plugin reads it (plugin/kubernetes/parse.go
 * parseRequest): `[_port._proto.|endpoint.]service.namespace.(svc|pod).zone`.
 * Leading underscores are stripped from port and protocol; more labels than
 * that, or a label other than svc/pod before the zone, is an invalid request.
 */

export interface RecordRequest {
  port: string;
  protocol: string;
  endpoint: string;
  service: string;
  namespace: string;
  /** "svc", "pod", or "" for the apex, `svc.zone` and `pod.zone` (NODATA). */
  podOrSvc: string;
}

/** The labels of `name` below `zone` (both fully qualified, compared case-insensitively). */
export function trimZone(name: string, zone: string): string {
  const n = name.toLowerCase();
  const z = zone.toLowerCase();
  if (n === z) return "";
  return name.slice(0, name.length - zone.length - 1);
}

export function parseRequest(name: string, zone: string): RecordRequest | "invalid" {
  const r: RecordRequest = { port: "", protocol: "", endpoint: "", service: "", namespace: "", podOrSvc: "" };
  const base = trimZone(name, zone);
  if (base === "" || base === "svc" || base === "pod") return r;
  const segs = base.split(".");
  let last = segs.length - 1;
  r.podOrSvc = segs[last]!;
  if (r.podOrSvc !== "pod" && r.podOrSvc !== "svc") return "invalid";
  if (--last < 0) return r;
  r.namespace = segs[last]!;
  if (--last < 0) return r;
  r.service = segs[last]!;
  if (--last < 0) return r;
  if (last === 0) r.endpoint = segs[0]!;
  else if (last === 1) {
    r.protocol = stripUnderscore(segs[1]!);
    r.port = stripUnderscore(segs[0]!);
  } else return "invalid";
  return r;
}

function stripUnderscore(s: string): string {
  return s.startsWith("_") ? s.slice(1) : s;
}
