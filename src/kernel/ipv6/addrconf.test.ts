import { describe, expect, it } from "vitest";
import { ShellSession } from "../../shell/session.js";

/** What the peer of a veth end has received, as `ip -s link` prints it: "bytes packets". */
const RX = `ip -n b -s link show v1 | sed -n 4p | awk '{print $1, $2}'`;

async function received(setup: string): Promise<string[]> {
  const s = new ShellSession({ seed: 7 });
  const r = await s.run(`ip netns add a
ip netns add b
ip link add v0 netns a type veth peer name v1 netns b
${setup}
ip -n b link set v1 up
ip -n a link set v0 up
${RX}
sleep 0.4
${RX}
sleep 0.2
${RX}
`);
  return r.stdout.trim().split("\n");
}

describe("addrconf: a link-local address announced when the link comes up", () => {
  it("sends the MLD report at once and the DAD probe, with its nonce, half a second later", async () => {
    // MLDv2 report: 14 + 76 bytes; neighbour solicitation with a nonce option (enhanced_dad): 14 + 72.
    expect(await received("")).toEqual(["90 1", "90 1", "176 2"]);
  });

  it("sends the probe without a nonce when enhanced_dad is off for the device and for all", async () => {
    const off = "ip netns exec a sysctl -qw net.ipv6.conf.v0.enhanced_dad=0";
    expect(await received(off)).toEqual(["90 1", "90 1", "176 2"]);
    expect(await received(`${off}\nip netns exec a sysctl -qw net.ipv6.conf.all.enhanced_dad=0`)).toEqual([
      "90 1",
      "90 1",
      "168 2",
    ]);
  });

  it("sends no probe when accept_dad is off for the device and for all (all's default)", async () => {
    expect(await received("ip netns exec a sysctl -qw net.ipv6.conf.v0.accept_dad=0")).toEqual([
      "90 1",
      "90 1",
      "90 1",
    ]);
    const allOn = "ip netns exec a sysctl -qw net.ipv6.conf.all.accept_dad=1";
    expect(await received(`${allOn}\nip netns exec a sysctl -qw net.ipv6.conf.v0.accept_dad=0`)).toEqual([
      "90 1",
      "90 1",
      "176 2",
    ]);
  });
});
