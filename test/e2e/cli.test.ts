/**
 * The `kubetwin` command as a user runs it: spawned, with its stdout,
 * stderr and exit status.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

// Each test spawns the CLI several times (a tsx start each): generous on a busy machine.
vi.setConfig({ testTimeout: 90_000 });

const root = join(import.meta.dirname, "..", "..");
const cli = join(root, "src", "cli", "run.ts");

function kubetwin(args: string[], input?: string, asUser?: number) {
  const base = [process.execPath, "--import", "tsx", cli, ...args];
  const argv =
    asUser === undefined
      ? base
      : ["setpriv", `--reuid=${asUser}`, `--regid=${asUser}`, "--clear-groups", ...base];
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd: root,
    input: input ?? "",
    encoding: "utf8",
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr.replace(/^npm warn.*\n/gm, ""), code: r.status };
}

function tmpScript(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "kubetwin-e2e-"));
  const f = join(dir, "s.sh");
  writeFileSync(f, text);
  return f;
}

describe("kubetwin sh", () => {
  it("runs a script file and exits with its status", () => {
    const f = tmpScript("ip netns add a\nip netns list\nip link show nope\n");
    const r = kubetwin(["sh", f]);
    expect(r.stdout).toBe("a\n");
    expect(r.stderr).toBe('Device "nope" does not exist.\n');
    expect(r.code).toBe(1);
  });

  it("reads the script from standard input", () => {
    const r = kubetwin(["sh"], "ip -br link\n");
    expect(r.stdout).toBe("lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n");
    expect(r.code).toBe(0);
  });

  it("prints each packet's hops with --trace", () => {
    const r = kubetwin(["sh", "--trace"], "ip link set lo up\nping -c 1 127.0.0.1 >/dev/null\n");
    expect(r.stdout).toContain("┌─ trace: line 2: ping -c 1 127.0.0.1 >/dev/null");
    expect(r.stdout).toMatch(/host\/\(root\) +socket +echo reply to ping socket/);
  });

  it("says clearly when the script does not exist", () => {
    const r = kubetwin(["sh", "/nonexistent/script.sh"]);
    expect(r.stderr).toBe("kubetwin sh: /nonexistent/script.sh: No such file or directory\n");
    expect(r.code).toBe(1);
  });

  it("rejects a bad seed with one line", () => {
    const r = kubetwin(["sh", "--seed", "x"], "true\n");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.code).not.toBe(0);
  });
});

describe("kubetwin demo", () => {
  it("narrates the bridge exercise with a traced ping", () => {
    const r = kubetwin(["demo"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "$ ip netns exec ns1 ping -c 1 10.1.1.2\nPING 10.1.1.2 (10.1.1.2) 56(84) bytes of data.\n64 bytes from 10.1.1.2: icmp_seq=1 ttl=64",
    );
    expect(r.stdout).toMatch(/bridge +br0: fdb [0-9a-f:]{17} -> br-veth2/);
    expect(r.stdout).toContain("1 packets transmitted, 1 received, 0% packet loss");
    // Part 3: the pod's resolver and CoreDNS, and the query traced to a CoreDNS pod.
    expect(r.stdout).toContain("Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n");
    expect(r.stdout).toMatch(/verdict: delivered — answered by pod\/kube-system\/coredns-/);
  });
});

describe("kubetwin oracle", () => {
  // Needs root to drop to an unprivileged user for the run.
  it.skipIf(process.getuid?.() !== 0)(
    "exits 3 with a clear reason when it cannot create network namespaces",
    () => {
      const r = kubetwin(["oracle", join(root, "README.md")], undefined, 65534);
      if (r.code === null) return;
      expect(r.stderr).toMatch(
        /^kubetwin oracle: the real kernel oracle needs root .*; nothing was compared\n$/,
      );
      expect(r.code).toBe(3);
    },
  );

  it("rejects an unknown output format", () => {
    const r = kubetwin(["oracle", "-o", "yaml", "x.sh"]);
    expect(r.stderr).toBe('kubetwin oracle: -o expects text or json, got "yaml"\n');
    expect(r.code).toBe(1);
  });
});

describe("kubetwin apply, get, delete", () => {
  it("records a definition and lists what kubectl would", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubetwin-state-"));
    const f = join(dir, "cluster.yaml");
    writeFileSync(
      f,
      "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: [{role: control-plane}, {role: worker}]\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n",
    );
    const state = join(dir, "state");
    const a = kubetwin(["apply", "-f", f, "--state", state]);
    expect(a.stdout).toBe("cluster/config created\nnamespace/shop created\n");
    expect(kubetwin(["apply", "-f", f, "--state", state]).stdout).toBe(
      "cluster/config unchanged\nnamespace/shop unchanged\n",
    );
    const nodes = kubetwin(["get", "nodes", "--state", state]);
    expect(nodes.stdout).toBe(
      "NAME                 STATUS   ROLES           AGE   VERSION\nkind-control-plane   Ready    control-plane   0s    v1.33.1\nkind-worker          Ready    <none>          0s    v1.33.1\n",
    );
    expect(kubetwin(["get", "ns", "shop", "--state", state]).stdout).toBe(
      "NAME   STATUS   AGE\nshop   Active   0s\n",
    );
    const d = kubetwin(["delete", "-f", f, "--state", state]);
    expect(d.stdout).toBe('cluster "config" deleted\nnamespace "shop" deleted\n');
    const missing = kubetwin(["get", "ns", "shop", "--state", state]);
    expect(missing.stderr).toBe('Error from server (NotFound): namespaces "shop" not found\n');
    expect(missing.code).toBe(1);
  });

  it("changes nothing when a file is wrong, and says where", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubetwin-state-"));
    const f = join(dir, "bad.yaml");
    writeFileSync(
      f,
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Pod\n",
    );
    const r = kubetwin(["apply", "-f", f, "--state", join(dir, "state")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:8:9: Pod "Bad_Pod" is invalid: metadata\.name: Invalid value/);
    expect(kubetwin(["get", "ns", "--state", join(dir, "state")]).stderr).toMatch(/^error: no cluster here/);
  });
});

describe("kubetwin get pods and services", () => {
  it("lists the example cluster's pods and services as kubectl does", () => {
    const ex = join(root, "examples", "nginx-nodeport");
    const pods = kubetwin(["get", "pods", "-o", "wide", "-f", ex]);
    expect(pods.stdout.split("\n")[0]).toBe(
      "NAME                     READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES",
    );
    expect(pods.stdout).toMatch(
      /^nginx-[a-z0-9]{10}-[a-z0-9]{5} +1\/1 +Running +0 +0s +10\.244\.1\.2 +kind-worker +<none> +<none>$/m,
    );
    const svc = kubetwin(["get", "svc", "nginx", "-f", ex]);
    expect(svc.stdout).toMatch(
      /^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nnginx +NodePort +10\.96\.\d+\.\d+ +<none> +80:3\d{4}\/TCP +0s\n$/,
    );
    const none = kubetwin(["get", "pods", "-n", "shop", "-f", ex]);
    expect(none.stderr).toBe("No resources found in shop namespace.\n");
  });

  it("runs the shop example: three tiers across the workers, named targetPorts resolved", () => {
    const ex = join(root, "examples", "shop");
    const pods = kubetwin(["get", "pods", "-n", "shop", "-o", "wide", "-f", ex]).stdout;
    const nodes = new Set([...pods.matchAll(/ (kind-worker2?) /g)].map((m) => m[1]));
    expect(nodes).toEqual(new Set(["kind-worker", "kind-worker2"]));
    expect(pods.match(/^(frontend|api|db)-[a-z0-9]{10}-[a-z0-9]{5} +1\/1 +Running/gm)?.length).toBe(6);
    const slices = kubetwin(["get", "endpointslices", "-n", "shop", "-f", ex]).stdout;
    expect(slices).toMatch(/^api-[a-z0-9]{5} +IPv4 +8080 +(10\.244\.[12]\.\d+,?){3} +0s$/m);
    expect(slices).toMatch(/^db-[a-z0-9]{5} +IPv4 +5432 +10\.244\.[12]\.\d+ +0s$/m);
  });

  it("runs the StatefulSet example: web-0.. behind a headless Service with per-pod hostnames", () => {
    const ex = join(root, "examples", "statefulset-headless");
    expect(kubetwin(["get", "pods", "-f", ex]).stdout).toMatch(/^web-0 .*\nweb-1 .*\nweb-2 .*\n$/m);
    expect(kubetwin(["get", "svc", "nginx", "-f", ex]).stdout).toMatch(
      /^nginx +ClusterIP +None +<none> +80\/TCP/m,
    );
    const yaml = kubetwin(["get", "endpointslices", "-o", "yaml", "-f", ex]).stdout;
    expect(yaml).toContain('service.kubernetes.io/headless: ""');
    expect(yaml.match(/hostname: web-\d/g)).toEqual([
      "hostname: web-0",
      "hostname: web-1",
      "hostname: web-2",
    ]);
  });
});

describe("kubetwin trace and exec on a cluster", () => {
  const shop = join(root, "examples", "shop");

  it("traces a pod-to-pod connection across nodes as JSON", () => {
    const pods = kubetwin(["get", "pods", "-n", "shop", "-o", "name", "-f", shop]).stdout.trim().split("\n");
    const front = pods.find((p) => p.startsWith("pod/frontend"))!.slice(4);
    const db = pods.find((p) => p.startsWith("pod/db"))!.slice(4);
    const r = kubetwin([
      "trace",
      `pod/shop/${front}`,
      `pod/shop/${db}`,
      "--port",
      "5432",
      "-o",
      "json",
      "-f",
      shop,
    ]);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as {
      verdict: string;
      delivered: { pod: string; port: number };
      hops: Array<{ host: string; netns: string; kind: string; detail: string; packet: string }>;
      reply: unknown[];
    };
    expect(t.verdict).toBe("delivered");
    expect(t.delivered).toMatchObject({ pod: `shop/${db}`, port: 5432 });
    expect(t.hops[0]).toMatchObject({ kind: "send" });
    expect(t.hops.at(-1)).toMatchObject({ kind: "socket" });
    expect(t.reply.length).toBeGreaterThan(0);
  });

  it("exits 1 for a refused port and names a missing pod on one line", () => {
    const pods = kubetwin(["get", "pods", "-n", "shop", "-o", "name", "-f", shop]).stdout.trim().split("\n");
    const db = pods.find((p) => p.startsWith("pod/db"))!.slice(4);
    const refused = kubetwin(["trace", "node/kind-worker", `pod/shop/${db}`, "--port", "81", "-f", shop]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/verdict: rejected: connection refused/);
    const missing = kubetwin(["trace", "pod/shop/nope", `pod/shop/${db}`, "--port", "80", "-f", shop]);
    expect(missing.stderr).toBe(
      'kubetwin trace: pod "shop/nope" not found (kubetwin get pods -A lists them)\n',
    );
    expect(missing.code).toBe(1);
    const badPort = kubetwin(["trace", "node/kind-worker", `pod/shop/${db}`, "--port", "x", "-f", shop]);
    expect(badPort.stderr).toBe('kubetwin trace: --port expects a port number 1-65535, got "x"\n');
    const icmpPort = kubetwin([
      "trace",
      "node/kind-worker",
      `pod/shop/${db}`,
      "--proto",
      "icmp",
      "--port",
      "80",
      "-f",
      shop,
    ]);
    expect(icmpPort.stderr).toBe(
      "kubetwin trace: --port does not apply to icmp (an echo request has no port)\n",
    );
    expect(icmpPort.code).toBe(1);
  });

  it("traces a Service port in its own protocol, and refuses a --proto that contradicts a named port", () => {
    const dns = kubetwin([
      "trace",
      "node/kind-worker",
      "svc/kube-system/kube-dns",
      "--port",
      "dns",
      "-o",
      "json",
      "-f",
      shop,
    ]);
    expect(dns.code).toBe(0);
    expect(JSON.parse(dns.stdout)).toMatchObject({ proto: "udp", port: 53, verdict: "delivered" });
    const tcp = kubetwin([
      "trace",
      "node/kind-worker",
      "svc/kube-system/kube-dns",
      "--port",
      "dns-tcp",
      "-o",
      "json",
      "-f",
      shop,
    ]);
    expect(JSON.parse(tcp.stdout)).toMatchObject({ proto: "tcp", port: 53 });
    const bad = kubetwin([
      "trace",
      "node/kind-worker",
      "svc/kube-system/kube-dns",
      "--port",
      "dns",
      "--proto",
      "tcp",
      "-f",
      shop,
    ]);
    expect(bad.stderr).toBe(
      'kubetwin trace: svc/kube-system/kube-dns port "dns" is UDP, not TCP (--proto)\n',
    );
    expect(bad.code).toBe(1);
  });

  it("programs a selector-less Service from the EndpointSlice the definition writes (ready endpoints first)", () => {
    const file = join(root, "test", "support", "selectorless-service.yaml");
    const save = kubetwin(["exec", "node/kind-worker", "-f", file, "--", "iptables-save", "-t", "nat"]);
    expect(save.code).toBe(0);
    expect(save.stdout).toMatch(
      /-A KUBE-SVC-\w+ -m comment --comment "default\/ext:http -> 192\.0\.2\.10:8080" -j KUBE-SEP-\w+\n/,
    );
    // The terminating endpoint is used only when no endpoint is ready.
    expect(save.stdout).not.toContain("192.0.2.11");
  });

  it("prints an object as kubectl -o yaml/json does: sorted keys, sequences unindented, the API server's defaults", () => {
    const yaml = kubetwin(["get", "svc", "kubernetes", "-o", "yaml", "-f", shop]).stdout;
    expect(yaml).toContain(
      "spec:\n  clusterIP: 10.96.0.1\n  clusterIPs:\n  - 10.96.0.1\n  internalTrafficPolicy: Cluster\n  ipFamilies:\n  - IPv4\n  ipFamilyPolicy: SingleStack\n  ports:\n  - name: https\n",
    );
    const json = JSON.parse(
      kubetwin(["get", "svc", "kubernetes", "-o", "json", "-f", shop]).stdout,
    ) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(["apiVersion", "kind", "metadata", "spec", "status"]);
    expect(Object.keys(json.spec as object)).toEqual([...Object.keys(json.spec as object)].sort());
  });

  it("runs commands on a node and in a pod", () => {
    const route = kubetwin(["exec", "node/kind-worker", "-f", shop, "--", "ip", "route"]);
    expect(route.code).toBe(0);
    expect(route.stdout).toContain("10.244.2.0/24 via 172.18.0.4 dev eth0 \n");
    expect(route.stdout).toMatch(/^10\.244\.1\.2 dev veth[0-9a-f]{8} scope host $/m);
    const pods = kubetwin(["get", "pods", "-n", "shop", "-o", "name", "-f", shop]).stdout.trim().split("\n");
    const api = pods.find((p) => p.startsWith("pod/api"))!.slice(4);
    const addr = kubetwin(["exec", `pod/shop/${api}`, "-f", shop, "--", "ip", "-br", "addr"]);
    expect(addr.stdout).toMatch(/^eth0@if\d+ +UP +10\.244\.\d\.\d+\/24 fe80::/m);
    const save = kubetwin(["exec", "node/kind-worker", "-f", shop, "--", "iptables-save", "-t", "nat"]);
    expect(save.stdout).toContain("-A KIND-MASQ-AGENT -d 10.244.0.0/16");
    const bad = kubetwin(["exec", "svc/x", "-f", shop, "--", "ip", "route"]);
    expect(bad.stderr).toBe('kubetwin exec: target must be node/NAME or pod/[NS/]NAME, got "svc/x"\n');
  });
});

describe("kubetwin cni-plugin", () => {
  it("answers VERSION and introduces itself without a command", () => {
    const v = kubetwin(["cni-plugin", "bridge"], "{}");
    expect(v.code).toBe(0);
    expect(v.stderr).toBe(
      "CNI bridge plugin version unknown\nCNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0\n",
    );
    const r = spawnSync(process.execPath, ["--import", "tsx", cli, "cni-plugin", "ptp"], {
      cwd: root,
      input: '{"cniVersion":"1.0.0"}',
      encoding: "utf8",
      env: { ...process.env, CNI_COMMAND: "VERSION" },
    });
    expect(r.stdout).toBe(
      '{"cniVersion":"1.0.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0"]}\n',
    );
    const bad = kubetwin(["cni-plugin", "macvlan"]);
    expect(bad.stderr).toMatch(/^kubetwin cni-plugin: unknown plugin type "macvlan"/);
  });
});

describe("kubetwin trace, then exec, on the state directory", () => {
  it("shows the traced connection's conntrack entry, DNAT'ed, on the node it crossed", () => {
    const state = mkdtempSync(join(tmpdir(), "kubetwin-state-"));
    const shop = join(root, "examples", "shop");
    expect(kubetwin(["apply", "-f", shop, "--state", state]).code).toBe(0);
    const pods = kubetwin(["get", "pods", "-n", "shop", "-o", "wide", "--state", state]).stdout;
    const front = /^(frontend-\S+)\s.*\s(kind-worker2?)\s/m.exec(pods)!;
    const t = kubetwin(["trace", `pod/shop/${front[1]}`, "svc/shop/api", "--port", "http", "--state", state]);
    expect(t.code).toBe(0);
    const svcIp = /^api\s+ClusterIP\s+(\S+)/m.exec(
      kubetwin(["get", "svc", "-n", "shop", "--state", state]).stdout,
    )![1]!;
    const ct = kubetwin(["exec", `node/${front[2]}`, "--state", state, "--", "conntrack", "-L"]);
    expect(ct.code).toBe(0);
    // The original direction to the Service address, the reply from the chosen endpoint (TIME_WAIT after the close).
    expect(ct.stdout).toMatch(
      new RegExp(
        `^tcp +6 \\d+ TIME_WAIT src=10\\.244\\.\\d+\\.\\d+ dst=${svcIp.replace(/\./g, "\\.")} sport=\\d+ dport=80 src=10\\.244\\.\\d+\\.\\d+ dst=10\\.244\\.\\d+\\.\\d+ sport=8080 dport=\\d+ \\[ASSURED\\]`,
        "m",
      ),
    );
    // A new apply starts the twin afresh.
    kubetwin(["apply", "-f", shop, "--state", state]);
    expect(
      kubetwin(["exec", `node/${front[2]}`, "--state", state, "--", "conntrack", "-L"]).stdout,
    ).not.toMatch(/dport=80 /);
  });
});
