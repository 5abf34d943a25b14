/**
 * kubetwin benchmarks. Every figure is reported with a ratio against a
 * baseline measured in the same run, so machines of different speed compare.
 *   npm run bench            (writes bench/results/latest.json too)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { Bench } from "tinybench";
import { buildClusterTwin, crossNodePair, traceAcross } from "./cluster.js";
import { realRestoreUnavailable, restoreReference } from "./kernel-ref.js";
import { CountingSink, kubeRuleset, restoreInto, traceToService } from "./netfilter.js";
import { buildBridged, buildEmpty, pingAcross } from "./netns-bridge.js";
import {
  addClient,
  clusterIPOf,
  endpointChanged,
  fullSync,
  generateOnly,
  lastServiceIndex,
  type ProxyBenchResult,
  proxyWorkload,
  traceToClusterIP,
} from "./proxy.js";

const N = 1000;

function heapAfterGc(): number {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
  return process.memoryUsage().heapUsed;
}

/** Pings across a 1,000-port bridge against a 2-port one; only figures leave, so the namespaces live only for this section. */
async function pingBench(): Promise<Figures<"warm" | "first">> {
  const big = buildBridged(N);
  const small = buildBridged(2);
  // First packets resolve ARP (a broadcast flooded to every port); measure warm pings, as a user's second ping.
  pingAcross(big, 0);
  pingAcross(small, 0);
  let seq = 1;
  const ping = new Bench({ iterations: 200, warmupIterations: 20 });
  ping.add("baseline: ping across a 2-port bridge", () => {
    if (!pingAcross(small, seq++)) throw new Error("no reply");
  });
  ping.add(`ping across a ${N}-port bridge`, () => {
    if (!pingAcross(big, seq++)) throw new Error("no reply");
  });
  // A first ping: both neighbour tables forget each other, so ARP's broadcast floods every port again.
  const forget = (b: typeof big): void => {
    for (const ns of [b.ns[0]!, b.ns[b.ns.length - 1]!]) for (const n of ns.neigh.list()) ns.neigh.delete(n);
  };
  ping.add(`first ping across a ${N}-port bridge (ARP flood)`, () => {
    forget(big);
    if (!pingAcross(big, seq++)) throw new Error("no reply");
  });
  ping.add("baseline: first ping across a 2-port bridge", () => {
    forget(small);
    if (!pingAcross(small, seq++)) throw new Error("no reply");
  });
  await ping.run();

  return { warm: figure(ping, 1, 0), first: figure(ping, 2, 3) };
}

/** Heap per namespace with a veth on the bridge, against an empty namespace. */
function memoryPerNamespace(): { perNs: number; perEmpty: number } {
  const before = heapAfterGc();
  const kept = buildBridged(N);
  const after = heapAfterGc();
  const perNs = (after - before) / N;
  const beforeEmpty = heapAfterGc();
  const keptEmpty = buildEmpty(N);
  const afterEmpty = heapAfterGc();
  const perEmpty = (afterEmpty - beforeEmpty) / N;
  // Both stay alive until measured.
  void kept;
  void keptEmpty;
  return { perNs, perEmpty };
}

/** A figure and its baseline: plain numbers, so nothing a section built outlives it. */
interface Figure {
  value: number;
  baseline: number;
}
type Figures<K extends string> = Record<K, Figure>;

function figure(b: Bench, value: number, baseline: number): Figure {
  return { value: meanOf(b, value), baseline: meanOf(b, baseline) };
}

function meanOf(b: Bench, i: number): number {
  const r = b.tasks[i]?.result;
  if (!r || !("latency" in r)) throw new Error(`task failed: ${b.tasks[i]?.name}`);
  return r.latency.mean;
}

/**
 * kube-proxy (iptables mode) with 10,000 Services of 10 endpoints against 1,000: a full sync
 * (generate + iptables-restore --noflush into a simulated node), a partial sync after one
 * endpoint changes, and a traced SYN to the ClusterIP whose rule is last in KUBE-SERVICES.
 * Only the means leave this function, so its nodes are freed before the next section.
 */
