/**
 * @module k8s/controllers/services
 * Services as the API server stores them and the controllers complete them:
 * v1 defaulting (SetDefaults_Service), the checks of ValidateService that
 * concern the datapath (pkg/apis/core/validation/validation.go), the
 * ClusterIP and NodePort allocators (pkg/registry/core/service/storage/alloc.go,
 * health-check NodePorts included), and a load-balancer controller that
 * fills status.loadBalancer.ingress from an address pool on the underlay, as
 * MetalLB (or cloud-provider-kind) does on a kind cluster.
 */
import { formatIPv4, isLoopback4, isMulticast4, maskOf, parseIPv4 } from "../../net/ip.js";
import type { Rng } from "../../net/rand.js";
import type { ClusterSpec } from "../cluster/cluster.js";
import { nameErrors } from "../manifest/definition.js";
import type { Diagnostic } from "../manifest/diagnostic.js";
import { diagAt, type SourcedObject } from "../manifest/load.js";
import { meta } from "./meta.js";

type Obj = Record<string, unknown>;

export interface ServicePortInfo {
  name?: string;
  port: number;
  targetPort: number | string;
  protocol: string;
  nodePort?: number;
}

export type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
export type TrafficPolicy = "Cluster" | "Local";

export interface ServiceInfo {
  namespace: string;
  name: string;
  type: ServiceType;
  clusterIP: string;
  selector: Record<string, string> | null;
  ports: ServicePortInfo[];
  externalName?: string;
  labels?: Record<string, string>;
  /** Defaulted to Cluster on externally accessible Services (NodePort, LoadBalancer, ClusterIP with externalIPs). */
  externalTrafficPolicy?: TrafficPolicy;
  /** Defaulted to Cluster on every type but ExternalName. */
  internalTrafficPolicy?: TrafficPolicy;
  /** Defaulted to None. */
  sessionAffinity?: "None" | "ClientIP";
  /** Set (timeoutSeconds defaulted to 10800) only with ClientIP affinity. */
  sessionAffinityConfig?: { clientIP: { timeoutSeconds: number } };
  externalIPs?: string[];
  /** Deprecated, still honoured by the load-balancer controller. */
  loadBalancerIP?: string;
  loadBalancerSourceRanges?: string[];
  /** Defaulted to true on LoadBalancer Services. */
  allocateLoadBalancerNodePorts?: boolean;
  /** Allocated from the NodePort range for LoadBalancer Services with externalTrafficPolicy Local. */
  healthCheckNodePort?: number;
  /** status.loadBalancer.ingress[].ip: empty while the load balancer is pending. */
  loadBalancerIngress?: string[];
}

const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
/** core.MaxClientIPServiceAffinitySeconds */
const MAX_AFFINITY_SECONDS = 86400;
/** core.DefaultClientIPServiceAffinitySeconds */
const DEFAULT_AFFINITY_SECONDS = 10800;

const TYPES: readonly ServiceType[] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

/** field.NotSupported's list: `"a", "b"`. */
export function supported(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(", ");
}

/** netutils.ParseCIDRSloppy for IPv4, as the validation of loadBalancerSourceRanges uses it. */
function isCIDR(s: string): boolean {
  const [a, l] = s.split("/");
  return parseIPv4(a ?? "") !== null && l !== undefined && /^\d+$/.test(l) && Number(l) <= 32;
}

/** ValidateEndpointIP's special ranges, which externalIPs may not use. */
function endpointIPProblem(ip: number, text: string): string | null {
  if (ip === 0) return `may not be unspecified (${text})`;
  if (isLoopback4(ip)) return "may not be in the loopback range (127.0.0.0/8, ::1/128)";
  if (ip >>> 16 === 0xa9fe) return "may not be in the link-local range (169.254.0.0/16, fe80::/10)";
  if (isMulticast4(ip) && ip >>> 8 === 0xe00000)
    return "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)";
  return null;
}

/** One Service's input, defaulted and checked; the allocators fill in the rest. */
interface Draft {
  src: SourcedObject;
  info: ServiceInfo;
  /** Requested nodePorts by port index (0: allocate). */
  requestedNodePorts: number[];
  requestedHealthCheckNodePort: number;
  /** Whether the allocator gives ports without a requested nodePort one (shouldAllocateNodePorts). */
  allocateNodePorts: boolean;
}

