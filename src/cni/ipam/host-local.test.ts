import { describe, expect, it } from "vitest";
import { CniError } from "../error.js";
import { formatGoIP, parseGoCIDR, parseGoIP } from "./go-ip.js";
import {
  hostLocalAdd,
  hostLocalCheck,
  hostLocalDel,
  type IpamStore,
  loadIpamConfig,
  memoryIpamStore,
  printResult,
} from "./host-local.js";
import { execHostLocal, printCniError } from "./host-local-exec.js";

const net = (ipam: Record<string, unknown>, cniVersion = "1.0.0") => ({
  cniVersion,
  name: "kt",
  type: "bridge",
  ipam: { type: "host-local", ...ipam },
});
const small = net({ subnet: "10.244.1.0/24", rangeStart: "10.244.1.2", rangeEnd: "10.244.1.5" });

function add(conf: unknown, id: string, store: IpamStore, ifName = "eth0"): string {
  return hostLocalAdd(conf, { containerId: id, ifName }, store)
    .ips.map((i) => i.address)
    .join(",");
}

function errorOf(f: () => unknown): CniError {
  try {
    f();
  } catch (e) {
    if (e instanceof CniError) return e;
    throw e;
  }
  throw new Error("expected a CniError");
}

describe("host-local allocation", () => {
  it("starts at .2 (the gateway .1 is skipped) and records each address in its own file", () => {
    const store = memoryIpamStore();
    const r = hostLocalAdd(net({ subnet: "10.244.1.0/24" }), { containerId: "c1", ifName: "eth0" }, store);
    expect(r).toEqual({
      cniVersion: "1.0.0",
      ips: [{ address: "10.244.1.2/24", gateway: "10.244.1.1" }],
      dns: {},
    });
    expect(Object.fromEntries(store.files)).toEqual({
      lock: "",
      "10.244.1.2": "c1\r\neth0",
      "last_reserved_ip.0": "10.244.1.2",
    });
  });

  it("goes round robin from the last reserved address, wraps, and runs out", () => {
    const store = memoryIpamStore();
    expect(["a", "b", "c", "d"].map((id) => add(small, id, store))).toEqual([
      "10.244.1.2/24",
      "10.244.1.3/24",
      "10.244.1.4/24",
      "10.244.1.5/24",
    ]);
    expect(errorOf(() => add(small, "e", store))).toMatchObject({
      code: 999,
      msg: "failed to allocate for range 0: no IP addresses available in range set: 10.244.1.2-10.244.1.5",
    });
    hostLocalDel(small, { containerId: "b", ifName: "eth0" }, store);
    hostLocalDel(small, { containerId: "a", ifName: "eth0" }, store);
    // After .5 the iterator wraps to .2 before .3, although .3 was freed first.
    expect(add(small, "f", store)).toBe("10.244.1.2/24");
    expect(add(small, "g", store)).toBe("10.244.1.3/24");
  });

  it("refuses a second ADD for the same container and interface, allows another interface", () => {
    const store = memoryIpamStore();
    add(small, "c1", store);
    expect(errorOf(() => add(small, "c1", store)).msg).toBe(
      "failed to allocate for range 0: 10.244.1.2 has been allocated to c1, duplicate allocation is not allowed",
    );
    expect(add(small, "c1", store, "net1")).toBe("10.244.1.3/24");
  });

  it("skips a gateway in the middle of the range", () => {
    const store = memoryIpamStore();
    const conf = net({ subnet: "192.168.0.0/29", gateway: "192.168.0.3" });
    const got = ["a", "b", "c", "d", "e"].map((id) => add(conf, id, store));
    expect(got).toEqual([
      "192.168.0.1/29",
      "192.168.0.2/29",
      "192.168.0.4/29",
      "192.168.0.5/29",
      "192.168.0.6/29",
    ]);
  });

  it("takes one address from each range set, moving through a set's ranges in order", () => {
    const store = memoryIpamStore();
    const conf = net({
      ranges: [
        [{ subnet: "10.1.0.0/24", rangeStart: "10.1.0.253" }, { subnet: "10.2.0.0/30" }],
        [{ subnet: "fd00::/120" }],
      ],
    });
    expect(["a", "b", "c"].map((id) => add(conf, id, store))).toEqual([
      "10.1.0.253/24,fd00::2/120",
      "10.1.0.254/24,fd00::3/120",
      "10.2.0.2/30,fd00::4/120",
    ]);
  });

  it("DEL of an unknown container is fine; DEL frees only that interface", () => {
    const store = memoryIpamStore();
    add(small, "c1", store);
    add(small, "c1", store, "net1");
    hostLocalDel(small, { containerId: "zz", ifName: "eth0" }, store);
    hostLocalDel(small, { containerId: "c1", ifName: "net1" }, store);
    expect(store.list().sort()).toEqual(["10.244.1.2", "last_reserved_ip.0", "lock"]);
    hostLocalCheck(small, { containerId: "c1", ifName: "eth0" }, store);
    expect(errorOf(() => hostLocalCheck(small, { containerId: "zz", ifName: "eth0" }, store)).msg).toBe(
      "host-local: Failed to find address added by container zz",
    );
  });

  it("rolls back earlier range sets when a later one fails", () => {
    const store = memoryIpamStore();
    const conf = net({
      ranges: [[{ subnet: "10.1.0.0/24" }], [{ subnet: "10.2.0.0/30", rangeEnd: "10.2.0.1" }]],
    });
    expect(errorOf(() => add(conf, "a", store)).msg).toBe(
      "failed to allocate for range 1: no IP addresses available in range set: 10.2.0.1-10.2.0.1",
    );
    // The released address's file is gone but last_reserved_ip.0 still names it, as on disk.
    expect(Object.fromEntries(store.files)).toEqual({ lock: "", "last_reserved_ip.0": "10.1.0.2" });
  });

  it("honours a requested IP from CNI_ARGS and runtimeConfig.ips", () => {
    const store = memoryIpamStore();
    const conf = net({ subnet: "10.0.0.0/24" });
    const r = hostLocalAdd(
      conf,
      { containerId: "a", ifName: "eth0", cniArgs: "IgnoreUnknown=1;IP=10.0.0.9;X=y" },
      store,
    );
    expect(r.ips[0]?.address).toBe("10.0.0.9/24");
    const rc = { ...conf, runtimeConfig: { ips: ["10.0.0.9/24"] } };
    expect(errorOf(() => add(rc, "b", store)).msg).toBe(
      "failed to allocate for range 0: requested IP address 10.0.0.9 is not available in range set 10.0.0.1-10.0.0.254",
    );
  });
});

