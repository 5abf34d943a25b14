/**
 * @module dns/corefile/parse
 * The Corefile parser: Caddy v1's server-block grammar as CoreDNS uses it
 * (coredns/caddy caddyfile/parse.go), then CoreDNS's own step that turns keys
 * into zone addresses (core/dnsserver/register.go). Never throws for bad
 * input: the result carries a CorefileError naming the line.
 */
import { normalizeKey, type ZoneAddr, zoneAddrString } from "./address.js";
import { PLUGIN_ORDER } from "./directives.js";
import { CorefileError, parseError, syntaxError } from "./errors.js";
import { lex, type Token } from "./lexer.js";

/** One line of a directive's `{ }` block: a name, its arguments, maybe a nested block. */
export interface BlockLine {
  name: Token;
  args: Token[];
  block: BlockLine[];
}

/** One use of a directive in a server block (`kubernetes cluster.local { … }`). */
export interface Directive {
  name: string;
  line: number;
  file: string;
  args: Token[];
  block: BlockLine[];
}

export interface ServerBlock {
  /** The keys as written (after `{$ENV}` substitution). */
  keys: string[];
  line: number;
  /** One entry per key and zone the key expands to. */
  addrs: ZoneAddr[];
  /** Directives in Corefile order. */
  directives: Directive[];
}

export interface Corefile {
  serverBlocks: ServerBlock[];
}

export interface ParseOptions {
  /** File name used in messages; "Corefile" by default. */
  filename?: string;
  /** Environment for `{$VAR}` and `{%VAR%}`; unset variables become "". */
  env?: Record<string, string>;
  /** Files `import` may read (path → contents); there is no file system here. */
  files?: Record<string, string>;
  /** Directive names accepted; CoreDNS's plugin.cfg list by default. */
  validDirectives?: readonly string[];
}

export type ParseResult = { ok: true; corefile: Corefile } | { ok: false; error: CorefileError };

/** Parse Corefile text. */
export function parseCorefile(text: string, opts: ParseOptions = {}): ParseResult {
  try {
    return { ok: true, corefile: new Parser(text, opts).parseAll() };
  } catch (e) {
    if (e instanceof CorefileError) return { ok: false, error: e };
    throw e;
  }
}

function replaceEnvVars(s: string, env: Record<string, string>): string {
  return replaceRefs(replaceRefs(s, "{%", "%}", env), "{$", "}", env);
}

function replaceRefs(input: string, open: string, close: string, env: Record<string, string>): string {
  let s = input;
  let i = s.indexOf(open);
  while (i !== -1) {
    const end = s.indexOf(close, i);
    if (end === -1 || end <= i + open.length) return s;
    const ref = s.slice(i, end + close.length);
    s = s.split(ref).join(env[ref.slice(open.length, ref.length - close.length)] ?? "");
    i = s.indexOf(open);
  }
  return s;
}

const MAX_EXPANSIONS = 1000;

class Parser {
  private tokens: Token[];
  private cursor = -1;
  private readonly file: string;
  private readonly env: Record<string, string>;
  private readonly valid: Set<string>;
  private snippets = new Map<string, Token[]>();
  private expansions = 0;
  private eof = false;

  private readonly opts: ParseOptions;

  constructor(text: string, opts: ParseOptions) {
    this.opts = opts;
    this.file = opts.filename ?? "Corefile";
    this.tokens = lex(text, this.file);
    this.env = opts.env ?? {};
    this.valid = new Set(opts.validDirectives ?? PLUGIN_ORDER);
  }

  parseAll(): Corefile {
    const blocks: ServerBlock[] = [];
    while (this.next()) {
      const b = this.parseOne();
      if (b) blocks.push(b);
    }
    this.checkDuplicates(blocks);
    return { serverBlocks: blocks };
  }

