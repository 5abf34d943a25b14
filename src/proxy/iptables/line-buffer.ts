/**
 * @module proxy/iptables/line-buffer
 * proxyutil.LineBuffer: the proxier writes iptables-restore lines word by
 * word, each write one line of words joined by spaces. Two kinds: lines kept
 * as strings (small buffers, and a service port's lines kept between syncs),
 * and lines written as bytes into a buffer the process reuses — upstream's
 * proxier keeps its bytes.Buffers from sync to sync for the same reason: the
 * nat rules of a large sync are tens of megabytes, and kept as strings until
 * the payload is assembled they are copied by every collection on the way.
 */

export type Words = (string | readonly string[])[];

export interface LineWriter {
  /** One line: the words (or lists of words) joined by single spaces. */
  write(...words: Words): void;
  /** Lines written before (each without its newline). */
  writeLines(lines: readonly string[]): void;
}

/** One line's words, reused: words.flat().join(" ") without a new array per line. */
const lineWords: string[] = [];

function joinWords(words: Words): string {
  const buf = lineWords;
  buf.length = 0;
  for (const w of words) {
    if (typeof w === "string") buf.push(w);
    else for (const x of w) buf.push(x);
  }
  return buf.join(" ");
}

/** Lines kept as strings. */
export class Lines implements LineWriter {
  readonly lines: string[] = [];
  write(...words: Words): void {
    this.lines.push(joinWords(words));
  }
  writeLines(lines: readonly string[]): void {
    for (const l of lines) this.lines.push(l);
  }
}

/** Where a partial sync writes the chains of services it does not rewrite: nowhere. */
export class DiscardLines extends Lines {
  override write(): void {}
  override writeLines(): void {}
}

/**
 * Lines written as UTF-8 bytes into a buffer kept for the next use (reset()
 * starts over; syncs run one at a time). Writing may start past a reserved
 * gap, so that what must come before these lines in the payload is put in
 * front of them in place, and the payload becomes one string in one copy.
 */
/** How many lines wait to be written together. */
const PENDING_LINES = 256;

export class ByteLines implements LineWriter {
  private buf: Buffer = Buffer.allocUnsafe(64 * 1024);
  private start = 0;
  private end = 0;
  /** Lines not yet in the buffer: written a few hundred at a time, one call for all of them. */
  private readonly pending: string[] = [];

  /** Forgets the lines written; the next are written `gap` bytes in. */
  reset(gap = 0): void {
    this.pending.length = 0;
    this.reserve(gap);
    this.start = gap;
    this.end = gap;
  }

  get byteLength(): number {
    this.flush();
    return this.end - this.start;
  }

  write(...words: Words): void {
    this.line(joinWords(words));
  }

  writeLines(lines: readonly string[]): void {
    for (const l of lines) this.line(l);
  }

  private line(s: string): void {
    if (this.pending.push(s) >= PENDING_LINES) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const s = this.pending.join("\n");
    this.pending.length = 0;
    // A character is at most three bytes in UTF-8 (a surrogate pair, two characters, is four).
    this.reserve(this.end + s.length * 3 + 1);
    this.end += this.buf.write(s, this.end, "utf8");
    this.buf[this.end++] = 10;
  }

  /**
   * The text: `head` (a string) and `between` (other lines) in front of these lines, then `tail`.
   * In front means in the gap when it has room, else these lines move up to make it.
   */
  text(head: string, between: ByteLines, tail: string): string {
    this.flush();
    const headBytes = Buffer.byteLength(head) + between.byteLength;
    if (headBytes > this.start) {
      const shift = headBytes - this.start;
      this.reserve(this.end + shift);
      this.buf.copy(this.buf, headBytes, this.start, this.end);
      this.start += shift;
      this.end += shift;
    }
    const from = this.start - headBytes;
    const at = from + this.buf.write(head, from, "utf8");
    between.buf.copy(this.buf, at, between.start, between.end);
    this.reserve(this.end + Buffer.byteLength(tail));
    const end = this.end + this.buf.write(tail, this.end, "utf8");
    return this.buf.toString("utf8", from, end);
  }

  /** Room for `size` bytes from the buffer's start, its content kept. */
  private reserve(size: number): void {
    if (size <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(size, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.end);
    this.buf = next;
  }
}
