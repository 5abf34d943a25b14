/**
 * The server around the chain (core/dnsserver/server.go ServeDNS) and the
 * plugins other than kubernetes, each against the upstream behaviour named in
 * its test: plugin/{forward,cache,loadbalance,hosts,rewrite,template,log}.
 */
import type { Packet } from "dns-packet";
import { describe, expect, it } from "vitest";
import { KIND_COREFILE } from "../corefile/index.js";
import { serveDns } from "./server.js";
import { VIEW } from "./testing/fixture.js";
import { ask, mustLoad, query, show } from "./testing/helpers.js";

const kind = () => mustLoad(KIND_COREFILE, { seed: 1 });

describe("server: choosing the server block (dnsserver/server.go)", () => {
  const s = mustLoad(
    ".:53 {\n forward . 8.8.8.8\n}\nexample.org:53 {\n hosts {\n  10.0.0.1 www.example.org\n }\n}\n.:5300 {\n hosts {\n  10.9.9.9 www.example.org\n }\n}",
  );
  it("the longest matching zone on the query's port wins", () => {
    expect(ask(s, VIEW, "www.example.org.", "A")).toMatchObject({
      plugin: "hosts",
      answer: ["www.example.org.\t3600\tIN\tA\t10.0.0.1"],
    });
    expect(ask(s, VIEW, "google.com.", "A")?.plugin).toBe("forward");
    const r = serveDns(s, query("www.example.org.", "A", { port: 5300 }), VIEW);
    expect(show(r)?.answer).toEqual(["www.example.org.\t3600\tIN\tA\t10.9.9.9"]);
    expect(r.serverBlock).toBe("dns://.:5300");
  });
  it("no block for the name or the port: REFUSED, written by the server, without AA", () => {
    const only = mustLoad("example.org {\n hosts {\n  10.0.0.1 www.example.org\n }\n}");
    expect(ask(only, VIEW, "google.com.", "A")).toMatchObject({
      rcode: "REFUSED",
      flags: ["qr", "rd"],
      plugin: "server",
    });
    expect(show(serveDns(only, query("www.example.org.", "A", { port: 54 }), VIEW))?.rcode).toBe("REFUSED");
  });
  it("the reply keeps the client's id and echoes its EDNS0 UDP size", () => {
    const q = query("svc1.testns.svc.cluster.local.", "A", { id: 777 });
    q.message.additionals = [
      {
        name: ".",
        type: "OPT",
        udpPayloadSize: 1232,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        flag_do: false,
        options: [],
      },
    ];
    const r = serveDns(kind(), q, VIEW);
    expect(r.response?.id).toBe(777);
    expect(r.response?.additionals).toEqual([
      {
        name: ".",
        type: "OPT",
        udpPayloadSize: 1232,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        flag_do: false,
        options: [],
      },
    ]);
  });
});

describe("kind's Corefile end to end", () => {
  it("a Service answers from kubernetes with ttl 30, flags qr aa rd (no ra)", () => {
    expect(ask(kind(), VIEW, "svc1.testns.svc.cluster.local.", "A")).toEqual({
      rcode: "NOERROR",
      flags: ["qr", "aa", "rd"],
      answer: ["svc1.testns.svc.cluster.local.\t30\tIN\tA\t10.0.0.1"],
      ns: [],
      extra: [],
      plugin: "kubernetes",
    });
  });
  it("a missing Service is NXDOMAIN from kubernetes (cluster.local does not fall through)", () => {
    expect(ask(kind(), VIEW, "nope.testns.svc.cluster.local.", "A")).toMatchObject({
      rcode: "NXDOMAIN",
      plugin: "kubernetes",
      ns: [
        "cluster.local.\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1499347823 7200 1800 86400 30",
      ],
    });
  });
  it("an outside name is forwarded: upstream's flags (ra, no aa), TTL capped to cache's 30", () => {
    expect(ask(kind(), VIEW, "google.com.", "A")).toEqual({
      rcode: "NOERROR",
      flags: ["qr", "rd", "ra"],
      answer: ["google.com.\t30\tIN\tA\t142.250.185.78"],
      ns: [],
      extra: [],
      plugin: "forward",
    });
  });
  it("an unknown outside name is upstream's NXDOMAIN with the closest zone's SOA", () => {
    expect(ask(kind(), VIEW, "nonexistent.example.com.", "A")).toMatchObject({
      rcode: "NXDOMAIN",
      flags: ["qr", "rd", "ra"],
      ns: ["example.com.\t30\tIN\tSOA\tns.icann.org. noc.dns.icann.org. 2025082001 7200 3600 1209600 3600"],
      plugin: "forward",
    });
    expect(ask(kind(), VIEW, "no-such-tld-xyz.", "A")?.ns[0]).toMatch(
      /^\.\t30\tIN\tSOA\ta\.root-servers\.net\. /,
    );
  });
  it("reports the plugins a query went through, in plugin.cfg order", () => {
    expect(serveDns(kind(), query("google.com.", "A"), VIEW).visited).toEqual([
      "reload",
      "ready",
      "health",
      "prometheus",
      "errors",
      "loadbalance",
      "cache",
      "kubernetes",
      "loop",
      "forward",
    ]);
    expect(serveDns(kind(), query("svc1.testns.svc.cluster.local.", "A"), VIEW).visited.at(-1)).toBe(
      "kubernetes",
    );
  });
  it("a reverse name kubernetes does not know falls through to forward", () => {
    expect(ask(kind(), VIEW, "4.3.2.1.in-addr.arpa.", "PTR")).toMatchObject({
      rcode: "NXDOMAIN",
      plugin: "forward",
    });
    expect(ask(kind(), VIEW, "1.0.0.10.in-addr.arpa.", "PTR")).toMatchObject({
      answer: ["1.0.0.10.in-addr.arpa.\t30\tIN\tPTR\tsvc1.testns.svc.cluster.local."],
      plugin: "kubernetes",
    });
  });
});