/** The protocols a Service or EndpointSlice port may have, as field.NotSupported lists them. */
export const PROTOCOLS = ["SCTP", "TCP", "UDP"];

/** validation.IsValidPortName: an IANA service name, as a named targetPort must be. */
function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name))
    errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(name)) errs.push("must contain at least one letter (a-z)");
  if (name.includes("--")) errs.push("must not contain consecutive hyphens (-)");
  if (name.startsWith("-") || name.endsWith("-")) errs.push("must not begin or end with a hyphen (-)");
  return errs;
}

/** validation.IsValidPortNum's message. */
export const PORT_RANGE = "must be between 1 and 65535, inclusive";

export function validPortNum(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535;
}

/**
 * ValidateService's port checks: ports are required (but for headless and ExternalName Services),
 * each validateServicePort (a name when there are several, a DNS label, unique; the port number;
 * the protocol; the targetPort as a number or an IANA name), then no (protocol, port) twice.
 */
function checkPorts(
  ports: Obj[],
  type: ServiceType,
  headless: boolean,
  err: (path: PropertyKey[], message: string, code?: Diagnostic["code"]) => void,
): void {
  if (ports.length === 0 && !headless && type !== "ExternalName")
    err(["spec", "ports"], "spec.ports: Required value");
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    const name = typeof p.name === "string" ? p.name : "";
    if (ports.length > 1 && name === "") err(["spec", "ports", i], `${at}.name: Required value`);
    else if (name !== "") {
      for (const msg of nameErrors("Service", name))
        err(["spec", "ports", i, "name"], `${at}.name: Invalid value: "${name}": ${msg}`);
      if (names.has(name))
        err(["spec", "ports", i, "name"], `${at}.name: Duplicate value: "${name}"`, "DUPLICATE");
      names.add(name);
    }
    if (!validPortNum(p.port))
      err(
        ["spec", "ports", i, "port"],
        `${at}.port: Invalid value: ${JSON.stringify(p.port ?? 0)}: ${PORT_RANGE}`,
      );
    const proto = p.protocol === undefined ? "TCP" : String(p.protocol);
    if (!PROTOCOLS.includes(proto))
      err(
        ["spec", "ports", i, "protocol"],
        `${at}.protocol: Unsupported value: "${proto}": supported values: ${supported(PROTOCOLS)}`,
      );
    const tp = p.targetPort;
    if (typeof tp === "string" && tp !== "")
      for (const msg of portNameErrors(tp))
        err(["spec", "ports", i, "targetPort"], `${at}.targetPort: Invalid value: "${tp}": ${msg}`);
    else if (typeof tp === "number" && tp !== 0 && !validPortNum(tp))
      err(["spec", "ports", i, "targetPort"], `${at}.targetPort: Invalid value: ${tp}: ${PORT_RANGE}`);
    const key = `${proto}/${String(p.port)}`;
    if (seen.has(key))
      err(
        ["spec", "ports", i],
        `${at}: Duplicate value: core.ServicePort{Name:"", Protocol:"${proto}", AppProtocol:(*string)(nil), Port:${String(p.port)}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
        "DUPLICATE",
      );
    seen.add(key);
  });
}

/** SetDefaults_Service, then the checks of validateService for the fields the datapath reads. */
function draftService(src: SourcedObject, diagnostics: Diagnostic[]): Draft {
  const o = src.obj;
  const m = meta(o);
  const spec = (o.spec ?? {}) as Obj;
  const err = (path: PropertyKey[], message: string, code: Diagnostic["code"] = "INVALID_FIELD"): void => {
    diagnostics.push(diagAt(src, path, { code, severity: "error", message }));
  };
  const typeText = spec.type === undefined ? "ClusterIP" : String(spec.type);
  if (!(TYPES as readonly string[]).includes(typeText))
    err(
      ["spec", "type"],
      `spec.type: Unsupported value: "${typeText}": supported values: ${supported(TYPES)}`,
    );
  const type = ((TYPES as readonly string[]).includes(typeText) ? typeText : "ClusterIP") as ServiceType;
  const lb = type === "LoadBalancer";
  const headless = spec.clusterIP === "None";
  if (headless && (type === "NodePort" || lb))
    err(
      ["spec", "clusterIP"],
      `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for ${type} services`,
    );

  const externalIPs = ((spec.externalIPs ?? []) as unknown[]).map(String);
  externalIPs.forEach((ip, i) => {
    const a = parseIPv4(ip);
    const problem =
      a === null ? "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" : endpointIPProblem(a, ip);
    if (problem)
      err(["spec", "externalIPs", i], `spec.externalIPs[${i}]: Invalid value: "${ip}": ${problem}`);
  });
  // apiservice.ExternallyAccessible: what externalTrafficPolicy applies to.
  const externallyAccessible = type === "NodePort" || lb || (type === "ClusterIP" && externalIPs.length > 0);

  const policy = (field: "externalTrafficPolicy" | "internalTrafficPolicy"): TrafficPolicy | undefined => {
    const v = spec[field];
    if (v === undefined) return undefined;
    if (v === "Cluster" || v === "Local") return v;
    err(
      ["spec", field],
      `spec.${field}: Unsupported value: "${String(v)}": supported values: ${supported(["Cluster", "Local"])}`,
    );
    return undefined;
  };
  let eTP = policy("externalTrafficPolicy");
  if (!externallyAccessible && eTP !== undefined) {
    err(
      ["spec", "externalTrafficPolicy"],
      `spec.externalTrafficPolicy: Invalid value: "${eTP}": may only be set for externally-accessible services`,
    );
    eTP = undefined;
  }
  if (externallyAccessible) eTP ??= "Cluster";
  const iTP =
    type === "ExternalName"
      ? policy("internalTrafficPolicy")
      : (policy("internalTrafficPolicy") ?? "Cluster");

  const affinityText = spec.sessionAffinity === undefined ? "None" : String(spec.sessionAffinity);
  if (affinityText !== "None" && affinityText !== "ClientIP")
    err(
      ["spec", "sessionAffinity"],
      `spec.sessionAffinity: Unsupported value: "${affinityText}": supported values: ${supported(["ClientIP", "None"])}`,
    );
  const affinity = affinityText === "ClientIP" ? "ClientIP" : "None";
  let sessionAffinityConfig: ServiceInfo["sessionAffinityConfig"];
  if (affinity === "None" && spec.sessionAffinityConfig !== undefined)
    err(
      ["spec", "sessionAffinityConfig"],
      "spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None",
    );
  if (affinity === "ClientIP") {
    const cfg = ((spec.sessionAffinityConfig as Obj | undefined)?.clientIP ?? {}) as Obj;
    const t = cfg.timeoutSeconds === undefined ? DEFAULT_AFFINITY_SECONDS : Number(cfg.timeoutSeconds);
    if (!Number.isInteger(t) || t <= 0 || t > MAX_AFFINITY_SECONDS)
      err(
        ["spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"],
        `spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: ${String(cfg.timeoutSeconds)}: must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`,
      );
    sessionAffinityConfig = { clientIP: { timeoutSeconds: t } };
  }

  // Upstream's field path really is spec.LoadBalancerSourceRanges (validation.go).
  const ranges = ((spec.loadBalancerSourceRanges ?? []) as unknown[]).map((r) => String(r).trim());
  if (ranges.length > 0 && !lb)
    err(
      ["spec", "loadBalancerSourceRanges"],
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    );
  ranges.forEach((r, i) => {
    if (!isCIDR(r))
      err(
        ["spec", "loadBalancerSourceRanges", i],
        `spec.LoadBalancerSourceRanges[${i}]: Invalid value: "${r}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
      );
  });

  let allocateLB: boolean | undefined;
  if (spec.allocateLoadBalancerNodePorts !== undefined) {
    if (!lb)
      err(
        ["spec", "allocateLoadBalancerNodePorts"],
        "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
      );
    else allocateLB = spec.allocateLoadBalancerNodePorts !== false;
  } else if (lb) allocateLB = true;

  let loadBalancerIP: string | undefined;
  if (typeof spec.loadBalancerIP === "string" && spec.loadBalancerIP !== "") {
    const ip = spec.loadBalancerIP;
    if (parseIPv4(ip) === null)
      err(
        ["spec", "loadBalancerIP"],
        `spec.loadBalancerIP: Invalid value: "${ip}": must be a valid IPv4 address (IPv6 is not modelled)`,
      );
    else if (!lb)
      diagnostics.push(
        diagAt(src, ["spec", "loadBalancerIP"], {
          code: "INVALID_FIELD",
          severity: "warning",
          message: `spec.loadBalancerIP is ignored: Service ${m.namespace}/${m.name} is not of type LoadBalancer`,
        }),
      );
    else loadBalancerIP = ip;
  }

  const needsHealthCheck = lb && eTP === "Local";
  const hcText = spec.healthCheckNodePort;
  const hc = hcText === undefined ? 0 : Number(hcText);
  if (hc !== 0 && !needsHealthCheck)
    err(
      ["spec", "healthCheckNodePort"],
      `spec.healthCheckNodePort: Invalid value: ${hc}: may only be set when \`type\` is 'LoadBalancer' and \`externalTrafficPolicy\` is 'Local'`,
    );

  const portObjs = (spec.ports ?? []) as Obj[];
  checkPorts(portObjs, type, headless, err);
  if (type === "ExternalName") {
    const en = typeof spec.externalName === "string" ? spec.externalName : "";
    if (en === "") err(["spec", "externalName"], "spec.externalName: Required value");
    else
      for (const msg of nameErrors("ExternalName", en.replace(/\.$/, "")))
        err(["spec", "externalName"], `spec.externalName: Invalid value: "${en}": ${msg}`);
  }
  const seenNodePorts = new Set<string>();
  const requestedNodePorts = portObjs.map((p, i) => {
    const np = p.nodePort === undefined ? 0 : Number(p.nodePort);
    if (np === 0) return 0;
    if (type === "ClusterIP") {
      err(
        ["spec", "ports", i, "nodePort"],
        `spec.ports[${i}].nodePort: Forbidden: may not be used when \`type\` is 'ClusterIP'`,
      );
      return 0;
    }
    const key = `${String(p.protocol ?? "TCP")}/${np}`;
    if (seenNodePorts.has(key)) {
      err(["spec", "ports", i, "nodePort"], `spec.ports[${i}].nodePort: Duplicate value: ${np}`, "DUPLICATE");
      return 0;
    }
    seenNodePorts.add(key);
    return type === "ExternalName" ? 0 : np;
  });

  const info: ServiceInfo = {
    namespace: m.namespace,
    name: m.name,
    type,
    clusterIP: "",
    selector: (spec.selector as Record<string, string> | undefined) ?? null,
    ports: portObjs.map((p) => {
      const port = Number(p.port);
      return {
        ...(typeof p.name === "string" ? { name: p.name } : {}),
        port,
        targetPort: (p.targetPort as number | string | undefined) ?? port,
        protocol: String(p.protocol ?? "TCP"),
      };
    }),
    ...(typeof spec.externalName === "string" ? { externalName: spec.externalName } : {}),
    labels: m.labels,
    ...(eTP !== undefined ? { externalTrafficPolicy: eTP } : {}),
    ...(iTP !== undefined ? { internalTrafficPolicy: iTP } : {}),
    sessionAffinity: affinity,
    ...(sessionAffinityConfig ? { sessionAffinityConfig } : {}),
    ...(externalIPs.length > 0 ? { externalIPs } : {}),
    ...(loadBalancerIP !== undefined ? { loadBalancerIP } : {}),
    ...(ranges.length > 0 ? { loadBalancerSourceRanges: ranges } : {}),
    ...(allocateLB !== undefined ? { allocateLoadBalancerNodePorts: allocateLB } : {}),
    ...(lb ? { loadBalancerIngress: [] } : {}),
  };
  return {
    src,
    info,
    requestedNodePorts,
    requestedHealthCheckNodePort: needsHealthCheck ? hc : 0,
    allocateNodePorts: type === "NodePort" || (lb && allocateLB === true),
  };
}

