/**
 * Pods reachable across nodes with every CNI option: each pod reaches every
 * other pod on each of its containerPorts with its own source address (no
 * NAT between pods), nodes reach pods, and traces show the datapath each
 * option builds (a bridge, /32 routes, VXLAN encapsulation).
 */
import { describe, expect, it } from "vitest";
import { loadCluster } from "../../src/cli/commands/load.js";
import { probe, resolveEndpoint } from "../../src/twin/probe.js";
import { buildTwin, type Twin } from "../../src/twin/twin.js";

const OPTIONS: Array<{ name: string; twin: string; expect: string[] }> = [
  { name: "kindnet", twin: "", expect: ["veth"] },
  { name: "bridge", twin: "cni: {type: bridge}", expect: ["bridge"] },
  {
    name: "flannel vxlan",
    twin: "cni: {type: flannel, backend: vxlan}",
    expect: ["bridge", "encap", "decap"],
  },
  { name: "flannel host-gw", twin: "cni: {type: flannel, backend: host-gw}", expect: ["bridge"] },
  { name: "routed", twin: "cni: {type: routed}", expect: ["veth"] },
];

async function shop(twinYaml: string): Promise<Twin> {
  const { readManifestPaths } = await import("../../src/node/manifests.js");
  const files = readManifestPaths(["examples/shop"]);
  if (twinYaml)
    files.push({
      file: "twin.yaml",
      text: `kind: TwinConfig\napiVersion: kubetwin.dev/v1alpha1\n${twinYaml}\n`,
    });
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "kt-twin-"));
  for (const [i, f] of files.entries()) writeFileSync(join(dir, `${i}.yaml`), f.text);
  const { cluster, work } = loadCluster({ file: [dir] });
  return buildTwin(cluster, work);
}

describe.each(OPTIONS)("pod network with $name", (opt) => {
  it("every pod reaches every other pod's ports with its own address, and nodes reach pods", async () => {
    const twin = await shop(opt.twin);
    const pods = [...twin.pods.values()].filter(
      (p) => p.sandbox.netns !== null && p.info.namespace === "shop",
    );
    expect(pods.length).toBeGreaterThan(3);
    const nodesOfPods = new Set(pods.map((p) => p.node.name));
    expect(nodesOfPods.size).toBeGreaterThan(1);
    for (const a of pods)
      for (const b of pods) {
        if (a === b) continue;
        for (const port of b.info.ports) {
          const r = probe(
            twin,
            resolveEndpoint(twin, `pod/shop/${a.info.name}`, "source"),
            resolveEndpoint(twin, `pod/shop/${b.info.name}`, "destination"),
            "tcp",
            port.containerPort,
          );
          expect(r.verdict, `${a.info.name} -> ${b.info.name}:${port.containerPort}`).toBe("delivered");
          expect(r.delivered?.pod).toBe(`shop/${b.info.name}`);
          // The server sees the client's own pod address.
          expect(r.hops.at(-1)?.packet).toMatch(
            new RegExp(`^IP ${a.sandbox.ip.replace(/\./g, "\\.")}\\.\\d+ > `),
          );
        }
      }
    for (const n of twin.nodes.values())
      for (const b of pods) {
        const r = probe(
          twin,
          resolveEndpoint(twin, `node/${n.name}`, "source"),
          resolveEndpoint(twin, b.sandbox.ip, "destination"),
          "icmp",
          null,
        );
        expect(r.verdict, `${n.name} -> ${b.info.name}`).toBe("delivered");
        const back = probe(
          twin,
          resolveEndpoint(twin, `pod/shop/${b.info.name}`, "source"),
          resolveEndpoint(twin, n.address, "destination"),
          "icmp",
          null,
        );
        expect(back.verdict, `${b.info.name} -> ${n.name}`).toBe("delivered");
      }
  });

  it("traces the datapath the option builds, across nodes", async () => {
    const twin = await shop(opt.twin);
    const pods = [...twin.pods.values()].filter(
      (p) => p.sandbox.netns !== null && p.info.namespace === "shop",
    );
    const a = pods.find((p) => p.info.name.startsWith("frontend"))!;
    const b = pods.find((p) => p.info.name.startsWith("db"))!;
    expect(a.node.name).not.toBe(b.node.name);
    const r = probe(
      twin,
      resolveEndpoint(twin, `pod/shop/${a.info.name}`, "source"),
      resolveEndpoint(twin, `pod/shop/${b.info.name}`, "destination"),
      "tcp",
      5432,
    );
    const kinds = new Set(r.hops.map((h) => h.kind));
    for (const k of [...opt.expect, "route", "netfilter", "socket"]) expect(kinds, k).toContain(k);
    expect(r.hops.some((h) => h.host === a.node.name)).toBe(true);
    expect(r.hops.some((h) => h.host === b.node.name)).toBe(true);
    expect(r.reply.at(-1)?.detail).toContain("connection established");
    // A port nobody listens on is refused by the pod's kernel.
    const closed = probe(
      twin,
      resolveEndpoint(twin, `pod/shop/${a.info.name}`, "source"),
      resolveEndpoint(twin, `pod/shop/${b.info.name}`, "destination"),
      "tcp",
      9,
    );
    expect(closed.verdict).toBe("rejected");
  });
});

describe("hostPort", () => {
  it("reaches a pod through its node's address from outside the cluster, with every CNI option", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    for (const cni of [
      "",
      "cni: {type: flannel, backend: vxlan}",
      "cni: {type: routed}",
      "cni: {type: bridge}",
    ]) {
      const dir = mkdtempSync(join(tmpdir(), "kt-hostport-"));
      writeFileSync(
        join(dir, "pod.yaml"),
        `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default}
spec:
  nodeName: kind-worker2
  containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]
${cni ? `---\nkind: TwinConfig\napiVersion: kubetwin.dev/v1alpha1\n${cni}\n` : ""}`,
      );
      const { cluster, work } = loadCluster({ file: [dir] });
      const twin = await buildTwin(cluster, work);
      const r = probe(
        twin,
        resolveEndpoint(twin, "external", "source"),
        resolveEndpoint(twin, "172.18.0.4", "destination"),
        "tcp",
        8080,
      );
      expect(r.verdict, cni || "kindnet").toBe("delivered");
      expect(r.hops.some((h) => h.kind === "nat" || /DNAT/.test(h.detail))).toBe(true);
      expect(r.hops.at(-1)?.netns).toMatch(/^cni-/);
    }
  });
});