async function proxyBench(): Promise<ProxyBenchResult> {
  const big = proxyWorkload(10_000);
  const small = proxyWorkload(1_000);
  // One warm-up run each: the figure is a sync's cost, not the JIT's first compile of the parser.
  const full = new Bench({ iterations: 3, warmupIterations: 1, warmupTime: 0, time: 0 });
  // Each sync starts on a collected heap: the last one's 430,000 rules are not this one's garbage to collect.
  const clean = { beforeEach: (): void => void heapAfterGc() };
  full.add(
    "baseline: full sync of 1,000 services",
    async () => {
      await fullSync(small);
    },
    clean,
  );
  full.add(
    "full sync of 10,000 services",
    async () => {
      await fullSync(big);
    },
    clean,
  );
  full.add(
    "baseline: generate the payload for 1,000 services",
    () => {
      generateOnly(small);
    },
    clean,
  );
  full.add(
    "generate the payload for 10,000 services",
    () => {
      generateOnly(big);
    },
    clean,
  );
  await full.run();
  heapAfterGc();

  // One endpoint of one service replaced, and back, on each sync: an informer event, then a partial sync.
  const bigNode = await fullSync(big);
  const smallNode = await fullSync(small);
  let flip = true;
  // Enough syncs that a collection of the large heap counts at its share, not as a fifth of the mean.
  const inc = new Bench({ iterations: 30, warmupIterations: 3, warmupTime: 0, time: 0 });
  inc.add("baseline: partial sync after one endpoint changes, 1,000 services", async () => {
    const r = await endpointChanged(smallNode, small, 500, flip);
    flip = !flip;
    if ("fullSync" in r && r.fullSync) throw new Error("not a partial sync");
  });
  inc.add("partial sync after one endpoint changes, 10,000 services", async () => {
    const r = await endpointChanged(bigNode, big, 5_000, flip);
    flip = !flip;
    if ("fullSync" in r && r.fullSync) throw new Error("not a partial sync");
  });
  await inc.run();

  // A client pod on the node; its SYN to the ClusterIP whose rule is last in KUBE-SERVICES.
  const bigTrace = await addClient(bigNode);
  const smallTrace = await addClient(smallNode);
  const bigIP = clusterIPOf(lastServiceIndex(bigNode.proxy.last!.payload));
  const smallIP = clusterIPOf(lastServiceIndex(smallNode.proxy.last!.payload));
  // The first SYN resolves the client's gateway (ARP); measure the next ones.
  traceToClusterIP(bigTrace, bigIP);
  traceToClusterIP(smallTrace, smallIP);
  const tr = new Bench({ iterations: 2000, warmupIterations: 200 });
  tr.add("baseline: traced SYN to the last service, 1,000 services", () => {
    if (!traceToClusterIP(smallTrace, smallIP)) throw new Error("not DNATed");
  });
  tr.add("traced SYN to the last service, 10,000 services", () => {
    if (!traceToClusterIP(bigTrace, bigIP)) throw new Error("not DNATed");
  });
  await tr.run();
  return {
    fullSync: meanOf(full, 1),
    fullSyncBaseline: meanOf(full, 0),
    generate: meanOf(full, 3),
    generateBaseline: meanOf(full, 2),
    incremental: meanOf(inc, 1),
    incrementalBaseline: meanOf(inc, 0),
    trace: meanOf(tr, 1),
    traceBaseline: meanOf(tr, 0),
  };
}

/**
 * The machine itself, for reading the other figures: three million small objects made and kept
 * (what a sync's rules and lines cost the collector) against the same made and dropped. A full
 * sync keeps a few million objects, so its time moves with this one from machine to machine.
 */
const TOUCH_BYTES = 100 * 1024 * 1024;

/** Writes one byte in every 4 KiB page of `b`. */
function touchPages(b: Buffer): number {
  for (let i = 0; i < b.length; i += 4096) b[i] = i & 0xff;
  return b[0]!;
}

async function machineBench(): Promise<Bench> {
  const m = new Bench({ iterations: 3, warmupIterations: 1, warmupTime: 0, time: 0 });
  let sink = 0;
  m.add("baseline: 3,000,000 small objects made and dropped", () => {
    for (let i = 0; i < 3_000_000; i++) {
      const o = { a: i, b: null };
      sink += o.a & 1;
    }
  });
  m.add("3,000,000 small objects made and kept", () => {
    const keep: { a: number; b: null }[] = [];
    for (let i = 0; i < 3_000_000; i++) keep.push({ a: i, b: null });
    sink += keep.length & 1;
  });
  // The cost of fresh memory: a full sync keeps on the order of 100 MB, and on a virtual machine the
  // first write to each page (a fault the hypervisor also handles) can cost more than the work.
  const touched = Buffer.allocUnsafeSlow(TOUCH_BYTES);
  touchPages(touched);
  m.add("baseline: 100 MB written again, one byte per page", () => {
    sink += touchPages(touched);
  });
  m.add("100 MB of fresh memory written, one byte per page", () => {
    sink += touchPages(Buffer.allocUnsafeSlow(TOUCH_BYTES));
  });
  await m.run();
  if (sink < 0) throw new Error("unreachable");
  return m;
}

