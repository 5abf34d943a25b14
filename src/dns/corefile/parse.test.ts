/**
 * The Corefile parser against Caddy v1's rules as CoreDNS uses them
 * (coredns/caddy caddyfile/parse.go, lexer.go, dispenser.go; parse_test.go's cases)
 * and CoreDNS's key normalisation (core/dnsserver/address_test.go, plugin/normalize_test.go).
 */
import { describe, expect, it } from "vitest";
import { loadCorefile } from "../coredns/server.js";
import { normalizeKey, reverseZones } from "./address.js";
import { KIND_COREFILE } from "./kind-default.js";
import { lex } from "./lexer.js";
import { parseCorefile } from "./parse.js";

function ok(text: string, opts = {}) {
  const r = parseCorefile(text, opts);
  if (!r.ok) throw new Error(r.error.message);
  return r.corefile;
}
function fail(text: string, opts = {}): string {
  const r = parseCorefile(text, opts);
  if (r.ok) throw new Error("expected a parse error");
  return r.error.message;
}
function loadFail(text: string, opts = {}): { message: string; line: number } {
  const r = loadCorefile(text, opts);
  if (r.ok) throw new Error("expected a setup error");
  return { message: r.error.message, line: r.error.line };
}

describe("lexer", () => {
  it("keeps each token's line; comments run to the end of the line; quotes may span lines", () => {
    const t = lex('a b#c d\n"x y"\n"multi\nline" z\n"esc \\" q" \\n');
    expect(t.map((x) => [x.text, x.line])).toEqual([
      ["a", 1],
      ["b", 1],
      ["x y", 2],
      ["multi\nline", 3],
      ["z", 4],
      ['esc " q', 5],
      ["\\n", 5],
    ]);
  });
});

describe("server blocks", () => {
  it("reads kind's Corefile: one block, keys, directives with args and blocks", () => {
    const c = ok(KIND_COREFILE);
    expect(c.serverBlocks).toHaveLength(1);
    const b = c.serverBlocks[0]!;
    expect(b.keys).toEqual([".:53"]);
    expect(b.addrs).toEqual([{ zone: ".", port: 53, transport: "dns" }]);
    expect(b.directives.map((d) => d.name)).toEqual([
      "errors",
      "health",
      "ready",
      "kubernetes",
      "prometheus",
      "forward",
      "cache",
      "loop",
      "reload",
      "loadbalance",
    ]);
    const k = b.directives[3]!;
    expect(k.line).toBe(7);
    expect(k.args.map((a) => a.text)).toEqual(["cluster.local", "in-addr.arpa", "ip6.arpa"]);
    expect(k.block.map((l) => [l.name.text, l.name.line, l.args.map((a) => a.text)])).toEqual([
      ["pods", 8, ["insecure"]],
      ["fallthrough", 9, ["in-addr.arpa", "ip6.arpa"]],
      ["ttl", 10, ["30"]],
    ]);
  });
  it("several keys, comma-separated keys over lines, transports and ports", () => {
    const c = ok("cluster.local:1053, \n dns://example.org {\n whoami\n}\n.:5300 {\n forward . 1.1.1.1\n}");
    expect(c.serverBlocks[0]!.addrs).toEqual([
      { zone: "cluster.local.", port: 1053, transport: "dns" },
      { zone: "example.org.", port: 53, transport: "dns" },
    ]);
    expect(c.serverBlocks[1]!.addrs).toEqual([{ zone: ".", port: 5300, transport: "dns" }]);
  });
  it("a single block needs no braces", () => {
    expect(ok("example.org\nwhoami\nlog").serverBlocks[0]!.directives.map((d) => d.name)).toEqual([
      "whoami",
      "log",
    ]);
  });
  it("reverse CIDR keys become in-addr.arpa zones, several when not on an octet boundary", () => {
    expect(reverseZones("10.0.0.0/24")).toEqual(["0.0.10.in-addr.arpa."]);
    expect(reverseZones("10.0.0.0/8")).toEqual(["10.in-addr.arpa."]);
    expect(reverseZones("172.16.0.0/12")).toHaveLength(16);
    expect(reverseZones("172.16.0.0/12")![0]).toBe("16.172.in-addr.arpa.");
    expect(reverseZones("172.16.0.0/12")![15]).toBe("31.172.in-addr.arpa.");
    expect(reverseZones("10.0.0.0/23")).toEqual(["0.0.10.in-addr.arpa.", "1.0.10.in-addr.arpa."]);
    expect(reverseZones("fd00::/8")).toEqual(["d.f.ip6.arpa."]);
    expect(normalizeKey("10.0.0.0/24:1053")).toEqual([
      { zone: "0.0.10.in-addr.arpa.", port: 1053, transport: "dns" },
    ]);
  });
  it("zones are lower-cased and fully qualified", () => {
    expect(normalizeKey("Cluster.LOCAL")).toEqual([{ zone: "cluster.local.", port: 53, transport: "dns" }]);
  });
  it("the same zone twice on one port is refused", () => {
    expect(fail(".:53 {\n whoami\n}\n.:53 {\n log\n}")).toBe(
      "cannot serve dns://.:53 - it is already defined",
    );
  });
});

