/**
 * glibc's lookup order and failure handling, against a fake server that
 * logs every query it receives. The expected query sequences follow
 * resolv/res_query.c (__res_context_search) and res_send.c.
 */
import { describe, expect, it } from "vitest";
import { type FakeZone, fakeServer, RCODE } from "./fake-server.js";
import { Resolver } from "./getaddrinfo.js";
import { parseResolverConf } from "./resolv-conf.js";

const POD_RESOLV =
  "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n";
const POD_HOSTS =
  "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.244.1.5\tclient\n";

const zone: FakeZone = {
  records: {
    "my-svc.default.svc.cluster.local": [{ type: "A" as const, data: "10.96.0.20" }],
    "kubernetes.default.svc.cluster.local": [{ type: "A" as const, data: "10.96.0.1" }],
    "example.com": [
      { type: "A" as const, data: "93.184.215.14" },
      { type: "AAAA" as const, data: "2606:2800:21f:cb07:6820:80da:af6b:8b2c" },
    ],
    "www.example.com": [{ type: "CNAME" as const, data: "example.com" }],
    "v6only.example.com": [{ type: "AAAA" as const, data: "fd00::1" }],
  },
};

function resolver(z: FakeZone = zone, resolvConf = POD_RESOLV, hosts = POD_HOSTS) {
  const s = fakeServer(z);
  return { r: new Resolver({ transport: s.transport, resolvConf, hosts }), log: s.log };
}

describe("glibc search order (ndots)", () => {
  it("a short name in a pod: the first search domain answers", async () => {
    const { r, log } = resolver();
    const res = await r.getaddrinfo("my-svc");
    expect(res.error).toBeNull();
    expect(res.canonicalName).toBe("my-svc.default.svc.cluster.local");
    expect(res.addresses).toEqual([{ address: "10.96.0.20", family: 4 }]);
    // A and AAAA go out together for every candidate name.
    expect(log).toEqual([
      "10.96.0.10 udp A my-svc.default.svc.cluster.local",
      "10.96.0.10 udp AAAA my-svc.default.svc.cluster.local",
    ]);
    expect(res.elapsedMs).toBe(0);
  });

  it("svc.namespace: the second search domain", async () => {
    const { r, log } = resolver();
    const res = await r.getaddrinfo("kubernetes.default");
    expect(res.canonicalName).toBe("kubernetes.default.svc.cluster.local");
    expect(log.filter((l) => l.includes(" A "))).toEqual([
      "10.96.0.10 udp A kubernetes.default.default.svc.cluster.local",
      "10.96.0.10 udp A kubernetes.default.svc.cluster.local",
    ]);
  });

  it("an external name with fewer than ndots dots walks the whole search list first", async () => {
    const { r, log } = resolver();
    const res = await r.getaddrinfo("www.example.com");
    expect(res.error).toBeNull();
    expect(res.canonicalName).toBe("example.com");
    expect(res.aliases).toEqual(["www.example.com"]);
    expect(res.addresses.map((a) => a.address)).toEqual([
      "93.184.215.14",
      "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
    ]);
    expect(log.filter((l) => l.includes(" A "))).toEqual([
      "10.96.0.10 udp A www.example.com.default.svc.cluster.local",
      "10.96.0.10 udp A www.example.com.svc.cluster.local",
      "10.96.0.10 udp A www.example.com.cluster.local",
      "10.96.0.10 udp A www.example.com",
    ]);
  });

  it("a trailing dot is absolute: one name only", async () => {
    const { r, log } = resolver();
    await r.getaddrinfo("www.example.com.");
    expect(log).toEqual(["10.96.0.10 udp A www.example.com", "10.96.0.10 udp AAAA www.example.com"]);
  });

  it("a name with ndots or more dots is tried as is first, then the search list", async () => {
    const { r, log } = resolver(zone, POD_RESOLV.replace("ndots:5", "ndots:2"));
    const res = await r.getaddrinfo("my-svc.default.svc");
    expect(res.error).toBeNull();
    expect(log.filter((l) => l.includes(" A "))).toEqual([
      "10.96.0.10 udp A my-svc.default.svc",
      "10.96.0.10 udp A my-svc.default.svc.default.svc.cluster.local",
      "10.96.0.10 udp A my-svc.default.svc.svc.cluster.local",
      "10.96.0.10 udp A my-svc.default.svc.cluster.local",
    ]);
  });

  it("NXDOMAIN everywhere: Name or service not known after every candidate", async () => {
    const { r, log } = resolver();
    const res = await r.getaddrinfo("nope");
    expect(res.error).toBe("EAI_NONAME");
    expect(log).toHaveLength(8);
    expect(log.at(-1)).toBe("10.96.0.10 udp AAAA nope");
  });

  it("NODATA moves on to the next search domain and is what remains", async () => {
    const z = {
      records: { ...zone.records, "db.default.svc.cluster.local": [{ type: "TXT" as const, data: "x" }] },
    };
    const { r, log } = resolver(z);
    const res = await r.getaddrinfo("db");
    expect(log.filter((l) => l.includes(" A "))).toHaveLength(4);
    expect(res.error).toBe("EAI_NODATA");
  });

  it("getaddrinfo for IPv4 only asks A", async () => {
    const { r, log } = resolver();
    await r.getaddrinfo("my-svc", 4);
    expect(log).toEqual(["10.96.0.10 udp A my-svc.default.svc.cluster.local"]);
  });

  it("single-request sends A, waits, then AAAA", async () => {
    const { r, log } = resolver(zone, `${POD_RESOLV}options single-request\n`);
    const res = await r.getaddrinfo("v6only.example.com.");
    expect(res.addresses).toEqual([{ address: "fd00::1", family: 6 }]);
    expect(log).toEqual(["10.96.0.10 udp A v6only.example.com", "10.96.0.10 udp AAAA v6only.example.com"]);
  });
});