/** The ClusterIP allocator over the service subnet; kubernetes gets .1 and kube-dns .10, as kind sets them. */
function systemServices(ip: (i: number) => number): ServiceInfo[] {
  return [
    {
      namespace: "default",
      name: "kubernetes",
      type: "ClusterIP",
      clusterIP: formatIPv4(ip(1)),
      labels: { component: "apiserver", provider: "kubernetes" },
      selector: null,
      ports: [{ name: "https", port: 443, targetPort: 6443, protocol: "TCP" }],
      internalTrafficPolicy: "Cluster",
      sessionAffinity: "None",
    },
    {
      namespace: "kube-system",
      name: "kube-dns",
      type: "ClusterIP",
      clusterIP: formatIPv4(ip(10)),
      labels: {
        "k8s-app": "kube-dns",
        "kubernetes.io/cluster-service": "true",
        "kubernetes.io/name": "CoreDNS",
      },
      selector: { "k8s-app": "kube-dns" },
      ports: [
        { name: "dns", port: 53, targetPort: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53, targetPort: 53, protocol: "TCP" },
        { name: "metrics", port: 9153, targetPort: 9153, protocol: "TCP" },
      ],
      internalTrafficPolicy: "Cluster",
      sessionAffinity: "None",
    },
  ];
}

