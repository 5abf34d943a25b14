/**
 * portmap over the simulated host: the rules are the reference's, byte for
 * byte (the report's section 4, same network name and container IDs), and
 * the node's hostPort really leads to the pod — from another machine, from
 * the node itself over 127.0.0.1, and from the pod back to itself.
 */
import { describe, expect, it } from "vitest";
import { SimHost } from "../../host/sim/sim-host.js";
import { Kernel } from "../../kernel/kernel.js";
import { ShellSession } from "../../shell/session.js";
import { memoryIpamStore } from "../ipam/store.js";
import { invokePlugin } from "../skel.js";
import type { PluginEnv } from "./env.js";

const BRIDGE = `{"cniVersion":"1.0.0","name":"kindnet-ish","type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,"hairpinMode":true,"mtu":1500,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.244.1.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"/run/ipam"}}`;

const portmap = (mappings: string, prev: string): string =>
  `{"cniVersion":"1.0.0","name":"kindnet-ish","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[${mappings}]},"prevResult":${prev}}`;

/** iptables-save -t nat after portmap ADD for pod1 (8080→80/tcp) and pod2 (8443→443/tcp, 127.0.0.1:5353→53/udp). */
const REFERENCE_NAT = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:CNI-99ed49fb9386b7cb928ecb56 - [0:0]
:CNI-DN-99ed49fb9386b7cb928ec - [0:0]
:CNI-DN-f7d6321c1d9e40b115939 - [0:0]
:CNI-HOSTPORT-DNAT - [0:0]
:CNI-HOSTPORT-MASQ - [0:0]
:CNI-HOSTPORT-SETMARK - [0:0]
:CNI-f7d6321c1d9e40b115939c3d - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
-A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ
-A POSTROUTING -s 10.244.1.2/32 -m comment --comment "name: \\"kindnet-ish\\" id: \\"abc\\"" -j CNI-99ed49fb9386b7cb928ecb56
-A POSTROUTING -s 10.244.1.3/32 -m comment --comment "name: \\"kindnet-ish\\" id: \\"def\\"" -j CNI-f7d6321c1d9e40b115939c3d
-A CNI-99ed49fb9386b7cb928ecb56 -d 10.244.1.0/24 -m comment --comment "name: \\"kindnet-ish\\" id: \\"abc\\"" -j ACCEPT
-A CNI-99ed49fb9386b7cb928ecb56 ! -d 224.0.0.0/4 -m comment --comment "name: \\"kindnet-ish\\" id: \\"abc\\"" -j MASQUERADE
-A CNI-DN-99ed49fb9386b7cb928ec -s 10.244.1.0/24 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK
-A CNI-DN-99ed49fb9386b7cb928ec -s 127.0.0.1/32 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK
-A CNI-DN-99ed49fb9386b7cb928ec -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.244.1.2:80
-A CNI-DN-f7d6321c1d9e40b115939 -s 10.244.1.0/24 -p tcp -m tcp --dport 8443 -j CNI-HOSTPORT-SETMARK
-A CNI-DN-f7d6321c1d9e40b115939 -s 127.0.0.1/32 -p tcp -m tcp --dport 8443 -j CNI-HOSTPORT-SETMARK
-A CNI-DN-f7d6321c1d9e40b115939 -p tcp -m tcp --dport 8443 -j DNAT --to-destination 10.244.1.3:443
-A CNI-DN-f7d6321c1d9e40b115939 -s 10.244.1.0/24 -d 127.0.0.1/32 -p udp -m udp --dport 5353 -j CNI-HOSTPORT-SETMARK
-A CNI-DN-f7d6321c1d9e40b115939 -s 127.0.0.1/32 -d 127.0.0.1/32 -p udp -m udp --dport 5353 -j CNI-HOSTPORT-SETMARK
-A CNI-DN-f7d6321c1d9e40b115939 -d 127.0.0.1/32 -p udp -m udp --dport 5353 -j DNAT --to-destination 10.244.1.3:53
-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"kindnet-ish\\" id: \\"abc\\"" -m multiport --dports 8080 -j CNI-DN-99ed49fb9386b7cb928ec
-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"kindnet-ish\\" id: \\"def\\"" -m multiport --dports 8443 -j CNI-DN-f7d6321c1d9e40b115939
-A CNI-HOSTPORT-DNAT -p udp -m comment --comment "dnat name: \\"kindnet-ish\\" id: \\"def\\"" -m multiport --dports 5353 -j CNI-DN-f7d6321c1d9e40b115939
-A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE
-A CNI-HOSTPORT-SETMARK -m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark 0x2000/0x2000
-A CNI-f7d6321c1d9e40b115939c3d -d 10.244.1.0/24 -m comment --comment "name: \\"kindnet-ish\\" id: \\"def\\"" -j ACCEPT
-A CNI-f7d6321c1d9e40b115939c3d ! -d 224.0.0.0/4 -m comment --comment "name: \\"kindnet-ish\\" id: \\"def\\"" -j MASQUERADE
COMMIT
`;

/** A node (172.18.0.2 on eth0) and, across a veth, a client machine (172.18.0.3). */
const NODE_SETUP = `ip link set lo up
ip netns add client
ip link add eth0 type veth peer name eth0c
ip link set eth0c netns client
ip addr add 172.18.0.2/16 dev eth0
ip link set eth0 up
ip -n client addr add 172.18.0.3/16 dev eth0c
ip -n client link set eth0c up
ip -n client link set lo up
`;

interface Node {
  sh: ShellSession;
  host: SimHost;
  env: PluginEnv;
}

async function node(): Promise<Node> {
  const kernel = new Kernel({ seed: 5 });
  const sh = new ShellSession({ kernel });
  expect((await sh.run(NODE_SETUP)).exitCode).toBe(0);
  const host = new SimHost(kernel);
  const store = memoryIpamStore();
  let n = 0;
  const env: PluginEnv = {
    host,
    ipamStore: () => store,
    // Deterministic "random" veth names.
    randomBytes: (len) => Uint8Array.from({ length: len }, () => n++ & 255),
    readFile: () => null,
    writeFile: () => undefined,
    removeFile: () => undefined,
  };
  return { sh, host, env };
}

function call(env: PluginEnv, cmd: string, type: string, pod: string, id: string, conf: string) {
  const vars = {
    CNI_COMMAND: cmd,
    CNI_CONTAINERID: id,
    CNI_NETNS: `/run/netns/${pod}`,
    CNI_IFNAME: "eth0",
    CNI_PATH: "/opt/cni/bin",
  };
  return invokePlugin(type, vars, conf, env);
}

/** bridge then portmap for one pod, as a runtime runs the list; returns portmap's output. */
async function addPod(nd: Node, pod: string, id: string, mappings: string) {
  await nd.host.netnsAdd(pod);
  const br = await call(nd.env, "ADD", "bridge", pod, id, BRIDGE);
  expect(br.exitCode).toBe(0);
  const pm = await call(nd.env, "ADD", "portmap", pod, id, portmap(mappings, br.stdout));
  expect(pm.stdout).toBe(br.stdout);
  return pm;
}

async function twoPods(): Promise<Node> {
  const nd = await node();
  await addPod(nd, "pod1", "abc", `{"hostPort":8080,"containerPort":80,"protocol":"tcp"}`);
  await addPod(
    nd,
    "pod2",
    "def",
    `{"hostPort":8443,"containerPort":443,"protocol":"tcp"},{"hostPort":5353,"containerPort":53,"protocol":"udp","hostIP":"127.0.0.1"}`,
  );
  await nd.host.serve("pod1", { proto: "tcp", port: 80, reply: "pod1" });
  await nd.host.serve("pod2", { proto: "tcp", port: 443, reply: "pod2" });
  await nd.host.serve("pod2", { proto: "udp", port: 53, reply: "pod2-dns" });
  return nd;
}

const natRules = async (h: SimHost): Promise<string> =>
  (await h.iptablesSave(null, "nat"))
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .join("\n");

describe("portmap (hostPort) over the simulated node", () => {
  it("writes the reference's chains and rules and sets route_localnet on cni0 only", async () => {
    const nd = await twoPods();
    expect(await natRules(nd.host)).toBe(REFERENCE_NAT);
    expect(await nd.host.sysctlGet(null, "net.ipv4.conf.cni0.route_localnet")).toBe("1");
    expect(await nd.host.sysctlGet(null, "net.ipv4.conf.eth0.route_localnet")).toBe("0");
  });

  it("forwards the node's hostPort to the pod: from outside, from the node, over 127.0.0.1, and hairpinned", async () => {
    const { sh } = await twoPods();
    const r = await sh.run(`echo hi | ip netns exec client nc -q 1 172.18.0.2 8080
