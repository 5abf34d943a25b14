/**
 * LinuxHost's conntrack listing and deletion (kube-proxy's conntrack.Interface)
 * on the real kernel: a UDP datagram DNATed in a node namespace of the test's
 * own (never the machine's) makes an entry; the listing reads its original
 * destination and its reply source as ctnetlink reports them, and a filter
 * deletes exactly the entries it names. The namespace goes afterwards.
 */
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { LinuxHost } from "../../src/host/linux/linux-host.js";
import { kernelAvailable } from "../../src/oracle/index.js";

const avail = kernelAvailable();
const node = `kt${process.pid}-ct`;

function inNode(...args: string[]): string {
  return execFileSync("ip", ["netns", "exec", node, ...args], { encoding: "utf8" });
}

/** One UDP datagram from the node to dst:port (bash's /dev/udp: no reply is waited for). */
function sendUdp(dst: string, port: number): void {
  inNode("bash", "-c", `echo q > /dev/udp/${dst}/${port}`);
}

describe.skipIf(!avail.ok)("LinuxHost conntrack (real kernel)", () => {
  afterAll(() => {
    execFileSync("ip", ["netns", "del", node], { stdio: "ignore" });
  });

  it("lists UDP entries with their reply source, and deletes those a filter names", async () => {
    execFileSync("ip", ["netns", "add", node]);
    inNode("ip", "link", "set", "lo", "up");
    // A veth pair (this kernel may lack the dummy module): eth0's datagrams are confirmed at
    // POSTROUTING, before the neighbour lookup no one answers.
    inNode("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
    inNode("ip", "link", "set", "eth1", "up");
    inNode("ip", "addr", "add", "172.18.0.2/16", "dev", "eth0");
    inNode("ip", "link", "set", "eth0", "up");
    inNode("ip", "route", "add", "10.96.0.0/12", "dev", "eth0");
    for (const [vip, ep] of [
      ["10.96.0.10", "172.18.1.2"],
      ["10.96.0.11", "172.18.1.5"],
    ])
      inNode(
        "iptables",
        "-t",
        "nat",
        "-A",
        "OUTPUT",
        "-p",
        "udp",
        "-d",
        vip!,
        "--dport",
        "53",
        "-j",
        "DNAT",
        "--to-destination",
        `${ep}:53`,
      );
    sendUdp("10.96.0.10", 53);
    sendUdp("10.96.0.11", 53);
    const host = new LinuxHost(node);
    const flows = await host.conntrackList(null, "UDP");
    expect(flows.map((f) => `${f.origDst}:${f.origDstPort} ${f.replySrc}`).sort()).toEqual([
      "10.96.0.10:53 172.18.1.2",
      "10.96.0.11:53 172.18.1.5",
    ]);
    expect(await host.conntrackList(null, "TCP")).toEqual([]);

    // A filter for an entry already gone is no error (conntrack -D exits 1 on "0 flow entries").
    await host.conntrackClear(null, [
      { protocol: "UDP", origDst: "10.96.0.10", origDstPort: 53, replySrc: "172.18.1.2" },
      { protocol: "UDP", origDstPort: 53, replySrc: "172.18.1.2" },
    ]);
    expect((await host.conntrackList(null, "UDP")).map((f) => f.origDst)).toEqual(["10.96.0.11"]);
  });
});
