/**
 * @module shell/commands/ip/args
 * iproute2's argument conventions: keyword abbreviations (`matches`),
 * NEXT_ARG, and the exact messages of invarg/duparg/incomplete_command.
 */
import { type KErr, STRERROR } from "../../../kernel/errno.js";
import { CmdError } from "../../types.js";

/** matches(): the word is a non-empty prefix of the keyword. */
export function matches(word: string, keyword: string): boolean {
  return word.length > 0 && word.length <= keyword.length && keyword.startsWith(word);
}

export class Args {
  private i = 0;
  readonly argv: string[];
  constructor(argv: string[]) {
    this.argv = argv;
  }
  get more(): boolean {
    return this.i < this.argv.length;
  }
  /** How many words have been taken. */
  get pos(): number {
    return this.i;
  }
  peek(): string | undefined {
    return this.argv[this.i];
  }
  take(): string {
    const a = this.argv[this.i++];
    if (a === undefined) incomplete();
    return a;
  }
  /** NEXT_ARG(): the value after a keyword, or "Command line is not complete". */
  next(): string {
    return this.take();
  }
  rest(): string[] {
    const r = this.argv.slice(this.i);
    this.i = this.argv.length;
    return r;
  }
}

export function incomplete(): never {
  throw new CmdError('Command line is not complete. Try option "help"', 255);
}

export function invarg(msg: string, arg: string): never {
  throw new CmdError(`Error: argument "${arg}" is wrong: ${msg}`, 255);
}

export function duparg(key: string, arg: string): never {
  throw new CmdError(`Error: duplicate "${key}": "${arg}" is the second value.`, 255);
}

export function duparg2(key: string, arg: string): never {
  throw new CmdError(`Error: either "${key}" is duplicate, or "${arg}" is a garbage.`, 255);
}

/** How iproute2 reports a failed netlink request: the extack if any, else strerror. */
export function rtnlError(err: KErr): never {
  if (err.extack) throw new CmdError(`Error: ${err.extack}.`, 2);
  throw new CmdError(`RTNETLINK answers: ${STRERROR[err.errno]}`, 2);
}

export function getUnsigned(s: string, max = 0xffffffff): number | null {
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(s)) n = Number.parseInt(s, 16);
  else if (/^0[0-7]*$/.test(s)) n = Number.parseInt(s, 8);
  else if (/^[1-9]\d*$/.test(s)) n = Number(s);
  else return null;
  return n <= max ? n : null;
}

/** ll_addr_a2n: colon-separated bytes, each read as sscanf's %x reads it (0x2, e), any number of them. */
export function llAddrA2n(v: string): number[] {
  const bytes: number[] = [];
  for (const part of v.split(":")) {
    const m = /^\s*[+-]?(0[xX])?([0-9a-fA-F]+)/.exec(part);
    if (!m || Number.parseInt(m[2]!, 16) > 255) invalidLladdr(v);
    bytes.push(Number.parseInt(m[2]!, 16));
  }
  return bytes;
}

/** ll_addr_a2n's complaint: it names the first colon-separated part that is not a hex byte. */
export function invalidLladdr(v: string): never {
  let bad = v;
  for (const part of v.split(":")) {
    const m = /^\s*[+-]?(0[xX])?([0-9a-fA-F]+)/.exec(part);
    if (!m || Number.parseInt(m[2]!, 16) > 255) {
      bad = part;
      break;
    }
  }
  throw new CmdError(`"${bad}" is invalid lladdr.`, 1);
}

/** rtnl_group_a2n: a link group's name (/etc/iproute2/group has only `default`, 0) or number, or null. */
export function groupNumber(s: string): number | null {
  if (s === "default") return 0;
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(s)) return null;
  const n = Number(s);
  return n <= 0xffffffff ? n : null;
}