/**
 * The real iptables-restore against the model's, on kube-proxy's payload for 1,000 Services (the
 * full-sync baseline's size): what the sync figures would be with the real tool doing the load.
 * Null when the real tool cannot run here (not root).
 */
async function kernelReferenceBench(): Promise<Figure | null> {
  const why = realRestoreUnavailable();
  if (why !== null) {
    process.stderr.write(`bench: no kernel reference row (${why})\n`);
    return null;
  }
  const ref = restoreReference(1_000);
  try {
    const k = new Bench({ iterations: 3, warmupIterations: 1, warmupTime: 0, time: 0 });
    k.add("baseline: the model's iptables-restore --noflush of 1,000 services", async () => {
      await ref.model();
    });
    k.add("iptables-restore --noflush of 1,000 services, real (nf_tables)", () => {
      ref.real();
    });
    await k.run();
    return figure(k, 1, 0);
  } finally {
    ref.close();
  }
}

/**
 * Netfilter at kube-proxy scale: iptables-restore of 100,000 rules against 1,000 (the baseline), and
 * a traced SYN matching the last of 10,000 KUBE-SERVICES rules against one matching the first. Only
 * the means leave this function, so its rulesets are freed before the next section.
 */
async function netfilterBench(): Promise<Figures<"restore" | "trace">> {
  const big100k = kubeRuleset(100_000);
  const small1k = kubeRuleset(1_000);
  const nf = new Bench({ iterations: 5, warmupIterations: 1 });
  nf.add("baseline: iptables-restore of 1,000 rules", () => {
    restoreInto(small1k);
  });
  nf.add("iptables-restore of 100,000 rules", () => {
    restoreInto(big100k);
  });
  await nf.run();
  const svcNs = restoreInto(kubeRuleset(40_000));
  svcNs.kernel.trace = new CountingSink();
  const tr = new Bench({ iterations: 2000, warmupIterations: 200 });
  tr.add("baseline: traced SYN matching the first of 10,000 service rules", () => {
    if (!traceToService(svcNs, 0)) throw new Error("not DNATed");
  });
  tr.add("traced SYN matching the last of 10,000 service rules", () => {
    if (!traceToService(svcNs, 9_999)) throw new Error("not DNATed");
  });
  await tr.run();

  return { restore: figure(nf, 1, 0), trace: figure(tr, 1, 0) };
}

/**
 * A cluster at the scale: 100 nodes, 3,000 pods on flannel's VXLAN overlay, against 3 nodes
 * and 30 pods. Only figures leave this function: the twins are freed before the next section (a
 * later section's collections would otherwise mark them on every cycle).
 */
async function clusterBench(): Promise<Figures<"build" | "trace" | "heap">> {
  const cb = new Bench({ iterations: 3, warmupIterations: 0 });
  cb.add("baseline: build a 3-node, 30-pod flannel cluster", async () => {
    await buildClusterTwin(3, 30);
  });
  cb.add("build a 100-node, 3,000-pod flannel cluster", async () => {
    await buildClusterTwin(100, 3000);
  });
  await cb.run();
  const beforeCluster = heapAfterGc();
  const bigTwin = await buildClusterTwin(100, 3000);
  const clusterHeap = heapAfterGc() - beforeCluster;
  const beforeSmall = heapAfterGc();
  const smallTwin = await buildClusterTwin(3, 30);
  const smallHeap = heapAfterGc() - beforeSmall;
  const [ba, bb] = crossNodePair(bigTwin);
  const [sa, sb] = crossNodePair(smallTwin);
  // The first trace resolves ARP on both nodes and the underlay; measure the next ones.
  traceAcross(bigTwin, ba, bb);
  traceAcross(smallTwin, sa, sb);
  const ct = new Bench({ iterations: 500, warmupIterations: 50 });
  ct.add("baseline: trace pod to pod across nodes, 3-node cluster", () => {
    if (!traceAcross(smallTwin, sa, sb)) throw new Error("not delivered");
  });
  ct.add("trace pod to pod across nodes, 100-node cluster", () => {
    if (!traceAcross(bigTwin, ba, bb)) throw new Error("not delivered");
  });
  await ct.run();

  return {
    build: figure(cb, 1, 0),
    trace: figure(ct, 1, 0),
    heap: { value: clusterHeap / 1048576, baseline: smallHeap / 1048576 },
  };
}

