/**
 * @module dns/corefile/lexer
 * Splits a Corefile into tokens the way Caddy v1's lexer does (CoreDNS uses the
 * coredns/caddy fork): whitespace separates tokens, `#` starts a comment to the
 * end of the line (even in the middle of a word), `"…"` quotes (may span lines; `\"` escapes a quote, other
 * backslashes stay), `{` and `}` are ordinary tokens that happen to be alone.
 */

export interface Token {
  text: string;
  /** 1-based line the token starts on. */
  line: number;
  file: string;
  /** True when the token was quoted: a quoted "{" is not a brace. */
  quoted?: boolean;
}

export function lex(input: string, file = "Corefile"): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let val = "";
  let start = 1;
  let inToken = false;
  let quoted = false;
  let wasQuoted = false;
  let escaped = false;
  let comment = false;
  const emit = () => {
    tokens.push(
      wasQuoted ? { text: val, line: start, file, quoted: true } : { text: val, line: start, file },
    );
    val = "";
    inToken = false;
    wasQuoted = false;
  };
  for (const ch of input) {
    if (quoted) {
      if (!escaped) {
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quoted = false;
          emit();
          continue;
        }
      }
      if (ch === "\n") line++;
      // Only a quote is escaped; any other backslash is kept as written.
      if (escaped && ch !== '"') val += "\\";
      val += ch;
      escaped = false;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f" || ch === "\v") {
      if (ch === "\r") continue;
      if (ch === "\n") {
        line++;
        comment = false;
      }
      if (inToken) emit();
      continue;
    }
    // Caddy v1 starts a comment at any unquoted #, even inside a word.
    if (ch === "#") comment = true;
    if (comment) continue;
    if (!inToken) {
      inToken = true;
      start = line;
      if (ch === '"') {
        quoted = true;
        wasQuoted = true;
        continue;
      }
    }
    val += ch;
  }
  // An unterminated quote still yields its token, as Caddy's lexer does at EOF.
  if (inToken) emit();
  return tokens;
}
