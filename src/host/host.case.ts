/**
 * @module host/host.case
 * The conformance suite every Host implementation passes (hono's *.case
 * pattern): the same operations, the same expected state, on the model and
 * on the real kernel.
 */
import { describe, expect, it } from "vitest";
import { type Host, HostError } from "./host.js";

export interface HostFixture {
  host: Host;
  /** A prefix for namespace names, unique to this run. */
  prefix: string;
  cleanup(): Promise<void>;
}

async function errnoOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HostError) return e.errno;
    throw e;
  }
  return "no error";
}

export function runHostConformance(
  name: string,
  setup: () => Promise<HostFixture>,
  opts: { skip?: boolean } = {},
): void {
  describe.skipIf(opts.skip === true)(`host conformance: ${name}`, () => {
    it("wires a node the way a bridge CNI plugin does, and reports the kernel's state", async () => {
      const { host: h, prefix, cleanup } = await setup();
      try {
        const pods = [`${prefix}pod1`, `${prefix}pod2`];
        for (const p of pods) await h.netnsAdd(p);
        await h.bridgeAdd(null, "cni0");
        await h.linkSet(null, "cni0", { up: true });
        await h.addrAdd(null, "cni0", "10.244.1.1/24");
        for (const [i, p] of pods.entries()) {
          await h.vethAdd(null, {
            name: `veth${i}`,
            peer: "eth0",
            peerNs: p,
            mac: `02:00:00:00:01:0${2 - i}`,
            peerMac: `02:00:00:00:02:0${i}`,
          });
          await h.linkSet(null, `veth${i}`, { master: "cni0", up: true });
          await h.linkSet(p, "lo", { up: true });
          await h.linkSet(p, "eth0", { up: true });
          await h.addrAdd(p, "eth0", `10.244.1.${i + 2}/24`);
          await h.routeAdd(p, { dst: "default", via: "10.244.1.1" });
        }
        await h.sysctlSet(null, "net.ipv4.ip_forward", "1");
        await h.routeAdd(null, { dst: "10.244.2.0/24", via: "10.244.1.254", dev: "cni0", onlink: true });
        await h.neighAdd(null, { dst: "10.244.1.254", lladdr: "02:00:00:00:00:fe", dev: "cni0" });

        expect((await h.netnsList()).filter((n) => n.startsWith(prefix))).toEqual(pods);
        const links = await h.linkList(null);
        expect(links.map((l) => [l.ifindex, l.name, l.kind, l.up, l.master, l.peerIfindex])).toEqual([
          [1, "lo", "loopback", false, null, null],
          [2, "cni0", "bridge", true, null, null],
          [3, "veth0", "veth", true, "cni0", 2],
          [4, "veth1", "veth", true, "cni0", 2],
        ]);
        // A bridge without a MAC of its own takes its lowest port's.
        expect(links[1]?.mac).toBe("02:00:00:00:01:01");
        expect(await h.addrList(null)).toEqual([
          { dev: "cni0", cidr: "10.244.1.1/24", scope: "global", secondary: false },
        ]);
        expect(await h.routeList(null)).toEqual([
          {
            dst: "10.244.1.0/24",
            table: 254,
            type: "unicast",
            proto: "kernel",
            scope: "link",
            dev: "cni0",
            src: "10.244.1.1",
          },
          {
            dst: "10.244.2.0/24",
            table: 254,
            type: "unicast",
            proto: "boot",
            scope: "global",
            via: "10.244.1.254",
            dev: "cni0",
            onlink: true,
          },
        ]);
        expect(await h.routeList(pods[0]!)).toEqual([
          {
            dst: "default",
            table: 254,
            type: "unicast",
            proto: "boot",
            scope: "global",
            via: "10.244.1.1",
            dev: "eth0",
          },
          {
            dst: "10.244.1.0/24",
            table: 254,
            type: "unicast",
            proto: "kernel",
            scope: "link",
            dev: "eth0",
            src: "10.244.1.2",
          },
        ]);
        expect(await h.sysctlGet(null, "net.ipv4.ip_forward")).toBe("1");
        expect(await h.sysctlGet(null, "net.ipv4.conf.veth0.forwarding")).toBe("1");

        // The kernel's refusals, as errnos.
        expect(await errnoOf(h.addrAdd(null, "cni0", "10.244.1.1/24"))).toBe("EEXIST");
        expect(await errnoOf(h.linkSet(null, "nope", { up: true }))).toBe("ENODEV");
        expect(await errnoOf(h.routeAdd(null, { dst: "10.9.0.0/16", via: "192.0.2.1" }))).toBe("EINVAL");
        expect(await errnoOf(h.netnsAdd(pods[0]!))).toBe("EEXIST");

        // Deleting a pod's namespace takes its veth, and the host end with it.
        await h.netnsDel(pods[1]!);
        expect((await h.linkList(null)).map((l) => l.name)).toEqual(["lo", "cni0", "veth0"]);
      } finally {
        await cleanup();
      }
    });
  });
}
