/**
 * The real server on 127.0.0.1 (ephemeral ports), queried with BIND's dig
 * (skipped without it) and attacked with garbage; every server is closed.
 */
import { execFile } from "node:child_process";
import dgram from "node:dgram";
import net from "node:net";
import { promisify } from "node:util";
import { encode, decode as rawDecode } from "dns-packet";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runDnsServe } from "../../../src/cli/commands/dns.js";
import { CliError } from "../../../src/cli/errors.js";
import { type DnsServer, startDnsServer } from "../../../src/dns/server/dns-server.js";
import { parseListen } from "../../../src/dns/server/listen.js";
import { frame } from "../../../src/dns/server/tcp-framing.js";
import { CLUSTER_RECORDS, staticHandler } from "../../support/static-dns.js";

/** dns-packet sets rcode and opcode on what it decodes; its typings leave them out. */
const decode = (b: Buffer) =>
  rawDecode(b) as ReturnType<typeof rawDecode> & { rcode: string; opcode: string };

const run = promisify(execFile);
const hasDig = await run("dig", ["-v"]).then(
  () => true,
  () => false,
);

async function dig(port: number, ...args: string[]): Promise<string> {
  const r = await run("dig", ["@127.0.0.1", "-p", String(port), "+time=2", "+tries=1", ...args]);
  return r.stdout;
}

function udpExchange(port: number, msg: Uint8Array, waitMs = 1000): Promise<Buffer | null> {
  const s = dgram.createSocket("udp4");
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      s.close();
      resolve(null);
    }, waitMs);
    s.on("message", (m) => {
      clearTimeout(t);
      s.close();
      resolve(m);
    });
    s.send(msg, port, "127.0.0.1");
  });
}

const query = (name: string, id = 1): Buffer =>
  encode({ id, type: "query", flags: 0x0100, questions: [{ name, type: "A", class: "IN" }] });