describe("files before dns", () => {
  it("/etc/hosts answers without a query", async () => {
    const { r, log } = resolver();
    const res = await r.getaddrinfo("client");
    expect(res.source).toBe("files");
    expect(res.addresses).toEqual([{ address: "10.244.1.5", family: 4 }]);
    expect(log).toEqual([]);
  });

  it("localhost gives both families from the file; gethostbyname2(AF_INET6) only ::1", async () => {
    const { r } = resolver();
    expect((await r.getaddrinfo("LOCALHOST")).addresses.map((a) => a.address)).toEqual(["127.0.0.1", "::1"]);
    const v6 = await r.gethostbyname2("localhost", 6);
    expect(v6.addresses).toEqual([{ address: "::1", family: 6 }]);
    expect(v6.aliases).toEqual(["ip6-localhost", "ip6-loopback"]);
  });

  it("search domains are not applied to the file", async () => {
    const { r, log } = resolver(zone, POD_RESOLV, "10.0.0.9 api.default.svc.cluster.local\n");
    const res = await r.getaddrinfo("api");
    expect(res.source).toBe("dns");
    expect(log).toHaveLength(8);
  });
});

describe("timeouts, retries and failing servers", () => {
  // Measured with glibc 2.36 (`getent ahosts my-svc` against a UDP socket that never answers): 20.02 s.
  it("a silent server: attempts × timeout per name; the timeout ends the search, the name as is is still tried", async () => {
    const { r, log } = resolver({ ...zone, silent: ["10.96.0.10"] });
    const res = await r.getaddrinfo("my-svc");
    expect(res.error).toBe("EAI_AGAIN");
    expect(res.herrno).toBe("TRY_AGAIN");
    expect(log.filter((l) => l.includes(" A "))).toEqual([
      "10.96.0.10 udp A my-svc.default.svc.cluster.local",
      "10.96.0.10 udp A my-svc.default.svc.cluster.local",
      "10.96.0.10 udp A my-svc",
      "10.96.0.10 udp A my-svc",
    ]);
    expect(res.elapsedMs).toBe(20_000);
  });

  // Measured with glibc 2.36 (`options timeout:1 attempts:3`, `getent ahosts x.`): 3.00 s.
  it("options timeout and attempts change the budget", async () => {
    const { r } = resolver(
      { ...zone, silent: ["10.96.0.10"] },
      `${POD_RESOLV}options timeout:1 attempts:3\n`,
    );
    const res = await r.getaddrinfo("x.");
    expect(res.queries).toHaveLength(6);
    expect(res.elapsedMs).toBe(3000);
  });

  // Measured with glibc 2.36 (first server silent, second dnsmasq): 5.01 s.
  it("the next nameserver after a timeout (its share of the time: retrans<<1 / nscount)", async () => {
    const conf = "nameserver 10.0.0.1\nnameserver 10.0.0.2\n";
    const { r, log } = resolver({ ...zone, silent: ["10.0.0.1"] }, conf);
    const res = await r.getaddrinfo("example.com");
    expect(res.error).toBeNull();
    expect(log.filter((l) => l.includes(" A "))).toEqual([
      "10.0.0.1 udp A example.com",
      "10.0.0.2 udp A example.com",
    ]);
    expect(res.elapsedMs).toBe(5000);
    const { r: r2 } = resolver({ ...zone, silent: ["10.0.0.1", "10.0.0.2"] }, conf);
    // Per round: 5 s on the first server, (5<<1)/2 = 5 s on the second; two rounds.
    expect((await r2.getaddrinfo("example.com.")).elapsedMs).toBe(20_000);
  });

  it("SERVFAIL tries the next server, then the next search domain", async () => {
    const z = { ...zone, rcodes: { "my-svc.default.svc.cluster.local": RCODE.SERVFAIL } };
    const { r, log } = resolver(
      z,
      POD_RESOLV.replace("nameserver 10.96.0.10", "nameserver 10.0.0.1\nnameserver 10.0.0.2"),
    );
    const res = await r.getaddrinfo("my-svc", 4);
    expect(log.slice(0, 5)).toEqual([
      "10.0.0.1 udp A my-svc.default.svc.cluster.local",
      "10.0.0.2 udp A my-svc.default.svc.cluster.local",
      "10.0.0.1 udp A my-svc.default.svc.cluster.local",
      "10.0.0.2 udp A my-svc.default.svc.cluster.local",
      "10.0.0.1 udp A my-svc.svc.cluster.local",
    ]);
    expect(res.error).toBe("EAI_AGAIN");
  });

  it("REFUSED ends the search", async () => {
    const z = { ...zone, rcodes: { "x.default.svc.cluster.local": RCODE.REFUSED } };
    const { r, log } = resolver(z);
    const res = await r.getaddrinfo("x", 4);
    expect(log).toEqual([
      "10.96.0.10 udp A x.default.svc.cluster.local",
      "10.96.0.10 udp A x.default.svc.cluster.local",
      "10.96.0.10 udp A x",
    ]);
    expect(res.error).toBe("EAI_NONAME");
  });

  it("a truncated UDP reply is asked again over TCP", async () => {
    const { r, log } = resolver({ ...zone, truncate: ["example.com"] });
    const res = await r.getaddrinfo("example.com.", 4);
    expect(log).toEqual(["10.96.0.10 udp A example.com", "10.96.0.10 tcp A example.com"]);
    expect(res.addresses).toEqual([{ address: "93.184.215.14", family: 4 }]);
  });

  it("use-vc queries over TCP; rotate spreads lookups over the servers", async () => {
    const { r, log } = resolver(zone, "nameserver 10.0.0.1\nnameserver 10.0.0.2\noptions use-vc rotate\n");
    await r.getaddrinfo("example.com.", 4);
    await r.getaddrinfo("example.com.", 4);
    expect(log).toEqual(["10.0.0.1 tcp A example.com", "10.0.0.2 tcp A example.com"]);
  });
});

describe("resolv.conf as glibc reads it", () => {
  it("keeps 3 nameservers, the last of search/domain, every options line", () => {
    const c = parseResolverConf(
      "nameserver 1.1.1.1\nnameserver 2.2.2.2\n; c\nnameserver 3.3.3.3\nnameserver 4.4.4.4\nsearch a.com b.com\ndomain c.com\noptions ndots:20 timeout:60\noptions attempts:9 rotate edns0\n",
    );
    expect(c.nameservers).toEqual(["1.1.1.1", "2.2.2.2", "3.3.3.3"]);
    expect(c.search).toEqual(["c.com"]);
    expect(c).toMatchObject({ ndots: 15, timeout: 30, attempts: 5, rotate: true, edns0: true });
  });

  it("defaults: the local machine, ndots 1, timeout 5, attempts 2", () => {
    expect(parseResolverConf(null)).toMatchObject({
      nameservers: ["127.0.0.1"],
      ndots: 1,
      timeout: 5,
      attempts: 2,
    });
  });
});
