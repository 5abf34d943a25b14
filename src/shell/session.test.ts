import { describe, expect, it } from "vitest";
import { ShellSession } from "./session.js";

async function run(script: string) {
  const s = new ShellSession({ seed: 7 });
  return s.run(script);
}

const VETH_PAIR = `ip netns add ns1
ip netns add ns2
ip link add veth_ns1 type veth peer name veth_ns2
ip link set veth_ns1 netns ns1
ip link set veth_ns2 netns ns2
ip netns exec ns1 ip link set veth_ns1 up
ip netns exec ns2 ip link set veth_ns2 up
ip netns exec ns1 ip addr add 10.1.1.1/24 dev veth_ns1
ip netns exec ns2 ip addr add 10.1.1.2/24 dev veth_ns2
`;

describe("kubetwin sh", () => {
  it("runs the seed's veth exercise: the namespaces ping each other", async () => {
    const r = await run(`${VETH_PAIR}ip netns exec ns1 ping -c 2 10.1.1.2\necho rc=$?\nip -n ns1 neigh\n`);
    expect(r.stdout).toMatch(
      /^PING 10\.1\.1\.2 \(10\.1\.1\.2\) 56\(84\) bytes of data\.\n64 bytes from 10\.1\.1\.2: icmp_seq=1 ttl=64 time=/m,
    );
    expect(r.stdout).toContain("2 packets transmitted, 2 received, 0% packet loss, time 1000ms\n");
    expect(r.stdout).toContain("rc=0\n");
    expect(r.stdout).toMatch(/10\.1\.1\.2 dev veth_ns1 lladdr [0-9a-f:]{17} REACHABLE \n/);
  });

  it("prints the kernel's routes for an address", async () => {
    const r = await run(
      `${VETH_PAIR}ip -n ns1 route\nip -n ns1 route show table local\nip -n ns1 route get 10.1.1.2\n`,
    );
    expect(r.stdout).toBe(
      "10.1.1.0/24 dev veth_ns1 proto kernel scope link src 10.1.1.1 \n" +
        "local 10.1.1.1 dev veth_ns1 proto kernel scope host src 10.1.1.1 \n" +
        "broadcast 10.1.1.255 dev veth_ns1 proto kernel scope link src 10.1.1.1 \n" +
        "10.1.1.2 dev veth_ns1 src 10.1.1.1 uid 0 \n    cache \n",
    );
  });

  it("pings an address nobody answers for: ARP gives up after 3 s and the entry ends FAILED", async () => {
    const r = await run(`${VETH_PAIR}ip netns exec ns1 ping -c 1 10.1.1.9\necho rc=$?\nip -n ns1 neigh\n`);
    expect(r.stdout).toContain("1 packets transmitted, 0 received, 100% packet loss, time 0ms\n");
    expect(r.stdout).toContain("rc=1\n10.1.1.9 dev veth_ns1 FAILED \n");
  });

  it("fails like iproute2 on bad input", async () => {
    const r = await run(
      "ip link set nodev up\necho rc=$?\nip addr add 10.0.0.1/33 dev lo\necho rc=$?\nip foo\necho rc=$?\n",
    );
    expect(r.stderr).toBe(
      'Cannot find device "nodev"\nError: any valid prefix is expected rather than "10.0.0.1/33".\nObject "foo" is unknown, try "ip help".\n',
    );
    expect(r.stdout).toBe("rc=1\nrc=1\nrc=1\n");
  });

  it("reads and writes /proc/sys in the namespace the command runs in", async () => {
    const r = await run(
      "ip netns add a\nip netns exec a sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'\nip netns exec a cat /proc/sys/net/ipv4/ip_forward\ncat /proc/sys/net/ipv4/ip_forward\nip netns exec a sysctl net.ipv4.conf.all.forwarding\n",
    );
    expect(r.stdout).toBe("1\n0\nnet.ipv4.conf.all.forwarding = 1\n");
  });

  it("serves a TCP listener started in the background and refuses a closed port", async () => {
    const r = await run(
      `${VETH_PAIR}ip netns exec ns2 nc -l -p 8080 &\necho hello | ip netns exec ns1 nc -q 1 10.1.1.2 8080\nip netns exec ns1 nc -zv 10.1.1.2 9090\necho rc=$?\n`,
    );
    expect(r.stdout).toBe("hello\nrc=1\n");
    expect(r.stderr).toBe("nc: connect to 10.1.1.2 port 9090 (tcp) failed: Connection refused\n");
  });

  it('runs wrapper functions that call "$@"', async () => {
    const r = await run('t() { echo "+ $*"; "$@"; }\nt ip netns add x\nt ip netns list\n');
    expect(r.stdout).toBe("+ ip netns add x\n+ ip netns list\nx\n");
  });

  it("advances simulated time with sleep: an unanswered neighbour entry ends FAILED", async () => {
    const r = await run(
      `${VETH_PAIR}ip netns exec ns1 ping -c 1 -W 1 10.1.1.77 >/dev/null\nip -n ns1 neigh show 10.1.1.77\nsleep 3\nip -n ns1 neigh show 10.1.1.77\n`,
    );
    expect(r.stdout).toBe("10.1.1.77 dev veth_ns1 INCOMPLETE \n10.1.1.77 dev veth_ns1 FAILED \n");
  });

  it("records each packet's hops for --trace", async () => {
    const r = await run(`${VETH_PAIR}ip netns exec ns1 ping -c 1 10.1.1.2\n`);
    const last = r.units[r.units.length - 1]!;
    const kinds = last.hops.map((h) => `${h.netns}:${h.kind}`);
    expect(kinds).toContain("ns1:send");
    expect(kinds).toContain("ns1:veth");
    expect(kinds).toContain("ns2:rcv");
    expect(kinds).toContain("ns1:socket");
  });
});
