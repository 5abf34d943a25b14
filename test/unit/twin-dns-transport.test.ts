/**
 * The DNS datapath of the twin: a query from a pod to the kube-dns ClusterIP
 * is DNATed by kube-proxy to a CoreDNS pod, answered there, and the reply
 * comes back from 10.96.0.10 — over UDP, and over TCP with the length
 * prefix. Nothing listening means the transport's timeout.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as dnsPacket from "dns-packet";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCluster } from "../../src/cli/commands/load.js";
import { serveDns } from "../../src/twin/dns-server.js";
import { namespaceDnsTransport, tcpUnframe } from "../../src/twin/dns-transport.js";
import { buildTwin, type Twin, type TwinPod } from "../../src/twin/twin.js";

const DEFINITION = `apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: kind-worker2, containers: [{name: c, image: busybox}]}
`;

let twin: Twin;
let client: TwinPod;
const seen: Array<{ client: string; server: string; transport: string }> = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "kt-dns-"));
  writeFileSync(join(dir, "cluster.yaml"), DEFINITION);
  const { cluster, work } = loadCluster({ file: [dir] });
  twin = await buildTwin(cluster, work);
  client = [...twin.pods.values()].find((p) => p.info.name === "client")!;
  for (const p of twin.pods.values())
    if (p.info.labels["k8s-app"] === "kube-dns")
      serveDns(p.ns, 53, (q, peer) => {
        seen.push({ client: peer.client.ip, server: peer.server.ip, transport: peer.transport });
        const m = dnsPacket.decode(Buffer.from(q));
        return dnsPacket.encode({
          id: m.id,
          type: "response",
          flags: dnsPacket.AUTHORITATIVE_ANSWER,
          questions: m.questions,
          answers: [{ type: "A", name: m.questions![0]!.name, ttl: 5, data: "10.96.0.1" }],
        });
      });
});

function query(name: string): Uint8Array {
  return dnsPacket.encode({ id: 7, type: "query", questions: [{ type: "A", name }] });
}

describe("the twin's DNS transport", () => {
  it("carries a UDP query through the kube-dns Service to a CoreDNS pod and back", async () => {
    const t = namespaceDnsTransport(client.node.kernel, client.ns);
    const r = await t({ ip: "10.96.0.10", port: 53 }, query("kubernetes.default.svc.cluster.local"), "udp");
    expect(r).not.toBeNull();
    const m = dnsPacket.decode(Buffer.from(r!));
    expect(m.id).toBe(7);
    expect(m.answers).toEqual([expect.objectContaining({ type: "A", data: "10.96.0.1" })]);
    // The CoreDNS pod sees the client pod's own address (ClusterIP traffic is not masqueraded) on its pod IP.
    const last = seen[seen.length - 1]!;
    expect(last.client).toBe(client.info.ip);
    expect(last.server).not.toBe("10.96.0.10");
    expect(last.transport).toBe("udp");
  });

  it("carries a TCP query with its length prefix", async () => {
    const t = namespaceDnsTransport(client.node.kernel, client.ns);
    const r = await t({ ip: "10.96.0.10", port: 53 }, query("x.example"), "tcp");
    expect(r).not.toBeNull();
    expect(dnsPacket.decode(Buffer.from(r!)).questions![0]!.name).toBe("x.example");
    expect(seen[seen.length - 1]!.transport).toBe("tcp");
  });

  it("gives null when nothing answers before the timeout", async () => {
    const t = namespaceDnsTransport(client.node.kernel, client.ns);
    const before = twin.clock.now;
    expect(await t({ ip: "10.96.0.99", port: 53 }, query("a.b"), "udp", 2000)).toBeNull();
    expect(twin.clock.now - before).toBeGreaterThanOrEqual(2000);
  });

  it("splits a TCP stream into whole messages", () => {
    const { messages, rest } = tcpUnframe("\u0000\u0002ab\u0000\u0003c");
    expect(messages.map((m) => [...m])).toEqual([[97, 98]]);
    expect(rest).toBe("\u0000\u0003c");
  });
});
