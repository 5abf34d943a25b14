/**
 * @module cni/ipam/host-local-exec
 * host-local as an executable sees it: CNI_* variables and the config on
 * stdin in; stdout, stderr and the exit status out, byte for byte as the
 * reference binary (skel.PluginMain) produces them. This is what a CNI
 * executable wraps and what the side-by-side test compares.
 */
import { readFileSync } from "node:fs";
import { CNI_ERR, CniError, GO_ERRNO_TEXT } from "../error.js";
import { printResult } from "../result.js";
import { checkCommon, checkEnv, decodeVersion } from "../skel-checks.js";
import { SUPPORTED_VERSIONS } from "../types.js";
import { goFields, isObject, marshalIndent } from "./go-json.js";
import { type HostLocalEnv, hostLocalAdd, hostLocalCheck, hostLocalDel } from "./host-local.js";
import { fsIpamStore, type IpamStore } from "./store.js";

export interface HostLocalIo extends HostLocalEnv {
  /** The store for `<dataDir>/<network>` (dataDir "" meaning the default); it may be created lazily. */
  openStore(dataDir: string, network: string): IpamStore;
}

export interface ExecOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The host's filesystem, with Go's wording for a resolvConf that cannot be read. */
export const nodeHostLocalIo: HostLocalIo = {
  openStore: fsIpamStore,
  readFile(path) {
    try {
      return readFileSync(path, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "";
      // Go opens a directory fine and fails on the first read.
      if (code === "EISDIR") throw new Error(`read ${path}: is a directory`);
      throw new Error(`open ${path}: ${GO_ERRNO_TEXT[code] ?? (e as Error).message}`);
    }
  },
};

/** The spec's error object as cni v1.0's types.Error prints it: code, msg, details (omitted when empty). */
export function printCniError(e: CniError): string {
  return marshalIndent(e.toJSON());
}

/** Go's wording for the JSON syntax errors most likely to be met (truncated input, a stray character). */
function goSyntaxError(text: string, e: unknown): string {
  const m = e instanceof Error ? e.message : "";
  if (text.trim() === "" || /end of (JSON )?input/i.test(m)) return "unexpected end of JSON input";
  const pos = /position (\d+)/.exec(m);
  const ch = pos ? text[Number(pos[1])] : undefined;
  return ch === undefined
    ? "unexpected end of JSON input"
    : `invalid character ${JSON.stringify(ch).replace(/^"|"$/g, "'")} looking for beginning of value`;
}

/** The config's network name and dataDir, read leniently just to find the store (validation comes later). */
function storeLocation(conf: unknown): { dataDir: string; network: string } {
  let network = "";
  let dataDir = "";
  if (isObject(conf)) {
    for (const [f, v] of goFields(conf, ["name", "ipam"])) {
      if (f === "name" && typeof v === "string") network = v;
      if (f === "ipam" && isObject(v))
        for (const [, d] of goFields(v, ["dataDir"])) if (typeof d === "string") dataDir = d;
    }
  }
  return { dataDir, network };
}

/**
 * Runs one host-local invocation. `env` holds the CNI_* variables
 * (CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS, CNI_PATH);
 * CNI_NETNS is required for ADD but never opened.
 */
export function execHostLocal(
  env: Readonly<Record<string, string | undefined>>,
  stdin: string,
  io: HostLocalIo = nodeHostLocalIo,
): ExecOutput {
  const get = (k: string) => env[k] ?? "";
  const command = get("CNI_COMMAND");
  const fail = (e: unknown): ExecOutput => {
    if (e instanceof CniError) return { stdout: printCniError(e), stderr: "", exitCode: 1 };
    throw e;
  };
  try {
    checkEnv({
      command,
      containerId: get("CNI_CONTAINERID"),
      netns: get("CNI_NETNS"),
      ifName: get("CNI_IFNAME"),
      path: get("CNI_PATH"),
    });
  } catch (e) {
    // Run by hand without a command, a plugin introduces itself instead.
    if (e instanceof CniError && command === "")
      return {
        stdout: "",
        stderr: `CNI host-local plugin version unknown\nCNI protocol versions supported: ${SUPPORTED_VERSIONS.join(", ")}\n`,
        exitCode: 0,
      };
    return fail(e);
  }
  if (command === "VERSION")
    return {
      stdout: `${JSON.stringify({ cniVersion: "1.0.0", supportedVersions: SUPPORTED_VERSIONS })}\n`,
      stderr: "",
      exitCode: 0,
    };

  let conf: unknown;
  try {
    conf = JSON.parse(stdin);
  } catch (e) {
    return fail(
      new CniError(CNI_ERR.DECODING_FAILURE, `error unmarshall network config: ${goSyntaxError(stdin, e)}`),
    );
  }
  const args = { containerId: get("CNI_CONTAINERID"), ifName: get("CNI_IFNAME"), cniArgs: get("CNI_ARGS") };
  const where = storeLocation(conf);
  const store = io.openStore(where.dataDir, where.network);
  try {
    if (command === "ADD") {
      const result = hostLocalAdd(conf, args, store, io);
      return { stdout: printResult(result, decodeVersion(conf)), stderr: "", exitCode: 0 };
    }
    if (command === "DEL") hostLocalDel(conf, args, store);
    else if (command === "CHECK") hostLocalCheck(conf, args, store);
    else {
      checkCommon(conf, args);
      throw new CniError(CNI_ERR.INVALID_ENV, `unknown CNI_COMMAND: ${command}`);
    }
    return { stdout: "", stderr: "", exitCode: 0 };
  } catch (e) {
    return fail(e);
  }
}
