/**
 * @module k8s/manifest/diagnostic
 * Problems with a cluster definition, as data (yaml's model): collected while
 * loading and validating, rendered once as "file:line:col: message".
 */
export interface Diagnostic {
  code:
    | "YAML_SYNTAX"
    | "UNKNOWN_KIND"
    | "INVALID_FIELD"
    | "MISSING_FIELD"
    | "DUPLICATE"
    | "CONFLICT"
    | "NOT_FOUND";
  severity: "error" | "warning";
  message: string;
  file?: string;
  line?: number;
  col?: number;
  /** The field, as kubectl names it: spec.containers[0].ports[0].containerPort */
  field?: string;
}

export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let s = "";
  for (const p of path) {
    if (typeof p === "number") s += `[${p}]`;
    else s += s ? `.${String(p)}` : String(p);
  }
  return s;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file
    ? `${d.file}${d.line !== undefined ? `:${d.line}${d.col !== undefined ? `:${d.col}` : ""}` : ""}: `
    : "";
  const field = d.field ? ` (field ${d.field})` : "";
  return `${where}${d.severity === "warning" ? "warning: " : ""}${d.message}${field}`;
}
