/**
 * @module dns/wire/name
 * Domain names from presentation form ("a.b.c", "a.b.c.", "." or "") to wire
 * labels, with miekg/dns's escapes (`\.`, `\\`, `\DDD`), and the suffix keys
 * its compression map uses: the presentation text from each label to the end,
 * compared case-sensitively, so "Foo.svc." and "foo.svc." are not shared.
 */

export interface WireName {
  /** Each label's bytes (no length octet); empty for the root. */
  labels: Uint8Array[];
  /** keys[i]: the name from label i on, fully qualified, as the compression map's key. */
  keys: string[];
  /** Uncompressed wire length, root octet included. */
  length: number;
}

const utf8 = new TextEncoder();
const cache = new Map<string, WireName>();
const CACHE_MAX = 8192;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Splits a presentation name into raw labels, honouring escapes. */
function splitLabels(name: string): { raw: string[]; labels: Uint8Array[] } {
  const raw: string[] = [];
  const labels: Uint8Array[] = [];
  let text = "";
  let bytes: number[] = [];
  const push = (): void => {
    if (bytes.length === 0) throw new Error(`dns: empty label in ${JSON.stringify(name)}`);
    if (bytes.length > 63) throw new Error(`dns: label longer than 63 octets in ${JSON.stringify(name)}`);
    raw.push(text);
    labels.push(Uint8Array.from(bytes));
    text = "";
    bytes = [];
  };
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch === 92 /* \ */ && i + 1 < name.length) {
      const a = name.charCodeAt(i + 1);
      if (
        isDigit(a) &&
        i + 3 < name.length &&
        isDigit(name.charCodeAt(i + 2)) &&
        isDigit(name.charCodeAt(i + 3))
      ) {
        const v = Number(name.slice(i + 1, i + 4));
        if (v > 255) throw new Error(`dns: bad escape in ${JSON.stringify(name)}`);
        bytes.push(v);
        text += name.slice(i, i + 4);
        i += 3;
      } else {
        bytes.push(...utf8.encode(name[i + 1]!));
        text += name.slice(i, i + 2);
        i += 1;
      }
    } else if (ch === 46 /* . */) {
      push();
    } else if (ch < 128) {
      bytes.push(ch);
      text += name[i];
    } else {
      const cp = name.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      bytes.push(...utf8.encode(s));
      text += s;
      if (cp > 0xffff) i++;
    }
  }
  if (text !== "" || bytes.length > 0) push();
  return { raw, labels };
}

/** Parses (and remembers) a name; throws on empty or over-long labels and names over 255 octets. */
export function wireName(name: string): WireName {
  const hit = cache.get(name);
  if (hit) return hit;
  const trimmed = name === "." ? "" : name;
  const { raw, labels } = splitLabels(trimmed);
  let length = 1;
  for (const l of labels) length += l.length + 1;
  if (length > 255) throw new Error(`dns: name longer than 255 octets: ${JSON.stringify(name)}`);
  const keys: string[] = new Array(raw.length);
  let suffix = ".";
  for (let i = raw.length - 1; i >= 0; i--) {
    suffix = i === raw.length - 1 ? `${raw[i]}.` : `${raw[i]}.${suffix}`;
    keys[i] = suffix;
  }
  const w: WireName = { labels, keys, length };
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(name, w);
  return w;
}
