/**
 * @module bench/dns
 * `kubetwin dns serve`'s throughput under Debian's dnsperf — the server and
 * the CoreDNS handler the command builds for examples/dns, in this process —
 * against dnsmasq serving the same records on the same machine in the same
 * run (the baseline), plus a check that the answers under load are
 * byte-identical to a single query's. Everything listens on 127.0.0.1;
 * dnsmasq is stopped at the end.
 *   npm run bench:dns                         (DNS_BENCH_SECONDS=10 by default)
 * Skips, saying so, when dnsperf or dnsmasq is missing.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import dgram from "node:dgram";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { decode, encode as encodePacket } from "dns-packet";
import { corednsHandlerFactory } from "../src/cli/commands/dns.js";
import { startDnsServer } from "../src/dns/server/dns-server.js";

const run = promisify(execFile);
const SECONDS = Number(process.env.DNS_BENCH_SECONDS ?? 10);
const TARGET_QPS = 30_000;

/**
 * The cluster names dnsperf asks for (examples/dns): Services, a StatefulSet
 * pod's own name, and an AAAA for a name that has only an A (NODATA). Each
 * has one answer, so replies are comparable byte for byte.
 */
const QUERIES: Array<[string, "A" | "AAAA"]> = [
  ["kubernetes.default.svc.cluster.local", "A"],
  ["kube-dns.kube-system.svc.cluster.local", "A"],
  ["web.apps.svc.cluster.local", "A"],
  ["db-0.db.apps.svc.cluster.local", "A"],
  ["web.apps.svc.cluster.local", "AAAA"],
];
const EXAMPLE = "examples/dns";

async function have(cmd: string): Promise<boolean> {
  return run("sh", ["-c", `command -v ${cmd}`]).then(
    () => true,
    () => false,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

interface PerfResult {
  qps: number;
  sent: number;
  lost: number;
  noerror: number;
}

async function dnsperf(port: number, file: string): Promise<PerfResult> {
  const { stdout } = await run(
    "dnsperf",
    ["-s", "127.0.0.1", "-p", String(port), "-d", file, "-l", String(SECONDS), "-c", "20", "-q", "200"],
    { maxBuffer: 1 << 20 },
  );
  const num = (re: RegExp): number => Number(re.exec(stdout)?.[1] ?? Number.NaN);
  return {
    qps: num(/Queries per second:\s+([\d.]+)/),
    sent: num(/Queries sent:\s+(\d+)/),
    lost: num(/Queries lost:\s+(\d+)/),
    noerror: num(/NOERROR (\d+)/),
  };
}

/** One query's reply bytes, id fixed, so two runs compare byte for byte. */
function ask(port: number, name: string, type: "A" | "AAAA"): Promise<Buffer> {
  const q = encodePacket({
    id: 4242,
    type: "query",
    flags: 0x0100,
    questions: [{ name, type, class: "IN" }],
  });
  const s = dgram.createSocket("udp4");
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      s.close();
      reject(new Error(`no answer for ${name} ${type}`));
    }, 2000);
    s.on("message", (m) => {
      clearTimeout(t);
      s.close();
      resolve(m);
    });
    s.send(q, port, "127.0.0.1");
  });
}

async function answers(port: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const [n, t] of QUERIES) out.push(await ask(port, n, t));
  return out;
}

/** dnsmasq holding the A records kubetwin answered with. */
async function startDnsmasq(port: number, dir: string, replies: Buffer[]): Promise<ChildProcess> {
  const records: string[] = [];
  for (const r of replies)
    for (const a of decode(r).answers ?? [])
      if (a.type === "A") records.push(`--host-record=${a.name},${a.data}`);
  const child = spawn(
    "dnsmasq",
    [
      "--no-daemon",
      `--port=${port}`,
      "--listen-address=127.0.0.1",
      "--bind-interfaces",
      "--no-resolv",
      "--no-hosts",
      `--conf-file=${join(dir, "empty.conf")}`,
      "--pid-file=",
      "--local-ttl=5",
      "--log-facility=-",
      ...records,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) throw new Error(`dnsmasq exited: ${err.trim()}`);
    try {
      await ask(port, QUERIES[0]![0], "A");
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error(`dnsmasq did not answer: ${err.trim()}`);
}

async function main(): Promise<void> {
  const missing = [];
  for (const c of ["dnsperf", "dnsmasq"]) if (!(await have(c))) missing.push(c);
  if (missing.length > 0) {
    process.stdout.write(`dns bench: skipped (${missing.join(" and ")} not installed)\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "kubetwin-dnsbench-"));
  const file = join(dir, "queries.txt");
  writeFileSync(file, QUERIES.map(([n, t]) => `${n} ${t}\n`).join(""));
  writeFileSync(join(dir, "empty.conf"), "");
  // What `kubetwin dns serve -f examples/dns` runs.
  const handler = await corednsHandlerFactory({ file: [EXAMPLE] });
  const server = await startDnsServer({ listen: { host: "127.0.0.1", port: 0 }, handler });
  const cached = await startDnsServer({ listen: { host: "127.0.0.1", port: 0 }, handler, replyCache: true });
  let dnsmasq: ChildProcess | undefined;
  try {
    const before = await answers(server.address.port);
    const twin = await dnsperf(server.address.port, file);
    const after = await answers(server.address.port);
    const twinCached = await dnsperf(cached.address.port, file);
    const afterCached = await answers(cached.address.port);
    const identical = before.every((b, i) => b.equals(after[i]!) && b.equals(afterCached[i]!));

    const mport = await freePort();
    dnsmasq = await startDnsmasq(mport, dir, before);
    const base = await dnsperf(mport, file);

    const rows = [
      {
        what: "kubetwin dns serve (CoreDNS model), cluster names (udp)",
        value: twin.qps,
        unit: "qps",
        baseline: base.qps,
        target: `>= ${TARGET_QPS} qps`,
        lost: twin.lost,
        sent: twin.sent,
        baselineLost: base.lost,
      },
      {
        what: "  the same with the reply cache (replyCache: true)",
        value: twinCached.qps,
        unit: "qps",
        baseline: base.qps,
        target: `>= ${TARGET_QPS} qps`,
        lost: twinCached.lost,
        sent: twinCached.sent,
        baselineLost: base.lost,
      },
    ];
    process.stdout.write(`kubetwin dns bench — ${new Date().toISOString()} (dnsperf, ${SECONDS} s each)\n`);
    for (const r of rows)
      process.stdout.write(
        `${r.what.padEnd(56)} ${r.value.toFixed(0).padStart(10)} ${r.unit}  ×${(r.value / r.baseline).toFixed(2)} of baseline (dnsmasq ${r.baseline.toFixed(0)} ${r.unit})  target ${r.target}\n`,
      );
    process.stdout.write(
      `  lost: kubetwin ${twin.lost} of ${twin.sent} (cached ${twinCached.lost} of ${twinCached.sent}), dnsmasq ${base.lost} of ${base.sent}; answers under load byte-identical to single queries: ${identical ? "yes" : "NO"}\n`,
    );
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(
      "bench/results/dns.json",
      `${JSON.stringify({ date: new Date().toISOString(), seconds: SECONDS, rows, identical }, null, 2)}\n`,
    );
    if (!identical) process.exitCode = 1;
  } finally {
    dnsmasq?.kill("SIGTERM");
    await server.close();
    await cached.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
