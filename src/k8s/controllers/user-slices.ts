/**
 * @module k8s/controllers/user-slices
 * EndpointSlices nobody's controller made: the ones a definition writes
 * itself (kube-proxy and CoreDNS read every slice labelled with a Service's
 * name, whoever manages it), and those the EndpointSliceMirroring controller
 * makes from an `Endpoints` object of a Service without a selector.
 */
import { parseIPv4 } from "../../net/ip.js";
import type { Rng } from "../../net/rand.js";
import type { Diagnostic } from "../manifest/diagnostic.js";
import { diagAt, type SourcedObject } from "../manifest/load.js";
import { meta } from "./meta.js";
import { randString } from "./names.js";
import { PORT_RANGE, PROTOCOLS, type ServiceInfo, supported, validPortNum } from "./services.js";
import type { EndpointSliceInfo } from "./workloads.js";

type Obj = Record<string, unknown>;

const SERVICE_NAME = "kubernetes.io/service-name";

type Conditions = NonNullable<EndpointSliceInfo["endpoints"][number]["conditions"]>;

function bool(v: unknown): boolean | undefined {
  return typeof v === "boolean" ? v : undefined;
}

/** The ports of a slice or an Endpoints subset, checked as the API server checks them. */
function readPorts(
  path: PropertyKey[],
  ports: unknown,
  err: (path: PropertyKey[], message: string) => void,
): EndpointSliceInfo["ports"] {
  const out: EndpointSliceInfo["ports"] = [];
  ((Array.isArray(ports) ? ports : []) as Obj[]).forEach((p, i) => {
    const at = [...path, i];
    const field = `${path.join(".")}[${i}]`;
    const port = p.port;
    if (!validPortNum(port)) {
      err([...at, "port"], `${field}.port: Invalid value: ${JSON.stringify(port ?? 0)}: ${PORT_RANGE}`);
      return;
    }
    const protocol = p.protocol === undefined ? "TCP" : String(p.protocol);
    if (!PROTOCOLS.includes(protocol)) {
      err(
        [...at, "protocol"],
        `${field}.protocol: Unsupported value: "${protocol}": supported values: ${supported(PROTOCOLS)}`,
      );
      return;
    }
    out.push({ ...(typeof p.name === "string" ? { name: p.name } : {}), port, protocol });
  });
  return out;
}

/** The slices a definition writes itself (discovery.k8s.io/v1 EndpointSlice), IPv4 ones. */
export function userEndpointSlices(objects: SourcedObject[], diagnostics: Diagnostic[]): EndpointSliceInfo[] {
  const out: EndpointSliceInfo[] = [];
  for (const src of objects) {
    if (src.obj.kind !== "EndpointSlice") continue;
    const o = src.obj;
    const m = meta(o);
    const err = (path: PropertyKey[], message: string): void => {
      diagnostics.push(diagAt(src, path, { code: "INVALID_FIELD", severity: "error", message }));
    };
    const addressType = o.addressType;
    if (addressType !== "IPv4") {
      if (addressType === "IPv6" || addressType === "FQDN")
        diagnostics.push(
          diagAt(src, ["addressType"], {
            code: "CONFLICT",
            severity: "warning",
            message: `addressType ${addressType} is not modelled: kube-proxy here reads IPv4 slices only`,
          }),
        );
      else
        err(
          ["addressType"],
          `addressType: ${addressType === undefined ? "Required value" : `Unsupported value: "${String(addressType)}": supported values: "FQDN", "IPv4", "IPv6"`}`,
        );
      continue;
    }
    const service = m.labels?.[SERVICE_NAME];
    if (!service)
      diagnostics.push(
        diagAt(src, ["metadata", "labels"], {
          code: "NOT_FOUND",
          severity: "warning",
          message: `EndpointSlice ${m.namespace}/${m.name} has no ${SERVICE_NAME} label: no Service uses it`,
        }),
      );
    const ports = readPorts(["ports"], o.ports, err);
    const endpoints: EndpointSliceInfo["endpoints"] = [];
    ((Array.isArray(o.endpoints) ? o.endpoints : []) as Obj[]).forEach((e, i) => {
      const addrs = Array.isArray(e.addresses) ? (e.addresses as unknown[]) : [];
      if (addrs.length === 0) {
        err(
          ["endpoints", i, "addresses"],
          `endpoints[${i}].addresses: Required value: must contain at least 1 address`,
        );
        return;
      }
      const bad = addrs.findIndex((a) => typeof a !== "string" || parseIPv4(a) === null);
      if (bad >= 0) {
        err(
          ["endpoints", i, "addresses", bad],
          `endpoints[${i}].addresses[${bad}]: Invalid value: "${String(addrs[bad])}": must be a valid IPv4 address`,
        );
        return;
      }
      const c = (e.conditions ?? {}) as Obj;
      const conditions: Conditions = {};
      for (const k of ["ready", "serving", "terminating"] as const) {
        const v = bool(c[k]);
        if (v !== undefined) conditions[k] = v;
      }
      endpoints.push({
        ip: addrs[0] as string,
        conditions,
        ...(typeof e.nodeName === "string" ? { node: e.nodeName } : {}),
        ...(typeof e.hostname === "string" ? { hostname: e.hostname } : {}),
      });
    });
    out.push({
      namespace: m.namespace,
      name: m.name,
      service: service ?? "",
      labels: m.labels ?? {},
      ports,
      endpoints,
    });
  }
  return out;
}