  // ---- dispenser ----
  private next(): boolean {
    if (this.cursor < this.tokens.length - 1) {
      this.cursor++;
      return true;
    }
    return false;
  }
  private tok(): Token | undefined {
    return this.tokens[this.cursor];
  }
  private val(): string {
    return this.tok()?.text ?? "";
  }
  private line(): number {
    return this.tok()?.line ?? this.tokens[this.tokens.length - 1]?.line ?? 1;
  }
  /** Whether the current token starts a new line (Dispenser.isNewLine, counting newlines inside quotes). */
  private isNewLine(): boolean {
    if (this.cursor < 1) return true;
    const prev = this.tokens[this.cursor - 1]!;
    const cur = this.tokens[this.cursor]!;
    const breaks = prev.text.split("\n").length - 1;
    return prev.file !== cur.file || prev.line + breaks < cur.line;
  }
  private nextArg(): boolean {
    if (this.cursor >= this.tokens.length - 1) return false;
    const cur = this.tokens[this.cursor]!;
    const nxt = this.tokens[this.cursor + 1]!;
    const breaks = cur.text.split("\n").length - 1;
    if (cur.file === nxt.file && cur.line + breaks === nxt.line) {
      this.cursor++;
      return true;
    }
    return false;
  }
  private err(msg: string): CorefileError {
    const t = this.tok();
    return parseError(t?.file ?? this.file, this.line(), msg);
  }

  // ---- grammar ----
  private parseOne(): ServerBlock | null {
    this.eof = false;
    const keys: string[] = [];
    const line = this.line();
    this.addresses(keys);
    if (this.eof) return keys.length ? this.finish(keys, line, []) : null;
    if (keys.length === 1 && keys[0]!.startsWith("(") && keys[0]!.endsWith(")")) {
      const name = keys[0]!.slice(1, -1);
      if (this.snippets.has(name)) throw this.err(`redeclaration of previously declared snippet ${name}`);
      this.snippets.set(name, this.snippetTokens());
      return null;
    }
    const directives = this.blockContents();
    return keys.length ? this.finish(keys, line, directives) : null;
  }

  private addresses(keys: string[]): void {
    let expectingAnother = false;
    for (;;) {
      let tkn = replaceEnvVars(this.val(), this.env);
      if (tkn === "import" && this.isNewLine()) {
        this.doImport();
        this.next();
        continue;
      }
      if (tkn === "{" && !this.tok()?.quoted) {
        if (expectingAnother)
          throw this.err(`Expected another address but had '${tkn}' - check for extra comma`);
        break;
      }
      if (tkn !== "") {
        if (tkn.endsWith(",")) {
          tkn = tkn.slice(0, -1);
          expectingAnother = true;
        } else expectingAnother = false;
        keys.push(tkn);
      }
      const has = this.next();
      if (expectingAnother && !has) throw this.err("Unexpected EOF");
      if (!has) {
        this.eof = true;
        break;
      }
      if (!expectingAnother && this.isNewLine()) break;
    }
  }

  private isOpen(): boolean {
    return this.val() === "{" && !this.tok()?.quoted;
  }
  private isClose(): boolean {
    return this.val() === "}" && !this.tok()?.quoted;
  }

  private blockContents(): Directive[] {
    const braced = this.isOpen();
    // Single-server Corefiles need no braces.
    if (!braced) this.cursor--;
    const flat = this.directives();
    if (braced && !this.isClose())
      throw syntaxError(this.tok()?.file ?? this.file, this.line(), this.val(), "}");
    return flat;
  }

  private directives(): Directive[] {
    const out: Directive[] = [];
    while (this.next()) {
      if (this.isClose()) break;
      if (this.val() === "import") {
        this.doImport();
        continue;
      }
      out.push(this.directive());
    }
    return out;
  }

  private directive(): Directive {
    const first = this.tok()!;
    const name = replaceEnvVars(first.text, this.env);
    if (!this.valid.has(name)) throw this.err(`Unknown directive '${name}'`);
    const toks: Token[] = [];
    let nesting = 0;
    while (this.next()) {
      if (this.isOpen()) nesting++;
      else if (this.isNewLine() && nesting === 0) {
        this.cursor--;
        break;
      } else if (this.isClose() && nesting > 0) nesting--;
      else if (this.isClose() && nesting === 0)
        throw this.err("Unexpected '}' because no matching opening brace");
      else if (this.val() === "import" && this.isNewLine()) {
        this.doImport();
        continue;
      }
      const t = this.tok()!;
      toks.push({ ...t, text: replaceEnvVars(t.text, this.env) });
    }
    if (nesting > 0) throw this.err("Unexpected EOF");
    const { args, block } = structure(toks, first.line);
    return { name, line: first.line, file: first.file, args, block };
  }

