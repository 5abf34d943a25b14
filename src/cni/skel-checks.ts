/**
 * @module cni/skel-checks
 * The checks the CNI library's `skel.PluginMain` (cni v1.0.x) makes before
 * a plugin's own code runs, in its order: the environment, the network
 * name, the container ID, the interface name, then the config's
 * cniVersion against the versions the plugin supports. Each failure is a
 * CniError with the code skel uses.
 */
import { CNI_ERR, CniError } from "./error.js";
import { goFields, goKind, isObject, typeErrorMessage } from "./ipam/go-json.js";
import { SUPPORTED_VERSIONS } from "./types.js";

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** IFNAMSIZ less the terminating NUL. */
const MAX_IFNAME = 15;

/** The CNI_* variables; "" counts as unset, as skel's Getenv check does. */
export interface SkelEnv {
  command: string;
  containerId: string;
  netns: string;
  ifName: string;
  path: string;
}

/** getCmdArgsFromEnv: which variables the command needs (CNI_NETNS is optional for DEL). */
export function checkEnv(env: SkelEnv): void {
  const needed: Array<[string, string, boolean]> = [
    ["CNI_COMMAND", env.command, true],
    ["CNI_CONTAINERID", env.containerId, ["ADD", "CHECK", "DEL"].includes(env.command)],
    ["CNI_NETNS", env.netns, ["ADD", "CHECK"].includes(env.command)],
    ["CNI_IFNAME", env.ifName, ["ADD", "CHECK", "DEL"].includes(env.command)],
    ["CNI_PATH", env.path, ["ADD", "CHECK", "DEL"].includes(env.command)],
  ];
  const missing = needed.filter(([, v, req]) => v === "" && req).map(([n]) => n);
  if (missing.length > 0)
    throw new CniError(CNI_ERR.INVALID_ENV, `required env variables [${missing.join(",")}] missing`);
}

const NAME_STRUCT = 'struct { Name string "json:\\"name\\"" }';

/** validateConfig: the config must decode and carry a valid network name. */
export function checkNetworkName(conf: unknown): void {
  const fail = (m: string) => new CniError(CNI_ERR.DECODING_FAILURE, `error unmarshall network config: ${m}`);
  let name = "";
  if (isObject(conf)) {
    for (const [, v] of goFields(conf, ["name"])) {
      if (typeof v === "string") name = v;
      else if (v !== null) throw fail(typeErrorMessage(goKind(v), "string", { struct: "", path: ["name"] }));
    }
  } else if (conf !== null) throw fail(typeErrorMessage(goKind(conf), NAME_STRUCT, null));
  if (name === "") throw new CniError(CNI_ERR.INVALID_CONFIG, "missing network name");
  if (!NAME_RE.test(name))
    throw new CniError(CNI_ERR.INVALID_CONFIG, "invalid characters found in network name", name);
}

/** utils.ValidateContainerID. */
export function checkContainerId(id: string): void {
  if (id === "") throw new CniError(CNI_ERR.UNKNOWN_CONTAINER, "missing containerID");
  if (!NAME_RE.test(id)) throw new CniError(CNI_ERR.INVALID_ENV, "invalid characters in containerID", id);
}

/** utils.ValidateInterfaceName (the length is counted in bytes). */
export function checkIfName(name: string): void {
  if (name === "") throw new CniError(CNI_ERR.INVALID_ENV, "interface name is empty");
  if (Buffer.byteLength(name, "utf8") > MAX_IFNAME)
    throw new CniError(
      CNI_ERR.INVALID_ENV,
      "interface name is too long",
      `interface name should be less than ${MAX_IFNAME + 1} characters`,
    );
  if (name === "." || name === "..") throw new CniError(CNI_ERR.INVALID_ENV, "interface name is . or ..");
  if (/[/:\s]/u.test(name))
    throw new CniError(CNI_ERR.INVALID_ENV, "interface name contains / or : or whitespace characters");
}

/** ConfigDecoder.Decode: the config's cniVersion, "" read as 0.1.0. */
export function decodeVersion(conf: unknown): string {
  let version = "";
  if (isObject(conf)) {
    for (const [, v] of goFields(conf, ["cniVersion"])) {
      if (typeof v === "string") version = v;
      else if (v !== null)
        throw new CniError(
          CNI_ERR.DECODING_FAILURE,
          `decoding version from network config: ${typeErrorMessage(goKind(v), "string", { struct: "", path: ["cniVersion"] })}`,
        );
    }
  }
  return version === "" ? "0.1.0" : version;
}

/** ConfigDecoder.Decode then the version reconciler: returns the config's version ("" read as 0.1.0). */
export function checkVersion(conf: unknown): string {
  const version = decodeVersion(conf);
  if (!SUPPORTED_VERSIONS.includes(version))
    throw new CniError(
      CNI_ERR.INCOMPATIBLE_VERSION,
      "incompatible CNI versions",
      `config is ${JSON.stringify(version)}, plugin supports [${SUPPORTED_VERSIONS.map((v) => JSON.stringify(v)).join(" ")}]`,
    );
  return version;
}

/** `version.ParseVersion`: "MAJOR[.MINOR[.MICRO]]", with Go's error text. */
export function parseCniVersion(v: string): [number, number, number] {
  if (v === "") throw new Error(`invalid version "": the version is empty`);
  const parts = v.split(".");
  if (parts.length >= 4) throw new Error(`invalid version ${JSON.stringify(v)}: too many parts`);
  const out: [number, number, number] = [0, 0, 0];
  ["major", "minor", "micro"].forEach((which, i) => {
    const p = parts[i];
    if (p === undefined) return;
    if (!/^[+-]?[0-9]+$/.test(p))
      throw new Error(
        `failed to convert ${which} version part ${JSON.stringify(p)}: strconv.Atoi: parsing ${JSON.stringify(p)}: invalid syntax`,
      );
    out[i] = Number(p);
  });
  return out;
}

/** `version.GreaterThanOrEqualTo`; throws on an unparsable version. */
export function versionAtLeast(v: string, other: string): boolean {
  const a = parseCniVersion(v);
  const b = parseCniVersion(other);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** What skel checks for every command before dispatching (env aside): name, container ID, interface. */
export function checkCommon(conf: unknown, args: { containerId: string; ifName: string }): void {
  checkNetworkName(conf);
  checkContainerId(args.containerId);
  checkIfName(args.ifName);
}

/** Everything skel checks for ADD and DEL once the environment is present, in its order. */
export function checkInvocation(conf: unknown, args: { containerId: string; ifName: string }): string {
  checkCommon(conf, args);
  return checkVersion(conf);
}

/** CHECK's extra gate: the config must be 0.4.0 or later, and no later than the plugin's newest. */
export function checkCheckVersion(conf: unknown, args: { containerId: string; ifName: string }): string {
  checkCommon(conf, args);
  const version = decodeVersion(conf);
  const parsed = (f: () => boolean) => {
    try {
      return f();
    } catch (e) {
      throw new CniError(CNI_ERR.DECODING_FAILURE, e instanceof Error ? e.message : String(e));
    }
  };
  if (!parsed(() => versionAtLeast(version, "0.4.0")))
    throw new CniError(CNI_ERR.INCOMPATIBLE_VERSION, "config version does not allow CHECK");
  if (!SUPPORTED_VERSIONS.some((p) => parsed(() => versionAtLeast(p, version))))
    throw new CniError(CNI_ERR.INCOMPATIBLE_VERSION, "plugin version does not allow CHECK");
  return checkVersion(conf);
}
