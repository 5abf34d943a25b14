/**
 * @module cli/commands/exec
 * `kubetwin exec node/NAME|pod/[NS/]NAME -- COMMAND…`: the shell layer in
 * that node's machine, or in the pod's network namespace on its node.
 */
import { type RunResult, ShellSession, shellQuote } from "../../shell/session.js";
import { resolverFiles } from "../../twin/names.js";
import { ProbeError, resolveEndpoint } from "../../twin/probe.js";
import { dnsTransportOf } from "../../twin/twin.js";
import { CliError } from "../errors.js";
import type { SourceOptions } from "./load.js";
import { twinFor } from "./trace.js";

export async function runExec(
  target: string,
  command: string[],
  o: SourceOptions,
): Promise<{ run: RunResult; code: number }> {
  if (!target.startsWith("node/") && !target.startsWith("pod/"))
    throw new CliError(`kubetwin exec: target must be node/NAME or pod/[NS/]NAME, got "${target}"`);
  if (command.length === 0)
    throw new CliError("kubetwin exec: no command given (kubetwin exec TARGET -- COMMAND…)");
  const twin = await twinFor(o);
  let ep: ReturnType<typeof resolveEndpoint>;
  try {
    ep = resolveEndpoint(twin, target, "source");
  } catch (e) {
    if (e instanceof ProbeError) throw new CliError(`kubetwin exec: ${e.message}`);
    throw e;
  }
  const session = new ShellSession({
    kernel: ep.kernel,
    ns: ep.ns,
    dnsTransport: dnsTransportOf(ep.kernel, ep.ns),
  });
  // One command line, as `kubectl exec -- sh -c` would get it; a single word may itself be a script.
  const text = command.length === 1 ? command[0]! : command.map(shellQuote).join(" ");
  const r = await session.run(text, { files: resolverFiles(twin, ep) ?? {} });
  return { run: r, code: r.exitCode };
}
