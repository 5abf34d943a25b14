/**
 * @module cli/commands/load
 * The cluster a read command works on: the files given with -f, or the
 * state directory; any error diagnostic stops the command before anything
 * is built.
 */
import { buildCluster, type ClusterSpec } from "../../k8s/cluster/cluster.js";
import { runControllers, type Workloads } from "../../k8s/controllers/workloads.js";
import { type Definition, loadDefinition } from "../../k8s/manifest/definition.js";
import { formatDiagnostic } from "../../k8s/manifest/diagnostic.js";
import { readManifestPaths } from "../../node/manifests.js";
import { readState } from "../../node/state.js";
import { CliError } from "../errors.js";

export interface SourceOptions {
  file?: string[];
  state?: string;
}

export interface LoadedCluster {
  def: Definition;
  cluster: ClusterSpec;
  work: Workloads;
}

export function loadCluster(opts: SourceOptions): LoadedCluster {
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
  const work = runControllers(cluster, def.objects);
  const errors = [...def.diagnostics, ...diagnostics, ...work.diagnostics].filter(
    (d) => d.severity === "error",
  );
  if (errors.length > 0) throw new CliError(errors.map(formatDiagnostic).join("\n"));
  return { def, cluster, work };
}
