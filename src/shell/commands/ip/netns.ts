/**
 * @module shell/commands/ip/netns
 * `ip netns add|delete|list|exec|identify|pids|set|list-id` (ipnetns.c), and
 * `ip -all netns exec|delete`: names
 * under /run/netns for namespaces of the simulated machine.
 */
import { destroyNetns } from "../../../kernel/kernel.js";
import type { NetNs } from "../../../kernel/netns.js";
import { CmdError, type CmdResult } from "../../types.js";
import { Args, matches } from "./args.js";
import type { IpCtx } from "./common.js";

function validName(name: string): boolean {
  return name.length > 0 && name.length < 256 && !name.includes("/") && name !== "." && name !== "..";
}

/** The names under /run/netns as readdir returns them from its tmpfs: the newest first. */
function namesInReaddirOrder(ip: IpCtx): string[] {
  return [...ip.ctx.kernel.named.keys()].reverse();
}

/** `ip netns exec`: ip execvp()s the command itself, so a missing program is its error, not the shell's. */
async function execIn(ip: IpCtx, ns: NetNs, argv: string[]): Promise<CmdResult> {
  const r = await ip.ctx.exec(argv, ns);
  if (r.exitCode === 127 && /command not found/.test(r.stderr)) {
    return {
      stdout: r.stdout,
      stderr: `exec of "${argv[0]}" failed: No such file or directory\n`,
      exitCode: 1,
    };
  }
  return r;
}

export async function doNetns(ip: IpCtx, argv: string[]): Promise<CmdResult | null> {
  const a = new Args(argv);
  const cmd = a.more ? a.take() : "list";
  const k = ip.ctx.kernel;
  if (matches(cmd, "list") || cmd === "show" || cmd === "lst") {
    for (const n of namesInReaddirOrder(ip)) {
      const id = ip.ns.nsids.get(k.named.get(n)!);
      ip.out.push(id !== undefined ? `${n} (id: ${id})\n` : `${n}\n`);
    }
    return null;
  }
  if (cmd === "add") {
    const name = a.next();
    if (!validName(name)) throw new CmdError(`Invalid netns name "${name}"`, 255);
    if (k.named.has(name))
      throw new CmdError(`Cannot create namespace file "/run/netns/${name}": File exists`, 1);
    k.newNetns(name);
    return null;
  }
  if (matches(cmd, "delete")) {
    if (ip.opts.all) {
      for (const ns of [...k.named.values()]) destroyNetns(k, ns);
      return null;
    }
    if (!a.more) throw new CmdError("No netns name specified", 1);
    const name = a.take();
    if (name === "-all" || name === "--all") {
      for (const ns of [...k.named.values()]) destroyNetns(k, ns);
      return null;
    }
    const ns = k.named.get(name);
    if (!ns)
      throw new CmdError(`Cannot remove namespace file "/run/netns/${name}": No such file or directory`, 1);
    destroyNetns(k, ns);
    return null;
  }
  if (cmd === "exec" && ip.opts.all) {
    // netns_foreach: every name under /run/netns in readdir order, a header before each; a command's
    // own failure is its output, and the exit status stays 0.
    const rest = a.rest();
    if (rest.length === 0) throw new CmdError("No command specified", 1);
    let stdout = "";
    let stderr = "";
    for (const n of namesInReaddirOrder(ip)) {
      const ns = k.named.get(n);
      if (!ns) continue;
      stdout += `\nnetns: ${n}\n`;
      const r = await execIn(ip, ns, rest);
      stdout += r.stdout;
      stderr += r.stderr;
    }
    return { stdout, stderr, exitCode: 0 };
  }
  if (cmd === "exec") {
    if (!a.more) throw new CmdError("No netns name specified", 255);
    const name = a.take();
    const ns = k.named.get(name);
    if (!ns) throw new CmdError(`Cannot open network namespace "${name}": No such file or directory`, 255);
    const rest = a.rest();
    if (rest.length === 0) throw new CmdError("No command specified", 1);
    return execIn(ip, ns, rest);
  }
  if (cmd === "identify") {
    // netns_identify_pid: the first name in readdir order whose namespace is the process's, or an
    // empty line. The model has no processes of its own: a pid stands for one in the caller's namespace.
    const args = a.rest();
    if (args.length > 1) throw new CmdError("extra arguments specified", 1);
    const pid = args[0];
    if (pid !== undefined && !/^\d+$/.test(pid))
      throw new CmdError(`Specified string '${pid}' is not a pid`, 1);
    const name = namesInReaddirOrder(ip).find((n) => k.named.get(n) === ip.ns);
    ip.out.push(`${name ?? ""}\n`);
    return null;
  }
  if (cmd === "pids") {
    // The processes whose namespace this is: the model runs none of its own.
    const args = a.rest();
    if (args.length === 0) throw new CmdError("No netns name specified", 1);
    if (args.length > 1) throw new CmdError("extra arguments specified", 1);
    if (!k.named.has(args[0]!))
      throw new CmdError("Cannot open network namespace: No such file or directory", 1);
    return null;
  }
  if (cmd === "set") {
    const name = a.next();
    const id = a.next();
    const ns = k.named.get(name);
    if (!ns) throw new CmdError(`Cannot open network namespace "${name}": No such file or directory`, 1);
    const n = id === "auto" ? -1 : Number(id);
    if (n >= 0) ip.ns.nsids.set(ns, n);
    else ip.ns.idOf(ns);
    return null;
  }
  if (cmd === "list-id") {
    for (const [ns, id] of [...ip.ns.nsids].sort((x, y) => x[1] - y[1])) {
      ip.out.push(`nsid ${id} ${ns.name !== null ? `(iproute2 netns name: ${ns.name})` : ""}\n`);
    }
    return null;
  }
  throw new CmdError(`Command "${cmd}" is unknown, try "ip netns help".`, 1);
}
