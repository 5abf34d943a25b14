/**
 * IPVS in the kernel model, driven by ipvsadm as on a real director: a client
 * namespace, the director (root namespace, VIP on a dummy link) and two real
 * servers. Checks ipvsadm's output, round robin in the kernel's list order,
 * the reply's source rewritten to the VIP, the connection table, persistence,
 * and ICMP port unreachable for a service without real servers.
 */
import { describe, expect, it } from "vitest";
import { ShellSession } from "../../shell/session.js";
import { type IpVsService, ipVsAddDest, ipVsAddService, ipVsSchedule } from "./index.js";

const LAB = `sysctl -qw net.ipv4.ip_forward=1
ip netns add c
ip netns add s1
ip netns add s2
ip link add vc type veth peer name eth0 netns c
ip link add v1 type veth peer name eth0 netns s1
ip link add v2 type veth peer name eth0 netns s2
ip addr add 10.0.1.1/24 dev vc
ip addr add 10.0.2.1/24 dev v1
ip addr add 10.0.3.1/24 dev v2
ip link set vc up
ip link set v1 up
ip link set v2 up
ip -n c addr add 10.0.1.2/24 dev eth0
ip -n s1 addr add 10.0.2.11/24 dev eth0
ip -n s2 addr add 10.0.3.12/24 dev eth0
for n in c s1 s2; do ip -n $n link set eth0 up; ip -n $n link set lo up; ip -n $n route add default via 10.0.$([ $n = c ] && echo 1 || ([ $n = s1 ] && echo 2 || echo 3)).1; done
ip link add kube-ipvs0 type dummy
ip addr add 10.96.0.10/32 dev kube-ipvs0
ip netns exec s1 nc -l -k -p 8080 &
ip netns exec s2 nc -l -k -p 8080 &
`;

async function run(script: string) {
  const s = new ShellSession({ seed: 3 });
  return s.run(script);
}

describe("ipvsadm", () => {
  it("lists services and real servers as ipvsadm 1.31 prints them", async () => {
    const r = await run(
      "ipvsadm -A -t 10.96.0.10:80 -s rr\nipvsadm -a -t 10.96.0.10:80 -r 10.244.1.5:8080 -m -w 1\nipvsadm -a -t 10.96.0.10:80 -r 10.244.1.4:8080 -m\nipvsadm -A -u 10.96.0.10:53 -s rr -p 10800\nipvsadm -Ln\nipvsadm -S -n\nipvsadm -A -t 10.96.0.10:80 -s rr\necho rc=$?\nipvsadm -Ln -u 10.96.0.10:53\nipvsadm -d -t 10.96.0.10:80 -r 10.244.1.9:8080\n",
    );
    expect(r.stdout).toBe(
      "IP Virtual Server version 1.2.1 (size=4096)\n" +
        "Prot LocalAddress:Port Scheduler Flags\n" +
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" +
        "TCP  10.96.0.10:80 rr\n" +
        "  -> 10.244.1.4:8080              Masq    1      0          0         \n" +
        "  -> 10.244.1.5:8080              Masq    1      0          0         \n" +
        "UDP  10.96.0.10:53 rr persistent 10800\n" +
        "-A -t 10.96.0.10:80 -s rr\n" +
        "-a -t 10.96.0.10:80 -r 10.244.1.4:8080 -m -w 1\n" +
        "-a -t 10.96.0.10:80 -r 10.244.1.5:8080 -m -w 1\n" +
        "-A -u 10.96.0.10:53 -s rr -p 10800\n" +
        "rc=255\n" +
        "IP Virtual Server version 1.2.1 (size=4096)\n" +
        "Prot LocalAddress:Port Scheduler Flags\n" +
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" +
        "UDP  10.96.0.10:53 rr persistent 10800\n",
    );
    expect(r.stderr).toBe("Service already exists\nNo such destination\n");
  });
});

