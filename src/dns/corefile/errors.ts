/**
 * @module dns/corefile/errors
 * Corefile problems as data, worded as Caddy's Dispenser words them
 * (coredns/caddy caddyfile/dispenser.go: "FILE:LINE - Error during parsing: …",
 * "FILE:LINE - Syntax error: Unexpected token 'X', expecting 'Y'"), and
 * prefixed "plugin/NAME: " when a plugin's setup rejects it (plugin.Error).
 */

export class CorefileError extends Error {
  override name = "CorefileError";
  readonly file: string;
  readonly line: number;
  /** The plugin whose setup failed, when it was one. */
  readonly plugin?: string;
  constructor(message: string, file: string, line: number, plugin?: string) {
    super(message);
    this.file = file;
    this.line = line;
    if (plugin !== undefined) this.plugin = plugin;
  }
}

/** `Corefile:3 - Error during parsing: MSG` (Dispenser.Err). */
export function parseError(file: string, line: number, msg: string, plugin?: string): CorefileError {
  const text = `${file}:${line} - Error during parsing: ${msg}`;
  return new CorefileError(plugin ? `plugin/${plugin}: ${text}` : text, file, line, plugin);
}

/** `Corefile:3 - Syntax error: Unexpected token 'X', expecting 'Y'` (Dispenser.SyntaxErr). */
export function syntaxError(file: string, line: number, got: string, expected: string): CorefileError {
  return new CorefileError(
    `${file}:${line} - Syntax error: Unexpected token '${got}', expecting '${expected}'`,
    file,
    line,
  );
}
