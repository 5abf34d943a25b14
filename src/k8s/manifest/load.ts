/**
 * @module k8s/manifest/load
 * Multi-document YAML with positions kept: every object remembers its file
 * and document so that a validation error can name the line of the field.
 */
import { type Document, LineCounter, parseAllDocuments } from "yaml";
import { type Diagnostic, fieldPath } from "./diagnostic.js";

export interface SourcedObject {
  obj: Record<string, unknown>;
  file: string;
  /** 1-based line where the object starts. */
  line: number;
  doc: Document.Parsed;
  lc: LineCounter;
  /** Where the object sits in its document ([] for a whole document, ["items", i] in a List). */
  base: ReadonlyArray<PropertyKey>;
}

export interface Loaded {
  objects: SourcedObject[];
  diagnostics: Diagnostic[];
}

export function parseManifests(text: string, file: string): Loaded {
  const lc = new LineCounter();
  const objects: SourcedObject[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lc, prettyErrors: false })) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = lc.linePos(e.pos[0]);
        diagnostics.push({
          code: "YAML_SYNTAX",
          severity: "error",
          message: e.message.split("\n")[0] ?? e.message,
          file,
          line: pos.line,
          col: pos.col,
        });
      }
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const start = doc.contents?.range?.[0] ?? 0;
    const line = lc.linePos(start).line;
    if (typeof value !== "object" || Array.isArray(value)) {
      diagnostics.push({
        code: "INVALID_FIELD",
        severity: "error",
        message: "a document must be a mapping (an object with apiVersion and kind)",
        file,
        line,
      });
      continue;
    }
    const obj = value as Record<string, unknown>;
    // A List (kubectl get -o yaml) carries its objects in items.
    if (obj.kind === "List" && Array.isArray(obj.items)) {
      (obj.items as unknown[]).forEach((item, i) => {
        if (!item || typeof item !== "object") return;
        const base = ["items", i];
        objects.push({
          obj: item as Record<string, unknown>,
          file,
          line: positionIn({ doc, lc, line, base: [] }, base).line,
          doc,
          lc,
          base,
        });
      });
      continue;
    }
    objects.push({ obj, file, line, doc, lc, base: [] });
  }
  return { objects, diagnostics };
}

/** The line and column of a field of an object (its own line when the field is absent). */
export function positionIn(
  src: Pick<SourcedObject, "doc" | "lc" | "line" | "base">,
  rel: ReadonlyArray<PropertyKey>,
): { line: number; col?: number } {
  const path = [...src.base, ...rel];
  for (let n = path.length; n > 0; n--) {
    const node = src.doc.getIn(path.slice(0, n) as unknown[], true) as
      | { range?: [number, number, number] }
      | undefined;
    if (node?.range) {
      const p = src.lc.linePos(node.range[0]);
      return { line: p.line, col: p.col };
    }
  }
  return { line: src.line };
}

export function diagAt(
  src: SourcedObject,
  path: ReadonlyArray<PropertyKey>,
  d: Omit<Diagnostic, "file" | "line" | "col" | "field">,
): Diagnostic {
  const pos = positionIn(src, path);
  return {
    ...d,
    file: src.file,
    line: pos.line,
    ...(pos.col !== undefined ? { col: pos.col } : {}),
    ...(path.length ? { field: fieldPath(path) } : {}),
  };
}
