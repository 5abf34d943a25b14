/**
 * @module cli/commands/apply
 * `kubetwin apply -f PATH…` and `kubetwin delete -f PATH…`: record changes in
 * the state directory, after checking the whole result, so that a bad file
 * changes nothing.
 */
import { buildCluster } from "../../k8s/cluster/cluster.js";
import { keepAllocations, withAllocations } from "../../k8s/controllers/persist.js";
import { runControllers } from "../../k8s/controllers/workloads.js";
import { loadDefinition, objectKey } from "../../k8s/manifest/definition.js";
import { formatDiagnostic } from "../../k8s/manifest/diagnostic.js";
import { readManifestPaths } from "../../node/manifests.js";
import { applyToState, deleteFromState, readState } from "../../node/state.js";
import { CliError } from "../errors.js";

function load(paths: string[]) {
  if (paths.length === 0) throw new CliError("error: must specify one of -f and -k");
  let files: Array<{ file: string; text: string }>;
  try {
    files = readManifestPaths(paths);
  } catch (e) {
    throw new CliError(`error: ${(e as Error).message}`);
  }
  const def = loadDefinition(files);
  const errors = def.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new CliError(errors.map(formatDiagnostic).join("\n"));
  return def;
}

export function runApply(paths: string[], stateDir: string): { stdout: string; stderr: string } {
  const def = load(paths);
  // The cluster as it would be after this apply must be valid as a whole.
  const before = loadDefinition(readState(stateDir) ?? []);
  const stored = new Map(before.objects.map((o) => [objectKey(o.obj), o.obj]));
  // An object applied again keeps what the server allocated for it and the file leaves out.
  const applied = def.objects.map((o) => {
    const old = stored.get(objectKey(o.obj));
    return old ? { ...o, obj: keepAllocations(o.obj, old) } : o;
  });
  const incoming = new Set(applied.map((o) => objectKey(o.obj)));
  const combined = [...before.objects.filter((o) => !incoming.has(objectKey(o.obj))), ...applied];
  const built = buildCluster(combined);
  const work = runControllers(built.cluster, combined);
  const found = [...def.diagnostics, ...before.diagnostics, ...built.diagnostics, ...work.diagnostics];
  const errors = found.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new CliError(errors.map(formatDiagnostic).join("\n"));
  // Stored as the API server stores them: with the addresses and ports it allocated written in.
  const service = (o: Record<string, unknown>) => {
    const m = (o.metadata ?? {}) as Record<string, unknown>;
    return work.services.find((s) => s.name === m.name && s.namespace === (m.namespace ?? "default"));
  };
  const stdout = applyToState(
    stateDir,
    applied.map((o) => withAllocations(o.obj, o.obj.kind === "Service" ? service(o.obj) : undefined)),
  )
    .map((l) => `${l}\n`)
    .join("");
  const warnings = found.filter((d) => d.severity === "warning").map((d) => `${formatDiagnostic(d)}\n`);
  return { stdout, stderr: warnings.join("") };
}

export function runDelete(paths: string[], stateDir: string): { stdout: string; stderr: string } {
  const def = load(paths);
  const r = deleteFromState(
    stateDir,
    def.objects.map((o) => o.obj),
  );
  return { stdout: r.lines.map((l) => `${l}\n`).join(""), stderr: r.missing.map((l) => `${l}\n`).join("") };
}
