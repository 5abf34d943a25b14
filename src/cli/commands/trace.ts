/**
 * @module cli/commands/trace
 * `kubetwin trace SRC DST [--port N] [--proto tcp|udp|icmp] [-o text|json]`:
 * builds the twin and walks one connection attempt through it.
 */

import { clusterNamespaces } from "../../k8s/objects/cluster-objects.js";
import { appendTrace, readTraces } from "../../node/state.js";
import { renderHops } from "../../trace/render.js";
import { allBranches } from "../../twin/branches.js";
import { isHostName, type NameResolution, resolveName } from "../../twin/names.js";
import {
  ProbeError,
  probe,
  resolveEndpoint,
  resolveServicePort,
  type TraceResult,
} from "../../twin/probe.js";
import { buildTwin, type Twin } from "../../twin/twin.js";
import { CliError } from "../errors.js";
import { loadCluster, type SourceOptions } from "./load.js";

export interface TraceOptions extends SourceOptions {
  port?: string;
  proto?: string;
  output?: string;
  /** For a Service: every endpoint kube-proxy's rules can pick, each traced. */
  allEndpoints?: boolean;
}

/** Whether a command works on the state directory (and so sees earlier traces' effects). */
function stateDir(opts: SourceOptions): string | null {
  return opts.file && opts.file.length > 0 ? null : (opts.state ?? ".kubetwin");
}

/**
 * The twin a command works on, with its build failures as one clear error. On the state
 * directory, the traces run since the last apply are replayed, so their conntrack entries,
 * neighbours and counters are there, as on a cluster that carried those packets.
 */
export async function twinFor(opts: SourceOptions): Promise<Twin> {
  const { def, cluster, work } = loadCluster(opts);
  let twin: Twin;
  try {
    twin = await buildTwin(cluster, work, { namespaces: clusterNamespaces(cluster, def.objects) });
  } catch (e) {
    throw new CliError(`kubetwin: building the cluster failed: ${(e as Error).message}`);
  }
  const dir = stateDir(opts);
  if (dir)
    for (const t of readTraces(dir)) {
      try {
        probe(
          twin,
          resolveEndpoint(twin, t.src, "source"),
          resolveEndpoint(twin, t.dst, "destination"),
          t.proto,
          t.port,
        );
      } catch {
        // A trace whose endpoints no longer exist has nothing to replay.
      }
    }
  return twin;
}

export function renderTrace(r: TraceResult): string {
  const what = r.proto === "icmp" ? "icmp echo" : `${r.proto}/${r.port}`;
  let out = `trace ${r.src} -> ${r.dst} (${what})\n`;
  out += renderHops(r.hops, "request");
  if (r.reply.length > 0) out += renderHops(r.reply, "reply");
  const d = r.delivered;
  out += `verdict: ${r.verdict}: ${r.reason}`;
  if (d)
    out += ` — delivered to ${d.pod ? `pod/${d.pod}` : `node ${d.node}`} (${d.ip}${d.port !== null ? `:${d.port}` : ""}) on ${d.node}`;
  return `${out}\n`;
}

export async function runTrace(
  src: string,
  dst: string,
  o: TraceOptions,
): Promise<{ stdout: string; code: number }> {
  const toSvc = dst.startsWith("svc/");
  const asked = (o.proto ?? (o.port !== undefined || toSvc ? "tcp" : "icmp")).toLowerCase();
  if (asked !== "tcp" && asked !== "udp" && asked !== "icmp")
    throw new CliError(`kubetwin trace: --proto expects tcp, udp or icmp, got "${o.proto}"`);
  let proto: "tcp" | "udp" | "icmp" = asked;
  const out = o.output ?? "text";
  if (out !== "text" && out !== "json")
    throw new CliError(`kubetwin trace: -o expects text or json, got "${out}"`);
  const numeric = o.port !== undefined && /^\d+$/.test(o.port);
  if (o.port !== undefined && (numeric ? Number(o.port) < 1 || Number(o.port) > 65535 : !toSvc))
    throw new CliError(
      `kubetwin trace: --port expects a port number 1-65535${toSvc ? " or the Service port's name" : ""}, got "${o.port}"`,
    );
  if (proto === "icmp" && o.port !== undefined)
    throw new CliError("kubetwin trace: --port does not apply to icmp (an echo request has no port)");
  if (proto !== "icmp" && o.port === undefined && !toSvc)
    throw new CliError(`kubetwin trace: --port is required for ${proto}`);
  const twin = await twinFor(o);
  let r: TraceResult;
  let resolved: NameResolution | null = null;
  try {
    let port: number | null = null;
    if (proto !== "icmp") {
      const sp = resolveServicePort(twin, dst, o.port);
      if (sp === null)
        throw new ProbeError(
          o.port === undefined
            ? `--port is required: ${dst} has several ports`
            : `${dst} has no port named "${o.port}"`,
        );
      port = sp.port;
      // A Service port is traced in its own protocol: a named (or the only) port's, or the one the
      // Service's ports of that number share; --proto may only agree with a named port's.
      const own = sp.protocol?.toLowerCase() ?? null;
      const named = o.port === undefined || !/^\d+$/.test(o.port);
      if (own === "sctp")
        throw new ProbeError(`${dst} port ${port} is SCTP: trace follows tcp, udp and icmp`);
      if ((own === "tcp" || own === "udp") && o.proto === undefined) proto = own;
      else if (own !== null && named && own !== proto)
        throw new ProbeError(
          `${dst} port ${o.port === undefined ? port : `"${o.port}"`} is ${own.toUpperCase()}, not ${proto.toUpperCase()} (--proto)`,
        );
    }
    const from = resolveEndpoint(twin, src, "source");
    // A DNS name is looked up as the source would, through the cluster's DNS.
    if (isHostName(dst)) resolved = await resolveName(twin, from, dst);
    const to = resolved
      ? { ...resolveEndpoint(twin, resolved.address, "destination"), label: dst }
      : resolveEndpoint(twin, dst, "destination");
    if (o.allEndpoints) {
      if (!toSvc) throw new ProbeError("--all-endpoints needs a Service destination (svc/[NS/]NAME)");
      const branches = allBranches(twin, from, to, proto, port);
      const dir = stateDir(o);
      if (dir) appendTrace(dir, { src, dst, proto, port });
      const code = branches.every((b) => b.trace.verdict === "delivered") ? 0 : 1;
      if (out === "json") return { stdout: `${JSON.stringify({ branches }, null, 2)}\n`, code };
      return {
        stdout: branches
          .map(
            (b) => `── branch: ${b.endpoint ?? "(no endpoint)"}, chance ${b.chance}\n${renderTrace(b.trace)}`,
          )
          .join("\n"),
        code,
      };
    }
    r = probe(twin, from, to, proto, port);
  } catch (e) {
    if (e instanceof ProbeError) throw new CliError(`kubetwin trace: ${e.message}`);
    throw e;
  }
  const dir = stateDir(o);
  if (dir) appendTrace(dir, { src, dst, proto, port: r.port });
  const code = r.verdict === "delivered" ? 0 : 1;
  if (out === "json")
    return { stdout: `${JSON.stringify(resolved ? { ...r, resolved } : r, null, 2)}\n`, code };
  const how = resolved
    ? `${resolved.name} resolved to ${resolved.address} (${resolved.source === "files" ? "/etc/hosts" : `DNS via ${resolved.servers.join(", ")}`})\n`
    : "";
  return { stdout: how + renderTrace(r), code };
}