describe("IPVS datapath", () => {
  it("balances round robin (newest real server first), rewrites the reply's source to the VIP", async () => {
    const r = await run(
      `${LAB}sysctl -qw net.ipv4.vs.conntrack=1
ipvsadm -A -t 10.96.0.10:80 -s rr
ipvsadm -a -t 10.96.0.10:80 -r 10.0.2.11:8080 -m
ipvsadm -a -t 10.96.0.10:80 -r 10.0.3.12:8080 -m
for i in 1 2 3; do ip netns exec c nc -zv 10.96.0.10 80; done
ipvsadm -Ln
ipvsadm -Lnc
ipvsadm -Ln --stats
`,
    );
    expect(r.stdout).toContain(
      "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\nTCP  10.96.0.10:80                       3",
    );
    // nc -z: four packets in (SYN, ACK, FIN, ACK) and two out (SYN-ACK, FIN-ACK) per connection.
    expect(r.stdout).toContain(
      "  -> 10.0.3.12:8080                      2        8        4      432      224\n",
    );
    expect(r.stderr).toBe("Connection to 10.96.0.10 80 port [tcp/http] succeeded!\n".repeat(3));
    const conns = r.stdout.slice(r.stdout.indexOf("IPVS connection entries"));
    const dests = [...conns.matchAll(/ (10\.0\.\d\.\d+):8080\n/g)].map((m) => m[1]);
    expect(dests).toEqual(["10.0.3.12", "10.0.2.11", "10.0.3.12"]);
    expect(conns).toMatch(
      /^IPVS connection entries\npro expire state {7}source {13}virtual {12}destination\nTCP \d\d:\d\d {2}\S+ +10\.0\.1\.2:\d+ +10\.96\.0\.10:80 +10\.0\.3\.12:8080\n/,
    );
    const unit = r.units.find((u) => u.hops.some((h) => h.kind === "ipvs"))!;
    const ipvs = unit.hops.filter((h) => h.kind === "ipvs").map((h) => h.detail);
    expect(ipvs[0]).toBe("ip_vs_in: TCP 10.96.0.10:80 rr: new connection to 10.0.3.12:8080 (Masq)");
    expect(ipvs).toContain("ip_vs_out: reply of 10.0.3.12:8080: source rewritten to 10.96.0.10:80");
  });

  it("with net.ipv4.vs.conntrack=1 conntrack records the real server as the reply's source; with 0 the flow is untracked", async () => {
    const svc = "ipvsadm -A -t 10.96.0.10:80 -s rr\nipvsadm -a -t 10.96.0.10:80 -r 10.0.2.11:8080 -m\n";
    // IPVS itself makes conntrack run when net.ipv4.vs.conntrack=1 (ip_vs_register_conntrack).
    const nat = "";
    const on = await run(
      `${LAB}${nat}sysctl -qw net.ipv4.vs.conntrack=1\n${svc}ip netns exec c nc -zv 10.96.0.10 80\nconntrack -L\n`,
    );
    expect(on.stdout).toMatch(
      /^tcp +6 \d+ \S+ src=10\.0\.1\.2 dst=10\.96\.0\.10 sport=\d+ dport=80 src=10\.0\.2\.11 dst=10\.0\.1\.2 sport=8080 dport=\d+ /m,
    );
    const off = await run(`${LAB}${nat}${svc}ip netns exec c nc -zv 10.96.0.10 80\nconntrack -L\n`);
    expect(off.stderr).toContain("succeeded!");
    expect(off.stdout).not.toContain("dst=10.96.0.10");
  });

  it("persistence keeps a client on its real server until it is quiesced (expire_quiescent_template)", async () => {
    const base = `${LAB}ipvsadm -A -t 10.96.0.10:80 -s rr -p 600
ipvsadm -a -t 10.96.0.10:80 -r 10.0.2.11:8080 -m
ipvsadm -a -t 10.96.0.10:80 -r 10.0.3.12:8080 -m
ip netns exec c nc -zv 10.96.0.10 80
ip netns exec c nc -zv 10.96.0.10 80
ipvsadm -e -t 10.96.0.10:80 -r 10.0.3.12:8080 -m -w 0
`;
    const dests = (out: string): string[] =>
      [...out.matchAll(/^TCP \S+ +(\S+) +10\.0\.1\.2:(\d+) +10\.96\.0\.10:80 +(\S+)$/gm)].map(
        (m) => `${m[1]}${m[2] === "0" ? " template" : ""} ${m[3]}`,
      );
    const kept = await run(`${base}ip netns exec c nc -zv 10.96.0.10 80\nipvsadm -Lnc\n`);
    // Without expire_quiescent_template the template still sends the client to the quiesced server.
    expect(dests(kept.stdout).filter((d) => d.includes("template"))).toEqual([
      "NONE template 10.0.3.12:8080",
    ]);
    expect(
      dests(kept.stdout)
        .filter((d) => !d.includes("template"))
        .map((d) => d.split(" ")[1]),
    ).toEqual(["10.0.3.12:8080", "10.0.3.12:8080", "10.0.3.12:8080"]);
    const moved = await run(
      `sysctl -qw net.ipv4.vs.expire_quiescent_template=1\n${base}ip netns exec c nc -zv 10.96.0.10 80\nipvsadm -Lnc\n`,
    );
    expect(dests(moved.stdout).filter((d) => d.includes("template"))).toEqual([
      "NONE template 10.0.2.11:8080",
    ]);
  });

  it("-m ipvs matches translated packets of a virtual service (KUBE-IPVS-OUT-FILTER's rule)", async () => {
    const r = await run(`${LAB}ipvsadm -A -t 10.96.0.10:80 -s rr
ipvsadm -a -t 10.96.0.10:80 -r 10.0.2.11:8080 -m
iptables -A OUTPUT -s 10.96.0.10 -m ipvs --vaddr 10.96.0.10 --vproto tcp --vport 80 -j DROP
iptables-save -t filter | grep ipvs
nc -w 1 -zv 10.96.0.10 80
echo rc=$?
ip netns exec c nc -zv 10.96.0.10 80
iptables -L OUTPUT -n -v | tail -1
`);
    expect(r.stdout).toContain(
      "-A OUTPUT -s 10.96.0.10/32 -m ipvs --vproto 6 --vaddr 10.96.0.10/32 --vport 80 -j DROP\n",
    );
    expect(r.stdout).toContain("rc=1\n");
    expect(r.stderr).toContain("Connection to 10.96.0.10 80 port [tcp/http] succeeded!");
    expect(r.stdout).toMatch(
      /DROP +0 +-- +\* +\* +10\.96\.0\.10 +0\.0\.0\.0\/0 +vproto 6 vaddr 10\.96\.0\.10\/32 vport 80\n/,
    );
  });

  it("answers ICMP port unreachable for a service without real servers", async () => {
    const r = await run(`${LAB}ipvsadm -A -t 10.96.0.10:80 -s rr\nip netns exec c nc -zv 10.96.0.10 80\n`);
    expect(r.stderr).toContain("Connection refused");
  });
});

