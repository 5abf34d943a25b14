/**
 * @module dns/resolver/res-send
 * glibc's res_send (resolv/res_send.c): each query goes to the servers in
 * turn, `attempts` rounds over the list; a try that gets no reply costs its
 * timeout; SERVFAIL, NOTIMP and REFUSED move on to the next server; a
 * truncated UDP reply is asked again over TCP of the same server.
 */
import type { RecordType } from "dns-packet";
import type { DnsTransport } from "../types.js";
import { decodeMessage, encodeQuery, type Message, type Rcode } from "./message.js";
import type { ResolverConf } from "./resolv-conf.js";

/** One query on the wire, for traces. */
export interface SentQuery {
  name: string;
  type: RecordType;
  server: string;
  port: number;
  transport: "udp" | "tcp";
  /** Simulated milliseconds since the lookup began, when it was sent. */
  atMs: number;
  /** The reply's rcode, or "timeout". */
  outcome: Rcode | "timeout";
  /** Records in the reply's answer section. */
  answers: number;
}

/** What one lookup (one getaddrinfo call) carries along. */
export class ResolverState {
  elapsedMs = 0;
  readonly queries: SentQuery[] = [];
  private id: number;
  /** RES_ROTATE's counter lives in the process (shared by its lookups). */
  private readonly rotation: { next: number };

  constructor(seed = 1, rotation: { next: number } = { next: 0 }) {
    this.id = seed & 0xffff;
    this.rotation = rotation;
  }

  /** Query IDs: deterministic, varied (an LCG), never the same twice in a row. */
  nextId(): number {
    this.id = (this.id * 25173 + 13849) & 0xffff;
    return this.id;
  }

  /** RES_ROTATE's shared counter: each res_send starts one server further on. */
  nextRotation(): number {
    return this.rotation.next++;
  }
}

export type SendResult =
  | { ok: true; replies: Message[]; server: string }
  | { ok: false; lastRcode: Rcode | null; timedOut: boolean };

const NEXT_SERVER: ReadonlySet<string> = new Set(["SERVFAIL", "NOTIMP", "REFUSED"]);

/** send_dg's time budget: retrans << ns, divided by the server count after the first. */
function tryTimeoutSeconds(conf: ResolverConf, serverIndex: number): number {
  let s = conf.timeout * 2 ** serverIndex;
  if (serverIndex > 0) s = Math.floor(s / conf.nameservers.length);
  return Math.max(1, s);
}

async function exchange(
  transport: DnsTransport,
  state: ResolverState,
  conf: ResolverConf,
  server: string,
  q: { name: string; type: RecordType },
  proto: "udp" | "tcp",
): Promise<Message | null> {
  const bytes = encodeQuery({
    id: state.nextId(),
    name: q.name,
    type: q.type,
    edns: conf.edns0 ? 1200 : null,
  });
  const sent: SentQuery = {
    name: q.name,
    type: q.type,
    server,
    port: 53,
    transport: proto,
    atMs: state.elapsedMs,
    outcome: "timeout",
    answers: 0,
  };
  state.queries.push(sent);
  const raw = await transport({ ip: server, port: 53 }, bytes, proto);
  const reply = raw ? decodeMessage(raw) : null;
  if (reply) {
    sent.outcome = reply.rcode;
    sent.answers = reply.answers.length;
  }
  return reply;
}

/**
 * Sends the questions (A and AAAA for getaddrinfo: together, or one after
 * the other with single-request) and returns the replies from the first
 * server that answers all of them usefully.
 */
export async function resSend(
  conf: ResolverConf,
  state: ResolverState,
  transport: DnsTransport,
  questions: Array<{ name: string; type: RecordType }>,
): Promise<SendResult> {
  const n = conf.nameservers.length;
  const offset = conf.rotate ? state.nextRotation() % n : 0;
  const sequential = conf.singleRequest || conf.singleRequestReopen;
  let lastRcode: Rcode | null = null;
  let timedOut = false;
  for (let tries = 0; tries < conf.attempts; tries++) {
    for (let shift = 0; shift < n; shift++) {
      const idx = (shift + offset) % n;
      const server = conf.nameservers[idx]!;
      const proto = conf.useVc ? "tcp" : "udp";
      let replies: Array<Message | null>;
      if (sequential) {
        replies = [];
        for (const q of questions) {
          const r = await exchange(transport, state, conf, server, q, proto);
          replies.push(r);
          if (!r) break;
        }
      } else {
        replies = await Promise.all(questions.map((q) => exchange(transport, state, conf, server, q, proto)));
      }
      if (replies.length < questions.length || replies.some((r) => r === null)) {
        // No (complete) answer within this try's time: on to the next server.
        state.elapsedMs += tryTimeoutSeconds(conf, idx) * 1000;
        timedOut = true;
        continue;
      }
      let ok = replies as Message[];
      // TC over UDP: the same server again, over TCP.
      for (let i = 0; i < ok.length; i++) {
        if (ok[i]!.tc && proto === "udp") {
          const again = await exchange(transport, state, conf, server, questions[i]!, "tcp");
          if (!again) {
            state.elapsedMs += tryTimeoutSeconds(conf, idx) * 1000;
            timedOut = true;
            ok = [];
            break;
          }
          ok[i] = again;
        }
      }
      if (ok.length === 0) continue;
      const bad = ok.find((r) => NEXT_SERVER.has(r.rcode));
      if (bad) {
        lastRcode = bad.rcode;
        continue;
      }
      return { ok: true, replies: ok, server };
    }
  }
  return { ok: false, lastRcode, timedOut };
}