describe("cache (plugin/cache)", () => {
  it("a hit within the TTL comes from the cache with the TTL counted down, AA set", () => {
    const s = kind();
    expect(ask(s, VIEW, "google.com.", "A", { now: 1000 })?.plugin).toBe("forward");
    expect(ask(s, VIEW, "google.com.", "A", { now: 1012 })).toMatchObject({
      plugin: "cache",
      flags: ["qr", "aa", "rd", "ra"],
      answer: ["google.com.\t18\tIN\tA\t142.250.185.78"],
    });
    expect(ask(s, VIEW, "google.com.", "A", { now: 1030 })?.plugin).toBe("forward");
  });
  it("denials are cached too, with the SOA's TTL counted down", () => {
    const s = kind();
    ask(s, VIEW, "nope.example.com.", "A", { now: 0 });
    expect(ask(s, VIEW, "nope.example.com.", "A", { now: 10 })).toMatchObject({
      plugin: "cache",
      rcode: "NXDOMAIN",
      ns: ["example.com.\t20\tIN\tSOA\tns.icann.org. noc.dns.icann.org. 2025082001 7200 3600 1209600 3600"],
    });
  });
  it("a SERVFAIL the server writes (no upstream reply) is not cached; one an upstream sends is, for 5 s", () => {
    let up = 0;
    const none = mustLoad(".:53 {\n cache\n forward . 192.0.2.1\n}", {
      upstream: () => {
        up++;
        return null;
      },
    });
    ask(none, VIEW, "google.com.", "A", { now: 0 });
    ask(none, VIEW, "google.com.", "A", { now: 1 });
    expect(up).toBe(2);
    const sent = mustLoad(".:53 {\n cache\n forward . 192.0.2.1\n}", {
      upstream: (q: Packet) => ({ ...q, type: "response", flags: 0x8182, answers: [] }),
    });
    expect(ask(sent, VIEW, "google.com.", "A", { now: 0 })).toMatchObject({
      rcode: "SERVFAIL",
      plugin: "forward",
    });
    expect(ask(sent, VIEW, "google.com.", "A", { now: 4 })).toMatchObject({
      rcode: "SERVFAIL",
      plugin: "cache",
    });
    expect(ask(sent, VIEW, "google.com.", "A", { now: 5 })?.plugin).toBe("forward");
  });
  it("kubeadm's `disable success/denial cluster.local` keeps cluster answers out of the cache", () => {
    const s = kind();
    ask(s, VIEW, "svc1.testns.svc.cluster.local.", "A", { now: 0 });
    expect(ask(s, VIEW, "svc1.testns.svc.cluster.local.", "A", { now: 1 })?.plugin).toBe("kubernetes");
    ask(s, VIEW, "nope.testns.svc.cluster.local.", "A", { now: 0 });
    expect(ask(s, VIEW, "nope.testns.svc.cluster.local.", "A", { now: 1 })?.plugin).toBe("kubernetes");
  });
  it("without disable, cluster answers are cached and the cache's 30 s cap applies", () => {
    const s = mustLoad(".:53 {\n cache 10\n kubernetes cluster.local {\n  ttl 30\n }\n}");
    expect(ask(s, VIEW, "svc1.testns.svc.cluster.local.", "A", { now: 0 })?.answer).toEqual([
      "svc1.testns.svc.cluster.local.\t10\tIN\tA\t10.0.0.1",
    ]);
    expect(ask(s, VIEW, "svc1.testns.svc.cluster.local.", "A", { now: 3 })).toMatchObject({
      plugin: "cache",
      answer: ["svc1.testns.svc.cluster.local.\t7\tIN\tA\t10.0.0.1"],
    });
  });
});

