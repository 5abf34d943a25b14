/**
 * @module shell/commands/ip/netns
 * `ip netns add|delete|list|exec|identify|set|list-id` (ipnetns.c): names
 * under /run/netns for namespaces of the simulated machine.
 */
import { destroyNetns } from "../../../kernel/kernel.js";
import { CmdError, type CmdResult } from "../../types.js";
import { Args, matches } from "./args.js";
import type { IpCtx } from "./common.js";

function validName(name: string): boolean {
  return name.length > 0 && name.length < 256 && !name.includes("/") && name !== "." && name !== "..";
}

export async function doNetns(ip: IpCtx, argv: string[]): Promise<CmdResult | null> {
  const a = new Args(argv);
  const cmd = a.more ? a.take() : "list";
  const k = ip.ctx.kernel;
  if (matches(cmd, "list") || cmd === "show" || cmd === "lst") {
    // readdir of the tmpfs /run/netns lists the newest name first.
    const names = [...k.named.keys()].reverse();
    for (const n of names) {
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
  if (cmd === "exec") {
    if (!a.more) throw new CmdError("No netns name specified", 255);
    const name = a.take();
    const ns = k.named.get(name);
    if (!ns) throw new CmdError(`Cannot open network namespace "${name}": No such file or directory`, 255);
    const rest = a.rest();
    if (rest.length === 0) throw new CmdError("No command specified", 1);
    const r = await ip.ctx.exec(rest, ns);
    // ip execvp()s the command itself: a missing program is its error, not the shell's.
    if (r.exitCode === 127 && /command not found/.test(r.stderr)) {
      return {
        stdout: r.stdout,
        stderr: `exec of "${rest[0]}" failed: No such file or directory\n`,
        exitCode: 1,
      };
    }
    return r;
  }
  if (cmd === "identify") {
    for (const [n, ns] of k.named) if (ns === ip.ns) ip.out.push(`${n}\n`);
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
