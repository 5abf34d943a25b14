/**
 * @module node/manifests
 * Reading cluster definitions from disk: files, or directories of .yaml/.yml/.json files.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export function readManifestPaths(paths: string[]): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const p of paths) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      throw new Error(`the path "${p}" does not exist`);
    }
    if (st.isDirectory()) {
      for (const f of readdirSync(p).sort()) {
        if (/\.(ya?ml|json)$/.test(f)) out.push({ file: join(p, f), text: readFileSync(join(p, f), "utf8") });
      }
    } else out.push({ file: p, text: readFileSync(p, "utf8") });
  }
  return out;
}
