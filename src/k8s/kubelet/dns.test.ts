/**
 * Cases from upstream pkg/kubelet/network/dns/dns_test.go (TestGetPodDNSCustom:
 * namespace testNS, cluster DNS 10.0.0.10, domain kubernetes.io, node
 * resolv.conf "nameserver 8.8.8.8 / search host.domain") and the hosts file
 * from the HostAliases docs page and kubelet_pods_test.go.
 */
import { describe, expect, it } from "vitest";
import {
  type KubeletDnsSettings,
  kindNodeResolvConf,
  type PodDnsSpec,
  parseResolvConf,
  podHostsFile,
  podResolvConf,
} from "./dns.js";

const KUBELET: KubeletDnsSettings = {
  clusterDNS: ["10.0.0.10"],
  clusterDomain: "kubernetes.io",
  hostResolvConf: "nameserver 8.8.8.8\nsearch host.domain\n",
};
const POD: PodDnsSpec = { namespace: "testNS", name: "test_pod" };
const POD_CONFIG = {
  nameservers: ["10.0.0.11"],
  searches: ["my.domain"],
  options: [{ name: "ndots", value: "3" }, { name: "debug" }],
};

describe("kubelet pod resolv.conf (GetPodDNS)", () => {
  it("ClusterFirst: cluster DNS only, cluster search domains then the node's, ndots:5", () => {
    const r = podResolvConf(POD, KUBELET);
    expect(r.resolvConf).toBe(
      "search testNS.svc.kubernetes.io svc.kubernetes.io kubernetes.io host.domain\n" +
        "nameserver 10.0.0.10\n" +
        "options ndots:5\n",
    );
    expect(r.events).toEqual([]);
  });

  it("kind's pod file: the node's Docker options are dropped, its search list kept", () => {
    const kind = {
      clusterDNS: ["10.96.0.10"],
      clusterDomain: "cluster.local",
      hostResolvConf: kindNodeResolvConf("172.18.0.1"),
    };
    expect(podResolvConf({ namespace: "default", name: "p" }, kind).resolvConf).toBe(
      "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
    );
    // Default: the node's file as parsed (comments dropped, ndots:0 kept).
    expect(podResolvConf({ namespace: "default", name: "p", dnsPolicy: "Default" }, kind).resolvConf).toBe(
      "nameserver 172.18.0.1\noptions ndots:0\n",
    );
  });

  it("ClusterFirst with dnsConfig merges (upstream case)", () => {
    const r = podResolvConf({ ...POD, dnsConfig: POD_CONFIG }, KUBELET);
    expect(r.config).toEqual({
      servers: ["10.0.0.10", "10.0.0.11"],
      searches: [
        "testNS.svc.kubernetes.io",
        "svc.kubernetes.io",
        "kubernetes.io",
        "host.domain",
        "my.domain",
      ],
      options: ["ndots:3", "debug"],
    });
  });

  it("ClusterFirstWithHostNet on a hostNetwork pod still uses the cluster DNS", () => {
    const r = podResolvConf(
      { ...POD, hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet", dnsConfig: POD_CONFIG },
      KUBELET,
    );
    expect(r.config.servers).toEqual(["10.0.0.10", "10.0.0.11"]);
    expect(r.config.searches[0]).toBe("testNS.svc.kubernetes.io");
  });

  it("ClusterFirst on a hostNetwork pod falls back to Default", () => {
    const r = podResolvConf({ ...POD, hostNetwork: true }, KUBELET);
    expect(r.resolvConf).toBe("search host.domain\nnameserver 8.8.8.8\n");
  });

  it("Default with dnsConfig (upstream case)", () => {
    const r = podResolvConf({ ...POD, dnsPolicy: "Default", dnsConfig: POD_CONFIG }, KUBELET);
    expect(r.config).toEqual({
      servers: ["8.8.8.8", "10.0.0.11"],
      searches: ["host.domain", "my.domain"],
      options: ["ndots:3", "debug"],
    });
  });

  it("None uses only dnsConfig (upstream case)", () => {
    const r = podResolvConf(
      {
        ...POD,
        dnsPolicy: "None",
        dnsConfig: {
          nameservers: ["203.0.113.1"],
          searches: ["my.domain", "second.domain"],
          options: [{ name: "ndots", value: "3" }, { name: "debug" }],
        },
      },
      KUBELET,
    );
    expect(r.resolvConf).toBe(
      "search my.domain second.domain\nnameserver 203.0.113.1\noptions ndots:3 debug\n",
    );
    expect(podResolvConf({ ...POD, dnsPolicy: "None" }, KUBELET).resolvConf).toBe("");
  });

  it("drops nameservers beyond 3 with a DNSConfigForming event", () => {
    const r = podResolvConf(
      {
        ...POD,
        dnsPolicy: "None",
        dnsConfig: { nameservers: ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "1.1.1.1"] },
      },
      KUBELET,
    );
    expect(r.config.servers).toEqual(["1.1.1.1", "2.2.2.2", "3.3.3.3"]);
    expect(r.events).toEqual([
      {
        type: "Warning",
        reason: "DNSConfigForming",
        object: "pod",
        message:
          "Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3",
      },
    ]);
  });

  it("cuts the search list at 32 domains and 2048 characters", () => {
    const many = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    const r = podResolvConf({ ...POD, dnsPolicy: "None", dnsConfig: { searches: many } }, KUBELET);
    expect(r.config.searches).toHaveLength(32);
    expect(r.events[0]!.message).toMatch(
      /^Search Line limits were exceeded, some search paths have been omitted, the applied search line is: d0\.example /,
    );
    const long = Array.from({ length: 10 }, (_, i) => `${"x".repeat(240)}${i}.io`);
    const r2 = podResolvConf({ ...POD, dnsPolicy: "None", dnsConfig: { searches: long } }, KUBELET);
    expect(r2.config.searches.join(" ").length).toBeLessThanOrEqual(2048);
    expect(r2.config.searches).toHaveLength(8);
    const tooLong = podResolvConf(
      { ...POD, dnsPolicy: "None", dnsConfig: { searches: [`${"y".repeat(254)}`, "ok.io"] } },
      KUBELET,
    );
    expect(tooLong.config.searches).toEqual(["ok.io"]);
  });

  it("without cluster DNS, ClusterFirst falls back to Default and says so", () => {
    const r = podResolvConf({ ...POD, uid: "u1" }, { ...KUBELET, clusterDNS: [] });
    expect(r.resolvConf).toBe("search host.domain\nnameserver 8.8.8.8\n");
    expect(r.events.map((e) => `${e.object} ${e.reason}`)).toEqual([
      "node MissingClusterDNS",
      "pod MissingClusterDNS",
    ]);
    expect(r.events[1]!.message).toBe(
      'pod: "test_pod_testNS(u1)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
    );
  });

  it('--resolv-conf="" gives a local nameserver per node IP family and search "."', () => {
    const r = podResolvConf(
      { ...POD, dnsPolicy: "Default" },
      { ...KUBELET, hostResolvConf: null, nodeIPs: ["10.0.0.1", "fd00::1"] },
    );
    expect(r.resolvConf).toBe("search .\nnameserver 127.0.0.1\nnameserver ::1\n");
  });

  it("parses the node's file as the kubelet does", () => {
    expect(
      parseResolvConf(
        "# c\nnameserver 1.1.1.1\nsearch a.com. b.com\nsearch c.com. . d.com\noptions ndots:2\noptions rotate\nnameserver 2.2.2.2\n",
      ),
    ).toEqual({ servers: ["1.1.1.1", "2.2.2.2"], searches: ["c.com", "d.com"], options: ["rotate"] });
  });
});

