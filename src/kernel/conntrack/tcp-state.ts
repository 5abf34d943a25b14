/**
 * @module kernel/conntrack/tcp-state
 * nf_conntrack_proto_tcp.c: the TCP state machine conntrack runs over the
 * segments it sees in each direction (tcp_conntracks[][][]), and Linux's
 * default timeouts per state. Window tracking is not modelled: segments
 * are taken as in-window (as with nf_conntrack_tcp_be_liberal=1).
 */
import type { TcpFlags } from "../../net/packet.js";

export type TcpCtState =
  | "NONE"
  | "SYN_SENT"
  | "SYN_RECV"
  | "ESTABLISHED"
  | "FIN_WAIT"
  | "CLOSE_WAIT"
  | "LAST_ACK"
  | "TIME_WAIT"
  | "CLOSE"
  | "SYN_SENT2";

/** The result of one segment: a new state, "IV" (invalid) or "IG" (ignored, state unchanged). */
export type TcpTransition = TcpCtState | "IV" | "IG";

const STATES: TcpCtState[] = [
  "NONE",
  "SYN_SENT",
  "SYN_RECV",
  "ESTABLISHED",
  "FIN_WAIT",
  "CLOSE_WAIT",
  "LAST_ACK",
  "TIME_WAIT",
  "CLOSE",
  "SYN_SENT2",
];

const sNO = "NONE";
const sSS = "SYN_SENT";
const sSR = "SYN_RECV";
const sES = "ESTABLISHED";
const sFW = "FIN_WAIT";
const sCW = "CLOSE_WAIT";
const sLA = "LAST_ACK";
const sTW = "TIME_WAIT";
const sCL = "CLOSE";
const sS2 = "SYN_SENT2";
const sIV = "IV";
const sIG = "IG";

type Row = readonly TcpTransition[];
/** tcp_conntracks[dir][index][state]; columns are STATES' order. */
const TABLE: readonly [readonly Row[], readonly Row[]] = [
  [
    /* ORIGINAL     sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2 */
    /* syn    */ [sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2],
    /* synack */ [sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR],
    /* fin    */ [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    /* ack    */ [sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV],
    /* rst    */ [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    /* none   */ [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
  [
    /* REPLY        sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2 */
    /* syn    */ [sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2],
    /* synack */ [sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR],
    /* fin    */ [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    /* ack    */ [sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG],
    /* rst    */ [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    /* none   */ [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
];
void sNO;

/** get_conntrack_index */
export function tcpIndex(f: TcpFlags): number {
  if (f.rst) return 4;
  if (f.syn) return f.ack ? 1 : 0;
  if (f.fin) return 2;
  if (f.ack) return 3;
  return 5;
}

export function tcpTransition(dir: 0 | 1, state: TcpCtState, f: TcpFlags): TcpTransition {
  return TABLE[dir][tcpIndex(f)]![STATES.indexOf(state)]!;
}

/**
 * The sysctl each state's timeout is read from (tcp_timeouts, per namespace), or the timeout itself
 * in seconds where no sysctl sets it: SYN_SENT2 keeps its compiled two minutes.
 */
export const TCP_TIMEOUT_KEYS: Record<TcpCtState, string | number> = {
  NONE: 0,
  SYN_SENT: "net.netfilter.nf_conntrack_tcp_timeout_syn_sent",
  SYN_RECV: "net.netfilter.nf_conntrack_tcp_timeout_syn_recv",
  ESTABLISHED: "net.netfilter.nf_conntrack_tcp_timeout_established",
  FIN_WAIT: "net.netfilter.nf_conntrack_tcp_timeout_fin_wait",
  CLOSE_WAIT: "net.netfilter.nf_conntrack_tcp_timeout_close_wait",
  LAST_ACK: "net.netfilter.nf_conntrack_tcp_timeout_last_ack",
  TIME_WAIT: "net.netfilter.nf_conntrack_tcp_timeout_time_wait",
  CLOSE: "net.netfilter.nf_conntrack_tcp_timeout_close",
  SYN_SENT2: 120,
};
