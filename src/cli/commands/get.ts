/**
 * @module cli/commands/get
 * `kubetwin get KIND [NAME] [-n NS|-A] [-o wide|json|yaml] [-f PATH…]`:
 * what kubectl prints for the objects of a cluster definition.
 */
import { stringify } from "yaml";
import { buildCluster } from "../../k8s/cluster/cluster.js";
import { loadDefinition } from "../../k8s/manifest/definition.js";
import { formatDiagnostic } from "../../k8s/manifest/diagnostic.js";
import {
  type K8sObject,
  namespaceObject,
  nodeObject,
  SYSTEM_NAMESPACES,
} from "../../k8s/objects/cluster-objects.js";
import { readManifestPaths } from "../../node/manifests.js";
import { readState } from "../../node/state.js";
import { CliError } from "../errors.js";

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

function loadObjects(opts: GetOptions): { nodes: K8sObject[]; namespaces: K8sObject[] } {
  let files: Array<{ file: string; text: string }>;
  if (opts.file && opts.file.length > 0) {
    try {
      files = readManifestPaths(opts.file);
    } catch (e) {
      throw new CliError(`error: ${(e as Error).message}`);
    }
  } else {
    const state = readState(opts.state ?? ".kubetwin");
    if (state === null)
      throw new CliError(
        "error: no cluster here: run `kubetwin apply -f PATH` first, or give the definition with -f PATH",
      );
    files = state;
  }
  const def = loadDefinition(files);
  const { cluster, diagnostics } = buildCluster(def.objects);
  const errors = [...def.diagnostics, ...diagnostics].filter((d) => d.severity === "error");
  if (errors.length > 0) throw new CliError(errors.map(formatDiagnostic).join("\n"));
  const userNs = def.objects
    .filter((o) => o.obj.kind === "Namespace")
    .map((o) => String((o.obj.metadata as Record<string, unknown>).name));
  const names = [...new Set([...SYSTEM_NAMESPACES, ...userNs])].sort();
  return { nodes: cluster.nodes.map((n) => nodeObject(n, cluster)), namespaces: names.map(namespaceObject) };
}

export function runGet(kindArg: string, name: string | undefined, opts: GetOptions): string {
  const kind = RESOURCES[kindArg.toLowerCase()];
  if (!kind) throw new CliError(`error: the server doesn't have a resource type "${kindArg}"`);
  const all = loadObjects(opts);
  let objs = kind === "Node" ? all.nodes : all.namespaces;
  if (name !== undefined) {
    objs = objs.filter((o) => o.metadata.name === name);
    if (objs.length === 0)
      throw new CliError(
        `Error from server (NotFound): ${kind === "Node" ? "nodes" : "namespaces"} "${name}" not found`,
      );
  }
  const out = opts.output ?? "";
  if (out === "json" || out === "yaml") {
    const data =
      name !== undefined
        ? objs[0]
        : { apiVersion: "v1", items: objs, kind: "List", metadata: { resourceVersion: "" } };
    return out === "json" ? `${JSON.stringify(data, null, 4)}\n` : stringify(data);
  }
  if (out !== "" && out !== "wide" && out !== "name") {
    throw new CliError(
      `error: unable to match a printer suitable for the output format "${out}", allowed formats are: json,name,wide,yaml`,
    );
  }
  if (out === "name") return objs.map((o) => `${kind.toLowerCase()}/${String(o.metadata.name)}\n`).join("");
  const age = humanDuration(0);
  if (kind === "Namespace")
    return table(
      ["NAME", "STATUS", "AGE"],
      objs.map((o) => [String(o.metadata.name), "Active", age]),
    );
  const rows = objs.map((o) => {
    const labels = o.metadata.labels as Record<string, string>;
    const roles = Object.keys(labels)
      .filter((l) => l.startsWith("node-role.kubernetes.io/"))
      .map((l) => l.slice("node-role.kubernetes.io/".length))
      .join(",");
    const status = o.status as {
      addresses: Array<{ type: string; address: string }>;
      nodeInfo: Record<string, string>;
    };
    const base = [String(o.metadata.name), "Ready", roles || "<none>", age, status.nodeInfo.kubeletVersion!];
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
  const header = ["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
  if (out === "wide")
    header.push("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME");
  return table(header, rows);
}
