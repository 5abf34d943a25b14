/**
 * Our CNI plugins side by side with the reference plugins (Debian's
 * containernetworking-plugins 1.1.1 in /usr/lib/cni) on the real kernel.
 * Each scenario runs twice in its own `unshare --net` sandbox: once calling
 * /usr/lib/cni/TYPE, once `kubetwin cni-plugin TYPE`. Every call's stdout
 * and exit status, and after each call the node's and the pods' addresses,
 * routes, iptables, bridge port flags, sysctls and host-local's files must
 * be the same — MACs, veth names and link-local addresses aside, which are
 * random on both sides.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLUGIN_TYPES } from "../../src/cli/commands/cni-plugin.js";
import { kernelAvailable } from "../../src/oracle/index.js";
import { runReal } from "../../src/oracle/real.js";
import { ShellSession } from "../../src/shell/session.js";
import { cniPluginCommand } from "../../src/twin/shell-cni.js";

const ROOT = join(import.meta.dirname, "..", "..");
const OURS = `${join(ROOT, "node_modules", ".bin", "tsx")} ${join(ROOT, "src", "cli", "run.ts")} cni-plugin`;
const avail = kernelAvailable();
const haveRef = existsSync("/usr/lib/cni/bridge");
const required = process.env.KUBETWIN_REQUIRE_KERNEL === "1";

/** The shell functions every scenario uses: cni CMD TYPE POD ID CONFFILE, and a state dump. */
const LIB = String.raw`
DATA=$PWD/data
cni() {
  local cmd=$1 type=$2 pod=$3 id=$4 conf=$5 netns=/run/netns/$3
  [ "$pod" = - ] && netns=""
  echo "## $cmd $type $pod $id"
  local ifn=$IFNAME; [ -z "$ifn" ] && ifn=eth0
  CNI_COMMAND=$cmd CNI_CONTAINERID=$id CNI_NETNS=$netns CNI_IFNAME=$ifn CNI_PATH=/usr/lib/cni $PLUGIN$type < $conf > last.json
  local rc=$?
  cat last.json
  echo "[rc=$rc]"
}
# withprev RESULT CONF: the one-line CONF with prevResult set to RESULT, as a runtime chains plugins.
withprev() { printf '%s,"prevResult":%s}\n' "$(sed 's/}[[:space:]]*$//' $2)" "$(cat $1)"; }
# The interfaces portmap let route 127/8 (route_localnet).
localnet() {
  for f in /proc/sys/net/ipv4/conf/*/route_localnet; do
    [ "$(cat $f)" = 1 ] && echo "route_localnet=1 on $(basename $(dirname $f))"
  done
  return 0
}
# portmap's state: its iptables and route_localnet (not the links, whose carrier settles at its own pace).
pmstate() { echo "## pmstate"; iptables-save | grep -v '^#'; localnet; }
state() {
  # linkwatch applies carrier and operstate changes up to a second late.
  sleep 1.1
  echo "## state"
  ip addr; ip route; iptables-save | grep -v '^#'
  bridge -d link show 2>/dev/null | grep -o 'hairpin [a-z]*' | sort
  ip -d link show cni0 2>/dev/null | grep -o 'promiscuity [0-9]*'
  sysctl -n net.ipv4.ip_forward
  localnet
  for p in $(ip netns list | cut -d' ' -f1 | sort); do
    echo "# pod $p"; ip -n $p addr; ip -n $p route
    ip netns exec $p sh -c 'for f in /proc/sys/net/ipv4/conf/eth0/arp_notify /proc/sys/net/ipv6/conf/eth0/accept_dad; do [ -e $f ] && echo "$f=$(cat $f)"; done'
  done
  for f in $(find $DATA -type f 2>/dev/null | sort); do echo "# file $(echo $f | sed "s|$DATA/||"): $(cat $f | tr '\r\n' '|~')"; done
}
conf() { cat > $1; }
`;

