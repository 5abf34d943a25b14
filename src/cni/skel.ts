/**
 * @module cni/skel
 * pkg/skel: a plugin as an executable sees it — CNI_* variables, the
 * configuration on stdin, a result or an error object on stdout and the
 * exit status. The runtime in the model calls plugins through this too,
 * so what it gets is byte for byte what `kubetwin cni-plugin` prints.
 */
import { CNI_ERR, CniError } from "./error.js";
import { marshalIndent } from "./ipam/go-json.js";
import type { PluginEnv } from "./plugins/env.js";
import { PLUGINS } from "./plugins/index.js";
import { parseResult, printResult } from "./result.js";
import { checkCheckVersion, checkCommon, checkEnv, checkInvocation } from "./skel-checks.js";
import { type CniArgs, type NetConf, SUPPORTED_VERSIONS } from "./types.js";

export interface PluginOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** types.Error.Print: code, msg, details (omitted when empty), indented, no newline, exit status 1. */
export function printError(e: CniError): PluginOutput {
  return { stdout: marshalIndent(e.toJSON()), stderr: "", exitCode: 1 };
}

export async function invokePlugin(
  type: string,
  vars: Readonly<Record<string, string | undefined>>,
  stdin: string,
  env: PluginEnv,
): Promise<PluginOutput> {
  const plugin = PLUGINS[type];
  if (!plugin) return printError(new CniError(CNI_ERR.INVALID_CONFIG, `unknown plugin type "${type}"`));
  const get = (k: string): string => vars[k] ?? "";
  const cmd = get("CNI_COMMAND");
  const args: CniArgs = {
    containerId: get("CNI_CONTAINERID"),
    netns: get("CNI_NETNS"),
    ifName: get("CNI_IFNAME"),
    ...(vars.CNI_ARGS ? { args: vars.CNI_ARGS } : {}),
    ...(vars.CNI_PATH ? { path: vars.CNI_PATH } : {}),
  };
  try {
    checkEnv({
      command: cmd,
      containerId: args.containerId,
      netns: args.netns,
      ifName: args.ifName,
      path: get("CNI_PATH"),
    });
  } catch (e) {
    // Run by hand without a command, a plugin introduces itself instead.
    if (cmd === "")
      return {
        stdout: "",
        stderr: `CNI ${type} plugin version unknown\nCNI protocol versions supported: ${SUPPORTED_VERSIONS.join(", ")}\n`,
        exitCode: 0,
      };
    return printError(e as CniError);
  }
  if (cmd === "VERSION")
    // version.PluginInfo through json.Encoder: compact, with a newline.
    return {
      stdout: `${JSON.stringify({ cniVersion: "1.0.0", supportedVersions: SUPPORTED_VERSIONS })}\n`,
      stderr: "",
      exitCode: 0,
    };
  let raw: unknown;
  try {
    raw = JSON.parse(stdin);
  } catch (e) {
    return printError(
      new CniError(CNI_ERR.DECODING_FAILURE, `error unmarshall network config: ${(e as Error).message}`),
    );
  }
  let version: string;
  try {
    if (cmd === "ADD" || cmd === "DEL") version = checkInvocation(raw, args);
    else if (cmd === "CHECK") version = checkCheckVersion(raw, args);
    else {
      checkCommon(raw, args);
      throw new CniError(CNI_ERR.INVALID_ENV, `unknown CNI_COMMAND: ${cmd}`);
    }
  } catch (e) {
    if (e instanceof CniError) return printError(e);
    throw e;
  }
  const o = raw as Record<string, unknown>;
  const conf: NetConf = {
    ...(o as NetConf),
    name: String(o.name),
    cniVersion: version,
    type,
    ...(o.prevResult !== undefined ? { prevResult: parseResult(o.prevResult) } : {}),
  };
  try {
    if (cmd === "ADD") {
      const r = await plugin.add(env, conf, args);
      // loopback builds its result with the configuration's version and no conversion.
      return {
        stdout: printResult(r, version, type === "loopback" && !conf.prevResult),
        stderr: "",
        exitCode: 0,
      };
    }
    if (cmd === "DEL") await plugin.del(env, conf, args);
    else await plugin.check(env, conf, args);
    return { stdout: "", stderr: "", exitCode: 0 };
  } catch (e) {
    if (e instanceof CniError) return printError(e);
    // The reference plugins return plain Go errors, which skel prints with code 999.
    return printError(new CniError(CNI_ERR.INTERNAL, e instanceof Error ? e.message : String(e)));
  }
}
