/**
 * @module shell/types
 * What a networking command receives and returns. Commands are plain
 * functions: argv in, the text the real tool prints and its exit status out.
 */
import type { DnsTransport } from "../dns/types.js";
import type { Kernel } from "../kernel/kernel.js";
import type { NetNs } from "../kernel/netns.js";

export interface CmdResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface CmdContext {
  kernel: Kernel;
  /** The namespace the command runs in (`ip netns exec` changes it). */
  ns: NetNs;
  stdin: string;
  /** Runs a command line in the shell, in the given namespace (for `ip netns exec`). */
  exec(cmdline: string[], ns: NetNs): Promise<CmdResult>;
  /** Output a background process (e.g. `nc -l … &`) produced, shown when the script next prints. */
  background: boolean;
  emitBackground(text: string, stream?: "stdout" | "stderr"): void;
  /** Registers a background job (a listener) so that `kill %N` and the end of the script stop it. */
  addJob?: (name: string, stop: () => void) => void;
  /** Reads a file of the shell's filesystem synchronously from a snapshot (null when absent). */
  readFile?: (path: string) => string | null;
  /** The command's environment (exported variables and `VAR=value cmd` assignments). */
  env?: ReadonlyMap<string, string>;
  /** The shell's filesystem, for commands that keep state in files (a CNI plugin's IPAM). */
  fs?: ShellFs;
  /** The shell's working directory. */
  cwd?: string;
  /**
   * How this machine's DNS queries reach servers (the twin routes them to
   * its CoreDNS model). Absent on a bare machine: nothing answers.
   */
  dnsTransport?: DnsTransport;
}

/** The part of the interpreter's filesystem commands may use (absolute paths). */
export interface ShellFs {
  readFile(path: string): Promise<string>;
  writeFile(path: string, content: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>;
}

export type Command = (argv: string[], ctx: CmdContext) => CmdResult | Promise<CmdResult>;

/** A user error that ends the command with this text on stderr and this status. */
export class CmdError extends Error {
  readonly exitCode: number;
  readonly stdout: string;
  constructor(message: string, exitCode: number, stdout = "") {
    super(message);
    this.exitCode = exitCode;
    this.stdout = stdout;
  }
}

export function result(stdout: string, stderr = "", exitCode = 0): CmdResult {
  return { stdout, stderr, exitCode };
}
