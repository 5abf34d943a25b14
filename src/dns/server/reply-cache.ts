/**
 * @module dns/server/reply-cache
 * An opt-in memo of encoded replies, keyed by the query's bytes after the
 * message ID plus the transport and the client's address family (the inputs
 * of every step after the handler). A hit skips decoding, the handler and
 * encoding: the stored reply goes out with the new ID. Only for handlers
 * whose answer depends on nothing but those bytes (no per-client views, no
 * shuffling as CoreDNS's loadbalance does); `generation` lets the owner drop
 * everything when the data behind the handler changes (the cluster was edited).
 * Bounded: at most `maxEntries` replies of at most `maxReplyBytes` each; the
 * oldest entry goes first.
 */

export interface ReplyCacheOptions {
  maxEntries?: number;
  /** Entries older than this are recomputed. Default 5 s (the kubernetes plugin's TTL). */
  maxAgeMs?: number;
  /** Replies larger than this are not kept. Default 4096 octets. */
  maxReplyBytes?: number;
  /** Whatever it returns changing (compared with ===) empties the cache. */
  generation?: () => unknown;
}

interface Entry {
  reply: Buffer;
  at: number;
}

export class ReplyCache {
  private readonly map = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly maxReplyBytes: number;
  private readonly generation: (() => unknown) | undefined;
  private gen: unknown;

  constructor(o: ReplyCacheOptions = {}) {
    this.maxEntries = o.maxEntries ?? 10_000;
    this.maxAgeMs = o.maxAgeMs ?? 5_000;
    this.maxReplyBytes = o.maxReplyBytes ?? 4096;
    this.generation = o.generation;
    this.gen = o.generation?.();
  }

  static key(query: Buffer, transport: "udp" | "tcp", family: 4 | 6): string {
    return `${transport}${family}${query.toString("latin1", 2)}`;
  }

  /** The stored reply with `query`'s ID, or null. */
  get(key: string, query: Buffer): Buffer | null {
    if (this.generation) {
      const g = this.generation();
      if (g !== this.gen) {
        this.gen = g;
        this.map.clear();
        return null;
      }
    }
    const e = this.map.get(key);
    if (!e) return null;
    if (Date.now() - e.at > this.maxAgeMs) {
      this.map.delete(key);
      return null;
    }
    const out = Buffer.from(e.reply);
    out[0] = query[0]!;
    out[1] = query[1]!;
    return out;
  }

  set(key: string, reply: Uint8Array): void {
    if (reply.length > this.maxReplyBytes) return;
    if (this.map.size >= this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    this.map.set(key, { reply: Buffer.from(reply), at: Date.now() });
  }

  get size(): number {
    return this.map.size;
  }
}
