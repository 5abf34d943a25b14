/**
 * @module cli/commands/dns
 * `kubetwin dns serve --listen ADDR:PORT [-f PATH…]`: the cluster's DNS as a
 * real UDP + TCP server that `dig @ADDR -p PORT` can query. The answers come
 * from the CoreDNS model over the cluster definition (`handlerFactory`).
 */
import type { Packet } from "dns-packet";
import { startDnsServer } from "../../dns/server/dns-server.js";
import { parseListen } from "../../dns/server/listen.js";
import type { DnsHandler } from "../../dns/wire/serve.js";
import { kindNodeResolvConf } from "../../k8s/kubelet/dns.js";
import { clusterNamespaces } from "../../k8s/objects/cluster-objects.js";
import { type ClusterDns, ClusterDnsError, clusterDns } from "../../twin/coredns.js";
import { CliError } from "../errors.js";
import { loadCluster, type SourceOptions } from "./load.js";

export interface DnsServeOptions extends SourceOptions {
  listen: string;
}

/** Builds the query handler for a cluster definition (the CoreDNS model's entry point). */
export type DnsHandlerFactory = (source: SourceOptions) => DnsHandler | Promise<DnsHandler>;

/**
 * The cluster's CoreDNS: its Corefile, Services, EndpointSlices and Pods, as
 * a pod would be answered. The cache counts time on the wall clock.
 */
export const corednsHandlerFactory: DnsHandlerFactory = (source) => {
  const { def, cluster, work } = loadCluster(source);
  let dns: ClusterDns;
  try {
    dns = clusterDns(
      cluster,
      work,
      clusterNamespaces(cluster, def.objects),
      kindNodeResolvConf(cluster.underlay.gateway),
    );
  } catch (e) {
    if (e instanceof ClusterDnsError) throw new CliError(`kubetwin dns serve: ${e.message}`);
    throw e;
  }
  // The query is answered as if it had reached a CoreDNS pod through kube-dns: on port 53 of the pod.
  const server = { ip: dns.localIPs[0] ?? "10.244.0.2", port: 53 };
  return (q): Packet | null => dns.answer({ ...q, server }, Math.floor(Date.now() / 1000)).response;
};

export const dnsServeDeps: { handlerFactory: DnsHandlerFactory } = {
  handlerFactory: corednsHandlerFactory,
};

function fmt(a: { host: string; port: number }): string {
  return a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/**
 * Serves until SIGINT or SIGTERM (or `stop` aborts), then closes both sockets
 * and returns the exit status.
 */
export async function runDnsServe(
  o: DnsServeOptions,
  factory: DnsHandlerFactory = dnsServeDeps.handlerFactory,
  stop?: AbortSignal,
): Promise<number> {
  const listen = parseListen(o.listen);
  if ("error" in listen) throw new CliError(`kubetwin dns serve: --listen ${listen.error}`);
  const handler = await factory({
    ...(o.file ? { file: o.file } : {}),
    ...(o.state ? { state: o.state } : {}),
  });
  let server: Awaited<ReturnType<typeof startDnsServer>>;
  try {
    server = await startDnsServer({
      listen,
      handler,
      log: (line) => process.stderr.write(`kubetwin dns: ${line}\n`),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === "EADDRINUSE"
        ? "address already in use"
        : err.code === "EACCES"
          ? "permission denied (ports below 1024 need root)"
          : err.code === "EADDRNOTAVAIL"
            ? "no such address on this machine"
            : err.message;
    throw new CliError(`kubetwin dns serve: cannot listen on ${o.listen}: ${why}`);
  }
  process.stderr.write(`kubetwin dns: listening on ${fmt(server.address)} (udp, tcp)\n`);
  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      stop?.removeEventListener("abort", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
    stop?.addEventListener("abort", done);
    if (stop?.aborted) done();
  });
  await server.close();
  return 0;
}
