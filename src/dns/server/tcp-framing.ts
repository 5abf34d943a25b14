/**
 * @module dns/server/tcp-framing
 * DNS over TCP (RFC 1035 §4.2.2, RFC 7766): each message behind a two-octet
 * length. The reader holds at most one unfinished message (≤ 65,537 octets),
 * so a client announcing a huge length costs at most that.
 */

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Octets held towards the next, unfinished message. */
  get pending(): number {
    return this.buffered;
  }

  /** Adds received octets and returns every message now complete. */
  push(data: Buffer): Buffer[] {
    this.chunks.push(data);
    this.buffered += data.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.buffered < 2) break;
      const head = this.peek(2);
      const len = (head[0]! << 8) | head[1]!;
      if (this.buffered < 2 + len) break;
      const all = this.take(2 + len);
      out.push(all.subarray(2));
    }
    return out;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!;
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined;
  }

  private take(n: number): Buffer {
    const joined = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const head = joined.subarray(0, n);
    const rest = joined.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return head;
  }
}

/** One message with its two-octet length in front. */
export function frame(msg: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(2 + msg.length);
  out.writeUInt16BE(msg.length, 0);
  out.set(msg, 2);
  return out;
}
