/**
 * @module cni/agents/routed
 * The node side of the routed datapath (what calico-node and BIRD program):
 * the node's own block as a blackhole (pods' /32 routes are more specific),
 * every other node's block via that node, and the CNI configuration.
 */
import { type AgentContext, CNI_CONF_DIR, conflist } from "./agent.js";

export const ROUTED_CONFLIST = `${CNI_CONF_DIR}/10-routed.conflist`;

export async function routedAgent(ctx: AgentContext): Promise<void> {
  const { host, self } = ctx;
  ctx.files.set(
    ROUTED_CONFLIST,
    conflist({
      name: "k8s-pod-network",
      cniVersion: "0.3.1",
      plugins: [
        { type: "routed", mtu: ctx.mtu, ipam: { type: "host-local", ranges: [[{ subnet: self.podCIDR }]] } },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    }),
  );
  await host.routeAdd(null, { dst: self.podCIDR, type: "blackhole", proto: "bird" });
  for (const n of ctx.nodes) {
    if (n.name === self.name) continue;
    await host.routeReplace(null, { dst: n.podCIDR, via: n.address, dev: self.dev, proto: "bird" });
  }
}

/** The plain bridge datapath: cni0 on every node, routes to the other nodes' podCIDRs (as host-gw). */
export const BRIDGE_CONFLIST = `${CNI_CONF_DIR}/10-bridge.conflist`;

export async function bridgeAgent(ctx: AgentContext): Promise<void> {
  const { host, self } = ctx;
  ctx.files.set(
    BRIDGE_CONFLIST,
    conflist({
      cniVersion: "1.0.0",
      name: "bridge",
      plugins: [
        {
          type: "bridge",
          bridge: "cni0",
          isGateway: true,
          isDefaultGateway: true,
          ipMasq: false,
          hairpinMode: true,
          mtu: ctx.mtu,
          ipam: { type: "host-local", ranges: [[{ subnet: self.podCIDR }]] },
        },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    }),
  );
  for (const n of ctx.nodes) {
    if (n.name === self.name) continue;
    await host.routeReplace(null, { dst: n.podCIDR, via: n.address, dev: self.dev });
  }
}