async function main(): Promise<void> {
  const build = new Bench({ iterations: 5, warmupIterations: 1 });
  build.add(`baseline: ${N} empty namespaces`, () => {
    buildEmpty(N);
  });
  build.add(`${N} namespaces, veth pairs on one bridge`, () => {
    buildBridged(N);
  });
  await build.run();
  heapAfterGc();

  const ping = await pingBench();
  heapAfterGc();

  const { perNs, perEmpty } = memoryPerNamespace();
  heapAfterGc();

  const nf = await netfilterBench();
  heapAfterGc();

  const cl = await clusterBench();
  heapAfterGc();

  const px = await proxyBench();
  heapAfterGc();
  const machine = await machineBench();
  heapAfterGc();
  const kernelRef = await kernelReferenceBench();
  heapAfterGc();

  const mean = meanOf;
  const rows = [
    {
      what: `build ${N} namespaces on a bridge`,
      value: mean(build, 1),
      unit: "ms",
      baseline: mean(build, 0),
      target: "< 1000 ms",
    },
    {
      what: `warm ping across ${N} ports`,
      value: ping.warm.value,
      unit: "ms",
      baseline: ping.warm.baseline,
      target: "< 1 ms",
    },
    {
      what: `first ping across ${N} ports (ARP flood)`,
      value: ping.first.value,
      unit: "ms",
      baseline: ping.first.baseline,
      target: "< 1 ms",
    },
    {
      what: "memory per namespace (veth + bridge port + addresses)",
      value: perNs / 1024,
      unit: "KiB",
      baseline: perEmpty / 1024,
      target: "< 50 KiB",
    },
    {
      what: "iptables-restore of 100,000 rules",
      value: nf.restore.value,
      unit: "ms",
      baseline: nf.restore.baseline,
      target: "< 2000 ms",
    },
    {
      what: "traced SYN matching the last of 10,000 service rules",
      value: nf.trace.value,
      unit: "ms",
      baseline: nf.trace.baseline,
      target: "< 1 ms, ×1.5 of the first",
    },
    {
      what: "build 100 nodes, 3,000 pods (flannel vxlan)",
      value: cl.build.value,
      unit: "ms",
      baseline: cl.build.baseline,
      target: "< 5000 ms",
    },
    {
      what: "heap of the 100-node, 3,000-pod cluster",
      value: cl.heap.value,
      unit: "MiB",
      baseline: cl.heap.baseline,
      target: "< 2048 MiB",
    },
    {
      what: "trace one pod-to-pod connection across nodes (100 nodes)",
      value: cl.trace.value,
      unit: "ms",
      baseline: cl.trace.baseline,
      target: "< 1 ms",
    },
    {
      what: "kube-proxy full sync, 10,000 services × 10 endpoints",
      value: px.fullSync,
      unit: "ms",
      baseline: px.fullSyncBaseline,
      target: "< 2000 ms",
    },
    {
      what: "  of which generating the payload (10,000 services)",
      value: px.generate,
      unit: "ms",
      baseline: px.generateBaseline,
      target: "(part of the above)",
    },
    {
      what: "kube-proxy partial sync, one endpoint changed (10,000)",
      value: px.incremental,
      unit: "ms",
      baseline: px.incrementalBaseline,
      target: "< 50 ms",
    },
    {
      what: "traced SYN to the last of 10,000 services (agent's rules)",
      value: px.trace,
      unit: "ms",
      baseline: px.traceBaseline,
      target: "< 1 ms, ×1.5 of 1,000",
    },
    {
      what: "machine: 3,000,000 small objects made and kept",
      value: mean(machine, 1),
      unit: "ms",
      baseline: mean(machine, 0),
      target: "(reference for reading the sync figures)",
    },
    {
      what: "machine: 100 MB of fresh memory written (page faults)",
      value: mean(machine, 3),
      unit: "ms",
      baseline: mean(machine, 2),
      target: "(reference for reading the sync figures)",
    },
  ];
  if (kernelRef)
    rows.push({
      what: "kernel: real iptables-restore of 1,000 services",
      value: kernelRef.value,
      unit: "ms",
      baseline: kernelRef.baseline,
      target: "(reference: the model's restore is the baseline)",
    });
  const gcNote = (globalThis as { gc?: unknown }).gc ? "" : " (run with node --expose-gc for exact memory)";
  process.stdout.write(`kubetwin bench — ${new Date().toISOString()}${gcNote}\n`);
  for (const r of rows) {
    process.stdout.write(
      `${r.what.padEnd(56)} ${r.value.toFixed(3).padStart(10)} ${r.unit.padEnd(3)}  ×${(r.value / r.baseline).toFixed(2)} of baseline (${r.baseline.toFixed(3)} ${r.unit})  target ${r.target}\n`,
    );
  }
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(
    "bench/results/latest.json",
    `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
  );
}

await main();
