/**
 * @module k8s/manifest/definition
 * A cluster definition: the objects of one or more YAML files, checked as
 * the API server checks them (kinds, required fields, names) before anything
 * is built, so that nothing is half-applied.
 */
import type { Diagnostic } from "./diagnostic.js";
import { diagAt, parseManifests, type SourcedObject } from "./load.js";

/** The kinds kubetwin keeps, with the apiVersions they come in. */
export const KINDS: Record<string, string[]> = {
  Namespace: ["v1"],
  Pod: ["v1"],
  Service: ["v1"],
  ConfigMap: ["v1"],
  Endpoints: ["v1"],
  Deployment: ["apps/v1"],
  ReplicaSet: ["apps/v1"],
  StatefulSet: ["apps/v1"],
  DaemonSet: ["apps/v1"],
  EndpointSlice: ["discovery.k8s.io/v1"],
  Ingress: ["networking.k8s.io/v1"],
  NetworkPolicy: ["networking.k8s.io/v1"],
  Cluster: ["kind.x-k8s.io/v1alpha4"],
  TwinConfig: ["kubetwin.dev/v1alpha1"],
  KubeProxyConfiguration: ["kubeproxy.config.k8s.io/v1alpha1"],
};

const CONFIG_KINDS = new Set(["Cluster", "TwinConfig", "KubeProxyConfiguration"]);
const CLUSTER_SCOPED = new Set(["Namespace"]);
/** Kinds whose names must be DNS-1123 labels (they become DNS labels or are 63 characters at most). */
const LABEL_NAMED = new Set(["Namespace", "Service"]);

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** apimachinery's IsDNS1123Label / IsDNS1123Subdomain messages. */
export function nameErrors(kind: string, name: string): string[] {
  if (LABEL_NAMED.has(kind)) {
    const errs: string[] = [];
    if (name.length > 63) errs.push("must be no more than 63 characters");
    if (!DNS1123_LABEL.test(name)) {
      errs.push(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      );
    }
    return errs;
  }
  const errs: string[] = [];
  if (name.length > 253) errs.push("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN.test(name)) {
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return errs;
}

export interface Definition {
  objects: SourcedObject[];
  diagnostics: Diagnostic[];
}

export function objectKey(o: Record<string, unknown>): string {
  const m = (o.metadata ?? {}) as Record<string, unknown>;
  const ns = CLUSTER_SCOPED.has(String(o.kind)) ? "" : String(m.namespace ?? "default");
  return `${String(o.kind)}/${ns}/${String(m.name ?? "")}`;
}

export function loadDefinition(files: Array<{ file: string; text: string }>): Definition {
  const objects: SourcedObject[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    const r = parseManifests(f.text, f.file);
    diagnostics.push(...r.diagnostics);
    for (const src of r.objects) {
      const { kind, apiVersion } = src.obj;
      if (typeof apiVersion !== "string") {
        diagnostics.push(
          diagAt(src, ["apiVersion"], {
            code: "MISSING_FIELD",
            severity: "error",
            message: "apiVersion not set",
          }),
        );
        continue;
      }
      if (typeof kind !== "string") {
        diagnostics.push(
          diagAt(src, ["kind"], { code: "MISSING_FIELD", severity: "error", message: "kind not set" }),
        );
        continue;
      }
      const versions = KINDS[kind];
      if (!versions) {
        diagnostics.push(
          diagAt(src, ["kind"], {
            code: "UNKNOWN_KIND",
            severity: "error",
            message: `no matches for kind "${kind}" in version "${apiVersion}"`,
          }),
        );
        continue;
      }
      if (!versions.includes(apiVersion)) {
        diagnostics.push(
          diagAt(src, ["apiVersion"], {
            code: "UNKNOWN_KIND",
            severity: "error",
            message: `no matches for kind "${kind}" in version "${apiVersion}" (kubetwin knows ${versions.join(", ")})`,
          }),
        );
        continue;
      }
      if (!CONFIG_KINDS.has(kind)) {
        const meta = src.obj.metadata as Record<string, unknown> | undefined;
        const name = meta?.name;
        if (typeof name !== "string" || name === "") {
          diagnostics.push(
            diagAt(src, ["metadata", "name"], {
              code: "MISSING_FIELD",
              severity: "error",
              message: "Required value: name or generateName is required",
            }),
          );
          continue;
        }
        const errs = nameErrors(kind, name);
        if (errs.length > 0) {
          diagnostics.push(
            diagAt(src, ["metadata", "name"], {
              code: "INVALID_FIELD",
              severity: "error",
              message: `${kind} "${name}" is invalid: metadata.name: Invalid value: "${name}": ${errs.join(", ")}`,
            }),
          );
          continue;
        }
        const ns = meta?.namespace;
        if (ns !== undefined && (typeof ns !== "string" || nameErrors("Namespace", ns).length > 0)) {
          diagnostics.push(
            diagAt(src, ["metadata", "namespace"], {
              code: "INVALID_FIELD",
              severity: "error",
              message: `metadata.namespace: Invalid value: "${String(ns)}"`,
            }),
          );
          continue;
        }
      }
      // kubectl apply: a second object of the same kind, namespace and name updates the first.
      const key = CONFIG_KINDS.has(kind) ? null : objectKey(src.obj);
      const earlier = key === null ? -1 : objects.findIndex((o) => objectKey(o.obj) === key);
      if (earlier >= 0) {
        const first = objects[earlier]!;
        const m = (src.obj.metadata ?? {}) as Record<string, unknown>;
        diagnostics.push(
          diagAt(src, ["metadata", "name"], {
            code: "DUPLICATE",
            severity: "warning",
            message: `${kind} ${CLUSTER_SCOPED.has(kind) ? "" : `${String(m.namespace ?? "default")}/`}${String(m.name)} is defined again: this one replaces the one at ${first.file}:${first.line}, as kubectl apply would update it`,
          }),
        );
        objects[earlier] = src;
        continue;
      }
      objects.push(src);
    }
  }
  return { objects, diagnostics };
}
