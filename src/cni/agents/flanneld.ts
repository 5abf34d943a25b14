/**
 * @module cni/agents/flanneld
 * flanneld with the vxlan and host-gw backends. vxlan: flannel.1 (VNI 1,
 * UDP 8472, no learning) carrying the node's subnet's network address, and
 * for every other node an onlink route via that node's VTEP address, a
 * permanent neighbour entry for it and an FDB entry to the node's underlay
 * address. host-gw: a plain route to each subnet via the node. Both write
 * /run/flannel/subnet.env and the masquerade and forward rules.
 */
import type { Host } from "../../host/host.js";
import { type AgentContext, CNI_CONF_DIR, conflist, ensureRules } from "./agent.js";

export const FLANNEL_CONFLIST = `${CNI_CONF_DIR}/10-flannel.conflist`;
const VXLAN_OVERHEAD = 50;

/** The MAC flanneld gives flannel.1 (derived from the node's address, so every node knows it from the lease). */
export function vtepMac(address: string): string {
  const o = address.split(".").map((x) => Number(x).toString(16).padStart(2, "0"));
  return `0e:6b:${o.join(":")}`;
}

function networkAddress(cidr: string): string {
  return cidr.split("/")[0]!;
}

function gatewayOf(cidr: string): string {
  const [a, l] = cidr.split("/");
  const o = (a ?? "").split(".").map(Number);
  o[3] = (o[3] ?? 0) + 1;
  return `${o.join(".")}/${l}`;
}

async function masqRules(host: Host, ctx: AgentContext): Promise<void> {
  const net = ctx.podSubnet;
  const sub = ctx.self.podCIDR;
  const c = ["-m", "comment", "--comment", "flanneld masq"];
  await ensureRules(
    host,
    "nat",
    "FLANNEL-POSTRTG",
    { from: "POSTROUTING", spec: [...c, "-j", "FLANNEL-POSTRTG"] },
    [
      ["-m", "mark", "--mark", "0x4000/0x4000", ...c, "-j", "RETURN"],
      ["-s", sub, "-d", net, ...c, "-j", "RETURN"],
      ["-s", net, "-d", sub, ...c, "-j", "RETURN"],
      ["!", "-s", net, "-d", sub, ...c, "-j", "RETURN"],
      ["-s", net, "!", "-d", "224.0.0.0/4", ...c, "-j", "MASQUERADE", "--random-fully"],
      ["!", "-s", net, "-d", net, ...c, "-j", "MASQUERADE", "--random-fully"],
    ],
  );
  const f = ["-m", "comment", "--comment", "flanneld forward"];
  await ensureRules(host, "filter", "FLANNEL-FWD", { from: "FORWARD", spec: [...f, "-j", "FLANNEL-FWD"] }, [
    ["-s", net, ...f, "-j", "ACCEPT"],
    ["-d", net, ...f, "-j", "ACCEPT"],
  ]);
}

export async function flanneld(ctx: AgentContext, backend: "vxlan" | "host-gw"): Promise<void> {
  const { host, self } = ctx;
  const mtu = backend === "vxlan" ? ctx.mtu - VXLAN_OVERHEAD : ctx.mtu;
  ctx.files.set(
    "/run/flannel/subnet.env",
    `FLANNEL_NETWORK=${ctx.podSubnet}\nFLANNEL_SUBNET=${gatewayOf(self.podCIDR)}\nFLANNEL_MTU=${mtu}\nFLANNEL_IPMASQ=true\n`,
  );
  ctx.files.set(
    FLANNEL_CONFLIST,
    conflist({
      name: "cbr0",
      cniVersion: "0.3.1",
      plugins: [
        { type: "flannel", delegate: { hairpinMode: true, isDefaultGateway: true } },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    }),
  );
  if (backend === "vxlan") {
    await host.vxlanAdd(null, {
      name: "flannel.1",
      id: 1,
      local: self.address,
      dev: self.dev,
      dstport: 8472,
      learning: false,
    });
    await host.linkSet(null, "flannel.1", { mac: vtepMac(self.address), mtu });
    await host.addrAdd(null, "flannel.1", `${networkAddress(self.podCIDR)}/32`);
    await host.linkSet(null, "flannel.1", { up: true });
  }
  for (const n of ctx.nodes) {
    if (n.name === self.name) continue;
    if (backend === "host-gw") {
      await host.routeReplace(null, { dst: n.podCIDR, via: n.address, dev: self.dev });
      continue;
    }
    const vtep = networkAddress(n.podCIDR);
    const mac = vtepMac(n.address);
    await host.neighAdd(null, { dst: vtep, lladdr: mac, dev: "flannel.1", state: "permanent" });
    await host.fdbAdd(null, { mac, dev: "flannel.1", dst: n.address, self: true });
    await host.routeReplace(null, { dst: n.podCIDR, via: vtep, dev: "flannel.1", onlink: true });
  }
  await masqRules(host, ctx);
}