describe("environment, snippets, import", () => {
  it("{$VAR} and {%VAR%} are replaced in keys and arguments", () => {
    const c = ok("{$ZONE}:53 {\n forward . {$UP} {%UP2%}\n}", {
      env: { ZONE: "example.org", UP: "1.1.1.1", UP2: "8.8.8.8" },
    });
    expect(c.serverBlocks[0]!.keys).toEqual(["example.org:53"]);
    expect(c.serverBlocks[0]!.directives[0]!.args.map((a) => a.text)).toEqual([".", "1.1.1.1", "8.8.8.8"]);
  });
  it("a snippet is pasted where it is imported and defines no server", () => {
    const c = ok("(common) {\n errors\n log\n}\n.:53 {\n import common\n whoami\n}");
    expect(c.serverBlocks).toHaveLength(1);
    expect(c.serverBlocks[0]!.directives.map((d) => d.name)).toEqual(["errors", "log", "whoami"]);
  });
  it("import reads the files it is given; a missing plain file is an error, an empty glob is not", () => {
    const files = { "custom/a.override": "log\n", "custom/b.server": "example.org {\n whoami\n}\n" };
    const c = ok(".:53 {\n errors\n import custom/*.override\n}\nimport custom/*.server\n", { files });
    expect(c.serverBlocks.map((b) => b.keys[0])).toEqual([".:53", "example.org"]);
    expect(c.serverBlocks[0]!.directives.map((d) => d.name)).toEqual(["errors", "log"]);
    expect(ok(".:53 {\n import none/*.conf\n}").serverBlocks[0]!.directives).toEqual([]);
    expect(fail(".:53 {\n import missing.conf\n}")).toBe(
      "Corefile:2 - Error during parsing: File to import not found: missing.conf",
    );
  });
  it("a glob with more than one wildcard is refused, as Caddy does", () => {
    expect(fail(".:53 {\n import a/*/*.conf\n}")).toBe(
      "Corefile:2 - Error during parsing: Glob pattern may only contain one wildcard (*), but has others: a/*/*.conf",
    );
    // A pattern with glob characters that matches nothing is only a warning in Caddy.
    expect(ok(".:53 {\n import a[\n}").serverBlocks[0]!.directives).toEqual([]);
  });
  it("a snippet declared twice is an error", () => {
    expect(fail("(a) {\n log\n}\n(a) {\n log\n}")).toBe(
      "Corefile:4 - Error during parsing: redeclaration of previously declared snippet a",
    );
  });
});

