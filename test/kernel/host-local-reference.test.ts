/**
 * host-local side by side: the reference plugin (containernetworking-plugins
 * 1.1.1 at /usr/lib/cni/host-local) and the model run the same ADD/DEL/CHECK
 * sequence, each with its own fresh dataDir, and must agree on stdout, the
 * exit status and every file left in the data directory. host-local touches
 * no network state and never opens CNI_NETNS, so the binary runs directly.
 * Skipped when the binary is missing, unless KUBETWIN_REQUIRE_KERNEL=1.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { execHostLocal } from "../../src/cni/ipam/host-local-exec.js";

const PLUGIN = "/usr/lib/cni/host-local";
const available = existsSync(PLUGIN);
const required = process.env.KUBETWIN_REQUIRE_KERNEL === "1";

/** One invocation; `@DIR@` in the config stands for the side's own dataDir. */
interface Step {
  cmd: string;
  id: string;
  ifName?: string;
  conf: string;
  cniArgs?: string;
}

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else out[prefix + e.name] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(dir, "");
  return out;
}

/** Runs the steps through both, comparing after each one; returns the model's outputs for spot checks. */
function sideBySide(steps: Step[], seed: Record<string, string> = {}): string[] {
  const ref = mkdtempSync(join(tmpdir(), "kt-hl-ref-"));
  const ours = mkdtempSync(join(tmpdir(), "kt-hl-ours-"));
  roots.push(ref, ours);
  for (const dir of [ref, ours])
    for (const [path, data] of Object.entries(seed)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), data);
    }
  const outputs: string[] = [];
  for (const [i, s] of steps.entries()) {
    const env = {
      CNI_COMMAND: s.cmd,
      CNI_CONTAINERID: s.id,
      CNI_IFNAME: s.ifName ?? "eth0",
      CNI_NETNS: "/var/run/netns/kubetwin-never-opened",
      CNI_PATH: "/usr/lib/cni",
      CNI_ARGS: s.cniArgs ?? "",
    };
    const r = spawnSync(PLUGIN, [], {
      input: s.conf.replaceAll("@DIR@", ref),
      env: { PATH: process.env.PATH ?? "", ...env },
      encoding: "utf8",
    });
    const m = execHostLocal(env, s.conf.replaceAll("@DIR@", ours));
    const label = `step ${i}: ${s.cmd} ${s.id} ${s.conf}`;
    expect(m.stdout.replaceAll(ours, "@DIR@"), label).toBe(r.stdout.replaceAll(ref, "@DIR@"));
    expect(m.exitCode, label).toBe(r.status);
    expect(snapshot(ours), label).toEqual(snapshot(ref));
    outputs.push(m.stdout);
  }
  return outputs;
}

function conf(ipam: Record<string, unknown>, cniVersion = "1.0.0", name = "kt", extra = {}): string {
  return JSON.stringify({
    cniVersion,
    name,
    type: "bridge",
    ipam: { type: "host-local", dataDir: "@DIR@", ...ipam },
    ...extra,
  });
}

