import { describe, expect, it } from "vitest";
import { ByteLines, Lines } from "./line-buffer.js";

describe("line buffers", () => {
  it("join a line's words and lists of words with single spaces", () => {
    const l = new Lines();
    l.write("-A", "KUBE-SERVICES", ["-m", "comment"], [], "-j", "ACCEPT");
    l.writeLines(["COMMIT"]);
    expect(l.lines).toEqual(["-A KUBE-SERVICES -m comment -j ACCEPT", "COMMIT"]);
  });

  it("put the head and another buffer's lines in front of their lines, with or without room left for them", () => {
    const chains = new ByteLines();
    const rules = new ByteLines();
    for (const gap of [0, 4, 1000]) {
      chains.reset();
      rules.reset(gap);
      chains.write(":KUBE-SVC-X", "-", "[0:0]");
      for (let i = 0; i < 600; i++) rules.write("-A", "KUBE-SVC-X", "-j", `KUBE-SEP-${i}`);
      const text = rules.text("*nat\n", chains, "COMMIT\n");
      const lines = text.split("\n");
      expect(lines[0]).toBe("*nat");
      expect(lines[1]).toBe(":KUBE-SVC-X - [0:0]");
      expect(lines[2]).toBe("-A KUBE-SVC-X -j KUBE-SEP-0");
      expect(lines[601]).toBe("-A KUBE-SVC-X -j KUBE-SEP-599");
      expect(lines.slice(602)).toEqual(["COMMIT", ""]);
    }
  });

  it("keep text that is not ASCII as it was written, and forget it on reset", () => {
    const rules = new ByteLines();
    const none = new ByteLines();
    rules.write("-A", "X", "-m", "comment", "--comment", '"café ☕ 𝄞"');
    expect(rules.text("", none, "")).toBe('-A X -m comment --comment "café ☕ 𝄞"\n');
    rules.reset(16);
    expect(rules.text("head\n", none, "")).toBe("head\n");
  });
});
