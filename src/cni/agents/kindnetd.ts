/**
 * @module cni/agents/kindnetd
 * kind's kindnetd: the ptp + host-local CNI configuration over the node's
 * podCIDR, a route to every other node's podCIDR via that node's address,
 * and the masquerade agent's chain for traffic leaving the pod network.
 */
import { type AgentContext, CNI_CONF_DIR, conflist, ensureRules } from "./agent.js";

export const KINDNET_CONFLIST = `${CNI_CONF_DIR}/10-kindnet.conflist`;

export function kindnetConflist(podCIDR: string, mtu: number): string {
  return conflist({
    cniVersion: "0.3.1",
    name: "kindnet",
    plugins: [
      {
        type: "ptp",
        ipMasq: false,
        ipam: {
          type: "host-local",
          dataDir: "/run/cni-ipam-state",
          routes: [{ dst: "0.0.0.0/0" }],
          ranges: [[{ subnet: podCIDR }]],
        },
        mtu,
      },
      { type: "portmap", capabilities: { portMappings: true } },
    ],
  });
}

export async function kindnetd(ctx: AgentContext): Promise<void> {
  const { host, self } = ctx;
  ctx.files.set(KINDNET_CONFLIST, kindnetConflist(self.podCIDR, ctx.mtu));
  for (const n of ctx.nodes) {
    if (n.name === self.name) continue;
    await host.routeReplace(null, { dst: n.podCIDR, via: n.address });
  }
  const c = (t: string): string[] => ["-m", "comment", "--comment", `kind-masq-agent: ${t}`];
  await ensureRules(
    host,
    "nat",
    "KIND-MASQ-AGENT",
    {
      from: "POSTROUTING",
      spec: [
        "-m",
        "addrtype",
        "!",
        "--dst-type",
        "LOCAL",
        ...c(
          "ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom KIND-MASQ-AGENT chain",
        ),
        "-j",
        "KIND-MASQ-AGENT",
      ],
    },
    [
      ["-d", ctx.podSubnet, ...c("local traffic is not subject to MASQUERADE"), "-j", "RETURN"],
      [...c("outbound traffic is subject to MASQUERADE (must be last in chain)"), "-j", "MASQUERADE"],
    ],
  );
}
