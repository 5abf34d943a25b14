/**
 * @module shell/procfs
 * /proc/sys/net as files of the shell's filesystem, read and written in the
 * namespace the current command runs in (so `echo 1 > /proc/sys/net/ipv4/ip_forward`
 * works, inside `ip netns exec` too).
 */
import type { FsStat, IFileSystem } from "just-bash";
import type { NetNs } from "../kernel/netns.js";

type FsError = Error & { code: string };

function err(code: string, msg: string): FsError {
  const e = new Error(`${code}: ${msg}`) as FsError;
  e.code = code;
  return e;
}

export class ProcSysFs implements IFileSystem {
  private readonly current: () => NetNs;
  constructor(current: () => NetNs) {
    this.current = current;
  }

  private key(path: string): string {
    return path.replace(/^\/+/, "").replace(/\/+$/, "").replace(/\//g, ".");
  }

  private isDir(path: string): boolean {
    const k = this.key(path);
    if (k === "") return true;
    return this.current()
      .sysctl.keys()
      .some((x) => x.startsWith(`${k}.`));
  }

  async readFile(path: string): Promise<string> {
    const v = this.current().sysctl.get(this.key(path));
    if (v === undefined) {
      if (this.isDir(path)) throw err("EISDIR", `illegal operation on a directory, read '${path}'`);
      throw err("ENOENT", `no such file or directory, open '${path}'`);
    }
    return `${v}\n`;
  }
  async readFileBuffer(path: string): Promise<Uint8Array> {
    return new TextEncoder().encode(await this.readFile(path));
  }
  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    const text = typeof content === "string" ? content : new TextDecoder().decode(content);
    const key = this.key(path);
    if (!this.current().sysctl.has(key)) throw err("ENOENT", `no such file or directory, open '${path}'`);
    // A redirection opens with truncation (an empty write) before it writes: only real values count.
    if (text.trim() === "") return;
    // The kernel rejects a bad value with EINVAL on write(2); the interpreter cannot report a failed
    // write, so the value is left unchanged (docs/fidelity.md).
    this.current().sysctl.set(key, text.trim());
  }
  async appendFile(path: string, content: string | Uint8Array): Promise<void> {
    await this.writeFile(path, content);
  }
  async exists(path: string): Promise<boolean> {
    return this.current().sysctl.has(this.key(path)) || this.isDir(path);
  }
  async stat(path: string): Promise<FsStat> {
    const file = this.current().sysctl.has(this.key(path));
    if (!file && !this.isDir(path)) throw err("ENOENT", `no such file or directory, stat '${path}'`);
    return {
      isFile: file,
      isDirectory: !file,
      isSymbolicLink: false,
      mode: file ? 0o644 : 0o555,
      size: 0,
      mtime: new Date(0),
    };
  }
  async lstat(path: string): Promise<FsStat> {
    return this.stat(path);
  }
  async mkdir(): Promise<void> {
    throw err("EPERM", "operation not permitted");
  }
  async readdir(path: string): Promise<string[]> {
    const k = this.key(path);
    const prefix = k === "" ? "" : `${k}.`;
    const names = new Set<string>();
    for (const x of this.current().sysctl.keys())
      if (x.startsWith(prefix)) names.add(x.slice(prefix.length).split(".")[0]!);
    return [...names].sort();
  }
  async rm(): Promise<void> {
    throw err("EPERM", "operation not permitted");
  }
  async cp(): Promise<void> {
    throw err("EPERM", "operation not permitted");
  }
  async mv(): Promise<void> {
    throw err("EPERM", "operation not permitted");
  }
  resolvePath(base: string, path: string): string {
    if (path.startsWith("/")) return path;
    return `${base.replace(/\/$/, "")}/${path}`;
  }
  getAllPaths(): string[] {
    return [];
  }
  async chmod(): Promise<void> {}
  async symlink(): Promise<void> {
    throw err("EPERM", "operation not permitted");
  }
  async link(): Promise<void> {
    throw err("EPERM", "operation not permitted");
  }
  async readlink(path: string): Promise<string> {
    throw err("EINVAL", `invalid argument, readlink '${path}'`);
  }
  async realpath(path: string): Promise<string> {
    return path;
  }
  async utimes(): Promise<void> {}
}