function normalize(text: string): string {
  const maps = new Map<RegExp, Map<string, string>>();
  const rename = (re: RegExp, prefix: string) => (s: string) => {
    let m = maps.get(re);
    if (!m) maps.set(re, (m = new Map()));
    return s.replace(re, (x) => {
      if (!m!.has(x)) m!.set(x, `${prefix}${m!.size + 1}`);
      return m!.get(x)!;
    });
  };
  let t = text;
  t = rename(/\b(?!00:00:00:00:00:00|ff:ff:ff:ff:ff:ff)([0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, "MAC")(t);
  t = rename(/\bveth[0-9a-f]{8}\b/g, "VETH")(t);
  t = rename(/fe80::[0-9a-f:]+/g, "LL")(t);
  return t.replace(/ tentative/g, "");
}

interface Scenario {
  name: string;
  script: string;
}

const BRIDGE = (extra: string) =>
  `{"cniVersion":"1.0.0","name":"mynet","type":"bridge","bridge":"cni0",${extra}"ipam":{"type":"host-local","ranges":[[{"subnet":"10.244.1.0/24"}]],"dataDir":"$DATA"}}`;

/** The runtime's portmap entry with the pod's mappings in runtimeConfig (prevResult comes from withprev). */
const PORTMAP = (mappings: string) =>
  `{"cniVersion":"1.0.0","name":"mynet","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[${mappings}]}}`;

/** 17 TCP ports (multiport takes 15 a rule), a UDP port on 0.0.0.0 and one on an IPv6 hostIP. */
const MANY_PORTS = [
  ...Array.from(
    { length: 17 },
    (_, i) => `{"hostPort":${9000 + i},"containerPort":${100 + i},"protocol":"tcp"}`,
  ),
  `{"hostPort":53,"containerPort":53,"protocol":"udp","hostIP":"0.0.0.0"}`,
  `{"hostPort":54,"containerPort":54,"protocol":"udp","hostIP":"::1"}`,
].join(",");

const SCENARIOS: Scenario[] = [
  {
    name: "bridge: gateway, masquerade, hairpin; two pods, CHECK, DEL twice",
    script: `
ip netns add pod1; ip netns add pod2
conf c.json <<EOF
${BRIDGE(`"isGateway":true,"ipMasq":true,"hairpinMode":true,`)}
EOF
cni ADD bridge pod1 c1 c.json; state
cni ADD bridge pod2 c2 c.json; state
cni DEL bridge pod1 c1 c.json; state
cni DEL bridge pod1 c1 c.json; state
`,
  },
  {
    name: "bridge: isDefaultGateway, mtu, promiscuous; an IPAM default route conflicts",
    script: `
ip netns add pod1; ip netns add pod2
conf a.json <<EOF
${BRIDGE(`"isDefaultGateway":true,"mtu":1400,"promiscMode":true,`)}
EOF
cni ADD bridge pod1 c1 a.json; state
conf b.json <<EOF
{"cniVersion":"1.0.0","name":"other","type":"bridge","bridge":"br1","isDefaultGateway":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.9.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"$DATA"}}
EOF
cni ADD bridge pod2 c2 b.json; state
conf h.json <<EOF
${BRIDGE(`"hairpinMode":true,"promiscMode":true,`)}
EOF
cni ADD bridge pod2 c3 h.json
`,
  },
  {
    name: "bridge: 0.3.1 result, a taken interface name, a missing namespace",
    script: `
ip netns add pod1
conf c.json <<EOF
{"cniVersion":"0.3.1","name":"mynet","type":"bridge","isGateway":true,"ipam":{"type":"host-local","subnet":"10.22.0.0/16","rangeStart":"10.22.0.10","gateway":"10.22.0.1","routes":[{"dst":"10.0.0.0/8"}],"dataDir":"$DATA"}}
EOF
cni ADD bridge pod1 c1 c.json; state
cni ADD bridge pod1 c1b c.json
cni ADD bridge nosuch c9 c.json; state
`,
  },
  {
    name: "ptp: two pods with masquerade, DEL",
    script: `
ip netns add pod1; ip netns add pod2
conf p.json <<EOF
{"cniVersion":"0.3.1","name":"kindnet","type":"ptp","ipMasq":true,"mtu":1500,"ipam":{"type":"host-local","dataDir":"$DATA","routes":[{"dst":"0.0.0.0/0"}],"ranges":[[{"subnet":"10.244.1.0/24"}]]}}
EOF
cni ADD ptp pod1 c1 p.json; state
cni ADD ptp pod2 c2 p.json; state
cni DEL ptp pod1 c1 p.json; state
`,
  },
  {
    name: "loopback and the skel's errors",
    script: `
ip netns add pod1
conf l.json <<EOF
{"cniVersion":"1.0.0","name":"lo","type":"loopback"}
EOF
conf l3.json <<EOF
{"cniVersion":"0.3.1","name":"lo","type":"loopback"}
EOF
IFNAME=lo cni ADD loopback pod1 c1 l.json
IFNAME=lo cni ADD loopback pod1 c1 l3.json; state
IFNAME=lo cni DEL loopback pod1 c1 l.json; state
IFNAME=lo cni ADD loopback nosuch c1 l.json
cni VERSION bridge pod1 c1 l.json
conf v.json <<EOF
{"cniVersion":"9.9.9","name":"x","type":"bridge"}
EOF
cni ADD bridge pod1 c1 v.json
conf n.json <<EOF
{"cniVersion":"1.0.0","type":"bridge"}
EOF
cni ADD bridge pod1 c1 n.json
CNI_CONTAINERID= cni ADD ptp pod1 "" l.json
`,
  },
  {
    name: "portmap after bridge: tcp and udp, a hostIP, CHECK, re-ADD, DEL twice",
    script: `
ip netns add pod1; ip netns add pod2
conf b.json <<EOF
${BRIDGE(`"isGateway":true,"ipMasq":true,"hairpinMode":true,`)}
EOF
conf m1.json <<EOF
${PORTMAP(`{"hostPort":8080,"containerPort":80,"protocol":"tcp"}`)}
EOF
conf m2.json <<EOF
${PORTMAP(`{"hostPort":8443,"containerPort":443,"protocol":"tcp"},{"hostPort":5353,"containerPort":53,"protocol":"udp","hostIP":"127.0.0.1"}`)}
EOF
cni ADD bridge pod1 c1 b.json; withprev last.json m1.json > p1.json
cni ADD bridge pod2 c2 b.json; withprev last.json m2.json > p2.json
pmstate
cni ADD portmap pod1 c1 p1.json; pmstate
cni ADD portmap pod2 c2 p2.json; pmstate
cni CHECK portmap pod1 c1 p1.json
cni ADD portmap pod1 c1 p1.json; pmstate
cni DEL portmap pod1 c1 p1.json; pmstate
cni CHECK portmap pod1 c1 p1.json
cni DEL portmap pod1 c1 p1.json; pmstate
cni DEL bridge pod2 c2 b.json; pmstate
cni DEL portmap pod2 c2 p2.json; pmstate
`,
  },
  {
    name: "portmap: no mappings, no prevResult, a bad port, many ports, options",
    script: `
ip netns add pod1
conf b.json <<EOF
${BRIDGE(`"isGateway":true,`)}
EOF
cni ADD bridge pod1 c1 b.json; cp last.json r1.json
conf none.json <<EOF
{"cniVersion":"1.0.0","name":"mynet","type":"portmap","capabilities":{"portMappings":true}}
EOF
withprev r1.json none.json > p0.json
cni ADD portmap pod1 c1 p0.json
cni CHECK portmap pod1 c1 p0.json
cni CHECK portmap pod1 c1 none.json
conf m.json <<EOF
${PORTMAP(`{"hostPort":8080,"containerPort":80,"protocol":"tcp"}`)}
EOF
cni ADD portmap pod1 c1 m.json
cni CHECK portmap pod1 c1 m.json
conf z.json <<EOF
${PORTMAP(`{"hostPort":0,"containerPort":80,"protocol":"tcp"}`)}
EOF
withprev r1.json z.json > pz.json
cni ADD portmap pod1 c1 pz.json
conf many.json <<EOF
{"cniVersion":"1.0.0","name":"mynet","type":"portmap","markMasqBit":14,"conditionsV4":["!","-s","10.9.9.9"],"runtimeConfig":{"portMappings":[${MANY_PORTS}]}}
EOF
withprev r1.json many.json > pmany.json
cni ADD portmap pod1 c1 pmany.json; pmstate
cni DEL portmap pod1 c1 none.json; pmstate
cni DEL portmap pod1 c1 many.json; pmstate
conf ns.json <<EOF
{"cniVersion":"1.0.0","name":"other","type":"portmap","snat":false,"runtimeConfig":{"portMappings":[{"hostPort":7000,"containerPort":70,"protocol":"sctp"}]}}
EOF
withprev r1.json ns.json > pns.json
cni ADD portmap pod1 c7 pns.json; pmstate
`,
  },
  {
    name: "portmap after ptp (kindnet's 0.3.1 list)",
    script: `
ip netns add pod1
conf p.json <<EOF
{"cniVersion":"0.3.1","name":"kindnet","type":"ptp","ipMasq":false,"mtu":1500,"ipam":{"type":"host-local","dataDir":"$DATA","routes":[{"dst":"0.0.0.0/0"}],"ranges":[[{"subnet":"10.244.1.0/24"}]]}}
EOF
conf m.json <<EOF
{"cniVersion":"0.3.1","name":"kindnet","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]}}
EOF
cni ADD ptp pod1 c1 p.json; withprev last.json m.json > pm.json
cni ADD portmap pod1 c1 pm.json; pmstate
cni DEL portmap pod1 c1 pm.json
cni DEL ptp pod1 c1 p.json; pmstate
`,
  },
];

async function run(s: Scenario, plugin: string): Promise<string> {
  const r = await runReal(`PLUGIN="${plugin}"\n${LIB}\n${s.script}`, 120_000);
  return normalize(`${r.stdout}\n--- stderr\n${r.stderr}`);
}

/** The same script in the model: `kubetwin sh` with our plugins as its `cni-plugin` command. */
async function runModel(s: Scenario): Promise<string> {
  const session = new ShellSession({ seed: 1 });
  // One command per type, as /usr/lib/cni/TYPE (the interpreter does not split "$PLUGIN$type").
  for (const t of PLUGIN_TYPES)
    session.register(`cni-plugin-${t}`, (argv, ctx) => cniPluginCommand([t, ...argv], ctx));
  const r = await session.run(`ip link set lo up\nPLUGIN="cni-plugin-"\n${LIB}\n${s.script}`);
  return normalize(`${r.stdout}\n--- stderr\n${r.stderr}`);
}

describe.skipIf(!required && (!avail.ok || !haveRef))(
  "CNI plugins side by side with the reference 1.1.1",
  () => {
    it("has the kernel and the reference plugins", () => {
      if (!avail.ok) expect.fail(`KUBETWIN_REQUIRE_KERNEL=1 but ${avail.reason}`);
      if (!haveRef)
        expect.fail(
          "KUBETWIN_REQUIRE_KERNEL=1 but /usr/lib/cni/bridge is missing (apt-get install containernetworking-plugins)",
        );
    });
    for (const s of SCENARIOS) {
      it.skipIf(!avail.ok || !haveRef)(s.name, async () => {
        const ref = await run(s, "/usr/lib/cni/");
        const ours = await run(s, `${OURS} `);
        expect(ours, "our plugins on the real kernel").toBe(ref);
        const model = await runModel(s);
        if (process.env.KUBETWIN_CNI_DEBUG) {
          const { writeFileSync } = await import("node:fs");
          const f = s.name.replace(/\W+/g, "_").slice(0, 40);
          writeFileSync(`${process.env.KUBETWIN_CNI_DEBUG}/${f}.ref`, ref);
          writeFileSync(`${process.env.KUBETWIN_CNI_DEBUG}/${f}.model`, model);
        }
        expect(model, "our plugins in the model").toBe(ref);
      });
    }
  },
);
