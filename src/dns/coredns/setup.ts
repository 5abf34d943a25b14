/**
 * @module dns/coredns/setup
 * What a plugin's setup function sees of its Corefile stanza (caddy.Controller):
 * its arguments, its block lines, and error makers that name the line in
 * CoreDNS's words (`plugin/NAME: Corefile:LINE - Error during parsing: …`).
 */

import type { ZoneAddr } from "../corefile/index.js";
import { ArgErrText, type BlockLine, CorefileError, type Directive, parseError } from "../corefile/index.js";

export interface SetupInput {
  directive: Directive;
  /** The server block's zones (ServerBlockKeys, normalised). */
  serverZones: string[];
  serverAddrs: ZoneAddr[];
  /** File contents by path (hosts files, resolv.conf…); there is no file system. */
  files: Record<string, string>;
}

export class Controller {
  readonly d: Directive;
  readonly name: string;
  constructor(d: Directive) {
    this.d = d;
    this.name = d.name;
  }
  get args(): string[] {
    return this.d.args.map((t) => t.text);
  }
  get block(): BlockLine[] {
    return this.d.block;
  }
  /** `Wrong argument count or unexpected line ending after 'X'` at a line. */
  argErr(after: string, line = this.d.line): CorefileError {
    return parseError(this.d.file, line, ArgErrText(after), this.name);
  }
  errf(msg: string, line = this.d.line): CorefileError {
    return parseError(this.d.file, line, msg, this.name);
  }
  /** A plain error (CoreDNS prints these without a line; we keep the line for the user). */
  err(msg: string, line = this.d.line): CorefileError {
    return new CorefileError(
      `plugin/${this.name}: ${this.d.file}:${line} - ${msg}`,
      this.d.file,
      line,
      this.name,
    );
  }
  noBlock(): void {
    const b = this.d.block[0];
    if (b) throw this.errf(`unknown property '${b.name.text}'`, b.name.line);
  }
  maxArgs(n: number): void {
    const t = this.d.args[n];
    if (t) throw this.argErr(this.d.args[n - 1]?.text ?? this.name, t.line);
  }
}

/** Parse a Go duration ("5s", "1m30s", "100ms") into seconds, or null. */
export function parseDuration(s: string): number | null {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s)) return s === "0" ? 0 : null;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]!]!;
  return total;
}
