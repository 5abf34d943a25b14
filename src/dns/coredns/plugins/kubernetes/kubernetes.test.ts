/**
 * The kubernetes plugin against CoreDNS's own cases: plugin/kubernetes/handler_test.go
 * (dnsTestCases, its APIConnServeTest fixture re-created below with the same
 * names and addresses), reverse_test.go, handler_pod_*_test.go and ns_test.go.
 * SOA serial: the fixture's `modified` (upstream's fake returns 1499347823).
 */
import { describe, expect, it } from "vitest";
import { VIEW } from "../../testing/fixture.js";
import { ask, mustLoad } from "../../testing/helpers.js";

const SOA5 =
  "cluster.local.\t5\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1499347823 7200 1800 86400 5";

const K8S = `.:53 {
    kubernetes cluster.local in-addr.arpa ip6.arpa
}`;
const server = mustLoad(K8S);
const q = (name: string, type: string) => ask(server, VIEW, name, type);

describe("kubernetes: Services (handler_test.go dnsTestCases)", () => {
  it("A for a ClusterIP Service, AA set, RA not", () => {
    const r = q("svc1.testns.svc.cluster.local.", "A");
    expect(r).toMatchObject({
      rcode: "NOERROR",
      answer: ["svc1.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.1"],
      ns: [],
    });
    expect(r?.flags).toEqual(["qr", "aa", "rd"]);
  });
  it("A for a Service without endpoints still answers its ClusterIP", () => {
    expect(q("svcempty.testns.svc.cluster.local.", "A")?.answer).toEqual([
      "svcempty.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.1",
    ]);
  });
  it("SRV on the bare Service name lists its ports, target = the Service, its address in additional", () => {
    const r = q("svc1.testns.svc.cluster.local.", "SRV");
    expect(r?.answer).toEqual([
      "svc1.testns.svc.cluster.local.\t5\tIN\tSRV\t0 100 80 svc1.testns.svc.cluster.local.",
    ]);
    expect(r?.extra).toEqual(["svc1.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.1"]);
  });
  it("SRV _http._tcp for a ClusterIP Service", () => {
    const r = q("_http._tcp.svc1.testns.svc.cluster.local.", "SRV");
    expect(r?.answer).toEqual([
      "_http._tcp.svc1.testns.svc.cluster.local.\t5\tIN\tSRV\t0 100 80 svc1.testns.svc.cluster.local.",
    ]);
    expect(r?.extra).toEqual(["svc1.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.1"]);
  });
  it("SRV for an IPv6 Service has an AAAA in additional", () => {
    expect(q("_http._tcp.svc6.testns.svc.cluster.local.", "SRV")?.extra).toEqual([
      "svc6.testns.svc.cluster.local.\t5\tIN\tAAAA\t1234:abcd::1",
    ]);
  });
  it("SRV on an unknown port name is NXDOMAIN", () => {
    expect(q("_https._tcp.svc1.testns.svc.cluster.local.", "SRV")).toMatchObject({
      rcode: "NXDOMAIN",
      ns: [SOA5],
    });
  });
  it("dual-stack: A and AAAA by family; SRV weight 100 shared by its 2 addresses", () => {
    expect(q("svc-dual-stack.testns.svc.cluster.local.", "A")?.answer).toEqual([
      "svc-dual-stack.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.3",
    ]);
    expect(q("svc-dual-stack.testns.svc.cluster.local.", "AAAA")?.answer).toEqual([
      "svc-dual-stack.testns.svc.cluster.local.\t5\tIN\tAAAA\t10::3",
    ]);
    const srv = q("svc-dual-stack.testns.svc.cluster.local.", "SRV");
    expect(srv?.answer).toEqual([
      "svc-dual-stack.testns.svc.cluster.local.\t5\tIN\tSRV\t0 50 80 svc-dual-stack.testns.svc.cluster.local.",
    ]);
    expect(srv?.extra).toEqual([
      "svc-dual-stack.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.3",
      "svc-dual-stack.testns.svc.cluster.local.\t5\tIN\tAAAA\t10::3",
    ]);
  });
});

