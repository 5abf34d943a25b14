/**
 * Names in the twin as a pod sees them (examples/dns): the kubelet's
 * resolv.conf and hosts, the seed's DNS troubleshooting steps with
 * nslookup, dig, getent and curl resolving through CoreDNS across the
 * datapath, a trace to a name, and an upstream that does not answer.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { corednsHandlerFactory } from "../../src/cli/commands/dns.js";
import { runExec } from "../../src/cli/commands/exec.js";
import { runTrace } from "../../src/cli/commands/trace.js";

const EX = { file: [join(import.meta.dirname, "..", "..", "examples", "dns")] };

async function exec(target: string, script: string, src = EX) {
  const r = await runExec(target, [script], src);
  return { out: r.run.stdout, err: r.run.stderr, code: r.code };
}

describe("a pod's resolver files", () => {
  it("are what the kubelet writes for dnsPolicy ClusterFirst", async () => {
    const r = await exec("pod/client", "cat /etc/resolv.conf; cat /etc/hosts");
    expect(r.out.split("\n").slice(0, 10).join("\n")).toBe(
      "search default.svc.cluster.local svc.cluster.local cluster.local\n" +
        "nameserver 10.96.0.10\n" +
        "options ndots:5\n" +
        "# Kubernetes-managed hosts file.\n" +
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n" +
        "fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters",
    );
    expect(r.out).toMatch(/\n10\.244\.\d+\.\d+\tclient\n$/);
  });

  it("gives a StatefulSet pod its FQDN in /etc/hosts", async () => {
    const r = await exec("pod/apps/db-1", "cat /etc/hosts");
    expect(r.out).toMatch(/\n10\.244\.\d+\.\d+\tdb-1\.db\.apps\.svc\.cluster\.local\tdb-1\n$/);
  });

  it("gives CoreDNS (dnsPolicy Default) the node's resolv.conf", async () => {
    const pod = (await exec("node/kind-control-plane", "cat /etc/resolv.conf")).out;
    expect(pod).toContain("nameserver 172.18.0.1\n");
  });
});

describe("the seed's DNS checks", () => {
  it("nslookup kubernetes.default answers with the Service's ClusterIP", async () => {
    const r = await exec("pod/client", "nslookup kubernetes.default");
    expect(r.out).toBe(
      "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n",
    );
    expect(r.code).toBe(0);
  });

  it("nslookup of a Service in another namespace, and of an Internet name through forward", async () => {
    const r = await exec("pod/client", "nslookup web.apps.svc.cluster.local; nslookup google.com");
    expect(r.out).toMatch(/Name:\tweb\.apps\.svc\.cluster\.local\nAddress: 10\.96\.\d+\.\d+\n/);
    expect(r.out).toContain("Non-authoritative answer:\nName:\tgoogle.com\nAddress: 142.250.185.78\n");
  });

  it("nslookup google.com fails with SERVFAIL when the upstream is blocked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kt-dns-blocked-"));
    writeFileSync(
      join(dir, "c.yaml"),
      "apiVersion: kubetwin.dev/v1alpha1\nkind: TwinConfig\ndns: {upstream: unreachable}\n---\n" +
        "apiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec: {containers: [{name: c, image: busybox}]}\n",
    );
    const r = await exec(
      "pod/debug",
      "nslookup kubernetes.default >/dev/null && echo internal-ok; nslookup google.com",
      {
        file: [dir],
      },
    );
    expect(r.out).toContain("internal-ok\n");
    expect(r.out).toContain("** server can't find google.com: SERVFAIL\n");
    expect(r.code).toBe(1);
  });

  it("dig, getent and curl resolve through the same resolver", async () => {
    const r = await exec(
      "pod/client",
      "dig +short db.apps.svc.cluster.local | sort; getent hosts web.apps; curl -s http://web.apps/; curl -s http://docs.apps/; echo rc=$?",
    );
    const lines = r.out.split("\n");
    expect(lines.slice(0, 3).every((l) => /^10\.244\.\d+\.\d+$/.test(l))).toBe(true);
    expect(lines[3]).toMatch(/^10\.96\.\d+\.\d+\s+web\.apps\.svc\.cluster\.local$/);
    expect(lines[4]).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}$/);
    // docs is an ExternalName for example.com: resolved to an Internet address nothing in the twin serves.
    expect(r.out).toMatch(/rc=(7|28)\n$/);
  });

  it("curl names what failed, as curl 7.88 does", async () => {
    const r = await exec("pod/client", "curl http://nosuch/; curl -sS http://web.apps:81/");
    expect(r.err).toContain("curl: (6) Could not resolve host: nosuch\n");
    expect(r.err).toMatch(
      /curl: \(7\) Failed to connect to web\.apps port 81 after \d+ ms: Couldn't connect to server\n/,
    );
  });
});

describe("the cluster's Corefile", () => {
  it("is read from the coredns ConfigMap, and a mistake names the definition's line", () => {
    const dir = mkdtempSync(join(tmpdir(), "kt-corefile-"));
    writeFileSync(
      join(dir, "c.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n" +
        "  Corefile: |\n    .:53 {\n        errors\n        bogus\n        kubernetes cluster.local\n    }\n",
    );
    expect(() => corednsHandlerFactory({ file: [dir] })).toThrow(
      `${join(dir, "c.yaml")}:10: ConfigMap kube-system/coredns data.Corefile: Corefile:3 - Error during parsing: Unknown directive 'bogus'`,
    );
  });
});

describe("a node's resolver", () => {
  it("reaches docker's embedded DNS at the network's gateway, which answers for the Internet", async () => {
    const r = await exec("node/kind-worker", "nslookup status.example.org; nslookup nosuch.example.com");
    expect(r.out).toContain(
      "Server:\t\t172.18.0.1\nAddress:\t172.18.0.1#53\n\nNon-authoritative answer:\nName:\tstatus.example.org\nAddress: 203.0.113.10\n",
    );
    expect(r.out).toContain("** server can't find nosuch.example.com: NXDOMAIN\n");
  });
});

describe("kubetwin trace to a name", () => {
  it("looks the name up from the source pod, then traces to the address", async () => {
    const r = await runTrace("pod/client", "web.apps", { ...EX, port: "80" });
    expect(r.stdout).toMatch(
      /^web\.apps resolved to 10\.96\.\d+\.\d+ \(DNS via 10\.96\.0\.10\)\ntrace pod\/default\/client -> web\.apps \(tcp\/80\)\n/,
    );
    expect(r.code).toBe(0);
  });

  it("traces a DNS query through kube-dns to a CoreDNS pod and back", async () => {
    const r = await runTrace("pod/client", "svc/kube-system/kube-dns", {
      ...EX,
      port: "53",
      proto: "udp",
      output: "json",
    });
    const t = JSON.parse(r.stdout) as {
      verdict: string;
      delivered: { pod: string };
      hops: Array<{ kind: string; detail: string }>;
    };
    expect(t.verdict).toBe("delivered");
    expect(t.delivered.pod).toMatch(/^kube-system\/coredns-/);
    expect(t.hops.some((h) => h.kind === "nat" && h.detail.startsWith("DNAT"))).toBe(true);
  });
});
