/**
 * @module cli/commands/get
 * `kubetwin get KIND [NAME] [-n NS|-A] [-o wide|json|yaml] [-f PATH…]`:
 * what kubectl prints for the objects of a cluster definition.
 */
import { stringify } from "yaml";
import type { ServiceInfo, Workloads } from "../../k8s/controllers/workloads.js";
import { endpointSliceObject, podObject, serviceObject } from "../../k8s/objects/api-objects.js";
import {
  clusterNamespaces,
  type K8sObject,
  namespaceObject,
  nodeObject,
} from "../../k8s/objects/cluster-objects.js";
import { CliError } from "../errors.js";
import { loadCluster } from "./load.js";

export interface GetOptions {
  output?: string;
  namespace?: string;
  allNamespaces?: boolean;
  file?: string[];
  state?: string;
}

/** kubectl's resource names and short names for the kinds kubetwin serves. */
const RESOURCES: Record<string, string> = {
  node: "Node",
  nodes: "Node",
  no: "Node",
  namespace: "Namespace",
  namespaces: "Namespace",
  ns: "Namespace",
  pod: "Pod",
  pods: "Pod",
  po: "Pod",
  service: "Service",
  services: "Service",
  svc: "Service",
  endpointslice: "EndpointSlice",
  endpointslices: "EndpointSlice",
};

const PLURAL: Record<string, string> = {
  Node: "nodes",
  Namespace: "namespaces",
  Pod: "pods",
  Service: "services",
  EndpointSlice: "endpointslices.discovery.k8s.io",
};