describe("kubernetes: headless Services and endpoints", () => {
  it("A lists every ready IPv4 endpoint (not-ready ones are left out)", () => {
    expect(q("hdls1.testns.svc.cluster.local.", "A")?.answer).toEqual([
      "hdls1.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.2",
      "hdls1.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.3",
      "hdls1.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.4",
      "hdls1.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.5",
    ]);
  });
  it("AAAA lists the IPv6 endpoints", () => {
    expect(q("hdls1.testns.svc.cluster.local.", "AAAA")?.answer).toEqual([
      "hdls1.testns.svc.cluster.local.\t5\tIN\tAAAA\t5678:abcd::1",
      "hdls1.testns.svc.cluster.local.\t5\tIN\tAAAA\t5678:abcd::2",
    ]);
  });
  it("a port-less headless Service still answers A; its endpoint by dashed IP too", () => {
    expect(q("hdlsprtls.testns.svc.cluster.local.", "A")?.answer).toEqual([
      "hdlsprtls.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.20",
    ]);
    expect(q("172-0-0-20.hdlsprtls.testns.svc.cluster.local.", "A")?.answer).toEqual([
      "172-0-0-20.hdlsprtls.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.20",
    ]);
  });
  it("endpoint names: dashed IP, hostname (shared by two), IPv6 with -- ", () => {
    expect(q("172-0-0-2.hdls1.testns.svc.cluster.local.", "A")?.answer).toEqual([
      "172-0-0-2.hdls1.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.2",
    ]);
    expect(q("dup-name.hdls1.testns.svc.cluster.local.", "A")?.answer).toEqual([
      "dup-name.hdls1.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.4",
      "dup-name.hdls1.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.5",
    ]);
    expect(q("5678-abcd--2.hdls1.testns.svc.cluster.local", "AAAA")?.answer).toEqual([
      "5678-abcd--2.hdls1.testns.svc.cluster.local.\t5\tIN\tAAAA\t5678:abcd::2",
    ]);
  });
  it("SRV: one per endpoint name, weight floor(100/6) = 16, addresses in additional", () => {
    const r = q("_http._tcp.hdls1.testns.svc.cluster.local.", "SRV");
    expect(r?.answer).toEqual([
      "_http._tcp.hdls1.testns.svc.cluster.local.\t5\tIN\tSRV\t0 16 80 172-0-0-2.hdls1.testns.svc.cluster.local.",
      "_http._tcp.hdls1.testns.svc.cluster.local.\t5\tIN\tSRV\t0 16 80 172-0-0-3.hdls1.testns.svc.cluster.local.",
      "_http._tcp.hdls1.testns.svc.cluster.local.\t5\tIN\tSRV\t0 16 80 dup-name.hdls1.testns.svc.cluster.local.",
      "_http._tcp.hdls1.testns.svc.cluster.local.\t5\tIN\tSRV\t0 16 80 5678-abcd--1.hdls1.testns.svc.cluster.local.",
      "_http._tcp.hdls1.testns.svc.cluster.local.\t5\tIN\tSRV\t0 16 80 5678-abcd--2.hdls1.testns.svc.cluster.local.",
    ]);
    expect(r?.extra).toEqual([
      "172-0-0-2.hdls1.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.2",
      "172-0-0-3.hdls1.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.3",
      "dup-name.hdls1.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.4",
      "dup-name.hdls1.testns.svc.cluster.local.\t5\tIN\tA\t172.0.0.5",
      "5678-abcd--1.hdls1.testns.svc.cluster.local.\t5\tIN\tAAAA\t5678:abcd::1",
      "5678-abcd--2.hdls1.testns.svc.cluster.local.\t5\tIN\tAAAA\t5678:abcd::2",
    ]);
  });
  it("an endpoint name that does not exist, or under a missing Service, is NXDOMAIN", () => {
    expect(q("bogusendpoint.hdls1.testns.svc.cluster.local.", "A")).toMatchObject({
      rcode: "NXDOMAIN",
      ns: [SOA5],
    });
    expect(q("bogusendpoint.svc0.testns.svc.cluster.local.", "A")).toMatchObject({
      rcode: "NXDOMAIN",
      ns: [SOA5],
    });
    expect(q("notready.hdls1.testns.svc.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
  });
  it("endpoint_pod_names names an endpoint without hostname after its pod", () => {
    const s = mustLoad(".:53 {\n kubernetes cluster.local {\n  endpoint_pod_names\n }\n}");
    expect(ask(s, VIEW, "coredns-1.kube-dns.kube-system.svc.cluster.local.", "A")?.answer).toEqual([
      "coredns-1.kube-dns.kube-system.svc.cluster.local.\t5\tIN\tA\t10.244.0.3",
    ]);
  });
});

describe("kubernetes: ExternalName", () => {
  it("CNAME query answers the CNAME", () => {
    expect(q("external.testns.svc.cluster.local.", "CNAME")?.answer).toEqual([
      "external.testns.svc.cluster.local.\t5\tIN\tCNAME\text.interwebs.test.",
    ]);
  });
  it("A query: the CNAME, then the target resolved through the server (internal target)", () => {
    expect(q("external-to-service.testns.svc.cluster.local", "A")?.answer).toEqual([
      "external-to-service.testns.svc.cluster.local.\t5\tIN\tCNAME\tsvc1.testns.svc.cluster.local.",
      "svc1.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.1",
    ]);
  });
  it("A query for an external target goes back through the server to forward", () => {
    const s = mustLoad(".:53 {\n kubernetes cluster.local\n forward . 8.8.8.8\n}");
    const view = {
      ...VIEW,
      services: [
        {
          namespace: "testns",
          name: "goog",
          type: "ExternalName" as const,
          clusterIPs: [],
          externalName: "google.com",
          ports: [],
        },
      ],
    };
    expect(ask(s, view, "goog.testns.svc.cluster.local.", "A")?.answer).toEqual([
      "goog.testns.svc.cluster.local.\t5\tIN\tCNAME\tgoogle.com.",
      "google.com.\t300\tIN\tA\t142.250.185.78",
    ]);
  });
  it("a name below an ExternalName Service is NXDOMAIN; SRV on it is NODATA", () => {
    expect(q("endpoint.external.testns.svc.cluster.local.", "CNAME")).toMatchObject({
      rcode: "NXDOMAIN",
      ns: [SOA5],
    });
    expect(q("external.testns.svc.cluster.local.", "SRV")).toMatchObject({
      rcode: "NOERROR",
      answer: [],
      ns: [SOA5],
    });
  });
});

describe("kubernetes: NXDOMAIN versus NODATA", () => {
  it("an existing name with another type is NODATA with the SOA", () => {
    expect(q("svc1.testns.svc.cluster.local.", "AAAA")).toMatchObject({
      rcode: "NOERROR",
      answer: [],
      ns: [SOA5],
    });
    expect(q("svc1.testns.svc.cluster.local.", "MX")).toMatchObject({
      rcode: "NOERROR",
      answer: [],
      ns: [SOA5],
    });
  });
  it("a missing Service or namespace is NXDOMAIN, AA set", () => {
    const r = q("svc0.testns.svc.cluster.local.", "A");
    expect(r).toMatchObject({ rcode: "NXDOMAIN", answer: [], ns: [SOA5] });
    expect(r?.flags).toContain("aa");
    expect(q("svc0.svc-nons.svc.cluster.local.", "A")).toMatchObject({ rcode: "NXDOMAIN", ns: [SOA5] });
  });
  it("svc.zone, pod.zone and an existing namespace are NODATA; a missing namespace NXDOMAIN", () => {
    for (const n of [
      "svc.cluster.local.",
      "pod.cluster.local.",
      "testns.svc.cluster.local.",
      "cluster.local.",
    ])
      expect(q(n, "A"), n).toMatchObject({ rcode: "NOERROR", answer: [], ns: [SOA5] });
    expect(q("nope.svc.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
  });
  it("NS below the apex: NODATA if the name exists, else NXDOMAIN", () => {
    expect(q("svc.cluster.local.", "NS")).toMatchObject({ rcode: "NOERROR", ns: [SOA5] });
    expect(q("testns.svc.cluster.local.", "NS")).toMatchObject({ rcode: "NOERROR", ns: [SOA5] });
    expect(q("foo.cluster.local.", "NS")?.rcode).toBe("NXDOMAIN");
    expect(q("foo.svc.cluster.local.", "NS")?.rcode).toBe("NXDOMAIN");
  });
  it("SOA on a name below the apex is NODATA; at the apex it is the answer", () => {
    expect(q("svc1.testns.svc.cluster.local.", "SOA")).toMatchObject({
      rcode: "NOERROR",
      answer: [],
      ns: [SOA5],
    });
    expect(q("cluster.local.", "SOA")?.answer).toEqual([SOA5]);
  });
  it("too many labels, or a label other than svc/pod before the zone, is NXDOMAIN", () => {
    expect(q("a.b.svc1.testns.svc.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
    expect(q("svc1.testns.foo.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
  });
  it("wildcards are gone (CoreDNS 1.9 removed them): * is just a name that does not exist", () => {
    expect(q("*.testns.svc.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
    expect(q("svc1.*.svc.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
  });
});

describe("kubernetes: the zone itself", () => {
  it("dns-version TXT is 1.1.0 with TTL 28800", () => {
    expect(q("dns-version.cluster.local.", "TXT")?.answer).toEqual([
      'dns-version.cluster.local.\t28800\tIN\tTXT\t"1.1.0"',
    ]);
  });
  it("NS at the apex names the Service in front of CoreDNS, with its ClusterIP as glue (ns_test.go)", () => {
    const r = ask(server, VIEW, "cluster.local.", "NS", { localIPs: ["10.244.0.3"] });
    expect(r?.answer).toEqual(["cluster.local.\t5\tIN\tNS\tkube-dns.kube-system.svc.cluster.local."]);
    expect(r?.extra).toEqual(["kube-dns.kube-system.svc.cluster.local.\t5\tIN\tA\t10.96.0.10"]);
  });
  it("without such a Service the NS is ns.dns.<zone> at CoreDNS's own address, which also answers A", () => {
    const r = ask(server, VIEW, "cluster.local.", "NS", { localIPs: ["192.0.2.53"] });
    expect(r?.answer).toEqual(["cluster.local.\t5\tIN\tNS\tns.dns.cluster.local."]);
    expect(r?.extra).toEqual(["ns.dns.cluster.local.\t5\tIN\tA\t192.0.2.53"]);
    expect(ask(server, VIEW, "ns.dns.cluster.local.", "A", { localIPs: ["192.0.2.53"] })?.answer).toEqual([
      "ns.dns.cluster.local.\t5\tIN\tA\t192.0.2.53",
    ]);
  });
  it("the SOA's TTL is min(ttl, 300) and its minimum the ttl (ttl 30 in kubeadm's Corefile)", () => {
    const s = mustLoad(".:53 {\n kubernetes cluster.local {\n  ttl 30\n }\n}");
    expect(ask(s, VIEW, "nope.testns.svc.cluster.local.", "A")?.ns).toEqual([
      "cluster.local.\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1499347823 7200 1800 86400 30",
    ]);
    expect(ask(s, VIEW, "svc1.testns.svc.cluster.local.", "A")?.answer).toEqual([
      "svc1.testns.svc.cluster.local.\t30\tIN\tA\t10.0.0.1",
    ]);
  });
  it("names match case-insensitively and the answer keeps the question's case", () => {
    const r = q("SVC1.TestNS.svc.Cluster.Local.", "A");
    expect(r?.answer).toEqual(["SVC1.TestNS.svc.Cluster.Local.\t5\tIN\tA\t10.0.0.1"]);
    expect(q("nope.testns.svc.CLUSTER.local.", "A")?.ns[0]).toMatch(
      /^CLUSTER\.local\.\t5\tIN\tSOA\tns\.dns\.CLUSTER\.local\. hostmaster\.CLUSTER\.local\./,
    );
  });
});

describe("kubernetes: reverse (reverse_test.go)", () => {
  it("a CIDR zone argument serves only the reverse names it covers", () => {
    const s = mustLoad(".:53 {\n kubernetes cluster.local 10.0.0.0/24\n forward . 8.8.8.8\n}");
    expect(ask(s, VIEW, "1.0.0.10.in-addr.arpa.", "PTR")).toMatchObject({
      plugin: "kubernetes",
      answer: ["1.0.0.10.in-addr.arpa.\t5\tIN\tPTR\tsvc1.testns.svc.cluster.local."],
    });
    expect(ask(s, VIEW, "10.0.96.10.in-addr.arpa.", "PTR")?.plugin).toBe("forward");
    expect(ask(s, VIEW, "9.0.0.10.in-addr.arpa.", "PTR")).toMatchObject({
      rcode: "NXDOMAIN",
      ns: [
        "0.0.10.in-addr.arpa.\t5\tIN\tSOA\tns.dns.0.0.10.in-addr.arpa. hostmaster.0.0.10.in-addr.arpa. 1499347823 7200 1800 86400 5",
      ],
    });
  });
  it("PTR for a ClusterIP names the Service", () => {
    expect(q("10.0.96.10.in-addr.arpa.", "PTR")?.answer).toEqual([
      "10.0.96.10.in-addr.arpa.\t5\tIN\tPTR\tkube-dns.kube-system.svc.cluster.local.",
    ]);
  });
  it("PTR for an endpoint address names the endpoint", () => {
    expect(q("4.0.0.172.in-addr.arpa.", "PTR")?.answer).toEqual([
      "4.0.0.172.in-addr.arpa.\t5\tIN\tPTR\tdup-name.hdls1.testns.svc.cluster.local.",
    ]);
    expect(
      q("2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa.", "PTR")?.answer,
    ).toEqual([
      "2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa.\t5\tIN\tPTR\t5678-abcd--2.hdls1.testns.svc.cluster.local.",
    ]);
  });
  it("an unknown address is NXDOMAIN with the reverse zone's SOA", () => {
    expect(q("99.99.99.99.in-addr.arpa.", "PTR")).toMatchObject({
      rcode: "NXDOMAIN",
      ns: [
        "in-addr.arpa.\t5\tIN\tSOA\tns.dns.in-addr.arpa. hostmaster.in-addr.arpa. 1499347823 7200 1800 86400 5",
      ],
    });
  });
});

describe("kubernetes: pod records (handler_pod_{disabled,insecure,verified}_test.go)", () => {
  const podServer = (mode: string) => mustLoad(`.:53 {\n kubernetes cluster.local {\n  pods ${mode}\n }\n}`);
  it("disabled (the plugin's default): every pod name is NXDOMAIN", () => {
    expect(ask(podServer("disabled"), VIEW, "10-244-1-7.testns.pod.cluster.local.", "A")?.rcode).toBe(
      "NXDOMAIN",
    );
    expect(ask(mustLoad(K8S), VIEW, "10-244-1-7.testns.pod.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
  });
  it("insecure: any IP-shaped name in an existing namespace answers", () => {
    const s = podServer("insecure");
    expect(ask(s, VIEW, "1-2-3-4.testns.pod.cluster.local.", "A")?.answer).toEqual([
      "1-2-3-4.testns.pod.cluster.local.\t5\tIN\tA\t1.2.3.4",
    ]);
    expect(ask(s, VIEW, "1234-5678--1.testns.pod.cluster.local.", "AAAA")?.answer).toEqual([
      "1234-5678--1.testns.pod.cluster.local.\t5\tIN\tAAAA\t1234:5678::1",
    ]);
    expect(ask(s, VIEW, "1-2-3-4.nsnoexist.pod.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
    expect(ask(s, VIEW, "not-an-ip.testns.pod.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
    expect(ask(s, VIEW, "testns.pod.cluster.local.", "A")).toMatchObject({ rcode: "NOERROR", answer: [] });
  });
  it("verified: only an IP a pod in that namespace has", () => {
    const s = podServer("verified");
    expect(ask(s, VIEW, "10-244-1-7.testns.pod.cluster.local.", "A")?.answer).toEqual([
      "10-244-1-7.testns.pod.cluster.local.\t5\tIN\tA\t10.244.1.7",
    ]);
    expect(ask(s, VIEW, "10-244-1-8.testns.pod.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
    expect(ask(s, VIEW, "10-244-1-7.kube-system.pod.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
  });
});

describe("kubernetes: options", () => {
  it("namespaces limits the exposed namespaces", () => {
    const s = mustLoad(".:53 {\n kubernetes cluster.local {\n  namespaces kube-system\n }\n}");
    expect(ask(s, VIEW, "svc1.testns.svc.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
    expect(ask(s, VIEW, "kube-dns.kube-system.svc.cluster.local.", "A")?.answer).toHaveLength(1);
  });
  it("noendpoints: headless Services have no records", () => {
    const s = mustLoad(".:53 {\n kubernetes cluster.local {\n  noendpoints\n }\n}");
    expect(ask(s, VIEW, "hdls1.testns.svc.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
  });
  it("ignore empty_service: a ClusterIP Service without endpoints is NXDOMAIN", () => {
    const s = mustLoad(".:53 {\n kubernetes cluster.local {\n  ignore empty_service\n }\n}");
    expect(ask(s, VIEW, "svcempty.testns.svc.cluster.local.", "A")?.rcode).toBe("NXDOMAIN");
    expect(ask(s, VIEW, "svc1.testns.svc.cluster.local.", "A")?.rcode).toBe("NOERROR");
  });
  it("fallthrough hands NXDOMAIN names in its zones to the next plugin only", () => {
    const s = mustLoad(
      ".:53 {\n kubernetes cluster.local in-addr.arpa {\n  fallthrough in-addr.arpa\n }\n forward . 8.8.8.8\n}",
    );
    expect(ask(s, VIEW, "99.99.99.99.in-addr.arpa.", "PTR")?.plugin).toBe("forward");
    expect(ask(s, VIEW, "svc0.testns.svc.cluster.local.", "A")?.plugin).toBe("kubernetes");
  });
});
