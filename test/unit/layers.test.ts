/**
 * Dependencies point one way (design.md's layers, style.md rule 1): a layer
 * imports only the layers below it. A violation names the file and import.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const src = resolve(import.meta.dirname, "..", "..", "src");

/** Which top-level folders each layer may import from (besides itself). */
const ALLOWED: Record<string, string[]> = {
  net: [],
  trace: ["net"],
  kernel: ["net", "trace"],
  // The simulated host runs iptables command lines with the shell's iptables, as the real one runs the binary.
  host: ["net", "trace", "kernel", "shell"],
  // The DNS model (CoreDNS, the resolver, the wire format) stands on plain data only.
  dns: ["net"],
  // dig, nslookup and getent resolve through the DNS layer's resolver.
  shell: ["net", "trace", "kernel", "dns"],
  // CNI plugins and agents change a node only through the host interface (design principle 2).
  cni: ["net", "host"],
  // kube-proxy, like CNI, programs nodes only through the host interface.
  proxy: ["net", "host"],
  k8s: ["net", "host", "cni", "proxy"],
  twin: ["net", "trace", "kernel", "host", "shell", "cni", "proxy", "k8s", "dns"],
  oracle: ["net", "trace", "kernel", "shell"],
  node: ["net", "trace", "kernel", "host", "shell", "k8s"],
  cli: ["net", "trace", "kernel", "host", "shell", "oracle", "cni", "proxy", "k8s", "node", "twin", "dns"],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

describe("layering", () => {
  it("keeps every import within the layers below", () => {
    const violations: string[] = [];
    let checked = 0;
    for (const f of files(src)) {
      const layer = relative(src, f).split("/")[0]!;
      const allowed = ALLOWED[layer];
      if (!allowed) {
        violations.push(`${relative(src, f)}: unknown layer "${layer}"`);
        continue;
      }
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gms)) {
        checked++;
        const target = relative(src, resolve(join(f, ".."), m[1]!)).split("/")[0]!;
        if (target !== layer && !allowed.includes(target))
          violations.push(`${relative(src, f)} imports ${m[1]} (${layer} → ${target})`);
      }
    }
    expect(violations).toEqual([]);
    // The scan must have seen the codebase's imports, or it proves nothing.
    expect(checked).toBeGreaterThan(200);
  });
});
