/**
 * @module cli/main
 * The `kubetwin` command line (design.md's contract). It only parses and
 * prints; the work is done by the modules it calls.
 */
import { Command } from "@commander-js/extra-typings";
import { runApply, runDelete } from "./commands/apply.js";
import { PLUGIN_TYPES, readStdin, runCniPlugin } from "./commands/cni-plugin.js";
import { runDemo } from "./commands/demo.js";
import { runDnsServe } from "./commands/dns.js";
import { runExec } from "./commands/exec.js";
import { runGet } from "./commands/get.js";
import { runOracleCli } from "./commands/oracle.js";
import { runSh, writeRun } from "./commands/sh.js";
import { runTrace } from "./commands/trace.js";
import { CliError, printError } from "./errors.js";

function intOpt(v: string): number {
  if (!/^\d+$/.test(v)) throw new CliError(`kubetwin: --seed expects a whole number, got "${v}"`);
  return Number(v);
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("kubetwin")
    .description(
      "The Kubernetes network as a TypeScript model of the Linux stack: run it, break it, see inside.",
    )
    .version("0.1.0")
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let code = 0;
  program
    .command("sh")
    .description("run a bash script (file or stdin) against a fresh simulated machine")
    .argument("[script]", "script file, or - for standard input")
    .option("--trace", "print each command's packets hop by hop")
    .option("--seed <n>", "seed for MACs and other random choices", intOpt, 1)
    .action(async (script, o) => {
      code = await runSh(script, { trace: o.trace ?? false, seed: o.seed });
    });
  program
    .command("demo")
    .description("a narrated walk through the seed exercise: namespaces joined by a Linux bridge")
    .action(async () => {
      code = await runDemo();
    });
  program
    .command("oracle")
    .description(
      "run scripts on the real kernel (isolated netns) and in the model, and show where they differ",
    )
    .argument("<scripts...>", "shell scripts")
    .option("-o, --output <format>", "text or json", "text")
    .option("--keep-going", "compare every unit, not just up to the first difference")
    .action(async (scripts, o) => {
      if (o.output !== "text" && o.output !== "json")
        throw new CliError(`kubetwin oracle: -o expects text or json, got "${o.output}"`);
      code = await runOracleCli(scripts, o.output);
    });
  const collect = (v: string, prev: string[]): string[] => [...prev, v];
  program
    .command("apply")
    .description("record a cluster definition (files or directories of YAML) in the state directory")
    .option("-f, --filename <path>", "file or directory (repeatable)", collect, [] as string[])
    .option("--state <dir>", "state directory", ".kubetwin")
    .action((o) => {
      const r = runApply(o.filename, o.state);
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
    });
  program
    .command("delete")
    .description("remove the objects of the given files from the state directory")
    .option("-f, --filename <path>", "file or directory (repeatable)", collect, [] as string[])
    .option("--state <dir>", "state directory", ".kubetwin")
    .action((o) => {
      const r = runDelete(o.filename, o.state);
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (r.stderr) code = 1;
    });
  program
    .command("get")
    .description("list objects as kubectl does (nodes, namespaces, pods, services so far)")
    .argument("<kind>", "resource type, e.g. nodes")
    .argument("[name]", "one object")
    .option("-o, --output <format>", "wide, json, yaml or name")
    .option("-n, --namespace <ns>", "namespace")
    .option("-A, --all-namespaces", "every namespace")
    .option(
      "-f, --filename <path>",
      "read the definition from files instead of the state directory",
      collect,
      [] as string[],
    )
    .option("--state <dir>", "state directory", ".kubetwin")
    .action((kind, name, o) => {
      const r = runGet(kind, name, {
        ...(o.output !== undefined ? { output: o.output } : {}),
        ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
        allNamespaces: o.allNamespaces === true,
        file: o.filename,
        state: o.state,
      });
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
    });
  program
    .command("trace")
    .description("walk one packet (and its reply) from SRC to DST through the cluster, hop by hop")
    .argument("<src>", "pod/[NS/]NAME, node/NAME, external or an IP")
    .argument("<dst>", "pod/[NS/]NAME, svc/[NS/]NAME, node/NAME, external or an IP")
    .option("--port <n>", "destination port (tcp or udp), or a Service port's name")
    .option("--proto <proto>", "tcp, udp or icmp (default: tcp with --port, else icmp)")
    .option("-o, --output <format>", "text or json", "text")
    .option("--all-endpoints", "for a Service: trace every endpoint kube-proxy can pick, with its chance")
    .option(
      "-f, --filename <path>",
      "read the definition from files instead of the state directory",
      collect,
      [] as string[],
    )
    .option("--state <dir>", "state directory", ".kubetwin")
    .action(async (src, dst, o) => {
      const r = await runTrace(src, dst, {
        ...(o.port !== undefined ? { port: o.port } : {}),
        ...(o.proto !== undefined ? { proto: o.proto } : {}),
        output: o.output,
        allEndpoints: o.allEndpoints === true,
        file: o.filename,
        state: o.state,
      });
      process.stdout.write(r.stdout);
      code = r.code;
    });
  program
    .command("exec")
    .description(
      "run commands in a node's machine or a pod's network namespace (kubetwin exec TARGET -- CMD…)",
    )
    .argument("<target>", "node/NAME or pod/[NS/]NAME")
    .argument("[command...]", "the command and its arguments, after --")
    .option(
      "-f, --filename <path>",
      "read the definition from files instead of the state directory",
      collect,
      [] as string[],
    )
    .option("--state <dir>", "state directory", ".kubetwin")
    .action(async (target, command, o) => {
      const r = await runExec(target, command, { file: o.filename, state: o.state });
      // Each command's output in turn, as a terminal would show it.
      writeRun(r.run, false);
      code = r.code;
    });
  const dns = program.command("dns").description("the cluster's DNS (CoreDNS) as a real server");
  dns
    .command("serve")
    .description("answer DNS queries for the cluster over UDP and TCP until interrupted")
    .requiredOption("--listen <addr:port>", "address and port, e.g. 127.0.0.1:5353 or [::1]:5353")
    .option(
      "-f, --filename <path>",
      "read the definition from files instead of the state directory",
      collect,
      [] as string[],
    )
    .option("--state <dir>", "state directory", ".kubetwin")
    .action(async (o) => {
      code = await runDnsServe({ listen: o.listen, file: o.filename, state: o.state });
    });
  program
    .command("cni-plugin")
    .description(
      "run one of kubetwin's CNI plugins as a container runtime would (CNI_* env, config on stdin)",
    )
    .argument("<type>", `plugin type: ${PLUGIN_TYPES.join(", ")}`)
    .action(async (type) => {
      const needsStdin = process.env.CNI_COMMAND !== undefined && process.env.CNI_COMMAND !== "";
      const r = await runCniPlugin(type, needsStdin ? await readStdin() : "", process.env);
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      code = r.exitCode;
    });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    const ce = e as { code?: string; exitCode?: number };
    if (typeof ce.code === "string" && ce.code.startsWith("commander.")) {
      if (
        ce.code === "commander.helpDisplayed" ||
        ce.code === "commander.version" ||
        ce.code === "commander.help"
      )
        return 0;
      return ce.exitCode ?? 1;
    }
    return printError(e);
  }
  return code;
}
