import { describe, expect, it } from "vitest";
import { loadDefinition } from "../manifest/definition.js";
import { formatDiagnostic } from "../manifest/diagnostic.js";
import { buildCluster } from "./cluster.js";

function cluster(text: string) {
  const def = loadDefinition([{ file: "c.yaml", text }]);
  return buildCluster(def.objects);
}

describe("KubeProxyConfiguration", () => {
  it("defaults to kind's: iptables, clusterCIDR = podSubnet, mark bit 14, localhost NodePorts", () => {
    const { cluster: c, diagnostics } = cluster(
      "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking: {podSubnet: 10.100.0.0/16}\n",
    );
    expect(diagnostics).toEqual([]);
    expect(c.kubeProxy).toEqual({
      mode: "iptables",
      clusterCIDR: "10.100.0.0/16",
      masqueradeAll: false,
      masqueradeBit: 14,
      localhostNodePorts: true,
      nodePortAddresses: [],
      ipvsScheduler: "rr",
      ipvsStrictARP: false,
      conntrack: {
        maxPerCore: 0,
        min: 131072,
        tcpEstablishedTimeout: 86400,
        tcpCloseWaitTimeout: 3600,
        tcpBeLiberal: false,
        udpTimeout: 0,
        udpStreamTimeout: 0,
      },
    });
  });

  it("reads conntrack's settings as Go durations, and names a bad one", () => {
    const ok = cluster(
      "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nconntrack: {tcpEstablishedTimeout: 2h30m, tcpCloseWaitTimeout: 0s, tcpBeLiberal: true, udpTimeout: 1m30.5s, udpStreamTimeout: 300s}\n",
    );
    expect(ok.diagnostics).toEqual([]);
    expect(ok.cluster.kubeProxy.conntrack).toMatchObject({
      tcpEstablishedTimeout: 9000,
      tcpCloseWaitTimeout: 0,
      tcpBeLiberal: true,
      udpTimeout: 90,
      udpStreamTimeout: 300,
    });
    const bad = cluster(
      "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nconntrack:\n  tcpEstablishedTimeout: 24\n  tcpCloseWaitTimeout: -1h\n  maxPerCore: -1\n",
    );
    expect(bad.diagnostics.map(formatDiagnostic)).toEqual([
      "c.yaml:6:15: must be greater than or equal to 0 (field conntrack.maxPerCore)",
      'c.yaml:4:26: must be a duration such as "24h0m0s", not 24 (field conntrack.tcpEstablishedTimeout)',
      "c.yaml:5:24: must be greater than or equal to 0 (field conntrack.tcpCloseWaitTimeout)",
    ]);
  });

  it("reads the configuration given, and names each invalid field", () => {
    const ok = cluster(
      "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: iptables\nclusterCIDR: 10.244.0.0/16\niptables: {masqueradeAll: true, masqueradeBit: 12, localhostNodePorts: false}\nnodePortAddresses: [primary]\n",
    );
    expect(ok.diagnostics).toEqual([]);
    expect(ok.cluster.kubeProxy).toMatchObject({
      masqueradeAll: true,
      masqueradeBit: 12,
      localhostNodePorts: false,
      nodePortAddresses: ["primary"],
    });
    const bad = cluster(
      "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: userspace\niptables: {masqueradeBit: 40}\nclusterCIDR: 10.244.0.0\nipvs: {scheduler: fastest}\n",
    );
    expect(bad.diagnostics.map(formatDiagnostic)).toEqual([
      'c.yaml:3:7: must be iptables, ipvs or nftables, not "userspace" (field mode)',
      "c.yaml:4:27: must be within the range [0, 31], not 40 (field iptables.masqueradeBit)",
      'c.yaml:5:14: must be a valid CIDR block (e.g. 10.100.0.0/16), not "10.244.0.0" (field clusterCIDR)',
      'c.yaml:6:19: must be one of rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, mh, not "fastest" (field ipvs.scheduler)',
    ]);
  });

  it("takes ipvs mode without a warning (it is modelled), and warns that nftables programs nothing yet", () => {
    const r = cluster(
      "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs: {scheduler: wrr, strictARP: true}\n",
    );
    expect(r.cluster.kubeProxyMode).toBe("ipvs");
    expect(r.cluster.kubeProxy.ipvsScheduler).toBe("wrr");
    expect(r.cluster.kubeProxy.ipvsStrictARP).toBe(true);
    expect(r.diagnostics).toEqual([]);
    const n = cluster(
      "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: nftables\n",
    );
    expect(n.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ["warning", "kube-proxy mode nftables is not modelled yet: the twin programs no Service rules"],
    ]);
  });
});