/**
 * The Service controllers: defaulting and validation, ClusterIPs, NodePorts
 * (requested ones reserved first, so a later random pick cannot take them),
 * health-check NodePorts, and load-balancer addresses.
 */
export function allocateServices(
  cluster: ClusterSpec,
  objects: SourcedObject[],
  rng: Rng,
  diagnostics: Diagnostic[],
): ServiceInfo[] {
  const [net, lenText] = cluster.serviceSubnet.split("/");
  const base = (parseIPv4(net ?? "") ?? 0) & maskOf(Number(lenText));
  const size = 2 ** (32 - Number(lenText));
  const used = new Set<number>();
  const usedPorts = new Set<number>();
  const ip = (i: number): number => (base + i) >>> 0;
  const out = systemServices(ip);
  used.add(ip(1));
  used.add(ip(10));
  const drafts = objects.filter((s) => s.obj.kind === "Service").map((src) => draftService(src, diagnostics));

  // Requested addresses are taken first, so a later random pick cannot collide with them.
  for (const { src } of drafts) {
    const cip = ((src.obj.spec ?? {}) as Obj).clusterIP;
    if (typeof cip !== "string" || cip === "None" || cip === "") continue;
    const a = parseIPv4(cip);
    if (a === null || (a & maskOf(Number(lenText))) >>> 0 !== base >>> 0) {
      diagnostics.push(
        diagAt(src, ["spec", "clusterIP"], {
          code: "INVALID_FIELD",
          severity: "error",
          message: `spec.clusterIP: Invalid value: "${cip}": provided IP is not in the valid range. The range of valid IPs is ${cluster.serviceSubnet}`,
        }),
      );
      continue;
    }
    if (used.has(a)) {
      diagnostics.push(
        diagAt(src, ["spec", "clusterIP"], {
          code: "CONFLICT",
          severity: "error",
          message: `spec.clusterIP: Invalid value: "${cip}": provided IP is already allocated`,
        }),
      );
      continue;
    }
    used.add(a);
  }
  // The NodePort allocator's Allocate(np) for what was asked for, in definition order.
  const reserve = (d: Draft, path: PropertyKey[], field: string, np: number): boolean => {
    const problem =
      np < NODE_PORT_MIN || np > NODE_PORT_MAX
        ? `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`
        : usedPorts.has(np)
          ? "provided port is already allocated"
          : null;
    if (problem) {
      diagnostics.push(
        diagAt(d.src, path, {
          code: problem.includes("already") ? "CONFLICT" : "INVALID_FIELD",
          severity: "error",
          message: `${field}: Invalid value: ${np}: ${problem}`,
        }),
      );
      return false;
    }
    usedPorts.add(np);
    return true;
  };
  const granted = new Map<Draft, number[]>();
  for (const d of drafts) {
    // initNodePorts: ports of one number (a TCP and a UDP port) share a node port, allocated once.
    const byPort = new Map<number, number>();
    granted.set(
      d,
      d.requestedNodePorts.map((np, i) => {
        if (np === 0) return 0;
        const port = d.info.ports[i]?.port ?? 0;
        if (byPort.get(port) === np) return np;
        if (!reserve(d, ["spec", "ports", i, "nodePort"], `spec.ports[${i}].nodePort`, np)) return 0;
        if (!byPort.has(port)) byPort.set(port, np);
        return np;
      }),
    );
    const hc = d.requestedHealthCheckNodePort;
    if (hc !== 0 && !reserve(d, ["spec", "healthCheckNodePort"], "spec.healthCheckNodePort", hc))
      d.requestedHealthCheckNodePort = -1;
  }
  const nextNodePort = (): number => {
    let np = 0;
    while (np === 0 || usedPorts.has(np)) np = NODE_PORT_MIN + rng.nextInt(NODE_PORT_MAX - NODE_PORT_MIN + 1);
    usedPorts.add(np);
    return np;
  };

  for (const d of drafts) {
    const info = d.info;
    const cip = ((d.src.obj.spec ?? {}) as Obj).clusterIP;
    if (info.type === "ExternalName") info.clusterIP = "";
    else if (cip === "None") info.clusterIP = "None";
    else if (typeof cip === "string" && cip !== "" && parseIPv4(cip) !== null) info.clusterIP = cip;
    else {
      let a = 0;
      for (let tries = 0; tries < size; tries++) {
        a = ip(1 + rng.nextInt(size - 2));
        if (!used.has(a)) break;
      }
      used.add(a);
      info.clusterIP = formatIPv4(a);
    }
    // initNodePorts: ports with the same number (TCP and UDP) share one NodePort.
    const byPort = new Map<number, number>();
    const asked = granted.get(d) ?? [];
    info.ports.forEach((p, i) => {
      const req = asked[i] ?? 0;
      if (req !== 0) {
        p.nodePort = req;
        if (!byPort.has(p.port)) byPort.set(p.port, req);
        return;
      }
      if (!d.allocateNodePorts) return;
      const shared =
        byPort.get(p.port) ??
        d.requestedNodePorts.find((np, j) => np !== 0 && info.ports[j]?.port === p.port);
      const np = shared !== undefined && shared !== 0 ? shared : nextNodePort();
      byPort.set(p.port, np);
      p.nodePort = np;
    });
    if (info.type === "LoadBalancer" && info.externalTrafficPolicy === "Local") {
      const hc = d.requestedHealthCheckNodePort;
      info.healthCheckNodePort = hc > 0 ? hc : nextNodePort();
    }
    out.push(info);
  }
  assignLoadBalancerIPs(cluster, drafts, diagnostics);
  return out;
}