describe("host-local: the model against the reference plugin 1.1.1", () => {
  if (!available) {
    if (required)
      it("has the reference plugin", () => {
        expect.fail(
          `KUBETWIN_REQUIRE_KERNEL=1 but ${PLUGIN} is missing (apt-get install containernetworking-plugins)`,
        );
      });
    else it.skip(`${PLUGIN} missing: install containernetworking-plugins to compare`, () => {});
    return;
  }

  it("allocates round robin in a 4-address range, runs out, releases and wraps", () => {
    const c = conf({
      subnet: "10.244.1.0/24",
      rangeStart: "10.244.1.2",
      rangeEnd: "10.244.1.5",
      routes: [{ dst: "0.0.0.0/0" }, { dst: "10.96.0.0/12", gw: "10.244.1.1" }],
    });
    const out = sideBySide([
      ...["a", "b", "c", "d", "e"].map((id) => ({ cmd: "ADD", id, conf: c })),
      { cmd: "DEL", id: "b", conf: c },
      { cmd: "DEL", id: "nobody", conf: c },
      { cmd: "ADD", id: "f", conf: c },
      { cmd: "DEL", id: "a", conf: c },
      { cmd: "DEL", id: "c", conf: c },
      { cmd: "ADD", id: "g", conf: c },
      { cmd: "ADD", id: "h", conf: c },
      { cmd: "ADD", id: "h", conf: c },
      { cmd: "ADD", id: "h", ifName: "net1", conf: c },
      { cmd: "DEL", id: "h", ifName: "net1", conf: c },
      { cmd: "CHECK", id: "h", conf: c },
      { cmd: "CHECK", id: "a", conf: c },
    ]);
    expect(out[4]).toContain("no IP addresses available in range set: 10.244.1.2-10.244.1.5");
  });

  it("walks two ranges of a set, a second (IPv6) set, and converts to each cniVersion", () => {
    const ipam = {
      ranges: [
        [{ subnet: "10.1.0.0/24", rangeStart: "10.1.0.252" }, { subnet: "10.2.0.0/30" }],
        [{ subnet: "fd00::/120", rangeStart: "fd00::fc" }],
      ],
      routes: [{ dst: "10.0.0.5/8", gw: "10.1.0.1" }, { dst: "::/0" }],
    };
    const steps: Step[] = [];
    for (const v of ["1.0.0", "0.4.0", "0.3.1"])
      for (let i = 0; i < 5; i++) steps.push({ cmd: "ADD", id: `p${i}`, conf: conf(ipam, v, `two-${v}`) });
    sideBySide(steps);
  });

  it("skips a gateway in the middle of the range, and honours 0.1.0/0.2.0 results", () => {
    const gw = conf({ subnet: "192.168.0.0/29", gateway: "192.168.0.3" }, "0.3.1", "gw");
    const old = (v: string) =>
      conf({ subnet: "10.9.0.0/16", routes: [{ dst: "0.0.0.0/0", gw: "10.9.0.1" }] }, v, `old${v}`);
    sideBySide([
      ...Array.from({ length: 7 }, (_, i) => ({ cmd: "ADD", id: `g${i}`, conf: gw })),
      { cmd: "ADD", id: "o", conf: old("0.2.0") },
      { cmd: "ADD", id: "o", conf: old("0.1.0") },
      { cmd: "ADD", id: "o", conf: old("") },
    ]);
  });

  it("gives the reference's errors for bad configs and invocations", () => {
    const bad: Array<Record<string, unknown>> = [
      {},
      { subnet: "10.0.0.0/31" },
      { subnet: "10.0.0.5/24" },
      { subnet: "10.0.0.0/24", rangeStart: "10.0.1.1" },
      { subnet: "10.0.0.0/24", rangeStart: "10.0.0.9", rangeEnd: "10.0.0.3" },
      { subnet: "10.0.0.0/24", rangeEnd: "10.0.0.255" },
      { subnet: "bogus" },
      { subnet: "10.0.0.0/24", rangeStart: "bogus" },
      { ranges: [[{ subnet: "10.0.0.0/24" }, { subnet: "10.0.0.0/25" }]] },
      { ranges: [[{ subnet: "10.0.0.0/24" }], [{ subnet: "10.0.0.128/25" }]] },
      { ranges: [[{ subnet: "10.0.0.0/24" }, { subnet: "fd00::/64" }]] },
      { ranges: [[{ rangeStart: "10.0.0.1" }]] },
      { ranges: [[]] },
      { ranges: [] },
      { subnet: 5 },
      { ranges: [[5]] },
      { subnet: "10.0.0.0/24", routes: [{ dst: "x" }] },
      { subnet: "10.0.0.0/24", routes: [5] },
      { subnet: "10.0.0.0/24", gateway: true },
      { subnet: "10.0.0.0/24", resolvConf: "/nonexistent/resolv.conf" },
    ];
    const steps: Step[] = bad.map((ipam, i) => ({
      cmd: "ADD",
      id: "x",
      conf: conf(ipam, "1.0.0", `bad${i}`),
    }));
    const ok = conf({ subnet: "10.0.0.0/24" }, "1.0.0", "ok");
    steps.push(
      { cmd: "ADD", id: "x", conf: JSON.stringify({ cniVersion: "1.0.0", name: "n" }) },
      { cmd: "ADD", id: "x", conf: conf({ subnet: "10.0.0.0/24" }, "1.1.0") },
      { cmd: "ADD", id: "x", conf: JSON.stringify({ cniVersion: "1.0.0", ipam: {} }) },
      { cmd: "ADD", id: "x y", conf: ok },
      { cmd: "ADD", id: "x", ifName: "a:b", conf: ok },
      { cmd: "ADD", id: "x", ifName: "abcdefghijklmnop", conf: ok },
      { cmd: "ADD", id: "x", conf: "{" },
      { cmd: "ADD", id: "x", conf: ok, cniArgs: "IP=10.0.0.9;K8S_POD_NAME=p" },
      { cmd: "ADD", id: "x", conf: ok, cniArgs: "IgnoreUnknown=1;IP=10.0.0.9;K8S_POD_NAME=p" },
      { cmd: "ADD", id: "y", conf: ok, cniArgs: "IgnoreUnknown=1;IP=10.0.0.9" },
      { cmd: "ADD", id: "y", conf: ok, cniArgs: "IP=10.0.0.1" },
      {
        cmd: "ADD",
        id: "z",
        conf: conf({ subnet: "10.0.0.0/24" }, "1.0.0", "ok", { runtimeConfig: { ips: ["10.0.5.5/24"] } }),
      },
      {
        cmd: "ADD",
        id: "x",
        conf: conf({ ranges: [[{ subnet: "10.0.0.0/24" }], [{ subnet: "10.1.0.0/24" }]] }, "0.2.0"),
      },
    );
    sideBySide(steps);
  });

  it("reads files an older plugin wrote and recovers from a bad last_reserved_ip", () => {
    const c = conf({ subnet: "10.3.0.0/29" }, "1.0.0", "legacy");
    sideBySide(
      [
        { cmd: "ADD", id: "new", conf: c },
        { cmd: "ADD", id: "old", conf: c },
        { cmd: "DEL", id: "old", conf: c },
        { cmd: "ADD", id: "new2", conf: c },
      ],
      {
        "legacy/10.3.0.2": "old\n",
        "legacy/10.3.0.5": "someone\r\neth0",
        "legacy/last_reserved_ip.0": "garbage",
      },
    );
  });
});
