import { describe, expect, it } from "vitest";
import { Kernel } from "../kernel.js";
import type { Route } from "../types.js";
import { FibRules, FibTable } from "./table.js";

function route(dst: string, len: number, metric: number, tag: string): Route {
  const [a, b, c, d] = dst.split(".").map(Number);
  const k = new Kernel();
  const dev = [...k.initNs.devices.values()][0]!;
  return {
    family: 4,
    table: 254,
    type: "unicast",
    dst: ((a! << 24) | (b! << 16) | (c! << 8) | d!) >>> 0,
    dst6: 0n,
    dstLen: len,
    metric,
    protocol: tag,
    scope: "link",
    prefsrc: null,
    gateway: null,
    dev,
    onlink: false,
    pref6: false,
  };
}

describe("FibTable", () => {
  it("prefers the longest prefix, then the lowest metric", () => {
    const t = new FibTable(254);
    t.insert(route("0.0.0.0", 0, 0, "default"));
    t.insert(route("10.0.0.0", 8, 0, "eight"));
    t.insert(route("10.1.0.0", 16, 200, "sixteen-200"));
    t.insert(route("10.1.0.0", 16, 100, "sixteen-100"));
    expect(t.lookup(0x0a010203)?.protocol).toBe("sixteen-100");
    expect(t.lookup(0x0a020203)?.protocol).toBe("eight");
    expect(t.lookup(0x08080808)?.protocol).toBe("default");
  });

  it("dumps in the kernel's order: address, then longer prefix first, then metric", () => {
    const t = new FibTable(254);
    t.insert(route("10.0.0.0", 16, 0, "a"));
    t.insert(route("10.0.0.0", 24, 0, "b"));
    t.insert(route("0.0.0.0", 0, 0, "c"));
    t.insert(route("10.0.0.0", 24, 5, "d"));
    expect(t.routes.map((r) => r.protocol)).toEqual(["c", "b", "d", "a"]);
  });

  it("keeps insertion order among equal routes and forgets removed ones", () => {
    const t = new FibTable(254);
    const x = route("10.0.0.0", 24, 0, "x");
    const y = route("10.0.0.0", 24, 0, "y");
    t.insert(x);
    t.insert(y);
    expect(t.lookup(0x0a000001)?.protocol).toBe("x");
    t.remove(x);
    expect(t.lookup(0x0a000001)?.protocol).toBe("y");
  });
});

describe("FibRules", () => {
  it("numbers a new rule one below the second rule, as fib_default_rule_pref does", () => {
    const r = new FibRules();
    expect(r.defaultPref()).toBe(32765);
    r.add({ ...r.rules[1]!, priority: 32765, table: 100 });
    expect(r.defaultPref()).toBe(32764);
    expect(r.rules.map((x) => x.priority)).toEqual([0, 32765, 32766, 32767]);
  });
});
