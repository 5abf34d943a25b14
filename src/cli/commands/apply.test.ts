import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runApply, runDelete } from "./apply.js";
import { loadCluster } from "./load.js";

function service(name: string, extra = ""): string {
  return `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {type: NodePort, ports: [{port: 80}]${extra}}\n---\n`;
}

/** Each Service's ClusterIP and NodePort, as the state directory's cluster has them. */
function allocations(state: string): Map<string, string> {
  const { work } = loadCluster({ state });
  return new Map(
    work.services
      .filter((s) => s.name.startsWith("s"))
      .map((s) => [s.name, `${s.clusterIP}:${s.ports[0]?.nodePort}`]),
  );
}

describe("kubetwin apply and delete keep what the API server allocated", () => {
  it("leaves the other Services' ClusterIPs and NodePorts where they were when one goes or comes", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubetwin-apply-"));
    const state = join(dir, "state");
    const all = join(dir, "all.yaml");
    writeFileSync(all, service("s1") + service("s2") + service("s3"));
    expect(runApply([all], state).stdout).toBe(
      "service/s1 created\nservice/s2 created\nservice/s3 created\n",
    );
    const first = allocations(state);
    const one = join(dir, "s1.yaml");
    writeFileSync(one, service("s1"));
    expect(runDelete([one], state).stdout).toBe('service "s1" deleted\n');
    const after = allocations(state);
    expect(after.get("s2")).toBe(first.get("s2"));
    expect(after.get("s3")).toBe(first.get("s3"));
    // Applying the same file again changes nothing the server chose: unchanged, and the same addresses.
    expect(runApply([all], state).stdout).toBe(
      "service/s1 created\nservice/s2 unchanged\nservice/s3 unchanged\n",
    );
    expect(allocations(state).get("s3")).toBe(first.get("s3"));
  });

  it("keeps a NodePort while the type has node ports, and drops it when the Service becomes a ClusterIP", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubetwin-apply-"));
    const state = join(dir, "state");
    const f = join(dir, "s.yaml");
    writeFileSync(f, service("s1"));
    runApply([f], state);
    const np = allocations(state).get("s1")!.split(":")[1];
    writeFileSync(f, service("s1", ", externalIPs: [203.0.113.9]"));
    expect(runApply([f], state).stdout).toBe("service/s1 configured\n");
    expect(allocations(state).get("s1")!.split(":")[1]).toBe(np);
    writeFileSync(f, service("s1").replace("type: NodePort", "type: ClusterIP"));
    expect(runApply([f], state).stdout).toBe("service/s1 configured\n");
    expect(allocations(state).get("s1")!.split(":")[1]).toBe("undefined");
  });
});
