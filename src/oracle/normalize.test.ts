import { describe, expect, it } from "vitest";
import { alignCounters, alignTimeouts, Normalizer } from "./normalize.js";

describe("oracle normalisation", () => {
  it("renames random MACs in order of appearance but keeps pinned and fixed ones", () => {
    const n = new Normalizer();
    expect(
      n.text("a6:46:bb:c2:4d:93 02:4b:54:00:00:01 ff:ff:ff:ff:ff:ff a6:46:bb:c2:4d:93 0a:43:c8:12:7d:5e"),
    ).toBe("<mac1> 02:4b:54:00:00:01 ff:ff:ff:ff:ff:ff <mac1> <mac2>");
  });

  it("masks ping timings only", () => {
    const n = new Normalizer();
    expect(n.text("64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.214 ms")).toBe(
      "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=<t> ms",
    );
    expect(n.text("2 packets transmitted, 2 received, 0% packet loss, time 1014ms")).toBe(
      "2 packets transmitted, 2 received, 0% packet loss, time <t>ms",
    );
  });

  it("lets counters one packet apart agree, and no further", () => {
    const kernel = "[5:300] -A INPUT -p tcp -j ACCEPT\n:INPUT DROP [9:540]";
    expect(alignCounters(kernel, "[4:248] -A INPUT -p tcp -j ACCEPT\n:INPUT DROP [9:540]")).toBe(kernel);
    expect(alignCounters(kernel, "[3:196] -A INPUT -p tcp -j ACCEPT")).toBe(
      "[3:196] -A INPUT -p tcp -j ACCEPT",
    );
    expect(alignCounters(kernel, "[4:248] -A INPUT -p udp -j ACCEPT")).toBe(
      "[4:248] -A INPUT -p udp -j ACCEPT",
    );
  });

  it("lets conntrack timeouts within the tolerance agree", () => {
    const k = "tcp      6 117 TIME_WAIT src=10.0.0.1 dst=10.0.0.2";
    expect(alignTimeouts(k, "tcp      6 119 TIME_WAIT src=10.0.0.1 dst=10.0.0.2")).toBe(k);
    expect(alignTimeouts(k, "tcp      6 110 TIME_WAIT src=10.0.0.1 dst=10.0.0.2")).toBe(
      "tcp      6 110 TIME_WAIT src=10.0.0.1 dst=10.0.0.2",
    );
  });
});

describe("counters in iptables -L -v", () => {
  it("let the pkts/bytes columns and policy counts one packet apart agree", () => {
    const k =
      "    7   380            0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate DNAT\nChain INPUT (policy ACCEPT 3 packets, 180 bytes)";
    const m =
      "    6   328            0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate DNAT\nChain INPUT (policy ACCEPT 2 packets, 128 bytes)";
    expect(alignCounters(k, m)).toBe(k);
    expect(alignCounters(k, m.replace("    6   328", "    4   228"))).not.toBe(k);
  });
});
