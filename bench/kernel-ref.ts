/**
 * @module bench/kernel-ref
 * The real tool as a reference for the sync figures: Debian's iptables-restore
 * (iptables 1.8.9, nf_tables) loading kube-proxy's payload for 1,000 Services
 * into a fresh network namespace, against the model loading the same payload
 * into a fresh simulated node. Root only (unshare --net); skipped otherwise.
 * The namespace is the process's own and goes with it: the machine's is never
 * touched.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimHost } from "../src/host/sim/sim-host.js";
import { Kernel } from "../src/kernel/kernel.js";
import { buildProxyState } from "../src/proxy/changes.js";
import { syncProxyRules } from "../src/proxy/iptables/proxier.js";
import { proxyConfig, proxyNode, proxyWorkload } from "./proxy.js";

/** Why the real tool cannot be run here, or null when it can. */
export function realRestoreUnavailable(): string | null {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return "needs root on Linux";
  const r = spawnSync("unshare", ["--net", "iptables-restore", "--version"], { encoding: "utf8" });
  if (r.status !== 0)
    return `unshare --net iptables-restore failed: ${(r.stderr || r.error?.message || "").trim()}`;
  return null;
}

export interface RestoreReference {
  /** The payload, for both sides. */
  payload: string;
  /** Loads it with the real iptables-restore --noflush into a new, empty network namespace. */
  real(): void;
  /** Loads it with the model's iptables-restore --noflush into a fresh simulated node. */
  model(): Promise<void>;
  /** Removes the payload file. */
  close(): void;
}

/** kube-proxy's full-sync payload for `services` Services of 10 endpoints, ready for both tools. */
export function restoreReference(services: number): RestoreReference {
  const w = proxyWorkload(services);
  const state = buildProxyState(w.services, w.slices, proxyNode.name);
  const payload = syncProxyRules({ state, node: proxyNode, config: proxyConfig }).payload;
  const dir = mkdtempSync(join(tmpdir(), "kubetwin-bench-"));
  const file = join(dir, "payload");
  writeFileSync(file, payload);
  return {
    payload,
    real(): void {
      const r = spawnSync("unshare", ["--net", "iptables-restore", "--noflush", file], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`iptables-restore: exit ${r.status}: ${r.stderr.trim()}`);
    },
    async model(): Promise<void> {
      const host = new SimHost(new Kernel({ seed: 1 }));
      await host.iptablesRestore(null, payload, { noflush: true });
    },
    close(): void {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
