/**
 * dig, nslookup, host and getent against the real tools' output.
 *
 * Captured on Debian 12 (dig/host/nslookup 9.18.49-1~deb12u3-Debian) against
 *   dnsmasq --no-daemon --port=5533 --listen-address=127.0.0.1 --bind-interfaces
 *     --no-resolv --no-hosts --host-record=my-svc.default.svc.cluster.local,10.96.0.20
 *     --host-record=web.example.com,10.1.2.3,fd00::3 --cname=alias.example.com,web.example.com
 *     --txt-record=txt.example.com,v6only --local=/cluster.local/ --local=/example.com/
 * and, for the timeouts, a UDP socket on 127.0.0.1:5598 that never answers;
 * e.g. `dig @127.0.0.1 -p 5533 web.example.com | cat -A`. The fake server
 * below answers as that dnsmasq did (TTL 0, AA only with answers, RA, EDNS
 * udp 1232). The query ID, the WHEN line and the message size (dnsmasq
 * compresses names, the fake server does not) are masked; all else is exact.
 */
import { describe, expect, it } from "vitest";
import { type FakeZone, fakeServer, RCODE } from "../../dns/resolver/fake-server.js";
import { ShellSession } from "../session.js";

const DNSMASQ: FakeZone = {
  authoritative: "answers",
  records: {
    "web.example.com": [
      { type: "A", data: "10.1.2.3", ttl: 0 },
      { type: "AAAA", data: "fd00::3", ttl: 0 },
    ],
    "alias.example.com": [{ type: "CNAME", data: "web.example.com", ttl: 0 }],
    "my-svc.default.svc.cluster.local": [{ type: "A", data: "10.96.0.20", ttl: 0 }],
    "3.2.1.10.in-addr.arpa": [{ type: "PTR", data: "web.example.com", ttl: 0 }],
    "txt.example.com": [{ type: "TXT", data: "v6only", ttl: 0 }],
  },
  rcodes: { "9.9.9.10.in-addr.arpa": RCODE.REFUSED },
  silent: ["127.0.0.2"],
};

async function sh(script: string, zone: FakeZone = DNSMASQ) {
  const server = fakeServer(zone);
  const s = new ShellSession({ seed: 3, dnsTransport: server.transport });
  const r = await s.run(script);
  return { ...r, log: server.log, now: s.kernel.clock.now };
}

const mask = (s: string) =>
  s
    .replace(/id: \d+/g, "id: ID")
    .replace(/;; WHEN: .*/g, ";; WHEN: T")
    .replace(/rcvd: \d+/g, "rcvd: N");

/** Output lines as `cat -A` showed them (^I = tab, $ = end of line). */
const catA = (lines: string[]) =>
  lines.map((l) => `${l.replace(/\^I/g, "\t").replace(/\$$/, "")}\n`).join("");