describe("kubelet pod /etc/hosts", () => {
  const base =
    "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
    "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n";

  it("the docs example: the pod's IP and name", () => {
    expect(
      podHostsFile({ namespace: "default", name: "nginx", podIPs: ["10.200.0.4"] }, "cluster.local"),
    ).toBe(`${base}10.200.0.4\tnginx\n`);
  });

  it("hostname.subdomain FQDN and HostAliases (one line per IP)", () => {
    const f = podHostsFile(
      {
        namespace: "ns1",
        name: "web-0",
        hostname: "web-0",
        subdomain: "web",
        podIPs: ["10.244.1.5", "fd00:10:244:1::5"],
        hostAliases: [
          { ip: "127.0.0.1", hostnames: ["foo.local", "bar.local"] },
          { ip: "10.1.2.3", hostnames: ["foo.remote", "bar.remote"] },
        ],
      },
      "cluster.local",
    );
    expect(f).toBe(
      `${base}10.244.1.5\tweb-0.web.ns1.svc.cluster.local\tweb-0\n` +
        "fd00:10:244:1::5\tweb-0.web.ns1.svc.cluster.local\tweb-0\n" +
        "\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\tbar.remote\n",
    );
  });

  it("truncates a long pod name to 63 characters without a trailing dash", () => {
    const name = `${"a".repeat(62)}-bbbb`;
    expect(podHostsFile({ namespace: "d", name, podIPs: ["10.0.0.1"] }, "cluster.local")).toContain(
      `10.0.0.1\t${"a".repeat(62)}\n`,
    );
  });

  it("hostNetwork pods get the node's file under their own header", () => {
    const node = "127.0.0.1\tlocalhost\n172.18.0.2\tkind-worker\n";
    expect(
      podHostsFile(
        {
          namespace: "d",
          name: "h",
          hostNetwork: true,
          podIPs: ["172.18.0.2"],
          hostAliases: [{ ip: "1.2.3.4", hostnames: ["x"] }],
        },
        "cluster.local",
        node,
      ),
    ).toBe(
      `# Kubernetes-managed hosts file (host network).\n${node}\n# Entries added by HostAliases.\n1.2.3.4\tx\n`,
    );
  });
});