describe("host-local config", () => {
  it("defaults: gateway .1, range .1 (skipped as gateway) to broadcast-1; IPv6 keeps the last address", () => {
    const c = loadIpamConfig(net({ ranges: [[{ subnet: "10.0.0.0/24" }], [{ subnet: "fd00::/126" }]] }));
    const [v4, v6] = c.ranges.map((s) => s[0]!);
    expect([v4!.gateway, v4!.rangeStart, v4!.rangeEnd].map(formatGoIP)).toEqual([
      "10.0.0.1",
      "10.0.0.1",
      "10.0.0.254",
    ]);
    expect([v6!.gateway, v6!.rangeStart, v6!.rangeEnd].map(formatGoIP)).toEqual([
      "fd00::1",
      "fd00::1",
      "fd00::3",
    ]);
    // Only the default leaves the broadcast out: written explicitly, it is accepted (and handed out).
    const b = loadIpamConfig(net({ subnet: "10.0.0.0/24", rangeEnd: "10.0.0.255" }));
    expect(formatGoIP(b.ranges[0]![0]!.rangeEnd)).toBe("10.0.0.255");
  });

  it.each([
    [{}, "no IP ranges specified"],
    [{ subnet: "10.0.0.0/31" }, "invalid range set 0: Network 10.0.0.0/31 too small to allocate from"],
    [
      { subnet: "10.0.0.5/24" },
      "invalid range set 0: Network has host bits set. For a subnet mask of length 24 the network address is 10.0.0.0",
    ],
    [
      { subnet: "10.0.0.0/24", rangeStart: "10.0.1.1" },
      "invalid range set 0: RangeStart 10.0.1.1 not in network 10.0.0.0/24",
    ],
    [
      { subnet: "10.0.0.0/24", rangeStart: "10.0.0.9", rangeEnd: "10.0.0.3" },
      "invalid range set 0: RangeStart 10.0.0.9 not in network 10.0.0.0/24",
    ],
    [
      { subnet: "10.0.0.0/24", rangeEnd: "10.0.0.0" },
      "invalid range set 0: RangeEnd 10.0.0.0 not in network 10.0.0.0/24",
    ],
    [
      { ranges: [[{ subnet: "10.0.0.0/24" }, { subnet: "10.0.0.0/25" }]] },
      "invalid range set 0: subnets 10.0.0.1-10.0.0.254 and 10.0.0.1-10.0.0.126 overlap",
    ],
    [{ ranges: [[{ subnet: "10.0.0.0/24" }], [{ subnet: "10.0.0.128/25" }]] }, "range set 0 overlaps with 1"],
    [
      { ranges: [[{ subnet: "10.0.0.0/24" }, { subnet: "fd00::/64" }]] },
      "invalid range set 0: mixed address families",
    ],
    [{ ranges: [[]] }, "invalid range set 0: empty range set"],
    [{ ranges: [[{ rangeStart: "10.0.0.1" }]] }, "invalid range set 0: IP <nil> not v4 nor v6"],
    [{ subnet: "bogus" }, "invalid CIDR address: bogus"],
    [{ subnet: "10.0.0.0/24", gateway: "1.2.3.4.5" }, "invalid IP address: 1.2.3.4.5"],
    [
      { subnet: 5 },
      "json: cannot unmarshal number into Go struct field IPAMConfig.ipam.subnet of type string",
    ],
    [
      { ranges: [[{ subnet: "10.0.0.0/24", rangeStart: 5 }]] },
      "json: cannot unmarshal number into Go struct field Range.ipam.ranges.rangeStart of type net.IP",
    ],
  ])("rejects %j", (ipam, msg) => {
    const e = errorOf(() => hostLocalAdd(net(ipam), { containerId: "c", ifName: "eth0" }, memoryIpamStore()));
    expect({ code: e.code, msg: e.msg }).toEqual({ code: 999, msg });
  });

  it("matches keys case-insensitively, as Go's decoder does", () => {
    const c = loadIpamConfig({ name: "n", IPAM: { Subnet: "10.1.0.0/24", RANGESTART: "10.1.0.7" } });
    expect(formatGoIP(c.ranges[0]![0]!.rangeStart)).toBe("10.1.0.7");
  });

  it("skel's checks come first, with their codes", () => {
    const store = memoryIpamStore();
    expect(
      errorOf(() => hostLocalAdd({ cniVersion: "1.0.0" }, { containerId: "c", ifName: "eth0" }, store)),
    ).toMatchObject({
      code: 7,
      msg: "missing network name",
    });
    expect(errorOf(() => hostLocalAdd(small, { containerId: "a b", ifName: "eth0" }, store))).toMatchObject({
      code: 4,
      details: "a b",
    });
    expect(
      errorOf(() =>
        hostLocalAdd({ ...small, cniVersion: "1.1.0" }, { containerId: "c", ifName: "eth0" }, store),
      ),
    ).toMatchObject({ code: 1, msg: "incompatible CNI versions" });
    expect(store.list()).toEqual([]);
  });
});

