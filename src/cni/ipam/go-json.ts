/**
 * @module cni/ipam/go-json
 * The two sides of Go's encoding/json that a Go CNI plugin's output shows:
 * `json.MarshalIndent(v, "", "    ")` (key order as declared, `<>&` escaped
 * as `\u003c…`), and the decoder's behaviour when reading a config —
 * field names matched case-insensitively, the last duplicate key winning,
 * and its "cannot unmarshal X into Go struct field S.path of type T" errors.
 */

export type GoJson = null | boolean | number | string | GoJson[] | { [k: string]: GoJson };

/** Go 1.19's string encoding: HTML-safe, short escapes only for \n \r \t. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029)
      out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** `json.MarshalIndent(v, "", "    ")`, without a trailing newline (as the plugins write it). */
export function marshalIndent(v: GoJson, indent = ""): string {
  const inner = `${indent}    `;
  if (v === null) return "null";
  if (typeof v === "string") return quote(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => inner + marshalIndent(x, inner)).join(",\n")}\n${indent}]`;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return "{}";
  const body = keys.map((k) => `${inner}${quote(k)}: ${marshalIndent(v[k] ?? null, inner)}`);
  return `{\n${body.join(",\n")}\n${indent}}`;
}

/** How Go names a JSON value's kind in an UnmarshalTypeError. */
export function goKind(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return "number";
  if (typeof v === "string") return "string";
  return Array.isArray(v) ? "array" : "object";
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Where the decoder is: the innermost struct's Go name and the JSON field path from the root. */
export interface GoCtx {
  readonly struct: string;
  readonly path: readonly string[];
}

export function typeErrorMessage(kind: string, goType: string, ctx: GoCtx | null): string {
  if (ctx === null || (ctx.struct === "" && ctx.path.length === 0))
    return `json: cannot unmarshal ${kind} into Go value of type ${goType}`;
  return `json: cannot unmarshal ${kind} into Go struct field ${ctx.struct}.${ctx.path.join(".")} of type ${goType}`;
}

/** A decode error; `fatal` ones stop decoding at once, the others are kept and the first reported at the end. */
export class GoDecodeError extends Error {
  readonly typeError: { kind: string; goType: string } | null;
  constructor(message: string, typeError: { kind: string; goType: string } | null = null) {
    super(message);
    this.typeError = typeError;
  }
}

/**
 * Decoding state for one `json.Unmarshal` call: Go keeps going after a
 * plain type mismatch and returns the first one at the end, but an error
 * from a custom unmarshaler (an invalid IP, say) ends decoding at once.
 */
export class GoDecoder {
  saved: GoDecodeError | null = null;

  /** A mismatch Go records and carries on from. */
  mismatch(v: unknown, goType: string, ctx: GoCtx): void {
    this.saved ??= new GoDecodeError(typeErrorMessage(goKind(v), goType, ctx), { kind: goKind(v), goType });
  }

  /** A mismatch that ends decoding (raised from inside a custom unmarshaler). */
  fatalMismatch(v: unknown, goType: string, ctx: GoCtx): never {
    throw new GoDecodeError(typeErrorMessage(goKind(v), goType, ctx), { kind: goKind(v), goType });
  }

  /** Throws the first recorded mismatch, as Unmarshal's return value. */
  finish(): void {
    if (this.saved) throw this.saved;
  }
}

/** Re-labels a type error from a nested Unmarshal with the outer decoder's position, as addErrorContext does. */
export function withContext(e: unknown, ctx: GoCtx): unknown {
  if (e instanceof GoDecodeError && e.typeError)
    return new GoDecodeError(typeErrorMessage(e.typeError.kind, e.typeError.goType, ctx), e.typeError);
  return e;
}

/**
 * An object's members in document order, each matched to one of `fields`
 * the way Go matches keys: exact name, else case-insensitively.
 */
export function goFields(obj: Record<string, unknown>, fields: readonly string[]): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(obj)) {
    const f = fields.find((x) => x === k) ?? fields.find((x) => x.toLowerCase() === k.toLowerCase());
    if (f !== undefined) out.push([f, v]);
  }
  return out;
}

/** A string field: null leaves it unset, anything else but a string is a (non-fatal) mismatch. */
export function goString(d: GoDecoder, v: unknown, ctx: GoCtx): string | undefined {
  if (typeof v === "string") return v;
  if (v !== null) d.mismatch(v, "string", ctx);
  return undefined;
}

export function sub(ctx: GoCtx, field: string, struct = ctx.struct): GoCtx {
  return { struct, path: [...ctx.path, field] };
}
