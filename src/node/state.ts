/**
 * @module node/state
 * The twin's state directory (`.kubetwin/` or --state DIR): the objects
 * applied so far, one YAML document each, in the order a real cluster would
 * have received them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { objectKey } from "../k8s/manifest/definition.js";

const FILE = "applied.yaml";

export function readState(dir: string): Array<{ file: string; text: string }> | null {
  const f = join(dir, FILE);
  if (!existsSync(f)) return null;
  return [{ file: f, text: readFileSync(f, "utf8") }];
}

type Obj = Record<string, unknown>;

function objects(dir: string): Obj[] {
  const s = readState(dir);
  if (!s) return [];
  return parseAllDocuments(s[0]!.text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null && typeof o === "object");
}

function write(dir: string, objs: Obj[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, FILE), objs.map((o) => `---\n${stringify(o)}`).join(""));
}

/** kubectl apply: each object replaces the one with its kind, namespace and name, or is added. */
export function applyToState(dir: string, incoming: Obj[]): string[] {
  clearTraces(dir);
  const objs = objects(dir);
  const out: string[] = [];
  for (const o of incoming) {
    const key = objectKey(o);
    const i = objs.findIndex((x) => objectKey(x) === key);
    const what = `${String(o.kind).toLowerCase()}/${String((o.metadata as Obj | undefined)?.name ?? (o.kind === "Cluster" || o.kind === "TwinConfig" ? "config" : ""))}`;
    if (i >= 0) {
      const same = JSON.stringify(objs[i]) === JSON.stringify(o);
      objs[i] = o;
      out.push(`${what} ${same ? "unchanged" : "configured"}`);
    } else {
      objs.push(o);
      out.push(`${what} created`);
    }
  }
  write(dir, objs);
  return out;
}

export function deleteFromState(dir: string, incoming: Obj[]): { lines: string[]; missing: string[] } {
  clearTraces(dir);
  const objs = objects(dir);
  const lines: string[] = [];
  const missing: string[] = [];
  for (const o of incoming) {
    const key = objectKey(o);
    const i = objs.findIndex((x) => objectKey(x) === key);
    // The kind and kubetwin configs have no metadata: kubetwin calls each "config".
    const name = String((o.metadata as Obj | undefined)?.name ?? "config");
    if (i < 0) {
      missing.push(
        `Error from server (NotFound): error when deleting: ${String(o.kind).toLowerCase()}s "${name}" not found`,
      );
      continue;
    }
    objs.splice(i, 1);
    lines.push(`${String(o.kind).toLowerCase()} "${name}" deleted`);
  }
  write(dir, objs);
  return { lines, missing };
}

/** A trace run against the state directory: kept so later commands see what it left (conntrack, neighbours). */
export interface TraceRecord {
  src: string;
  dst: string;
  proto: "tcp" | "udp" | "icmp";
  port: number | null;
}

const TRACES = "traces.jsonl";

export function readTraces(dir: string): TraceRecord[] {
  const f = join(dir, TRACES);
  if (!existsSync(f)) return [];
  return readFileSync(f, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as TraceRecord);
}

export function appendTrace(dir: string, t: TraceRecord): void {
  mkdirSync(dir, { recursive: true });
  const prev = existsSync(join(dir, TRACES)) ? readFileSync(join(dir, TRACES), "utf8") : "";
  writeFileSync(join(dir, TRACES), `${prev}${JSON.stringify(t)}\n`);
}

/** Applying or deleting objects starts the twin afresh: earlier traces no longer apply. */
export function clearTraces(dir: string): void {
  const f = join(dir, TRACES);
  if (existsSync(f)) writeFileSync(f, "");
}