describe("host-local output", () => {
  const result = {
    cniVersion: "1.0.0",
    ips: [
      { address: "10.244.1.2/24", gateway: "10.244.1.1" },
      { address: "fd00::2/64", gateway: "fd00::1" },
    ],
    routes: [{ dst: "0.0.0.0/0" }, { dst: "::/0", gw: "fd00::9" }],
    dns: {},
  };

  it("prints 1.0.0 as Go's MarshalIndent does, without a trailing newline", () => {
    expect(printResult(result, "1.0.0")).toBe(
      [
        "{",
        '    "cniVersion": "1.0.0",',
        '    "ips": [',
        "        {",
        '            "address": "10.244.1.2/24",',
        '            "gateway": "10.244.1.1"',
        "        },",
        "        {",
        '            "address": "fd00::2/64",',
        '            "gateway": "fd00::1"',
        "        }",
        "    ],",
        '    "routes": [',
        "        {",
        '            "dst": "0.0.0.0/0"',
        "        },",
        "        {",
        '            "dst": "::/0",',
        '            "gw": "fd00::9"',
        "        }",
        "    ],",
        '    "dns": {}',
        "}",
      ].join("\n"),
    );
  });

  it("adds each address's version for 0.3.x/0.4.0 and splits by family for 0.2.0", () => {
    expect(JSON.parse(printResult(result, "0.3.1")).ips[1]).toEqual({
      version: "6",
      address: "fd00::2/64",
      gateway: "fd00::1",
    });
    expect(JSON.parse(printResult(result, "0.2.0"))).toEqual({
      cniVersion: "0.2.0",
      ip4: { ip: "10.244.1.2/24", gateway: "10.244.1.1", routes: [{ dst: "0.0.0.0/0" }] },
      ip6: { ip: "fd00::2/64", gateway: "fd00::1", routes: [{ dst: "::/0", gw: "fd00::9" }] },
      dns: {},
    });
  });

  it("prints errors as cni v1.0's types.Error: no cniVersion, details only when set, <> escaped", () => {
    expect(printCniError(new CniError(999, "IP <nil> not v4 nor v6"))).toBe(
      '{\n    "code": 999,\n    "msg": "IP \\u003cnil\\u003e not v4 nor v6"\n}',
    );
  });

  it("runs as the executable would: env, stdin, exit status", () => {
    const store = memoryIpamStore();
    const io = {
      openStore: () => store,
      readFile: () => "nameserver 10.96.0.10\nsearch svc.cluster.local\n",
    };
    const env = {
      CNI_COMMAND: "ADD",
      CNI_CONTAINERID: "c1",
      CNI_IFNAME: "eth0",
      CNI_NETNS: "/x",
      CNI_PATH: "/opt/cni/bin",
    };
    const conf = JSON.stringify(net({ subnet: "10.0.0.0/24", resolvConf: "/etc/resolv.conf" }));
    const out = execHostLocal(env, conf, io);
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(out.stdout).dns).toEqual({
      nameservers: ["10.96.0.10"],
      search: ["svc.cluster.local"],
    });
    const missing = execHostLocal({ ...env, CNI_NETNS: "" }, conf, io);
    expect(missing).toMatchObject({ exitCode: 1 });
    expect(JSON.parse(missing.stdout)).toEqual({
      code: 4,
      msg: "required env variables [CNI_NETNS] missing",
    });
    expect(execHostLocal({ ...env, CNI_COMMAND: "DEL", CNI_NETNS: "" }, conf, io).exitCode).toBe(0);
  });
});

describe("Go's IP text", () => {
  it("parses strictly and prints like net.IP.String", () => {
    expect(parseGoIP("010.0.0.1")).toBeNull();
    expect(parseGoIP("fe80::1%eth0")).toBeNull();
    expect(formatGoIP(parseGoIP("::ffff:10.0.0.1")!)).toBe("10.0.0.1");
    expect(formatGoIP(parseGoIP("2001:db8:0:0:1:0:0:1")!)).toBe("2001:db8::1:0:0:1");
    expect(formatGoIP(parseGoIP("2001:db8:0:1:0:0:0:1")!)).toBe("2001:db8:0:1::1");
    expect(parseGoCIDR("10.0.0.5/33")).toBeNull();
  });
});