describe("dig (BIND 9.18)", () => {
  it("an A record", async () => {
    const r = await sh("dig @127.0.0.1 -p 5533 web.example.com\n");
    expect(mask(r.stdout)).toBe(
      mask(
        catA([
          "$",
          "; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @127.0.0.1 -p 5533 web.example.com$",
          "; (1 server found)$",
          ";; global options: +cmd$",
          ";; Got answer:$",
          ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 45857$",
          ";; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1$",
          "$",
          ";; OPT PSEUDOSECTION:$",
          "; EDNS: version: 0, flags:; udp: 1232$",
          ";; QUESTION SECTION:$",
          ";web.example.com.^I^IIN^IA$",
          "$",
          ";; ANSWER SECTION:$",
          "web.example.com.^I0^IIN^IA^I10.1.2.3$",
          "$",
          ";; Query time: 0 msec$",
          ";; SERVER: 127.0.0.1#5533(127.0.0.1) (UDP)$",
          ";; WHEN: Wed Nov 25 01:42:27 UTC 2026$",
          ";; MSG SIZE  rcvd: 60$",
          "$",
        ]),
      ),
    );
    expect(r.stdout).toContain(";; WHEN: Wed Jan 01 00:00:00 UTC 2025\n");
  });

  it("a CNAME chain, an AAAA by positional type, +tcp and +norecurse", async () => {
    const r = await sh("dig @127.0.0.1 -p 5533 alias.example.com\n");
    expect(r.stdout).toContain(
      catA([
        ";; flags: qr aa rd ra; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1$",
        "$",
        ";; OPT PSEUDOSECTION:$",
        "; EDNS: version: 0, flags:; udp: 1232$",
        ";; QUESTION SECTION:$",
        ";alias.example.com.^I^IIN^IA$",
        "$",
        ";; ANSWER SECTION:$",
        "alias.example.com.^I0^IIN^ICNAME^Iweb.example.com.$",
        "web.example.com.^I0^IIN^IA^I10.1.2.3$",
        "$",
      ]),
    );
    const aaaa = await sh("dig @127.0.0.1 -p 5533 web.example.com AAAA\n");
    expect(aaaa.stdout).toContain(
      catA([
        ";web.example.com.^I^IIN^IAAAA$",
        "$",
        ";; ANSWER SECTION:$",
        "web.example.com.^I0^IIN^IAAAA^Ifd00::3$",
      ]),
    );
    const tcp = await sh("dig @127.0.0.1 -p 5533 +tcp web.example.com\n");
    expect(tcp.stdout).toContain(";; SERVER: 127.0.0.1#5533(127.0.0.1) (TCP)\n");
    expect(tcp.log).toEqual(["127.0.0.1 tcp A web.example.com"]);
    const norec = await sh("dig @127.0.0.1 -p 5533 +norecurse web.example.com\n");
    expect(norec.stdout).toContain(";; flags: qr aa ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n");
  });

  it("a cluster.local name: the mDNS warning; NXDOMAIN", async () => {
    const r = await sh(
      "dig @127.0.0.1 -p 5533 my-svc.default.svc.cluster.local\ndig @127.0.0.1 -p 5533 nope.cluster.local\n",
    );
    expect(mask(r.stdout)).toContain(
      mask(
        catA([
          ";; Got answer:$",
          ";; WARNING: .local is reserved for Multicast DNS$",
          ";; You are currently testing what happens when an mDNS query is leaked to DNS$",
          ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 31202$",
          ";; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1$",
          "$",
          ";; OPT PSEUDOSECTION:$",
          "; EDNS: version: 0, flags:; udp: 1232$",
          ";; QUESTION SECTION:$",
          ";my-svc.default.svc.cluster.local. IN^IA$",
          "$",
          ";; ANSWER SECTION:$",
          "my-svc.default.svc.cluster.local. 0 IN^IA^I10.96.0.20$",
          "$",
        ]),
      ),
    );
    expect(mask(r.stdout)).toContain(
      mask(
        catA([
          ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 52853$",
          ";; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1$",
          "$",
          ";; OPT PSEUDOSECTION:$",
          "; EDNS: version: 0, flags:; udp: 1232$",
          ";; QUESTION SECTION:$",
          ";nope.cluster.local.^I^IIN^IA$",
          "$",
          ";; Query time: 0 msec$",
        ]),
      ),
    );
  });

  it("+short, +noall +answer, -x, -t", async () => {
    const r = await sh(
      "dig @127.0.0.1 -p 5533 +short alias.example.com\ndig @127.0.0.1 -p 5533 +noall +answer web.example.com\n",
    );
    expect(r.stdout).toBe(catA(["web.example.com.$", "10.1.2.3$", "web.example.com.^I0^IIN^IA^I10.1.2.3$"]));
    const x = await sh("dig @127.0.0.1 -p 5533 -x 10.1.2.3\n");
    expect(x.stdout).toContain(
      catA([
        ";3.2.1.10.in-addr.arpa.^I^IIN^IPTR$",
        "$",
        ";; ANSWER SECTION:$",
        "3.2.1.10.in-addr.arpa.^I0^IIN^IPTR^Iweb.example.com.$",
      ]),
    );
    const mx = await sh("dig @127.0.0.1 -p 5533 -t MX web.example.com\n");
    expect(mx.stdout).toContain(
      catA([
        ";; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1$",
        "$",
        ";; OPT PSEUDOSECTION:$",
      ]),
    );
    expect(mx.stdout).toContain(catA([";web.example.com.^I^IIN^IMX$", "$", ";; Query time: 0 msec$"]));
  });

  it("a server that never answers: the errors, then the banner; exit 9; time passes", async () => {
    const r = await sh("dig @127.0.0.2 -p 5598 +time=1 web.example.com\necho rc=$?\n");
    expect(r.stdout).toBe(
      catA([
        ";; communications error to 127.0.0.2#5598: timed out$",
        ";; communications error to 127.0.0.2#5598: timed out$",
        ";; communications error to 127.0.0.2#5598: timed out$",
        "$",
        "; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @127.0.0.2 -p 5598 +time=1 web.example.com$",
        "; (1 server found)$",
        ";; global options: +cmd$",
        ";; no servers could be reached$",
        "rc=9$",
      ]),
    );
    expect(r.now).toBe(3000);
    const short = await sh("dig @127.0.0.2 -p 5598 +time=1 +tries=1 +short web.example.com\n");
    expect(short.stdout).toBe(
      catA([";; communications error to 127.0.0.2#5598: timed out$", ";; no servers could be reached$"]),
    );
  });

  it("on a bare machine (no transport, no resolv.conf) dig waits on 127.0.0.1 and gives up", async () => {
    const s = new ShellSession({ seed: 1 });
    const r = await s.run("dig kubernetes.io TXT\necho rc=$?\n");
    expect(r.stdout).toContain(";; communications error to 127.0.0.1#53: timed out\n");
    expect(r.stdout).toContain(";; no servers could be reached\nrc=9\n");
    expect(s.kernel.clock.now).toBe(15_000);
  });
});

/**
 * Captured from dig/nslookup 9.18 against a small Python responder on
 * 127.0.0.1:5534 that sets neither AA nor RA, answers ext.example.org (A,
 * AAAA, TTL 300), gives NXDOMAIN with a cluster.local SOA otherwise, and
 * returns the client cookie plus the server cookie 0100000065f1a2b3c4d5e6f708090a0b.
 */
