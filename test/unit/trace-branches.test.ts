/**
 * trace --all-endpoints: every endpoint of a Service is reached by some draw of kube-proxy's
 * statistic rules, each branch traced to its own pod.
 */
import { describe, expect, it } from "vitest";
import { loadCluster } from "../../src/cli/commands/load.js";
import { allBranches } from "../../src/twin/branches.js";
import { resolveEndpoint } from "../../src/twin/probe.js";
import { buildTwin } from "../../src/twin/twin.js";

describe("trace --all-endpoints", () => {
  it("finds each endpoint of the shop's api Service, each with chance 1/3", async () => {
    const { cluster, work } = loadCluster({ file: ["examples/shop"] });
    const twin = await buildTwin(cluster, work);
    const front = [...twin.pods.values()].find((p) => p.info.name.startsWith("frontend"))!;
    const branches = allBranches(
      twin,
      resolveEndpoint(twin, `pod/shop/${front.info.name}`, "source"),
      resolveEndpoint(twin, "svc/shop/api", "destination"),
      "tcp",
      80,
    );
    const apis = work.pods.filter((p) => p.namespace === "shop" && p.name.startsWith("api-"));
    expect(branches.map((b) => b.endpoint)).toEqual(apis.map((p) => `${p.ip}:8080`).sort());
    expect(branches.every((b) => b.chance === "1/3" && b.trace.verdict === "delivered")).toBe(true);
    expect(new Set(branches.map((b) => b.trace.delivered?.pod))).toEqual(
      new Set(apis.map((p) => `shop/${p.name}`)),
    );
  });

  it("shows every endpoint of a Service with ClientIP affinity: each try is the client's first connection", async () => {
    const { cluster, work } = loadCluster({ file: ["examples/loadbalancer"] });
    const twin = await buildTwin(cluster, work);
    const branches = allBranches(
      twin,
      resolveEndpoint(twin, "node/kind-control-plane", "source"),
      resolveEndpoint(twin, "svc/default/echo-local", "destination"),
      "tcp",
      80,
    );
    const echo = work.pods.filter((p) => p.name.startsWith("echo-"));
    expect(branches.map((b) => b.endpoint)).toEqual(echo.map((p) => `${p.ip}:80`).sort());
    expect(branches.every((b) => b.chance === "1/2" && b.trace.verdict === "delivered")).toBe(true);
  });
});