describe("loadbalance (plugin/loadbalance round_robin)", () => {
  const order = (seed: number, n: number) => {
    const s = mustLoad(".:53 {\n loadbalance\n kubernetes cluster.local\n}", { seed });
    return Array.from({ length: n }, () =>
      ask(s, VIEW, "hdls1.testns.svc.cluster.local.", "A")!.answer.map((a) => a.split("\t")[4]),
    );
  };
  it("shuffles A records, the same way for the same seed", () => {
    const a = order(7, 4);
    expect(order(7, 4)).toEqual(a);
    expect(new Set(a.map((x) => x.join()))).not.toEqual(new Set(["172.0.0.2,172.0.0.3,172.0.0.4,172.0.0.5"]));
    for (const x of a) expect([...x].sort()).toEqual(["172.0.0.2", "172.0.0.3", "172.0.0.4", "172.0.0.5"]);
  });
  it("keeps CNAMEs before addresses", () => {
    const s = mustLoad(".:53 {\n loadbalance\n kubernetes cluster.local\n}", { seed: 3 });
    const r = ask(s, VIEW, "external-to-service.testns.svc.cluster.local.", "A");
    expect(r?.answer[0]).toMatch(/\tCNAME\t/);
  });
});

describe("hosts (plugin/hosts)", () => {
  const files = {
    "/etc/hosts": "127.0.0.1 localhost\n10.1.2.3 db.internal db\n# comment\nfd00::5 db.internal\n",
  };
  const s = mustLoad(
    ".:53 {\n hosts /etc/hosts internal {\n  192.168.1.1 router.internal\n  ttl 60\n }\n forward . 8.8.8.8\n}\nexample.test {\n hosts {\n  10.0.0.7 a.example.test\n  fallthrough\n }\n forward . 8.8.8.8\n}",
    { files },
  );
  it("answers A and AAAA from the file and inline entries, with its ttl, AA set", () => {
    expect(ask(s, VIEW, "db.internal.", "A")).toMatchObject({
      flags: ["qr", "aa", "rd"],
      answer: ["db.internal.\t60\tIN\tA\t10.1.2.3"],
    });
    expect(ask(s, VIEW, "db.internal.", "AAAA")?.answer).toEqual(["db.internal.\t60\tIN\tAAAA\tfd00::5"]);
    expect(ask(s, VIEW, "router.internal.", "A")?.answer).toEqual([
      "router.internal.\t60\tIN\tA\t192.168.1.1",
    ]);
  });
  it("a known name with no record of the type is an empty NOERROR (no SOA)", () => {
    expect(ask(s, VIEW, "router.internal.", "AAAA")).toMatchObject({ rcode: "NOERROR", answer: [], ns: [] });
  });
  it("an unknown name in its zones is SERVFAIL without fallthrough, forwarded with it", () => {
    expect(ask(s, VIEW, "nope.internal.", "A")).toMatchObject({ rcode: "SERVFAIL", plugin: "server" });
    expect(ask(s, VIEW, "b.example.test.", "A")?.plugin).toBe("forward");
  });
  it("names outside its zones pass on; PTR answers for its addresses", () => {
    expect(ask(s, VIEW, "google.com.", "A")?.plugin).toBe("forward");
    expect(ask(s, VIEW, "3.2.1.10.in-addr.arpa.", "PTR")?.answer).toEqual([
      "3.2.1.10.in-addr.arpa.\t60\tIN\tPTR\tdb.internal.",
    ]);
  });
});