/**
 * The EndpointSliceMirroring controller: the v1 Endpoints of a Service without a selector become
 * slices it manages, one per subset (addresses ready, notReadyAddresses not).
 */
export function mirroredEndpointSlices(
  objects: SourcedObject[],
  services: readonly ServiceInfo[],
  rng: Rng,
  diagnostics: Diagnostic[],
): EndpointSliceInfo[] {
  const out: EndpointSliceInfo[] = [];
  for (const src of objects) {
    if (src.obj.kind !== "Endpoints") continue;
    const m = meta(src.obj);
    const err = (path: PropertyKey[], message: string): void => {
      diagnostics.push(diagAt(src, path, { code: "INVALID_FIELD", severity: "error", message }));
    };
    const svc = services.find((s) => s.namespace === m.namespace && s.name === m.name);
    // Only a Service without a selector has its Endpoints mirrored (the controller writes the others').
    if (!svc || svc.selector) {
      diagnostics.push(
        diagAt(src, ["metadata", "name"], {
          code: "CONFLICT",
          severity: "warning",
          message: svc
            ? `Endpoints ${m.namespace}/${m.name} belongs to a Service with a selector: the endpoints controller owns it, this one is not used`
            : `Endpoints ${m.namespace}/${m.name} has no Service of its name: nothing mirrors it`,
        }),
      );
      continue;
    }
    ((Array.isArray(src.obj.subsets) ? src.obj.subsets : []) as Obj[]).forEach((sub, si) => {
      const ports = readPorts(["subsets", si, "ports"], sub.ports, err);
      const endpoints: EndpointSliceInfo["endpoints"] = [];
      for (const [field, ready] of [
        ["addresses", true],
        ["notReadyAddresses", false],
      ] as const)
        ((Array.isArray(sub[field]) ? sub[field] : []) as Obj[]).forEach((a, i) => {
          if (typeof a.ip !== "string" || parseIPv4(a.ip) === null) {
            err(
              ["subsets", si, field, i, "ip"],
              `subsets[${si}].${field}[${i}].ip: Invalid value: "${String(a.ip)}": must be a valid IPv4 address`,
            );
            return;
          }
          endpoints.push({
            ip: a.ip,
            conditions: { ready },
            ...(typeof a.nodeName === "string" ? { node: a.nodeName } : {}),
            ...(typeof a.hostname === "string" ? { hostname: a.hostname } : {}),
          });
        });
      const labels: Record<string, string> = {
        ...(m.labels ?? {}),
        "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io",
        [SERVICE_NAME]: m.name,
      };
      out.push({
        namespace: m.namespace,
        name: `${m.name}-${randString(rng, 5)}`,
        service: m.name,
        labels: Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        ports,
        endpoints,
      });
    });
  }
  return out;
}
