import { describe, expect, it } from "vitest";
import { buildCluster } from "../cluster/cluster.js";
import { loadDefinition } from "../manifest/definition.js";
import { formatDiagnostic } from "../manifest/diagnostic.js";
import { runControllers } from "./workloads.js";

function run(text: string) {
  const def = loadDefinition([{ file: "s.yaml", text }]);
  const { cluster, diagnostics } = buildCluster(def.objects);
  const w = runControllers(cluster, def.objects);
  return { ...w, all: [...diagnostics, ...w.diagnostics].map(formatDiagnostic) };
}

function service(spec: string, name = "s"): string {
  return `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n${spec
    .trim()
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n")}\n---\n`;
}

describe("Service defaulting", () => {
  it("defaults policies and affinity as the API server does", () => {
    const w = run(
      service("type: NodePort\nports: [{port: 80}]", "np") +
        service("sessionAffinity: ClientIP\nports: [{port: 80}]", "aff") +
        service("type: LoadBalancer\nexternalTrafficPolicy: Local\nports: [{port: 80}]", "lb"),
    );
    const np = w.services.find((s) => s.name === "np")!;
    expect(np).toMatchObject({
      externalTrafficPolicy: "Cluster",
      internalTrafficPolicy: "Cluster",
      sessionAffinity: "None",
    });
    expect(np.healthCheckNodePort).toBeUndefined();
    const aff = w.services.find((s) => s.name === "aff")!;
    expect(aff.externalTrafficPolicy).toBeUndefined();
    expect(aff.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    const lb = w.services.find((s) => s.name === "lb")!;
    expect(lb.allocateLoadBalancerNodePorts).toBe(true);
    expect(lb.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.healthCheckNodePort).not.toBe(lb.ports[0]!.nodePort);
    expect(lb.loadBalancerIngress).toEqual(["172.18.255.200"]);
    expect(w.all.filter((d) => !d.includes("selects no pods"))).toEqual([]);
  });

  it("gives a LoadBalancer no NodePorts with allocateLoadBalancerNodePorts false, unless asked", () => {
    const w = run(
      service(
        "type: LoadBalancer\nallocateLoadBalancerNodePorts: false\nports: [{name: a, port: 80}, {name: b, port: 81, nodePort: 31000}]",
      ),
    );
    const s = w.services.find((x) => x.name === "s")!;
    expect(s.ports.map((p) => p.nodePort)).toEqual([undefined, 31000]);
  });

  it("shares one NodePort between a TCP and a UDP port of the same number", () => {
    const w = run(
      service("type: NodePort\nports: [{name: t, port: 53}, {name: u, port: 53, protocol: UDP}]"),
    );
    const [t, u] = w.services.find((x) => x.name === "s")!.ports;
    expect(t!.nodePort).toBe(u!.nodePort);
    // Asked for explicitly, the shared port is allocated once (initNodePorts), not refused as taken.
    const asked = run(
      service(
        "type: NodePort\nports: [{name: t, port: 53, nodePort: 30053}, {name: u, port: 53, protocol: UDP, nodePort: 30053}]",
      ),
    );
    expect(asked.all).toEqual([]);
    expect(asked.services.find((x) => x.name === "s")!.ports.map((p) => p.nodePort)).toEqual([30053, 30053]);
  });
});

describe("Service validation", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["no ports", "selector: {app: x}", /^s\.yaml:5:\d+: spec\.ports: Required value \(field spec\.ports\)$/],
    [
      "port 0",
      "ports: [{port: 0}]",
      /spec\.ports\[0\]\.port: Invalid value: 0: must be between 1 and 65535, inclusive/,
    ],
    [
      "a protocol Services do not take",
      "ports: [{port: 80, protocol: ICMP}]",
      /spec\.ports\[0\]\.protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"/,
    ],
    [
      "the same port and protocol twice",
      "ports: [{name: a, port: 80}, {name: b, port: 80}]",
      /spec\.ports\[1\]: Duplicate value: core\.ServicePort\{Name:"", Protocol:"TCP", AppProtocol:\(\*string\)\(nil\), Port:80, /,
    ],
    [
      "a port name twice",
      "ports: [{name: a, port: 80}, {name: a, port: 81}]",
      /spec\.ports\[1\]\.name: Duplicate value: "a"/,
    ],
    [
      "unnamed ports among several",
      "ports: [{port: 80}, {port: 81}]",
      /spec\.ports\[0\]\.name: Required value/,
    ],
    [
      "a port name not a DNS label",
      "ports: [{name: HTTP, port: 80}]",
      /spec\.ports\[0\]\.name: Invalid value: "HTTP": a lowercase RFC 1123 label/,
    ],
    [
      "a targetPort name not an IANA name",
      "ports: [{port: 80, targetPort: web--server-port}]",
      /targetPort: Invalid value: "web--server-port": must be no more than 15 characters /,
    ],
    [
      "a targetPort out of range",
      "ports: [{port: 80, targetPort: 70000}]",
      /targetPort: Invalid value: 70000: must be between 1 and 65535/,
    ],
    ["ExternalName without a name", "type: ExternalName", /spec\.externalName: Required value/],
    [
      "ExternalName not a DNS name",
      "type: ExternalName\nexternalName: bad_name..com",
      /spec\.externalName: Invalid value: "bad_name\.\.com": a lowercase RFC 1123 subdomain/,
    ],
    [
      "externalTrafficPolicy on a ClusterIP",
      "externalTrafficPolicy: Local\nports: [{port: 80}]",
      /^s\.yaml:5:\d+: spec\.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services \(field spec\.externalTrafficPolicy\)$/,
    ],
    [
      "an unknown traffic policy",
      "type: NodePort\nexternalTrafficPolicy: Global\nports: [{port: 80}]",
      /spec\.externalTrafficPolicy: Unsupported value: "Global": supported values: "Cluster", "Local"/,
    ],
    [
      "internalTrafficPolicy",
      "internalTrafficPolicy: Node\nports: [{port: 80}]",
      /spec\.internalTrafficPolicy: Unsupported value: "Node"/,
    ],
    [
      "an affinity timeout out of range",
      "sessionAffinity: ClientIP\nsessionAffinityConfig: {clientIP: {timeoutSeconds: 86401}}\nports: [{port: 80}]",
      /^s\.yaml:6:\d+: spec\.sessionAffinityConfig\.clientIP\.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400/,
    ],
    [
      "sessionAffinityConfig without ClientIP",
      "sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\nports: [{port: 80}]",
      /spec\.sessionAffinityConfig: Forbidden: must not be set when session affinity is None/,
    ],
    [
      "healthCheckNodePort on a Cluster-policy LoadBalancer",
      "type: LoadBalancer\nhealthCheckNodePort: 31999\nports: [{port: 80}]",
      /spec\.healthCheckNodePort: Invalid value: 31999: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'/,
    ],
    [
      "loadBalancerSourceRanges on a NodePort",
      "type: NodePort\nloadBalancerSourceRanges: [10.0.0.0/8]\nports: [{port: 80}]",
      /spec\.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'/,
    ],
    [
      "a bad source range",
      "type: LoadBalancer\nloadBalancerSourceRanges: [10.0.0.0/33]\nports: [{port: 80}]",
      /^s\.yaml:6:\d+: spec\.LoadBalancerSourceRanges\[0\]: Invalid value: "10\.0\.0\.0\/33": must be a valid CIDR value/,
    ],
    [
      "allocateLoadBalancerNodePorts on a NodePort",
      "type: NodePort\nallocateLoadBalancerNodePorts: false\nports: [{port: 80}]",
      /spec\.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'/,
    ],
    [
      "a nodePort on a ClusterIP",
      "ports: [{port: 80, nodePort: 30001}]",
      /spec\.ports\[0\]\.nodePort: Forbidden: may not be used when `type` is 'ClusterIP'/,
    ],
    [
      "a nodePort out of range",
      "type: NodePort\nports: [{port: 80, nodePort: 8080}]",
      /spec\.ports\[0\]\.nodePort: Invalid value: 8080: provided port is not in the valid range\. The range of valid ports is 30000-32767/,
    ],
    [
      "a bad external IP",
      "externalIPs: [127.0.0.1]\nports: [{port: 80}]",
      /spec\.externalIPs\[0\]: Invalid value: "127\.0\.0\.1": may not be in the loopback range/,
    ],
    [
      "a headless NodePort",
      "type: NodePort\nclusterIP: None\nports: [{port: 80}]",
      /spec\.clusterIPs\[0\]: Invalid value: "None": may not be set to 'None' for NodePort services/,
    ],
    [
      "a loadBalancerIP outside the pool",
      "type: LoadBalancer\nloadBalancerIP: 10.1.2.3\nports: [{port: 80}]",
      /spec\.loadBalancerIP: "10\.1\.2\.3" is not in the load balancer pool 172\.18\.255\.200-172\.18\.255\.250/,
    ],
  ];
  it.each(cases)("refuses %s, naming file, line and field", (_, spec, message) => {
    const { all } = run(service(spec));
    expect(
      all.some((d) => message.test(d)),
      all.join("\n"),
    ).toBe(true);
  });

  it("takes a Service defined twice as kubectl apply does: the later one updates the first, with a warning", () => {
    const def = loadDefinition([
      { file: "s.yaml", text: service("ports: [{port: 80}]", "a") + service("ports: [{port: 81}]", "a") },
    ]);
    expect(def.diagnostics.map(formatDiagnostic)).toEqual([
      "s.yaml:9:18: warning: Service default/a is defined again: this one replaces the one at s.yaml:1, as kubectl apply would update it (field metadata.name)",
    ]);
    const { cluster } = buildCluster(def.objects);
    const a = runControllers(cluster, def.objects).services.filter((x) => x.name === "a");
    expect(a.map((x) => x.ports.map((p) => p.port))).toEqual([[81]]);
  });

  it("refuses an object in a namespace the definition does not create, as NamespaceLifecycle does", () => {
    const text =
      "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: nope}\nspec: {ports: [{port: 80}]}\n";
    expect(run(text).all).toEqual([
      's.yaml:3:32: namespaces "nope" not found (define a Namespace named nope) (field metadata.namespace)',
    ]);
    expect(run(`apiVersion: v1\nkind: Namespace\nmetadata: {name: nope}\n---\n${text}`).all).toEqual([]);
  });

  it("refuses a NodePort or loadBalancerIP already taken by another Service", () => {
    const { all } = run(
      service("type: NodePort\nports: [{port: 80, nodePort: 30500}]", "a") +
        service("type: NodePort\nports: [{port: 80, nodePort: 30500}]", "b") +
        service("type: LoadBalancer\nloadBalancerIP: 172.18.255.220\nports: [{port: 80}]", "c") +
        service("type: LoadBalancer\nloadBalancerIP: 172.18.255.220\nports: [{port: 80}]", "d"),
    );
    expect(
      all.some((d) =>
        /spec\.ports\[0\]\.nodePort: Invalid value: 30500: provided port is already allocated/.test(d),
      ),
    ).toBe(true);
    expect(all.some((d) => /spec\.loadBalancerIP: "172\.18\.255\.220" is already assigned/.test(d))).toBe(
      true,
    );
  });

  it("takes the pool from the TwinConfig and checks it", () => {
    const twin = (pool: string): string =>
      `kind: TwinConfig\napiVersion: kubetwin.dev/v1alpha1\nloadBalancer: {pool: "${pool}"}\n---\n`;
    const w = run(`${twin("172.18.200.0/30")}${service("type: LoadBalancer\nports: [{port: 80}]")}`);
    expect(w.services.find((s) => s.name === "s")!.loadBalancerIngress).toEqual(["172.18.200.0"]);
    expect(run(twin("172.18.200.9-172.18.200.1")).all.join("\n")).toMatch(
      /s\.yaml:3:\d+: loadBalancer\.pool must be FIRST-LAST .* not "172\.18\.200\.9-172\.18\.200\.1" \(field loadBalancer\.pool\)/,
    );
    expect(run(twin("172.18.0.0/24")).all.join("\n")).toMatch(
      /holds node kind-control-plane's address 172\.18\.0\.2/,
    );
  });
});