describe("rewrite (plugin/rewrite)", () => {
  it("exact: the chain sees the new name, the client gets its question back, answers keep the new name", () => {
    const s = mustLoad(
      ".:53 {\n rewrite name foo.example.com svc1.testns.svc.cluster.local\n kubernetes cluster.local\n}",
    );
    const r = serveDns(s, query("foo.example.com.", "A"), VIEW);
    expect(r.response?.questions?.[0]?.name).toBe("foo.example.com.");
    expect(show(r)?.answer).toEqual(["svc1.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.1"]);
  });
  it("answer auto writes answer names back", () => {
    const s = mustLoad(
      ".:53 {\n rewrite name exact foo.example.com svc1.testns.svc.cluster.local answer auto\n kubernetes cluster.local\n}",
    );
    expect(ask(s, VIEW, "foo.example.com.", "A")?.answer).toEqual(["foo.example.com.\t5\tIN\tA\t10.0.0.1"]);
  });
  it("suffix and regex rules, with an explicit answer name rule", () => {
    const suffix = mustLoad(
      ".:53 {\n rewrite name suffix .corp.example. .testns.svc.cluster.local. answer auto\n kubernetes cluster.local\n}",
    );
    expect(ask(suffix, VIEW, "svc1.corp.example.", "A")?.answer).toEqual([
      "svc1.corp.example.\t5\tIN\tA\t10.0.0.1",
    ]);
    const re = mustLoad(
      ".:53 {\n rewrite stop name regex (.*)\\.my\\.domain\\. {1}.testns.svc.cluster.local answer name (.*)\\.testns\\.svc\\.cluster\\.local\\. {1}.my.domain\n kubernetes cluster.local\n}",
    );
    expect(ask(re, VIEW, "svc6.my.domain.", "AAAA")?.answer).toEqual([
      "svc6.my.domain.\t5\tIN\tAAAA\t1234:abcd::1",
    ]);
  });
  it("prefix and substring rules", () => {
    const prefix = mustLoad(
      ".:53 {\n rewrite name prefix old- svc answer auto\n kubernetes cluster.local\n}",
    );
    expect(ask(prefix, VIEW, "old-1.testns.svc.cluster.local.", "A")?.answer).toEqual([
      "old-1.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.1",
    ]);
    const sub = mustLoad(".:53 {\n rewrite name substring .legacy. .testns.\n kubernetes cluster.local\n}");
    expect(ask(sub, VIEW, "svc1.legacy.svc.cluster.local.", "A")?.answer).toEqual([
      "svc1.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.1",
    ]);
  });
  it("a name no rule matches goes through untouched", () => {
    const s = mustLoad(
      ".:53 {\n rewrite name foo.example.com svc1.testns.svc.cluster.local\n kubernetes cluster.local\n}",
    );
    expect(ask(s, VIEW, "svc6.testns.svc.cluster.local.", "AAAA")?.answer).toHaveLength(1);
  });
});

describe("rewrite rule order and type rules", () => {
  it("stop ends at the first matching rule; continue lets later rules apply to the new name", () => {
    const stop = mustLoad(
      ".:53 {\n rewrite name a.example. b.example.\n rewrite name b.example. svc1.testns.svc.cluster.local.\n kubernetes cluster.local\n forward . 8.8.8.8\n}",
    );
    expect(ask(stop, VIEW, "a.example.", "A")?.plugin).toBe("forward");
    const cont = mustLoad(
      ".:53 {\n rewrite continue name a.example. b.example.\n rewrite name b.example. svc1.testns.svc.cluster.local.\n kubernetes cluster.local\n}",
    );
    expect(ask(cont, VIEW, "a.example.", "A")?.answer).toEqual([
      "svc1.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.1",
    ]);
  });
  it("type rules change the question's type; the client still sees its own question", () => {
    const s = mustLoad(".:53 {\n rewrite type AAAA A\n kubernetes cluster.local\n}");
    const r = serveDns(s, query("svc1.testns.svc.cluster.local.", "AAAA"), VIEW);
    expect(r.response?.questions?.[0]?.type).toBe("AAAA");
    expect(show(r)?.answer).toEqual(["svc1.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.1"]);
  });
});

describe("the modelled Internet (upstream.ts)", () => {
  it("follows CNAMEs inside its record set", () => {
    expect(ask(mustLoad(".:53 {\n forward . 8.8.8.8\n}"), VIEW, "www.example.com.", "AAAA")?.answer).toEqual([
      "www.example.com.\t300\tIN\tCNAME\texample.com.",
      "example.com.\t300\tIN\tAAAA\t2606:2800:21f:cb07:6820:80da:af6b:8b2c",
    ]);
  });
  it("a known name with another type is NODATA with its zone's SOA", () => {
    expect(ask(mustLoad(".:53 {\n forward . 8.8.8.8\n}"), VIEW, "google.com.", "MX")).toMatchObject({
      rcode: "NOERROR",
      answer: [],
      ns: ["google.com.\t60\tIN\tSOA\tns1.google.com. dns-admin.google.com. 836000000 900 900 1800 60"],
    });
  });
  it("a TwinConfig record set replaces the default one", () => {
    const s = mustLoad(".:53 {\n forward . 8.8.8.8\n}", {
      upstream: {
        records: [
          ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400",
          "corp.example. 60 IN A 203.0.113.9",
        ],
      },
    });
    expect(ask(s, VIEW, "corp.example.", "A")?.answer).toEqual(["corp.example.\t60\tIN\tA\t203.0.113.9"]);
    expect(ask(s, VIEW, "google.com.", "A")?.rcode).toBe("NXDOMAIN");
  });
});

