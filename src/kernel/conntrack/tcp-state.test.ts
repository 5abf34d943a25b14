import { describe, expect, it } from "vitest";
import { tcpTransition } from "./tcp-state.js";

describe("conntrack TCP state machine", () => {
  it("follows a handshake and an orderly close to TIME_WAIT", () => {
    let s = tcpTransition(0, "NONE", { syn: true });
    expect(s).toBe("SYN_SENT");
    s = tcpTransition(1, "SYN_SENT", { syn: true, ack: true });
    expect(s).toBe("SYN_RECV");
    s = tcpTransition(0, "SYN_RECV", { ack: true });
    expect(s).toBe("ESTABLISHED");
    s = tcpTransition(0, "ESTABLISHED", { fin: true, ack: true });
    expect(s).toBe("FIN_WAIT");
    s = tcpTransition(1, "FIN_WAIT", { ack: true });
    expect(s).toBe("CLOSE_WAIT");
    s = tcpTransition(1, "CLOSE_WAIT", { fin: true, ack: true });
    expect(s).toBe("LAST_ACK");
    s = tcpTransition(0, "LAST_ACK", { ack: true });
    expect(s).toBe("TIME_WAIT");
  });

  it("treats a SYN-ACK without a SYN as invalid and RST as CLOSE", () => {
    expect(tcpTransition(0, "NONE", { syn: true, ack: true })).toBe("IV");
    expect(tcpTransition(1, "SYN_SENT", { rst: true, ack: true })).toBe("CLOSE");
  });
});
