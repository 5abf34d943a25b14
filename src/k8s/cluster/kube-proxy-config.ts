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
  /** conntrack: what setupConntrack writes at start (seconds; 0 leaves the sysctl as it is). */
  conntrack: KubeProxyConntrack;
}

export interface KubeProxyConntrack {
  /** maxPerCore and min: checked, not applied (nf_conntrack_max is the machine's; see docs/fidelity.md). */
  maxPerCore: number;
  min: number;
  tcpEstablishedTimeout: number;
  tcpCloseWaitTimeout: number;
  tcpBeLiberal: boolean;
  udpTimeout: number;
  udpStreamTimeout: number;
}

/** A Go time.Duration as metav1.Duration reads it ("24h0m0s", "1h", "90s"), in seconds; null if it is not one. */
export function goDurationSeconds(text: string): number | null {
  if (text === "0") return 0;
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!m) return null;
  const unit: Record<string, number> = {
    ns: 1e-9,
    us: 1e-6,
    µs: 1e-6,
    μs: 1e-6,
    ms: 1e-3,
    s: 1,
    m: 60,
    h: 3600,
  };
  let total = 0;
  for (const part of text.slice(m[1]!.length).matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g))
    total += Number(part[1]) * unit[part[2]!]!;
  return m[1] === "-" ? -total : total;
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
  const ct = (o.conntrack ?? {}) as Obj;
  // kube-proxy's defaults (SetDefaults_KubeProxyConfiguration), with kind's maxPerCore 0 (its nodes are
  // containers, where nf_conntrack_max is the host's and read-only): a configuration here patches kind's.
  const ctInt = (field: string, dflt: number): number => {
    const v = ct[field] ?? dflt;
    if (typeof v !== "number" || !Number.isInteger(v)) {
      err(["conntrack", field], `must be an integer, not ${JSON.stringify(v)}`);
      return dflt;
    }
    if (v < 0) err(["conntrack", field], "must be greater than or equal to 0");
    return v;
  };
  const ctDuration = (field: string, dflt: number): number => {
    const v = ct[field];
    if (v === undefined || v === null) return dflt;
    const secs = typeof v === "string" ? goDurationSeconds(v) : null;
    if (secs === null) {
      err(["conntrack", field], `must be a duration such as "24h0m0s", not ${JSON.stringify(v)}`);
      return dflt;
    }
    if (secs < 0) err(["conntrack", field], "must be greater than or equal to 0");
    // The sysctls take whole seconds (int(d / time.Second)).
    return Math.max(0, Math.trunc(secs));
  };
  if (ct.tcpBeLiberal !== undefined && typeof ct.tcpBeLiberal !== "boolean")
    err(["conntrack", "tcpBeLiberal"], `must be true or false, not ${JSON.stringify(ct.tcpBeLiberal)}`);
  const conntrack: KubeProxyConntrack = {
    maxPerCore: ctInt("maxPerCore", 0),
    min: ctInt("min", 131072),
    tcpEstablishedTimeout: ctDuration("tcpEstablishedTimeout", 24 * 3600),
    tcpCloseWaitTimeout: ctDuration("tcpCloseWaitTimeout", 3600),
    tcpBeLiberal: ct.tcpBeLiberal === true,
    udpTimeout: ctDuration("udpTimeout", 0),
    udpStreamTimeout: ctDuration("udpStreamTimeout", 0),
  };
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
      conntrack,
    },
    diagnostics,
  };
}
