/**
 * @module cli/commands/apply
 * `kubetwin apply -f PATH…` and `kubetwin delete -f PATH…`: record changes in
 * the state directory, after checking the whole result, so that a bad file
 * changes nothing.
 */
import { buildCluster } from "../../k8s/cluster/cluster.js";
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
  const incoming = new Set(def.objects.map((o) => objectKey(o.obj)));
  const combined = [...before.objects.filter((o) => !incoming.has(objectKey(o.obj))), ...def.objects];
  const built = buildCluster(combined);
  const work = runControllers(built.cluster, combined);
  const found = [...def.diagnostics, ...before.diagnostics, ...built.diagnostics, ...work.diagnostics];
  const errors = found.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new CliError(errors.map(formatDiagnostic).join("\n"));
  const stdout = applyToState(
    stateDir,
    def.objects.map((o) => o.obj),
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