describe("errors name the line, in Caddy's words", () => {
  it("an unknown directive", () => {
    expect(fail(".:53 {\n errors\n foo bar\n}")).toBe(
      "Corefile:3 - Error during parsing: Unknown directive 'foo'",
    );
  });
  it("an unclosed block", () => {
    expect(fail(".:53 {\n kubernetes cluster.local {\n  pods insecure\n")).toBe(
      "Corefile:3 - Error during parsing: Unexpected EOF",
    );
  });
  it("a block left open at the end", () => {
    expect(fail(".:53 {\n errors\n log")).toBe(
      "Corefile:3 - Syntax error: Unexpected token 'log', expecting '}'",
    );
  });
  it("import without a name", () => {
    expect(fail(".:53 {\n import\n}")).toBe(
      "Corefile:2 - Error during parsing: Wrong argument count or unexpected line ending after 'import'",
    );
  });
  it("a stray closing brace", () => {
    expect(fail(".:53 {\n log }\n}")).toBe(
      "Corefile:2 - Error during parsing: Unexpected '}' because no matching opening brace",
    );
  });
  it("a trailing comma with nothing after it", () => {
    expect(fail("a.org, {\n log\n}")).toBe(
      "Corefile:1 - Error during parsing: Expected another address but had '{' - check for extra comma",
    );
  });
  it("uses the file name it is given", () => {
    expect(fail(".:53 {\n nope\n}", { filename: "/etc/coredns/Corefile" })).toBe(
      "/etc/coredns/Corefile:2 - Error during parsing: Unknown directive 'nope'",
    );
  });
  it("bad plugin arguments name the plugin and the line", () => {
    expect(loadFail(".:53 {\n kubernetes cluster.local {\n  ttl 4000\n }\n}")).toEqual({
      message: "plugin/kubernetes: Corefile:3 - Error during parsing: ttl must be in range [0, 3600]: 4000",
      line: 3,
    });
    expect(loadFail(".:53 {\n kubernetes cluster.local {\n  pods\n }\n}").message).toBe(
      "plugin/kubernetes: Corefile:3 - Error during parsing: Wrong argument count or unexpected line ending after 'pods'",
    );
    expect(loadFail(".:53 {\n kubernetes cluster.local {\n  bogus\n }\n}").message).toBe(
      "plugin/kubernetes: Corefile:3 - Error during parsing: unknown property 'bogus'",
    );
    expect(loadFail(".:53 {\n kubernetes cluster.local {\n  pods maybe\n }\n}").line).toBe(3);
    expect(loadFail(".:53 {\n\n forward .\n}")).toMatchObject({ line: 3 });
    expect(loadFail(".:53 {\n forward . not-an-ip\n}").message).toMatch(
      /^plugin\/forward: Corefile:2 - not an IP address or file: "not-an-ip"/,
    );
    expect(loadFail(".:53 {\n cache 30 {\n  bogus 1\n }\n}").message).toBe(
      "plugin/cache: Corefile:3 - Error during parsing: unknown property 'bogus'",
    );
  });
  it("a bad regex is an error naming the line, not an exception", () => {
    expect(loadFail(".:53 {\n\n rewrite name regex (a b\n}")).toMatchObject({ line: 3 });
    expect(loadFail(".:53 {\n rewrite name regex a b answer name (x y\n}")).toMatchObject({ line: 2 });
    expect(loadFail('.:53 {\n template IN A {\n  match "(x"\n }\n}')).toMatchObject({ line: 3 });
  });
  it("a plugin that may appear once, twice", () => {
    expect(loadFail(".:53 {\n cache\n cache 30\n}")).toEqual({
      message: "plugin/cache: Corefile:3 - this plugin can only be used once per Server Block",
      line: 3,
    });
  });
  it("a known CoreDNS plugin the model lacks is named as such", () => {
    expect(loadFail(".:53 {\n etcd\n}").message).toBe(
      "plugin/etcd: Corefile:2 - the etcd plugin is not modelled by kubetwin",
    );
  });
});

describe("plugin order is plugin.cfg's, not the Corefile's", () => {
  it("orders kind's plugins as CoreDNS's chain runs them", () => {
    const r = loadCorefile(KIND_COREFILE);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.server.instances[0]!.plugins).toEqual([
      "reload",
      "ready",
      "health",
      "prometheus",
      "errors",
      "loadbalance",
      "cache",
      "kubernetes",
      "loop",
      "forward",
    ]);
  });
  it("a block with two keys gets one chain per key", () => {
    const r = loadCorefile("cluster.local in-addr.arpa {\n cache\n kubernetes\n}");
    if (!r.ok) throw new Error(r.error.message);
    expect(r.server.instances.map((i) => i.addr.zone)).toEqual(["cluster.local.", "in-addr.arpa."]);
  });
});