describe("template (plugin/template)", () => {
  const s = mustLoad(
    '.:53 {\n template IN A example.org {\n  match "^ip-(?P<a>[0-9]+)-(?P<b>[0-9]+)[.]example[.]org[.]$"\n  answer "{{ .Name }} 60 IN A 10.{{ .Group.a }}.{{ index .Match 2 }}.1"\n  additional "x.{{ .Zone }} 60 IN TXT {{ .Type }}"\n }\n template ANY ANY invalid {\n  rcode NXDOMAIN\n  authority "invalid. 60 {{ .Class }} SOA ns.invalid. hostmaster.invalid. 1 60 60 60 60"\n }\n forward . 8.8.8.8\n}',
  );
  it("renders the answer from the regex groups, AA set", () => {
    expect(ask(s, VIEW, "ip-7-42.example.org.", "A")).toMatchObject({
      rcode: "NOERROR",
      flags: ["qr", "aa", "rd"],
      answer: ["ip-7-42.example.org.\t60\tIN\tA\t10.7.42.1"],
      extra: ['x.example.org.\t60\tIN\tTXT\t"A"'],
      plugin: "template",
    });
  });
  it("rcode and authority templates", () => {
    expect(ask(s, VIEW, "foo.invalid.", "MX")).toMatchObject({
      rcode: "NXDOMAIN",
      ns: ["invalid.\t60\tIN\tSOA\tns.invalid. hostmaster.invalid. 1 60 60 60 60"],
    });
  });
  it("fallthrough passes an unmatched name on", () => {
    const f = mustLoad(
      '.:53 {\n template IN A example.org {\n  match "^www[.]"\n  answer "{{ .Name }} 60 IN A 10.0.0.9"\n  fallthrough\n }\n forward . 8.8.8.8\n}',
    );
    expect(ask(f, VIEW, "www.example.org.", "A")?.answer).toEqual(["www.example.org.\t60\tIN\tA\t10.0.0.9"]);
    expect(ask(f, VIEW, "ftp.example.org.", "A")?.plugin).toBe("forward");
  });
  it("another type passes on; a name no regex matches gets no reply (rcode only, nothing written)", () => {
    expect(ask(s, VIEW, "ip-7-42.example.org.", "AAAA")?.plugin).toBe("forward");
    expect(serveDns(s, query("www.example.org.", "A"), VIEW).response).toBeNull();
  });
});

describe("forward failures, errors and log", () => {
  it("no upstream answer: SERVFAIL from the server, the error logged by errors", () => {
    const s = mustLoad(".:53 {\n errors\n forward . 192.0.2.1\n}", { upstream: (_q: Packet) => null });
    const r = serveDns(s, query("google.com.", "A"), VIEW);
    expect(show(r)?.rcode).toBe("SERVFAIL");
    expect(r.log).toEqual([
      "[ERROR] plugin/errors: 2 google.com. A: read udp 10.244.0.3:53->192.0.2.1:53: i/o timeout",
    ]);
  });
  it("except keeps a zone from being forwarded", () => {
    const s = mustLoad(".:53 {\n forward . 8.8.8.8 {\n  except example.com\n }\n}");
    expect(ask(s, VIEW, "example.com.", "A")).toMatchObject({ rcode: "SERVFAIL", plugin: "server" });
  });
  it("resolv.conf nameservers from the files given", () => {
    const seen: string[] = [];
    const s = mustLoad(".:53 {\n forward . /etc/resolv.conf\n}", {
      files: { "/etc/resolv.conf": "search lan\nnameserver 172.18.0.1\n" },
      upstream: (q: Packet, to: string) => {
        seen.push(to);
        return { ...q, type: "response", flags: 0x8180, answers: [] };
      },
    });
    ask(s, VIEW, "google.com.", "A");
    expect(seen).toEqual(["172.18.0.1:53"]);
  });
  it("log writes one line per query in CoreDNS's format", () => {
    const s = mustLoad(".:53 {\n log\n kubernetes cluster.local\n}");
    const r = serveDns(s, query("svc1.testns.svc.cluster.local.", "A"), VIEW);
    expect(r.log).toHaveLength(1);
    expect(r.log[0]).toMatch(
      /^\[INFO\] 10\.244\.1\.5:40000 - 4242 "A IN svc1\.testns\.svc\.cluster\.local\. udp \d+ false 512" NOERROR qr,aa,rd \d+ 0s$/,
    );
  });
});
