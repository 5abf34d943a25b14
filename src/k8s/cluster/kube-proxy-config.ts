/**
 * @module k8s/cluster/kube-proxy-config
 * The KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1) kube-proxy
 * runs with: the one in the definition, else kind's — mode from the kind
 * config's kubeProxyMode, clusterCIDR from its podSubnet — with kube-proxy's
 * defaults (masqueradeBit 14, localhostNodePorts true, ipvs scheduler rr)
 * and its validation (pkg/proxy/apis/config/validation).
 */
import { isIPv4Cidr } from "../../net/ip.js";
import type { Diagnostic } from "../manifest/diagnostic.js";
import { diagAt, type SourcedObject } from "../manifest/load.js";

export interface KubeProxySettings {
  mode: "iptables" | "ipvs" | "nftables" | "none";
  clusterCIDR: string;
  masqueradeAll: boolean;
  masqueradeBit: number;
  localhostNodePorts: boolean;
  nodePortAddresses: string[];
  ipvsScheduler: string;
  /** ipvs.strictARP (default false). */
  ipvsStrictARP: boolean;
}

type Obj = Record<string, unknown>;

const SCHEDULERS = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh"];

export function readKubeProxyConfig(
  objects: SourcedObject[],
  kindMode: KubeProxySettings["mode"],
  podSubnet: string,
): { settings: KubeProxySettings; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const all = objects.filter((o) => o.obj.kind === "KubeProxyConfiguration");
  for (const extra of all.slice(1))
    diagnostics.push(
      diagAt(extra, ["kind"], {
        code: "DUPLICATE",
        severity: "error",
        message: "only one KubeProxyConfiguration may be given",
      }),
    );
  const src = all[0];
  const o = (src?.obj ?? {}) as Obj;
  const err = (path: PropertyKey[], message: string): void => {
    if (src) diagnostics.push(diagAt(src, path, { code: "INVALID_FIELD", severity: "error", message }));
  };
  // An empty mode means the platform default: iptables on Linux.
  const modeText = typeof o.mode === "string" ? (o.mode === "" ? "iptables" : o.mode) : kindMode;
  if (!["iptables", "ipvs", "nftables", "none"].includes(modeText))
    err(["mode"], `must be iptables, ipvs or nftables, not "${modeText}"`);
  const ipt = (o.iptables ?? {}) as Obj;
  const bit = ipt.masqueradeBit ?? 14;
  if (typeof bit !== "number" || !Number.isInteger(bit) || bit < 0 || bit > 31)
    err(["iptables", "masqueradeBit"], `must be within the range [0, 31], not ${JSON.stringify(bit)}`);
  const clusterCIDR = typeof o.clusterCIDR === "string" ? o.clusterCIDR : podSubnet;
  for (const c of clusterCIDR.split(",").filter((x) => x !== ""))
    if (!isIPv4Cidr(c)) err(["clusterCIDR"], `must be a valid CIDR block (e.g. 10.100.0.0/16), not "${c}"`);
  const npa = Array.isArray(o.nodePortAddresses) ? (o.nodePortAddresses as unknown[]) : [];
  npa.forEach((a, i) => {
    if (a !== "primary" && !isIPv4Cidr(a))
      err(["nodePortAddresses", i], `must be a valid CIDR or "primary", not ${JSON.stringify(a)}`);
  });
  const ipvs = (o.ipvs ?? {}) as Obj;
  const scheduler = typeof ipvs.scheduler === "string" && ipvs.scheduler !== "" ? ipvs.scheduler : "rr";
  if (!SCHEDULERS.includes(scheduler))
    err(["ipvs", "scheduler"], `must be one of ${SCHEDULERS.join(", ")}, not "${scheduler}"`);
  if (ipvs.strictARP !== undefined && typeof ipvs.strictARP !== "boolean")
    err(["ipvs", "strictARP"], `must be true or false, not ${JSON.stringify(ipvs.strictARP)}`);
  if (src && modeText === "nftables")
    diagnostics.push(
      diagAt(src, ["mode"], {
        code: "CONFLICT",
        severity: "warning",
        message: `kube-proxy mode ${modeText} is not modelled yet: the twin programs no Service rules`,
      }),
    );
  return {
    settings: {
      mode: modeText as KubeProxySettings["mode"],
      clusterCIDR,
      masqueradeAll: ipt.masqueradeAll === true,
      masqueradeBit: typeof bit === "number" ? bit : 14,
      localhostNodePorts: ipt.localhostNodePorts !== false,
      nodePortAddresses: npa.filter((a): a is string => typeof a === "string"),
      ipvsScheduler: scheduler,
      ipvsStrictARP: ipvs.strictARP === true,
    },
    diagnostics,
  };
}