describe("startDnsServer", () => {
  let server: DnsServer;
  let port: number;
  const log: string[] = [];
  beforeAll(async () => {
    server = await startDnsServer({
      listen: { host: "127.0.0.1", port: 0 },
      handler: staticHandler(CLUSTER_RECORDS),
      log: (l) => log.push(l),
      limits: { readTimeoutMs: 300, idleTimeoutMs: 2000, maxTcpConnections: 20 },
    });
    port = server.address.port;
  });
  afterAll(() => server.close());

  it.runIf(hasDig)(
    "answers dig over UDP with CoreDNS's bytes (uncompressed, cookie echoed: 129 octets)",
    async () => {
      const out = await dig(port, "kubernetes.default.svc.cluster.local", "A", "+notcp");
      expect(out).toMatch(/status: NOERROR/);
      expect(out).toMatch(/flags: qr aa rd;/);
      expect(out).toMatch(/kubernetes\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.96\.0\.1/);
      expect(out).toMatch(/; EDNS: version: 0, flags:; udp: 1232/);
      expect(out).toMatch(/COOKIE: [0-9a-f]{16} \(echoed\)/);
      expect(out).toMatch(/MSG SIZE {2}rcvd: 129/);
      expect(out).toMatch(/\(UDP\)/);
    },
  );

  it.runIf(hasDig)("answers over TCP, echoing the question's case", async () => {
    const out = await dig(port, "KUBERNETES.default.svc.cluster.local", "A", "+tcp");
    expect(out).toMatch(/^KUBERNETES\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.96\.0\.1/m);
    expect(out).toMatch(/\(TCP\)/);
  });

  it.runIf(hasDig)("truncates to +bufsize=512 with TC, and dig gets everything over TCP", async () => {
    const cut = await dig(port, "big.default.svc.cluster.local", "A", "+bufsize=512", "+ignore");
    expect(cut).toMatch(/flags: qr aa tc rd; QUERY: 1, ANSWER: 27, AUTHORITY: 0, ADDITIONAL: 1/);
    expect(cut).toMatch(/MSG SIZE {2}rcvd: 502/);
    const full = await dig(port, "big.default.svc.cluster.local", "A", "+bufsize=512");
    expect(full).toMatch(/Truncated, retrying in TCP mode/);
    expect(full).toMatch(/ANSWER: 40,/);
    expect(full).toMatch(/\(TCP\)/);
    const noedns = await dig(port, "big.default.svc.cluster.local", "A", "+noedns", "+ignore");
    expect(noedns).toMatch(/flags: qr aa tc rd; QUERY: 1, ANSWER: 29, AUTHORITY: 0, ADDITIONAL: 0/);
  });

  it.runIf(hasDig)("answers NXDOMAIN with the SOA, SRV, and REFUSED for class CH", async () => {
    expect(await dig(port, "nope.default.svc.cluster.local")).toMatch(/status: NXDOMAIN[\s\S]*IN\s+SOA/);
    expect(await dig(port, "_http._tcp.web.default.svc.cluster.local", "SRV")).toMatch(
      /SRV\s+0 100 80 web\.default\.svc\.cluster\.local\./,
    );
    expect(await dig(port, "version.bind", "TXT", "CH")).toMatch(/status: REFUSED/);
  });

  it("answers FORMERR over UDP, drops responses, and survives random datagrams", async () => {
    const bad = query("web.default.svc.cluster.local", 0x4242);
    bad.writeUInt16BE(3, 4);
    const r = await udpExchange(port, bad);
    expect(r && decode(r)).toMatchObject({ id: 0x4242, rcode: "FORMERR" });
    expect(await udpExchange(port, encode({ id: 5, type: "response", questions: [] }), 300)).toBeNull();
    const s = dgram.createSocket("udp4");
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(Math.random() * 600);
      const b = Buffer.alloc(len);
      for (let j = 0; j < len; j++) b[j] = Math.floor(Math.random() * 256);
      s.send(b, port, "127.0.0.1");
    }
    await new Promise((res) => setTimeout(res, 300));
    s.close();
    const ok = await udpExchange(port, query("web.default.svc.cluster.local", 7));
    expect(ok && decode(ok).answers?.[0]).toMatchObject({ data: "10.96.12.34" });
  });

  it("answers pipelined TCP queries in order on one connection", async () => {
    const c = net.connect(port, "127.0.0.1");
    const got: number[] = [];
    let buf = Buffer.alloc(0);
    await new Promise<void>((resolve) => {
      c.on("data", (d) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          got.push(decode(buf.subarray(2, 2 + buf.readUInt16BE(0))).id ?? -1);
          buf = buf.subarray(2 + buf.readUInt16BE(0));
        }
        if (got.length === 3) resolve();
      });
      c.write(Buffer.concat([1, 2, 3].map((id) => frame(query("kubernetes.default.svc.cluster.local", id)))));
    });
    c.destroy();
    expect(got).toEqual([1, 2, 3]);
  });

  it("closes a slowloris connection and shrugs off a huge length prefix and garbage", async () => {
    const slow = net.connect(port, "127.0.0.1");
    const closed = new Promise<number>((res) => {
      const t0 = Date.now();
      slow.on("close", () => res(Date.now() - t0));
      slow.on("error", () => {});
    });
    slow.write(Buffer.from([0xff, 0xff, 0x00])); // announces 65535 octets, sends one
    expect(await closed).toBeLessThan(2000);
    for (let i = 0; i < 20; i++) {
      const g = net.connect(port, "127.0.0.1");
      g.on("error", () => {});
      const b = Buffer.alloc(3000);
      for (let j = 0; j < b.length; j++) b[j] = Math.floor(Math.random() * 256);
      g.end(b);
    }
    await new Promise((res) => setTimeout(res, 200));
    const ok = await udpExchange(port, query("kubernetes.default.svc.cluster.local", 8));
    expect(ok && decode(ok).rcode).toBe("NOERROR");
  });

  it("answers many clients at once", async () => {
    const names = Object.keys(CLUSTER_RECORDS.names).filter((n) => !n.startsWith("_"));
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) => udpExchange(port, query(names[i % names.length]!, i), 3000)),
    );
    expect(replies.every((r, i) => r !== null && decode(r).id === i)).toBe(true);
  });

  it("answers SERVFAIL when the handler throws", async () => {
    const s = await startDnsServer({
      listen: { host: "127.0.0.1", port: 0 },
      handler: () => {
        throw new Error("boom");
      },
    });
    const r = await udpExchange(s.address.port, query("x.cluster.local", 11));
    await s.close();
    expect(r && decode(r)).toMatchObject({ id: 11, rcode: "SERVFAIL" });
  });
});