const NO_RA: FakeZone = {
  authoritative: "never",
  recursionAvailable: false,
  records: {
    "ext.example.org": [
      { type: "A", data: "93.184.215.14", ttl: 300 },
      { type: "AAAA", data: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", ttl: 300 },
    ],
  },
  soa: {
    zone: "cluster.local",
    ttl: 30,
    data: {
      mname: "ns.dns.cluster.local",
      rname: "hostmaster.cluster.local",
      serial: 1764000000,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: 30,
    },
  },
  serverCookie: new Uint8Array([1, 0, 0, 0, 0x65, 0xf1, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7, 8, 9, 10, 11]),
};
/** The client half of the cookie is random in dig; masked with the rest. */
const maskCookie = (s: string) => mask(s).replace(/COOKIE: [0-9a-f]{16}/, "COOKIE: CLIENT");

describe("dig against a server without RA that returns cookies", () => {
  it("the recursion warning, the COOKIE line and an NXDOMAIN's SOA", async () => {
    const r = await sh("dig @127.0.0.1 -p 5534 nope.cluster.local\n", NO_RA);
    expect(maskCookie(r.stdout)).toBe(
      maskCookie(
        catA([
          "$",
          "; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @127.0.0.1 -p 5534 nope.cluster.local$",
          "; (1 server found)$",
          ";; global options: +cmd$",
          ";; Got answer:$",
          ";; WARNING: .local is reserved for Multicast DNS$",
          ";; You are currently testing what happens when an mDNS query is leaked to DNS$",
          ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 19262$",
          ";; flags: qr rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1$",
          ";; WARNING: recursion requested but not available$",
          "$",
          ";; OPT PSEUDOSECTION:$",
          "; EDNS: version: 0, flags:; udp: 1232$",
          "; COOKIE: f6987e2020cf2da00100000065f1a2b3c4d5e6f708090a0b (good)$",
          ";; QUESTION SECTION:$",
          ";nope.cluster.local.^I^IIN^IA$",
          "$",
          ";; AUTHORITY SECTION:$",
          "cluster.local.^I^I30^IIN^ISOA^Ins.dns.cluster.local. hostmaster.cluster.local. 1764000000 7200 1800 86400 30$",
          "$",
          ";; Query time: 4 msec$",
          ";; SERVER: 127.0.0.1#5534(127.0.0.1) (UDP)$",
          ";; WHEN: Wed Nov 25 02:01:17 UTC 2026$",
          ";; MSG SIZE  rcvd: 168$",
          "$",
        ]),
      ).replace("Query time: 4 msec", "Query time: 0 msec"),
    );
  });

  it("nslookup says Non-authoritative answer once", async () => {
    const r = await sh("nslookup -port=5534 ext.example.org 127.0.0.1\n", NO_RA);
    expect(r.stdout).toBe(
      catA([
        "Server:^I^I127.0.0.1$",
        "Address:^I127.0.0.1#5534$",
        "$",
        "Non-authoritative answer:$",
        "Name:^Iext.example.org$",
        "Address: 93.184.215.14$",
        "Name:^Iext.example.org$",
        "Address: 2606:2800:21f:cb07:6820:80da:af6b:8b2c$",
        "$",
      ]),
    );
  });
});

describe("nslookup (BIND 9.18)", () => {
  const header = ["Server:^I^I127.0.0.1$", "Address:^I127.0.0.1#5533$", "$"];
  it("A and AAAA", async () => {
    const r = await sh("nslookup -port=5533 web.example.com 127.0.0.1\n");
    expect(r.stdout).toBe(
      catA([
        ...header,
        "Name:^Iweb.example.com$",
        "Address: 10.1.2.3$",
        "Name:^Iweb.example.com$",
        "Address: fd00::3$",
        "$",
      ]),
    );
  });
  it("a CNAME", async () => {
    const r = await sh("nslookup -port=5533 alias.example.com 127.0.0.1\n");
    expect(r.stdout).toBe(
      catA([
        ...header,
        "alias.example.com^Icanonical name = web.example.com.$",
        "Name:^Iweb.example.com$",
        "Address: 10.1.2.3$",
        "Name:^Iweb.example.com$",
        "Address: fd00::3$",
        "$",
      ]),
    );
  });
  it("NXDOMAIN exits 1", async () => {
    const r = await sh("nslookup -port=5533 nope.example.com 127.0.0.1\necho rc=$?\n");
    expect(r.stdout).toBe(
      catA([...header, "** server can't find nope.example.com: NXDOMAIN$", "$", "rc=1$"]),
    );
  });
  it("A only; -type=AAAA; an address; no answer (non-authoritative)", async () => {
    const r = await sh("nslookup -port=5533 my-svc.default.svc.cluster.local 127.0.0.1\n");
    expect(r.stdout).toBe(
      catA([...header, "Name:^Imy-svc.default.svc.cluster.local$", "Address: 10.96.0.20$", "$"]),
    );
    const v6 = await sh("nslookup -port=5533 -type=AAAA web.example.com 127.0.0.1\n");
    expect(v6.stdout).toBe(catA([...header, "Name:^Iweb.example.com$", "Address: fd00::3$", "$"]));
    const rev = await sh("nslookup -port=5533 10.1.2.3 127.0.0.1\n");
    expect(rev.stdout).toBe(catA(["3.2.1.10.in-addr.arpa^Iname = web.example.com.$", "$"]));
    const refused = await sh("nslookup -port=5533 10.9.9.9 127.0.0.1\necho rc=$?\n");
    expect(refused.stdout).toBe(catA(["** server can't find 9.9.9.10.in-addr.arpa: REFUSED$", "$", "rc=1$"]));
    const txt = await sh("nslookup -port=5533 txt.example.com 127.0.0.1\n");
    expect(txt.stdout).toBe(
      catA([...header, "Non-authoritative answer:$", "*** Can't find txt.example.com: No answer$", "$"]),
    );
  });
  it("timeout: three tries, exit 1", async () => {
    const r = await sh("nslookup -port=5598 -timeout=1 web.example.com 127.0.0.2\necho rc=$?\n");
    expect(r.stdout).toBe(
      catA([
        ";; communications error to 127.0.0.2#5598: timed out$",
        ";; communications error to 127.0.0.2#5598: timed out$",
        ";; communications error to 127.0.0.2#5598: timed out$",
        ";; no servers could be reached$",
        "$",
        "rc=1$",
      ]),
    );
  });
});

describe("host (BIND 9.18)", () => {
  const header = ["Using domain server:$", "Name: 127.0.0.1$", "Address: 127.0.0.1#5533$", "Aliases: $", "$"];
  it("A, AAAA and MX; an alias; -t; an address", async () => {
    expect((await sh("host -p 5533 web.example.com 127.0.0.1\n")).stdout).toBe(
      catA([...header, "web.example.com has address 10.1.2.3$", "web.example.com has IPv6 address fd00::3$"]),
    );
    expect((await sh("host -p 5533 alias.example.com 127.0.0.1\n")).stdout).toBe(
      catA([
        ...header,
        "alias.example.com is an alias for web.example.com.$",
        "web.example.com has address 10.1.2.3$",
        "web.example.com has IPv6 address fd00::3$",
      ]),
    );
    expect((await sh("host -p 5533 -t A web.example.com 127.0.0.1\n")).stdout).toBe(
      catA([...header, "web.example.com has address 10.1.2.3$"]),
    );
    expect((await sh("host -p 5533 10.1.2.3 127.0.0.1\n")).stdout).toBe(
      catA([...header, "3.2.1.10.in-addr.arpa domain name pointer web.example.com.$"]),
    );
    expect((await sh("host -p 5533 -t AAAA my-svc.default.svc.cluster.local 127.0.0.1\n")).stdout).toBe(
      catA([...header, "my-svc.default.svc.cluster.local has no AAAA record$"]),
    );
    expect((await sh("host -p 5533 txt.example.com 127.0.0.1\n")).stdout).toBe(catA(header));
  });
  it("not found and unreachable exit 1", async () => {
    expect((await sh("host -p 5533 nope.example.com 127.0.0.1\necho rc=$?\n")).stdout).toBe(
      catA([...header, "Host nope.example.com not found: 3(NXDOMAIN)$", "rc=1$"]),
    );
    expect((await sh("host -p 5533 10.9.9.9 127.0.0.1\n")).stdout).toBe(
      catA([...header, "Host 9.9.9.10.in-addr.arpa not found: 5(REFUSED)$"]),
    );
    expect((await sh("host -W 1 -p 5598 web.example.com 127.0.0.2\necho rc=$?\n")).stdout).toBe(
      catA([
        ";; communications error to 127.0.0.2#5598: timed out$",
        ";; communications error to 127.0.0.2#5598: timed out$",
        ";; no servers could be reached$",
        "rc=1$",
      ]),
    );
  });
});

/**
 * Captured against a Python responder on 127.0.0.1:5535 that sets TC on UDP for
 * tc.example.org (and answers it over TCP: 10.0.0.7, TTL 60) and gives
 * SERVFAIL for sf.example.org; AA and RA set, no EDNS in its replies.
 */
const TC_SF: FakeZone = {
  records: { "tc.example.org": [{ type: "A", data: "10.0.0.7", ttl: 60 }] },
  truncate: ["tc.example.org"],
  rcodes: { "sf.example.org": RCODE.SERVFAIL },
};

describe("truncation and SERVFAIL", () => {
  it("dig retries over TCP and says so first", async () => {
    const r = await sh("dig @127.0.0.1 -p 5535 +noedns tc.example.org\n", TC_SF);
    expect(mask(r.stdout).replace(" +noedns", "")).toBe(
      mask(
        catA([
          ";; Truncated, retrying in TCP mode.$",
          "$",
          "; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @127.0.0.1 -p 5535 tc.example.org$",
          "; (1 server found)$",
          ";; global options: +cmd$",
          ";; Got answer:$",
          ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 26193$",
          ";; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0$",
          "$",
          ";; QUESTION SECTION:$",
          ";tc.example.org.^I^I^IIN^IA$",
          "$",
          ";; ANSWER SECTION:$",
          "tc.example.org.^I^I60^IIN^IA^I10.0.0.7$",
          "$",
          ";; Query time: 0 msec$",
          ";; SERVER: 127.0.0.1#5535(127.0.0.1) (TCP)$",
          ";; WHEN: Wed Nov 25 02:07:00 UTC 2026$",
          ";; MSG SIZE  rcvd: 48$",
          "$",
        ]),
      ),
    );
    expect(r.log).toEqual(["127.0.0.1 udp A tc.example.org", "127.0.0.1 tcp A tc.example.org"]);
  });

  it("dig and host print a SERVFAIL; nslookup notes it first", async () => {
    const dig = await sh("dig @127.0.0.1 -p 5535 +noedns sf.example.org\n", TC_SF);
    expect(dig.stdout).toContain(";; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: ");
    const ns = await sh("nslookup -port=5535 sf.example.org 127.0.0.1\necho rc=$?\n", TC_SF);
    expect(ns.stdout).toBe(
      catA([
        ";; Got SERVFAIL reply from 127.0.0.1$",
        "Server:^I^I127.0.0.1$",
        "Address:^I127.0.0.1#5535$",
        "$",
        "** server can't find sf.example.org: SERVFAIL$",
        "$",
        "rc=1$",
      ]),
    );
    const host = await sh("host -p 5535 sf.example.org 127.0.0.1\n", TC_SF);
    expect(host.stdout).toContain("\nHost sf.example.org not found: 2(SERVFAIL)\n");
  });
});

/** Captured against dnsmasq with --txt-record=txt.example.com,"hello world" --mx-host=example.com,mail.example.com,10 --srv-host=_http._tcp.my-svc.default.svc.cluster.local,my-svc.default.svc.cluster.local,80,0,100. */
const TYPES: FakeZone = {
  authoritative: "answers",
  records: {
    "txt.example.com": [{ type: "TXT", data: "hello world", ttl: 0 }],
    "example.com": [{ type: "MX", data: { preference: 10, exchange: "mail.example.com" }, ttl: 0 }],
    "_http._tcp.my-svc.default.svc.cluster.local": [
      {
        type: "SRV",
        data: { priority: 0, weight: 100, port: 80, target: "my-svc.default.svc.cluster.local" },
        ttl: 0,
      },
    ],
  },
};

describe("TXT, MX and SRV in each tool", () => {
  it("dig", async () => {
    const r = await sh(
      "dig @127.0.0.1 -p 5533 +short nope.example.com\n" +
        "dig @127.0.0.1 -p 5533 +noall +answer txt.example.com TXT\n" +
        "dig @127.0.0.1 -p 5533 +noall +answer example.com MX\n" +
        "dig @127.0.0.1 -p 5533 +noall +answer SRV _http._tcp.my-svc.default.svc.cluster.local\n" +
        "dig @127.0.0.1 -p 5533 +short SRV _http._tcp.my-svc.default.svc.cluster.local\n",
      TYPES,
    );
    expect(r.stdout).toBe(
      catA([
        'txt.example.com.^I0^IIN^ITXT^I"hello world"$',
        "example.com.^I^I0^IIN^IMX^I10 mail.example.com.$",
        "_http._tcp.my-svc.default.svc.cluster.local. 0 IN SRV 0 100 80 my-svc.default.svc.cluster.local.$",
        "0 100 80 my-svc.default.svc.cluster.local.$",
      ]),
    );
  });

  it("host and nslookup", async () => {
    const head = ["Using domain server:$", "Name: 127.0.0.1$", "Address: 127.0.0.1#5533$", "Aliases: $", "$"];
    expect((await sh("host -p 5533 -t TXT txt.example.com 127.0.0.1\n", TYPES)).stdout).toBe(
      catA([...head, 'txt.example.com descriptive text "hello world"$']),
    );
    expect((await sh("host -p 5533 -t MX example.com 127.0.0.1\n", TYPES)).stdout).toBe(
      catA([...head, "example.com mail is handled by 10 mail.example.com.$"]),
    );
    expect(
      (await sh("host -p 5533 -t SRV _http._tcp.my-svc.default.svc.cluster.local 127.0.0.1\n", TYPES)).stdout,
    ).toBe(
      catA([
        ...head,
        "_http._tcp.my-svc.default.svc.cluster.local has SRV record 0 100 80 my-svc.default.svc.cluster.local.$",
      ]),
    );
    const nsHead = ["Server:^I^I127.0.0.1$", "Address:^I127.0.0.1#5533$", "$"];
    expect((await sh("nslookup -port=5533 -type=TXT txt.example.com 127.0.0.1\n", TYPES)).stdout).toBe(
      catA([...nsHead, 'txt.example.com^Itext = "hello world"$', "$"]),
    );
    expect((await sh("nslookup -port=5533 -type=MX example.com 127.0.0.1\n", TYPES)).stdout).toBe(
      catA([...nsHead, "example.com^Imail exchanger = 10 mail.example.com.$", "$"]),
    );
    expect(
      (
        await sh(
          "nslookup -port=5533 -type=SRV _http._tcp.my-svc.default.svc.cluster.local 127.0.0.1\n",
          TYPES,
        )
      ).stdout,
    ).toBe(
      catA([
        ...nsHead,
        "_http._tcp.my-svc.default.svc.cluster.local^Iservice = 0 100 80 my-svc.default.svc.cluster.local.$",
        "$",
      ]),
    );
  });
});

describe("the search list in the BIND tools (query sequences logged by dnsmasq --log-queries)", () => {
  const zone: FakeZone = {
    records: {
      "my-svc.default.svc.cluster.local": [{ type: "A", data: "10.96.0.20" }],
      "db.default.svc.cluster.local": [{ type: "TXT", data: "x" }],
      "db.svc.cluster.local": [{ type: "A", data: "10.9.9.9" }],
    },
  };
  const conf = (ndots: number) =>
    `printf 'search default.svc.cluster.local\\nnameserver 127.0.0.1\\noptions ndots:${ndots}\\n' > /etc/resolv.conf\n`;
  it("fewer dots than ndots: the search list, then the name; only NXDOMAIN moves on", async () => {
    expect((await sh(`${conf(5)}dig +search +short my-svc\n`, zone)).log).toEqual([
      "127.0.0.1 udp A my-svc.default.svc.cluster.local",
    ]);
    expect((await sh(`${conf(5)}dig +search +short nope\n`, zone)).log).toEqual([
      "127.0.0.1 udp A nope.default.svc.cluster.local",
      "127.0.0.1 udp A nope",
    ]);
    // NODATA stops dig where glibc would go on.
    expect((await sh(`${conf(5)}dig +search +short db\n`, zone)).log).toEqual([
      "127.0.0.1 udp A db.default.svc.cluster.local",
    ]);
  });
  it("ndots or more dots: the name as is, nothing else", async () => {
    const r = await sh(`${conf(1)}nslookup nope.cluster.local\nhost nope.cluster.local\n`, zone);
    expect(r.log).toEqual(["127.0.0.1 udp A nope.cluster.local", "127.0.0.1 udp A nope.cluster.local"]);
    expect(r.stdout).toContain("** server can't find nope.cluster.local: NXDOMAIN\n");
    expect(r.stdout).toContain("Host nope.cluster.local not found: 3(NXDOMAIN)\n");
  });
  it("nslookup asks AAAA for the name the search found", async () => {
    expect((await sh(`${conf(5)}nslookup my-svc\n`, zone)).log).toEqual([
      "127.0.0.1 udp A my-svc.default.svc.cluster.local",
      "127.0.0.1 udp AAAA my-svc.default.svc.cluster.local",
    ]);
  });
});

describe("default timeouts (measured: dig 15.3 s, nslookup 15.4 s, host 10.4 s against a silent server)", () => {
  it("dig and nslookup try 3 × 5 s, host 2 × 5 s", async () => {
    expect((await sh("dig @127.0.0.2 web.example.com\n")).now).toBe(15_000);
    expect((await sh("nslookup web.example.com 127.0.0.2\n")).now).toBe(15_000);
    expect((await sh("host web.example.com 127.0.0.2\n")).now).toBe(10_000);
  });
});

/** A pod as the kubelet sets it up: its resolv.conf and hosts file, CoreDNS at 10.96.0.10. */
const POD = `cat > /etc/resolv.conf <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
printf '# Kubernetes-managed hosts file.\\n127.0.0.1\\tlocalhost\\n::1\\tlocalhost ip6-localhost ip6-loopback\\n10.244.1.5\\tclient\\n' > /etc/hosts
`;
const CLUSTER: FakeZone = {
  records: {
    "kubernetes.default.svc.cluster.local": [{ type: "A", data: "10.96.0.1", ttl: 30 }],
    "my-svc.default.svc.cluster.local": [{ type: "A", data: "10.96.0.20", ttl: 30 }],
  },
  soa: {
    zone: "cluster.local",
    ttl: 30,
    data: {
      mname: "ns.dns.cluster.local",
      rname: "hostmaster.cluster.local",
      serial: 1,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: 30,
    },
  },
};

describe("in a pod: the search list and the hosts file", () => {
  it("the seed's checks: cat /etc/resolv.conf, nslookup kubernetes.default, the FQDN", async () => {
    const r = await sh(
      `${POD}nslookup kubernetes.default\nnslookup my-svc.default.svc.cluster.local\n`,
      CLUSTER,
    );
    expect(r.stdout).toBe(
      "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n" +
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tmy-svc.default.svc.cluster.local\nAddress: 10.96.0.20\n\n",
    );
    // dighost walks the search list in order and stops at the first answer that is not NXDOMAIN.
    expect(r.log.slice(0, 2)).toEqual([
      "10.96.0.10 udp A kubernetes.default.default.svc.cluster.local",
      "10.96.0.10 udp A kubernetes.default.svc.cluster.local",
    ]);
  });

  it("nslookup of an unknown short name: NXDOMAIN after the whole list", async () => {
    const r = await sh(`${POD}nslookup nope\necho rc=$?\n`, CLUSTER);
    expect(r.stdout).toBe(
      "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nope: NXDOMAIN\n\nrc=1\n",
    );
    expect(r.log).toHaveLength(4);
  });

  it("dig ignores the search list unless +search; an NXDOMAIN shows CoreDNS's SOA", async () => {
    const r = await sh(
      `${POD}dig +short my-svc\ndig +short +search my-svc\ndig kubernetes.default\n`,
      CLUSTER,
    );
    expect(r.stdout).toContain("10.96.0.20\n");
    expect(r.log.slice(0, 2)).toEqual([
      "10.96.0.10 udp A my-svc",
      "10.96.0.10 udp A my-svc.default.svc.cluster.local",
    ]);
    expect(r.stdout).toContain(
      ";; AUTHORITY SECTION:\ncluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 30\n\n",
    );
    expect(r.stdout).toContain(";; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n");
    expect(r.stdout).not.toContain("server found");
  });

  it("getent hosts: files first, then DNS with the search list; exit 2 when not found", async () => {
    const r = await sh(
      `${POD}getent hosts client\ngetent hosts my-svc\ngetent hosts localhost\ngetent hosts nope\necho rc=$?\n`,
      CLUSTER,
    );
    expect(r.stdout).toBe(
      "10.244.1.5      client\n10.96.0.20      my-svc.default.svc.cluster.local\n::1             localhost ip6-localhost ip6-loopback\nrc=2\n",
    );
  });

  it("ping and nc resolve names through the resolver", async () => {
    const r = await sh(`${POD}ping -c 1 -W 1 nope\necho rc=$?\nnc -z -w 1 nope 80\n`, CLUSTER);
    expect(r.stderr).toContain("ping: nope: Name or service not known\n");
    expect(r.stdout).toContain("rc=2\n");
    expect(r.stderr).toContain('getaddrinfo for host "nope" port 80: Name or service not known');
    // iputils prints the canonical name getaddrinfo returned.
    const named = await sh(
      `${POD}ip link set lo up\nip addr add 10.96.0.20/32 dev lo\nping -c 1 my-svc\n`,
      CLUSTER,
    );
    expect(named.stdout).toMatch(
      /^PING my-svc\.default\.svc\.cluster\.local \(10\.96\.0\.20\) 56\(84\) bytes of data\.\n/,
    );
    expect(named.stdout).toContain(
      "--- my-svc.default.svc.cluster.local ping statistics ---\n1 packets transmitted, 1 received",
    );
    const dead = await sh(`${POD}ping -c 1 my-svc\n`, { ...CLUSTER, silent: ["10.96.0.10"] });
    expect(dead.stderr).toBe("ping: my-svc: Temporary failure in name resolution\n");
    // Two names (the first search domain, then as is), each 2 attempts × 5 s.
    expect(dead.now).toBe(20_000);
  });
});

/**
 * glibc itself: `getent hosts|ahosts NAME` run in a private mount namespace
 * whose /etc/resolv.conf ("search default.svc.cluster.local svc.cluster.local
 * cluster.local / nameserver 127.0.0.1 / options ndots:5") and /etc/hosts
 * (the kubelet's, with "10.244.1.5 client") were bind-mounted over the
 * machine's, against dnsmasq on 127.0.0.1:53 with --log-queries (glibc 2.36).
 * Names outside dnsmasq's --local domains ("client", "kubernetes.default")
 * were REFUSED, which glibc retries (attempts:2).
 */
describe("glibc's getent, query by query", () => {
  const zone: FakeZone = {
    records: {
      "my-svc.default.svc.cluster.local": [{ type: "A", data: "10.96.0.20" }],
      "kubernetes.default.svc.cluster.local": [{ type: "A", data: "10.96.0.1" }],
      "db.default.svc.cluster.local": [{ type: "TXT", data: "x" }],
      "db.svc.cluster.local": [{ type: "A", data: "10.9.9.9" }],
      "www.example.com": [{ type: "A", data: "93.184.215.14" }],
      "alias.example.com": [{ type: "CNAME", data: "www.example.com" }],
    },
    rcodes: { client: RCODE.REFUSED, "kubernetes.default": RCODE.REFUSED },
  };
  const pod = `${POD.replace("10.96.0.10", "127.0.0.1")}`;
  const q = (lines: string) =>
    lines
      .trim()
      .split("\n")
      .map((l) => {
        const m = /query\[(\w+)\] (\S+)/.exec(l)!;
        return `127.0.0.1 udp ${m[1]} ${m[2]}`;
      });

  it("getent hosts db: NODATA moves on (unlike dig); IPv6 first, then IPv4", async () => {
    const r = await sh(`${pod}getent hosts db\n`, zone);
    expect(r.stdout).toBe("10.9.9.9        db.svc.cluster.local\n");
    expect(r.log).toEqual(
      q(`query[AAAA] db.default.svc.cluster.local
query[AAAA] db.svc.cluster.local
query[AAAA] db.cluster.local
query[AAAA] db
query[A] db.default.svc.cluster.local
query[A] db.svc.cluster.local`),
    );
  });

  it("getent hosts kubernetes.default and client: REFUSED asked twice, files for IPv4", async () => {
    const r = await sh(`${pod}getent hosts kubernetes.default\ngetent hosts client\n`, zone);
    expect(r.stdout).toBe("10.96.0.1       kubernetes.default.svc.cluster.local\n10.244.1.5      client\n");
    expect(r.log).toEqual(
      q(`query[AAAA] kubernetes.default.default.svc.cluster.local
query[AAAA] kubernetes.default.svc.cluster.local
query[AAAA] kubernetes.default.cluster.local
query[AAAA] kubernetes.default
query[AAAA] kubernetes.default
query[A] kubernetes.default.default.svc.cluster.local
query[A] kubernetes.default.svc.cluster.local
query[AAAA] client.default.svc.cluster.local
query[AAAA] client.svc.cluster.local
query[AAAA] client.cluster.local
query[AAAA] client
query[AAAA] client`),
    );
  });

  it("getent hosts and ahosts through a CNAME, A and AAAA together", async () => {
    const r = await sh(
      `${pod}getent hosts alias.example.com\ngetent ahosts www.example.com\ngetent hosts nope\necho rc=$?\n`,
      zone,
    );
    expect(r.stdout).toBe(
      "93.184.215.14   www.example.com alias.example.com\n" +
        "93.184.215.14   STREAM www.example.com\n93.184.215.14   DGRAM  \n93.184.215.14   RAW    \n" +
        "rc=2\n",
    );
    expect(r.log.filter((l) => l.includes("www.example.com") && !l.includes("alias"))).toEqual(
      q(`query[A] www.example.com.default.svc.cluster.local
query[AAAA] www.example.com.default.svc.cluster.local
query[A] www.example.com.svc.cluster.local
query[AAAA] www.example.com.svc.cluster.local
query[A] www.example.com.cluster.local
query[AAAA] www.example.com.cluster.local
query[A] www.example.com
query[AAAA] www.example.com`),
    );
  });
});

/**
 * Two nameservers in resolv.conf, the first a UDP socket that never answers,
 * the second dnsmasq (--host-record=example.com,93.184.215.14): the tools as
 * they ran in a private mount namespace with that resolv.conf bind-mounted.
 * Measured: nslookup 30.1 s, dig 15.1 s, host 30.2 s.
 */
describe("a dead first nameserver", () => {
  const zone: FakeZone = {
    records: { "example.com": [{ type: "A", data: "93.184.215.14", ttl: 0 }] },
    silent: ["127.0.0.1"],
  };
  const conf = "printf 'nameserver 127.0.0.1\\nnameserver 127.0.0.2\\n' > /etc/resolv.conf\n";
  const err = ";; communications error to 127.0.0.1#53: timed out$";

  it("nslookup: each lookup tries the first server three times", async () => {
    const r = await sh(`${conf}nslookup example.com\n`, zone);
    expect(r.stdout).toBe(
      catA([
        err,
        err,
        err,
        "Server:^I^I127.0.0.2$",
        "Address:^I127.0.0.2#53$",
        "$",
        "Name:^Iexample.com$",
        "Address: 93.184.215.14$",
        err,
        err,
        err,
        "$",
      ]),
    );
    expect(r.now).toBe(30_000);
  });

  it("dig: three tries, then the next server", async () => {
    const r = await sh(`${conf}dig example.com\n`, zone);
    expect(mask(r.stdout)).toBe(
      mask(
        catA([
          err,
          err,
          err,
          "$",
          "; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> example.com$",
          ";; global options: +cmd$",
          ";; Got answer:$",
          ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 8772$",
          ";; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1$",
          "$",
          ";; OPT PSEUDOSECTION:$",
          "; EDNS: version: 0, flags:; udp: 1232$",
          ";; QUESTION SECTION:$",
          ";example.com.^I^I^IIN^IA$",
          "$",
          ";; ANSWER SECTION:$",
          "example.com.^I^I0^IIN^IA^I93.184.215.14$",
          "$",
          ";; Query time: 0 msec$",
          ";; SERVER: 127.0.0.2#53(127.0.0.2) (UDP)$",
          ";; WHEN: Wed Nov 25 02:16:52 UTC 2026$",
          ";; MSG SIZE  rcvd: 56$",
          "$",
        ]),
      ),
    );
    expect(r.now).toBe(15_000);
  });

  it("host: two tries per lookup (A, AAAA, MX)", async () => {
    const r = await sh(`${conf}host example.com\n`, zone);
    expect(r.stdout).toBe(catA([err, err, "example.com has address 93.184.215.14$", err, err, err, err]));
    expect(r.now).toBe(30_000);
  });
});

describe("a bare machine (no DNS transport)", () => {
  it("ping, nc and traceroute fail at once, as glibc does when it cannot send", async () => {
    const s = new ShellSession({ seed: 1 });
    const r = await s.run("ping -c 1 no-such-host.invalid\nnc -zv no-such-host.invalid 80\n");
    expect(r.stderr).toContain("ping: no-such-host.invalid: Temporary failure in name resolution\n");
    expect(r.stderr).toContain(
      'getaddrinfo for host "no-such-host.invalid" port 80: Temporary failure in name resolution',
    );
    expect(s.kernel.clock.now).toBe(0);
  });
});

describe("dig with several names", () => {
  it("splits the command line into lookups as dig does", async () => {
    const { splitLookups } = await import("./dig.js");
    expect(splitLookups(["@10.0.0.1", "+short", "a.example", "b.example", "SRV", "-x", "10.1.2.3"])).toEqual([
      ["@10.0.0.1", "+short", "a.example"],
      ["@10.0.0.1", "+short", "b.example", "SRV"],
      ["@10.0.0.1", "+short", "-x", "10.1.2.3"],
    ]);
    expect(splitLookups(["-t", "MX", "-p", "5353", "a.example"])).toEqual([
      ["-t", "MX", "-p", "5353", "a.example"],
    ]);
  });
});