describe("schedulers", () => {
  function svc(scheduler: string, weights: number[]): IpVsService {
    const s: IpVsService = {
      proto: 6,
      addr: 1,
      port: 80,
      scheduler,
      flags: 0,
      timeout: 0,
      netmask: 0xffffffff,
      dests: [],
      sched: { last: -1, cw: 0, table: null },
      stats: { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 },
    };
    for (const [i, w] of weights.entries()) ipVsAddDest(s, { addr: 100 + i, port: 80, weight: w });
    return s;
  }
  const pick = (s: IpVsService, n: number): number[] =>
    Array.from({ length: n }, () => (ipVsSchedule(s, { saddr: 7, sport: 1000, daddr: 1 })?.addr ?? 0) - 100);

  it("rr walks the list from its head (the newest real server), skipping weight 0", () => {
    expect(pick(svc("rr", [1, 1, 1]), 4)).toEqual([2, 1, 0, 2]);
    expect(pick(svc("rr", [1, 0, 1]), 3)).toEqual([2, 0, 2]);
  });

  it("wrr serves in proportion to the weights", () => {
    const got = pick(svc("wrr", [1, 3]), 8);
    expect(got.filter((x) => x === 1).length).toBe(6);
  });

  it("lc and wlc prefer the least loaded", () => {
    const s = svc("lc", [1, 1]);
    s.dests[0]!.activeconns = 1;
    expect(pick(s, 1)).toEqual([0]);
    const w = svc("wlc", [1, 4]);
    w.dests[0]!.activeconns = 2;
    w.dests[1]!.activeconns = 1;
    expect(pick(w, 1)).toEqual([1]);
  });

  it("sh keeps a client on one real server", () => {
    const s = svc("sh", [1, 1, 1]);
    const a = pick(s, 3);
    expect(new Set(a).size).toBe(1);
  });

  it("refuses an unknown scheduler", () => {
    const s = new ShellSession({ seed: 1 });
    const r = ipVsAddService(s.kernel.initNs, { proto: 6, addr: 1, port: 1, scheduler: "fastest" });
    expect(r.ok).toBe(false);
  });
});