/** printers.TablePrinter: columns padded to their widest cell, three spaces apart. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 3)))
      .join("")
      .trimEnd();
  return `${[header, ...rows].map(line).join("\n")}\n`;
}

/** duration.HumanDuration, as kubectl prints AGE. */
export function humanDuration(seconds: number): string {
  if (seconds < 0) return "<invalid>";
  if (seconds < 120) return `${Math.floor(seconds)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 10) return seconds % 60 === 0 ? `${m}m` : `${m}m${Math.floor(seconds % 60)}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

interface Loaded {
  nodes: K8sObject[];
  namespaces: K8sObject[];
  work: Workloads;
}

function loadObjects(opts: GetOptions): Loaded {
  const { def, cluster, work } = loadCluster(opts);
  const names = clusterNamespaces(cluster, def.objects);
  return {
    nodes: cluster.nodes.map((n) => nodeObject(n, cluster)),
    namespaces: names.map(namespaceObject),
    work,
  };
}

function byKey(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  return a.namespace < b.namespace
    ? -1
    : a.namespace > b.namespace
      ? 1
      : a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0;
}

function portsText(s: ServiceInfo): string {
  if (s.ports.length === 0) return "<none>";
  return s.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ""}/${p.protocol}`).join(",");
}

/** kubectl's loadBalancerStatusStringer: ingress IPs (or hostnames), cut to 13 characters + "..." unless wide. */
function loadBalancerText(s: ServiceInfo, wide: boolean): string {
  const text = (s.loadBalancerIngress ?? []).join(",");
  return !wide && text.length > 16 ? `${text.slice(0, 13)}...` : text;
}

/** kubectl's getServiceExternalIP: externalIPs, a LoadBalancer's ingress (or <pending>), an ExternalName's name. */
function externalIPText(s: ServiceInfo, wide: boolean): string {
  const eips = s.externalIPs ?? [];
  switch (s.type) {
    case "ExternalName":
      return s.externalName ?? "";
    case "LoadBalancer": {
      const lb = loadBalancerText(s, wide);
      if (eips.length > 0) return [...(lb ? lb.split(",") : []), ...eips].join(",");
      return lb || "<pending>";
    }
    default:
      return eips.length > 0 ? eips.join(",") : "<none>";
  }
}

function selectorText(sel: Record<string, string> | null): string {
  if (!sel || Object.keys(sel).length === 0) return "<none>";
  return Object.entries(sel)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

export function runGet(
  kindArg: string,
  name: string | undefined,
  opts: GetOptions,
): { stdout: string; stderr: string } {
  const kind = RESOURCES[kindArg.toLowerCase()];
  if (!kind) throw new CliError(`error: the server doesn't have a resource type "${kindArg}"`);
  const all = loadObjects(opts);
  const namespaced = kind === "Pod" || kind === "Service" || kind === "EndpointSlice";
  const ns = opts.namespace ?? "default";
  const allNs = opts.allNamespaces === true && namespaced;
  let objs: K8sObject[];
  let rows: string[][];
  let header: string[];
  const out = opts.output ?? "";
  if (out !== "" && out !== "wide" && out !== "name" && out !== "json" && out !== "yaml") {
    throw new CliError(
      `error: unable to match a printer suitable for the output format "${out}", allowed formats are: json,name,wide,yaml`,
    );
  }
  const age = humanDuration(0);
  if (kind === "Pod") {
    const pods = all.work.pods
      .filter((p) => (allNs || p.namespace === ns) && (name === undefined || p.name === name))
      .sort(byKey);
    objs = pods.map(podObject);
    header = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"];
    if (out === "wide") header.push("IP", "NODE", "NOMINATED NODE", "READINESS GATES");
    rows = pods.map((p) => {
      const r = [
        p.name,
        `${p.pending ? 0 : p.containers}/${p.containers}`,
        p.pending ? "Pending" : "Running",
        "0",
        age,
      ];
      if (out === "wide") r.push(p.ip || "<none>", p.node || "<none>", "<none>", "<none>");
      return allNs ? [p.namespace, ...r] : r;
    });
  } else if (kind === "Service") {
    const svcs = all.work.services
      .filter((x) => (allNs || x.namespace === ns) && (name === undefined || x.name === name))
      .sort(byKey);
    objs = svcs.map(serviceObject);
    header = ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"];
    if (out === "wide") header.push("SELECTOR");
    rows = svcs.map((x) => {
      const r = [
        x.name,
        x.type,
        x.clusterIP || "<none>",
        externalIPText(x, out === "wide"),
        portsText(x),
        age,
      ];
      if (out === "wide") r.push(selectorText(x.selector));
      return allNs ? [x.namespace, ...r] : r;
    });
  } else if (kind === "EndpointSlice") {
    const slices = all.work.endpointSlices
      .filter((x) => (allNs || x.namespace === ns) && (name === undefined || x.name === name))
      .sort(byKey);
    objs = slices.map(endpointSliceObject);
    header = ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"];
    rows = slices.map((x) => {
      const ports = x.ports.length ? x.ports.map((p) => String(p.port)).join(",") : "<unset>";
      const ips = x.endpoints.map((e) => e.ip);
      // kubectl shows three endpoints and counts the rest.
      const eps =
        ips.length === 0
          ? "<unset>"
          : ips.length > 3
            ? `${ips.slice(0, 3).join(",")} + ${ips.length - 3} more...`
            : ips.join(",");
      const r = [x.name, "IPv4", ports, eps, age];
      return allNs ? [x.namespace, ...r] : r;
    });
  } else {
    objs = (kind === "Node" ? all.nodes : all.namespaces).filter(
      (o) => name === undefined || o.metadata.name === name,
    );
    if (kind === "Namespace") {
      header = ["NAME", "STATUS", "AGE"];
      rows = objs.map((o) => [String(o.metadata.name), "Active", age]);
    } else {
      header = ["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
      if (out === "wide")
        header.push("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME");
      rows = objs.map((o) => {
        const labels = o.metadata.labels as Record<string, string>;
        const roles = Object.keys(labels)
          .filter((l) => l.startsWith("node-role.kubernetes.io/"))
          .map((l) => l.slice("node-role.kubernetes.io/".length))
          .join(",");
        const status = o.status as {
          addresses: Array<{ type: string; address: string }>;
          nodeInfo: Record<string, string>;
        };
        const base = [
          String(o.metadata.name),
          "Ready",
          roles || "<none>",
          age,
          status.nodeInfo.kubeletVersion!,
        ];
        if (out !== "wide") return base;
        const ip = status.addresses.find((a) => a.type === "InternalIP")?.address ?? "<none>";
        return [
          ...base,
          ip,
          "<none>",
          status.nodeInfo.osImage!,
          status.nodeInfo.kernelVersion!,
          status.nodeInfo.containerRuntimeVersion!,
        ];
      });
    }
  }
  if (allNs) header = ["NAMESPACE", ...header];
  if (name !== undefined && objs.length === 0) {
    throw new CliError(`Error from server (NotFound): ${PLURAL[kind]} "${name}" not found`);
  }
  if (out === "json" || out === "yaml") {
    const data =
      name !== undefined
        ? objs[0]
        : { apiVersion: "v1", items: objs, kind: "List", metadata: { resourceVersion: "" } };
    // kubectl prints unstructured objects: map keys in sorted order (encoding/json), and YAML through
    // sigs.k8s.io/yaml, whose sequences sit at their key's indentation.
    const sorted = sortKeys(data);
    return {
      stdout:
        out === "json" ? `${JSON.stringify(sorted, null, 4)}\n` : stringify(sorted, { indentSeq: false }),
      stderr: "",
    };
  }
  if (out === "name")
    return {
      stdout: objs.map((o) => `${kind.toLowerCase()}/${String(o.metadata.name)}\n`).join(""),
      stderr: "",
    };
  if (objs.length === 0) {
    return {
      stdout: "",
      stderr: namespaced && !allNs ? `No resources found in ${ns} namespace.\n` : "No resources found\n",
    };
  }
  return { stdout: table(header, rows), stderr: "" };
}

/** A value with every object's keys in sorted order (Go's encoding/json sorts map keys by bytes). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((k) => [k, sortKeys(o[k])]),
  );
}
