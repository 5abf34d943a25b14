import { describe, expect, it } from "vitest";
import { collate, instrument, markText, splitUnits } from "./script.js";

describe("splitUnits", () => {
  it("keeps loops, here-documents and continuations in one unit and skips comments", () => {
    const s = [
      "# comment",
      "ip netns add a",
      "for i in 1 2; do",
      "  echo $i",
      "done",
      "cat <<EOF",
      "hello",
      "EOF",
      "ip link add v1 \\",
      "  type veth peer name v2",
      "true &&",
      "  echo yes",
      "",
    ].join("\n");
    const u = splitUnits(s);
    expect(u.map((x) => [x.startLine, x.endLine])).toEqual([
      [2, 2],
      [3, 5],
      [6, 8],
      [9, 10],
      [11, 12],
    ]);
  });

  it("puts each unit's output before its marker and keeps $? and exit codes", () => {
    const units = splitUnits("echo a\nfalse\necho b\n");
    expect(instrument(units)).toContain('__kt_mark 1 "$?" && :');
    const out = `a\n${markText(0, 0)}${markText(1, 1)}b\n${markText(2, 0)}`;
    const r = collate(units, out, "", 0);
    expect(r.map((x) => [x.stdout, x.exitCode])).toEqual([
      ["a\n", 0],
      ["", 1],
      ["b\n", 0],
    ]);
  });

  it("gives the unit that stopped the script the final status and the trailing output", () => {
    const units = splitUnits("set -e\necho a\nfalse\necho b\n");
    const r = collate(units, `${markText(0, 0)}a\n${markText(1, 0)}`, "", 1);
    expect(r[2]).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    // Units after it never ran.
    expect(r[3]!.exitCode).toBeNull();
  });
});
