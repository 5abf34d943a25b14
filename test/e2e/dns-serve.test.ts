/**
 * `kubetwin dns serve` as a user runs it: spawned on examples/dns, queried
 * with the real `dig`, stopped with SIGTERM. The answers are what CoreDNS
 * (kind's Corefile, `ttl 30`) gives for that cluster: A for a ClusterIP
 * Service, one A per endpoint and per-pod names for a headless Service,
 * SRV with their targets, PTR, pod records, a CNAME chased through forward
 * for ExternalName, NXDOMAIN with the zone's SOA, and the Internet through
 * the TwinConfig's record set.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const port = 20000 + (process.pid % 20000);
let server: ChildProcess;
let stderr = "";

function dig(...args: string[]): string {
  return execFileSync("dig", ["@127.0.0.1", "-p", String(port), "+time=5", "+tries=1", ...args], {
    encoding: "utf8",
  });
}

function answers(...args: string[]): string[] {
  return dig("+noall", "+answer", "+authority", ...args)
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split(/\s+/).join(" "));
}

beforeAll(async () => {
  server = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(root, "src/cli/run.ts"),
      "dns",
      "serve",
      "--listen",
      `127.0.0.1:${port}`,
      "-f",
      "examples/dns",
    ],
    { cwd: root, stdio: ["ignore", "ignore", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dns serve did not start: ${stderr}`)), 60_000);
    server.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.on("exit", (code) => reject(new Error(`dns serve exited with ${code}: ${stderr}`)));
  });
}, 90_000);

afterAll(async () => {
  if (server.exitCode !== null) return;
  const done = new Promise<number | null>((r) => server.on("exit", (c) => r(c)));
  server.kill("SIGTERM");
  expect(await done).toBe(0);
});

describe("kubetwin dns serve", () => {
  it("says where it listens", () => {
    expect(stderr).toContain(`kubetwin dns: listening on 127.0.0.1:${port} (udp, tcp)`);
  });

  it("answers a ClusterIP Service with its address, authoritatively, and recursion unavailable", () => {
    const out = dig("web.apps.svc.cluster.local");
    expect(out).toMatch(/status: NOERROR/);
    expect(out).toMatch(/;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1/);
    expect(out).toMatch(/^web\.apps\.svc\.cluster\.local\.\s+30\s+IN\s+A\s+10\.96\.\d+\.\d+$/m);
  });

  it("answers a headless Service with each ready endpoint, and each StatefulSet pod by name", () => {
    const a = answers("db.apps.svc.cluster.local");
    expect(a).toHaveLength(3);
    for (const l of a) expect(l).toMatch(/^db\.apps\.svc\.cluster\.local\. 30 IN A 10\.244\.\d+\.\d+$/);
    const pods = [0, 1, 2].map((i) => answers(`db-${i}.db.apps.svc.cluster.local`)[0]!.split(" ").pop());
    expect(new Set(pods)).toEqual(new Set(a.map((l) => l.split(" ").pop())));
  });

  it("gives SRV records for named ports, with the per-pod targets of a headless Service", () => {
    expect(answers("SRV", "_http._tcp.web.apps.svc.cluster.local")).toEqual([
      "_http._tcp.web.apps.svc.cluster.local. 30 IN SRV 0 100 80 web.apps.svc.cluster.local.",
    ]);
    expect(answers("SRV", "_pg._tcp.db.apps.svc.cluster.local").sort()).toEqual(
      [0, 1, 2].map(
        (i) => `_pg._tcp.db.apps.svc.cluster.local. 30 IN SRV 0 33 5432 db-${i}.db.apps.svc.cluster.local.`,
      ),
    );
  });

  it("answers PTR for a Service address, and pod records", () => {
    const ip = answers("web.apps.svc.cluster.local")[0]!.split(" ").pop()!;
    const rev = `${ip.split(".").reverse().join(".")}.in-addr.arpa.`;
    expect(answers("-x", ip)).toEqual([`${rev} 30 IN PTR web.apps.svc.cluster.local.`]);
    expect(answers("10-244-1-77.apps.pod.cluster.local")).toEqual([
      "10-244-1-77.apps.pod.cluster.local. 30 IN A 10.244.1.77",
    ]);
  });

  it("answers an ExternalName Service with a CNAME, and its target through forward", () => {
    expect(answers("docs.apps.svc.cluster.local")).toEqual([
      "docs.apps.svc.cluster.local. 30 IN CNAME example.com.",
      "example.com. 30 IN A 93.184.215.14",
    ]);
    expect(answers("status.example.org")).toEqual(["status.example.org. 30 IN A 203.0.113.10"]);
  });

  it("tells a missing name (NXDOMAIN) from a name without that type (NODATA), both with the SOA", () => {
    const soa =
      "cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1735689600 7200 1800 86400 30";
    expect(dig("nope.apps.svc.cluster.local")).toMatch(/status: NXDOMAIN/);
    expect(answers("nope.apps.svc.cluster.local")).toEqual([soa]);
    expect(dig("MX", "web.apps.svc.cluster.local")).toMatch(/status: NOERROR/);
    expect(answers("MX", "web.apps.svc.cluster.local")).toEqual([soa]);
  });

  it("answers over TCP too", () => {
    expect(dig("+tcp", "kubernetes.default.svc.cluster.local")).toMatch(
      /kubernetes\.default\.svc\.cluster\.local\.\s+30\s+IN\s+A\s+10\.96\.0\.1\n[\s\S]*\(TCP\)/,
    );
  });
});