  /** Replace `import X` (cursor on "import") by the snippet's or file's tokens; leaves the cursor before them. */
  private doImport(): void {
    const at = this.cursor;
    if (!this.nextArg()) throw parseError(this.tok()?.file ?? this.file, this.line(), ArgErrText(this.val()));
    const pattern = replaceEnvVars(this.val(), this.env);
    if (pattern === "") throw this.err("Import requires a non-empty filepath");
    if (this.nextArg()) throw this.err("Import takes only one argument (glob pattern or file)");
    if (++this.expansions > MAX_EXPANSIONS)
      throw this.err(`maximum snippet import depth (${MAX_EXPANSIONS}) exceeded`);
    let imported: Token[];
    const snip = this.snippets.get(pattern);
    if (snip) imported = snip;
    else {
      const count = (ch: string) => pattern.split(ch).length - 1;
      if (count("*") > 1 || count("?") > 1 || (pattern.includes("[") && pattern.includes("]")))
        throw this.err(`Glob pattern may only contain one wildcard (*), but has others: ${pattern}`);
      const files = this.opts.files ?? {};
      const names = Object.keys(files)
        .filter((f) => globMatch(pattern, f))
        .sort();
      if (names.length === 0 && !/[*?[\]]/.test(pattern))
        throw this.err(`File to import not found: ${pattern}`);
      imported = names.flatMap((f) => lex(files[f]!, f));
    }
    this.tokens = [...this.tokens.slice(0, at), ...imported, ...this.tokens.slice(at + 2)];
    this.cursor = at - 1;
  }

  private snippetTokens(): Token[] {
    if (!this.isOpen()) throw syntaxError(this.tok()?.file ?? this.file, this.line(), this.val(), "{");
    let count = 1;
    const out: Token[] = [];
    while (this.next()) {
      if (this.isClose() && --count === 0) break;
      if (this.isOpen()) count++;
      out.push(this.tok()!);
    }
    if (count !== 0) throw syntaxError(this.tok()?.file ?? this.file, this.line(), this.val(), "}");
    return out;
  }

  private finish(keys: string[], line: number, directives: Directive[]): ServerBlock {
    const addrs: ZoneAddr[] = [];
    for (const k of keys) {
      const a = normalizeKey(k);
      if (typeof a === "string") throw parseError(this.file, line, a);
      addrs.push(...a);
    }
    return { keys, line, addrs, directives };
  }

  /** Two blocks may not serve the same zone on the same port (dnsserver register.go). */
  private checkDuplicates(blocks: ServerBlock[]): void {
    const seen = new Set<string>();
    for (const b of blocks)
      for (const a of b.addrs) {
        const k = zoneAddrString(a);
        if (seen.has(k))
          throw new CorefileError(`cannot serve ${k} - it is already defined`, this.file, b.line);
        seen.add(k);
      }
  }
}

/** Dispenser.ArgErr's wording. */
export function ArgErrText(val: string): string {
  return val === "{"
    ? "Unexpected token '{', expecting argument"
    : `Wrong argument count or unexpected line ending after '${val}'`;
}

/** Group a directive's tokens into its same-line arguments and its `{ }` block lines. */
function structure(toks: Token[], line: number): { args: Token[]; block: BlockLine[] } {
  let i = 0;
  const args: Token[] = [];
  const lineOf = (t: Token) => t.line + t.text.split("\n").length - 1;
  let last = line;
  while (i < toks.length && !(toks[i]!.text === "{" && !toks[i]!.quoted) && toks[i]!.line === last) {
    last = lineOf(toks[i]!);
    args.push(toks[i++]!);
  }
  const block: BlockLine[] = [];
  if (i < toks.length && toks[i]!.text === "{" && !toks[i]!.quoted) {
    i++;
    i = blockLines(toks, i, block);
  }
  return { args, block };
}

function blockLines(toks: Token[], start: number, out: BlockLine[]): number {
  let i = start;
  while (i < toks.length) {
    const t = toks[i]!;
    if (t.text === "}" && !t.quoted) return i + 1;
    const bl: BlockLine = { name: t, args: [], block: [] };
    let last = t.line + t.text.split("\n").length - 1;
    i++;
    while (i < toks.length) {
      const a = toks[i]!;
      if (a.line !== last) break;
      if ((a.text === "}" || a.text === "{") && !a.quoted) break;
      last = a.line + a.text.split("\n").length - 1;
      bl.args.push(a);
      i++;
    }
    if (i < toks.length && toks[i]!.text === "{" && !toks[i]!.quoted) i = blockLines(toks, i + 1, bl.block);
    out.push(bl);
  }
  return i;
}

/** A glob with `*` and `?` over whole paths (import's filepath.Glob, without a file system). */
function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, "[^/]*")
      .replace(/\?/g, "[^/]")}$`,
  );
  return re.test(name);
}