/**
 * A MetalLB-like controller: each LoadBalancer Service gets the address it
 * asks for (spec.loadBalancerIP) when that is in the pool and free, else the
 * lowest free address of the pool, in definition order. Requests are honoured
 * before anything is handed out, so a request never loses to a pick.
 */
function assignLoadBalancerIPs(cluster: ClusterSpec, drafts: Draft[], diagnostics: Diagnostic[]): void {
  const first = parseIPv4(cluster.loadBalancer.pool.first) ?? 0;
  const last = parseIPv4(cluster.loadBalancer.pool.last) ?? -1;
  const poolText = `${cluster.loadBalancer.pool.first}-${cluster.loadBalancer.pool.last}`;
  const taken = new Set<number>();
  const lbs = drafts.filter((d) => d.info.type === "LoadBalancer" && d.info.clusterIP !== "None");
  const unassigned: Draft[] = [];
  for (const d of lbs) {
    const want = d.info.loadBalancerIP;
    if (want === undefined) {
      unassigned.push(d);
      continue;
    }
    const a = parseIPv4(want)!;
    const problem =
      a < first || a > last
        ? `is not in the load balancer pool ${poolText}`
        : taken.has(a)
          ? "is already assigned to another Service"
          : null;
    if (problem) {
      // MetalLB reports this as an AllocationFailed event and leaves the Service <pending>.
      diagnostics.push(
        diagAt(d.src, ["spec", "loadBalancerIP"], {
          code: problem.includes("already") ? "CONFLICT" : "INVALID_FIELD",
          severity: "error",
          message: `spec.loadBalancerIP: "${want}" ${problem} (the Service would stay <pending>)`,
        }),
      );
      continue;
    }
    taken.add(a);
    d.info.loadBalancerIngress = [want];
  }
  for (const d of unassigned) {
    let a = first;
    while (a <= last && taken.has(a)) a++;
    if (a > last) {
      diagnostics.push(
        diagAt(d.src, ["spec", "type"], {
          code: "CONFLICT",
          severity: "warning",
          message: `Service ${d.info.namespace}/${d.info.name} stays <pending>: the load balancer pool ${poolText} is exhausted`,
        }),
      );
      continue;
    }
    taken.add(a);
    d.info.loadBalancerIngress = [formatIPv4(a)];
  }
}
