/**
 * @module twin/shell-cni
 * `cni-plugin TYPE` inside `kubetwin sh`: our CNI plugins as executables on
 * the simulated machine — CNI_* variables, the configuration on stdin, the
 * result on stdout — changing the namespace the command runs in through the
 * simulated host. host-local keeps its files in the shell's filesystem, so
 * `ls /var/lib/cni/networks/NET` shows them as on a node.
 */

import { DEFAULT_DATA_DIR, type IpamStore, memoryIpamStore } from "../cni/ipam/host-local.js";
import { execHostLocal, type HostLocalIo } from "../cni/ipam/host-local-exec.js";
import type { PluginEnv } from "../cni/plugins/env.js";
import { PLUGINS } from "../cni/plugins/index.js";
import { invokePlugin } from "../cni/skel.js";
import { SimHost } from "../host/sim/sim-host.js";
import type { CmdContext, CmdResult, Command, ShellFs } from "../shell/types.js";

/** A directory of the shell's filesystem loaded into memory for a plugin's synchronous store, then written back. */
async function loadDir(fs: ShellFs, dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (!(await fs.exists(dir))) return files;
  for (const f of await fs.readdir(dir)) files.set(f, await fs.readFile(`${dir}/${f}`));
  return files;
}

async function storeDir(
  fs: ShellFs,
  dir: string,
  before: Map<string, string>,
  after: Map<string, string>,
): Promise<void> {
  if (after.size > 0) await fs.mkdir(dir, { recursive: true });
  for (const [f, d] of after) if (before.get(f) !== d) await fs.writeFile(`${dir}/${f}`, d);
  for (const f of before.keys()) if (!after.has(f)) await fs.rm(`${dir}/${f}`, { force: true });
}

function ipamLocation(stdin: string): { dataDir: string; network: string } | null {
  try {
    const c = JSON.parse(stdin) as { name?: unknown; ipam?: { dataDir?: unknown } };
    if (typeof c.name !== "string") return null;
    return {
      dataDir: typeof c.ipam?.dataDir === "string" ? c.ipam.dataDir : DEFAULT_DATA_DIR,
      network: c.name,
    };
  } catch {
    return null;
  }
}

export const cniPluginCommand: Command = async (argv: string[], ctx: CmdContext): Promise<CmdResult> => {
  const type = argv[0] ?? "";
  if (type !== "host-local" && !PLUGINS[type])
    return {
      stdout: "",
      stderr: `cni-plugin: unknown plugin type "${type}" (kubetwin has: host-local, ${Object.keys(PLUGINS).join(", ")})\n`,
      exitCode: 127,
    };
  const fs = ctx.fs;
  if (!fs) return { stdout: "", stderr: "cni-plugin: no filesystem here\n", exitCode: 126 };
  const vars: Record<string, string> = {};
  for (const [k, v] of ctx.env ?? []) if (k.startsWith("CNI_")) vars[k] = v;
  const where = ipamLocation(ctx.stdin);
  const dir = where ? `${where.dataDir}/${where.network}` : null;
  const before = dir ? await loadDir(fs, dir) : new Map<string, string>();
  const files = new Map(before);
  const store: IpamStore = memoryIpamStore(files);
  // Other files a plugin reads (flannel's subnet.env) are read through this snapshot.
  const extra = new Map<string, string>();
  for (const p of ["/run/flannel/subnet.env"]) if (await fs.exists(p)) extra.set(p, await fs.readFile(p));
  const written = new Map<string, string | null>();
  let r: { stdout: string; stderr: string; exitCode: number };
  if (type === "host-local") {
    const io: HostLocalIo = {
      openStore: () => store,
      readFile: (p) => {
        const t = extra.get(p);
        if (t === undefined) throw new Error(`open ${p}: no such file or directory`);
        return t;
      },
    };
    r = execHostLocal(vars, ctx.stdin, io);
  } else {
    const env: PluginEnv = {
      host: new SimHost(ctx.kernel, ctx.ns),
      ipamStore: () => store,
      randomBytes: (n) => Uint8Array.from({ length: n }, () => ctx.kernel.rng.nextInt(256)),
      readFile: (p) => (written.has(p) ? (written.get(p) ?? null) : (extra.get(p) ?? null)),
      writeFile: (p, d) => {
        written.set(p, d);
      },
      removeFile: (p) => {
        written.set(p, null);
      },
    };
    r = await invokePlugin(type, vars, ctx.stdin, env);
  }
  if (dir) await storeDir(fs, dir, before, files);
  for (const [p, d] of written) {
    if (d === null) await fs.rm(p, { force: true });
    else {
      await fs.mkdir(p.slice(0, p.lastIndexOf("/")) || "/", { recursive: true });
      await fs.writeFile(p, d);
    }
  }
  return r;
};