echo hi | nc -q 1 172.18.0.2 8080
echo hi | nc -q 1 127.0.0.1 8443
echo hi | ip netns exec pod1 nc -q 1 172.18.0.2 8080
echo q | nc -u -q 1 -w 1 127.0.0.1 5353
`);
    expect(r.stdout).toBe("pod1\npod1\npod2\npod1\npod2-dns\n");
  });

  it("masquerades only marked traffic: an outside client keeps its address, the pod reaching itself does not", async () => {
    const { sh } = await twoPods();
    await sh.run(`echo hi | ip netns exec client nc -q 1 172.18.0.2 8080
echo hi | ip netns exec pod1 nc -q 1 172.18.0.2 8080
`);
    const ct = (await sh.run("conntrack -L -p tcp --orig-port-dst 8080\n")).stdout;
    expect(ct).toMatch(/src=172\.18\.0\.3 dst=172\.18\.0\.2 .* src=10\.244\.1\.2 dst=172\.18\.0\.3 /);
    expect(ct).toMatch(/src=10\.244\.1\.2 dst=172\.18\.0\.2 .* src=10\.244\.1\.2 dst=10\.244\.1\.1 /);
  });

  it("DEL removes the pod's chain and jumps only, and repeating it is harmless", async () => {
    const nd = await twoPods();
    const conf = portmap(`{"hostPort":8080,"containerPort":80,"protocol":"tcp"}`, "null").replace(
      ',"prevResult":null',
      "",
    );
    for (let i = 0; i < 2; i++)
      expect((await call(nd.env, "DEL", "portmap", "pod1", "abc", conf)).exitCode).toBe(0);
    const nat = await natRules(nd.host);
    expect(nat).not.toContain("CNI-DN-99ed49fb9386b7cb928ec");
    expect(nat).toContain(":CNI-DN-f7d6321c1d9e40b115939");
    expect(nat).toContain('-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade"');
    const r = await nd.sh.run("echo hi | ip netns exec client nc -q 1 172.18.0.2 8080; echo rc=$?\n");
    expect(r.stdout).toBe("rc=1\n");
  });

  it("passes prevResult through without mappings, and needs one", async () => {
    const nd = await node();
    await nd.host.netnsAdd("pod1");
    const br = await call(nd.env, "ADD", "bridge", "pod1", "abc", BRIDGE);
    const none = await call(nd.env, "ADD", "portmap", "pod1", "abc", portmap("", br.stdout));
    expect(none.stdout).toBe(br.stdout);
    expect(await natRules(nd.host)).not.toContain("HOSTPORT");
    const orphan = portmap(`{"hostPort":8080,"containerPort":80,"protocol":"tcp"}`, "null").replace(
      ',"prevResult":null',
      "",
    );
    const r = await call(nd.env, "ADD", "portmap", "pod1", "abc", orphan);
    expect(r.stdout).toBe('{\n    "code": 999,\n    "msg": "must be called as chained plugin"\n}');
  });

  it("CHECK fails as 1.1.1 does on an IPv4-only pod: the IPv6 chain is looked for and missing", async () => {
    const nd = await node();
    const pm = await addPod(nd, "pod1", "abc", `{"hostPort":8080,"containerPort":80,"protocol":"tcp"}`);
    const conf = portmap(`{"hostPort":8080,"containerPort":80,"protocol":"tcp"}`, pm.stdout);
    const r = await call(nd.env, "CHECK", "portmap", "pod1", "abc", conf);
    expect(JSON.parse(r.stdout)).toEqual({
      code: 999,
      msg: "could not check ipv6 dnat: chain CNI-DN-99ed49fb9386b7cb928ec not found in iptables table nat",
    });
  });
});
