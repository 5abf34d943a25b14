/**
 * @module cli/commands/cni-plugin
 * `kubetwin cni-plugin TYPE`: our plugins as the executables a container
 * runtime calls — CNI_* environment, configuration on stdin, result or
 * error JSON on stdout, exit status — changing the real kernel through the
 * Linux host interface (the namespace the runtime started us in is the
 * node's). The code is the same the model's kubelet calls.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fsIpamStore } from "../../cni/ipam/host-local.js";
import { execHostLocal } from "../../cni/ipam/host-local-exec.js";
import type { PluginEnv } from "../../cni/plugins/env.js";
import { PLUGINS } from "../../cni/plugins/index.js";
import { invokePlugin, type PluginOutput } from "../../cni/skel.js";
import { LinuxHost } from "../../host/linux/linux-host.js";
import { CliError } from "../errors.js";

export const PLUGIN_TYPES = ["host-local", ...Object.keys(PLUGINS)];

export function linuxPluginEnv(): PluginEnv {
  return {
    host: new LinuxHost(null),
    ipamStore: fsIpamStore,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    readFile: (p) => {
      try {
        return readFileSync(p, "utf8");
      } catch {
        return null;
      }
    },
    writeFile: (p, d) => {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, d);
    },
    removeFile: (p) => rmSync(p, { force: true }),
  };
}

export async function runCniPlugin(
  type: string,
  stdin: string,
  vars: NodeJS.ProcessEnv,
): Promise<PluginOutput> {
  if (!PLUGIN_TYPES.includes(type))
    throw new CliError(
      `kubetwin cni-plugin: unknown plugin type "${type}" (kubetwin has: ${PLUGIN_TYPES.join(", ")})`,
    );
  if (type === "host-local") return execHostLocal(vars, stdin);
  return invokePlugin(type, vars, stdin, linuxPluginEnv());
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