describe("startDnsServer with the reply cache", () => {
  it("answers repeated queries identically, and again after the data changes", async () => {
    let ip = "10.96.0.1";
    let gen = 0;
    const s = await startDnsServer({
      listen: { host: "127.0.0.1", port: 0 },
      handler: (q) =>
        staticHandler({
          zone: "cluster.local",
          names: { "a.cluster.local": [{ type: "A", ttl: 5, class: "IN", data: ip }] },
        })(q),
      replyCache: { generation: () => gen },
    });
    const ask = async (id: number) =>
      decode((await udpExchange(s.address.port, query("a.cluster.local", id)))!);
    expect((await ask(1)).answers?.[0]).toMatchObject({ data: "10.96.0.1" });
    ip = "10.96.0.2";
    const again = await ask(2);
    expect(again.id).toBe(2);
    expect(again.answers?.[0]).toMatchObject({ data: "10.96.0.1" }); // from the cache
    gen++;
    expect((await ask(3)).answers?.[0]).toMatchObject({ data: "10.96.0.2" });
    await s.close();
  });
});

describe("parseListen", () => {
  it("takes IPv4 and bracketed IPv6 with a port, and says what is wrong otherwise", () => {
    expect(parseListen("127.0.0.1:5353")).toEqual({ host: "127.0.0.1", port: 5353 });
    expect(parseListen("[::1]:53")).toEqual({ host: "::1", port: 53 });
    expect(parseListen("localhost:53")).toMatchObject({ error: expect.stringMatching(/not an IP address/) });
    expect(parseListen("127.0.0.1")).toMatchObject({ error: expect.stringMatching(/ADDR:PORT/) });
    expect(parseListen("127.0.0.1:70000")).toMatchObject({ error: expect.stringMatching(/out of range/) });
  });
});

describe("kubetwin dns serve", () => {
  it("refuses a bad --listen with one line", async () => {
    await expect(runDnsServe({ listen: "nowhere" }, () => staticHandler(CLUSTER_RECORDS))).rejects.toThrow(
      CliError,
    );
    await expect(
      runDnsServe({ listen: "127.0.0.1:99999" }, () => staticHandler(CLUSTER_RECORDS)),
    ).rejects.toThrow(/kubetwin dns serve: --listen port 99999 is out of range/);
  });

  it.runIf(hasDig)("says where it listens, serves, and stops when told", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      lines.push(String(s));
      return true;
    });
    const stop = new AbortController();
    const done = runDnsServe({ listen: "127.0.0.1:0" }, () => staticHandler(CLUSTER_RECORDS), stop.signal);
    await vi.waitFor(() => expect(lines.join("")).toMatch(/listening/));
    spy.mockRestore();
    const m = /^kubetwin dns: listening on 127\.0\.0\.1:(\d+) \(udp, tcp\)\n$/.exec(lines.join(""));
    expect(m).not.toBeNull();
    expect(await dig(Number(m![1]), "kubernetes.default.svc.cluster.local", "+short")).toBe("10.96.0.1\n");
    stop.abort();
    expect(await done).toBe(0);
  });
});
