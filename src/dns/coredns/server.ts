/**
 * @module dns/coredns/server
 * A CoreDNS instance built from a Corefile (core/dnsserver): one plugin chain
 * per server block key, plugins in plugin.cfg order, and the server's own
 * rules around the chain: pick the block by port and longest matching zone
 * (REFUSED when none), write the error reply when a plugin only returned an
 * rcode, and echo the client's EDNS0 OPT (request.SizeAndDo).
 */
import type { Answer, Packet } from "dns-packet";
import {
  type Corefile,
  CorefileError,
  type Directive,
  type ParseOptions,
  parseCorefile,
  pluginRank,
  type ZoneAddr,
  zoneAddrString,
} from "../corefile/index.js";
import type { DnsClusterView, DnsQuery } from "../types.js";
import {
  type Context,
  clientWrite,
  type Handler,
  matchZone,
  qname,
  RCODE,
  type Request,
  type Result,
  setReply,
} from "./plugin.js";
import { cacheHandler, setupCache } from "./plugins/cache/cache.js";
import { forwardHandler, setupForward } from "./plugins/forward/forward.js";
import { hostsHandler, setupHosts } from "./plugins/hosts/hosts.js";
import { kubernetesHandler } from "./plugins/kubernetes/kubernetes.js";
import { setupKubernetes } from "./plugins/kubernetes/setup.js";
import { loadbalanceHandler, setupLoadbalance } from "./plugins/loadbalance/loadbalance.js";
import { logHandler, setupLog } from "./plugins/log/log.js";
import { passthroughHandler, setupPassthrough } from "./plugins/passthrough/passthrough.js";
import { type RewriteRule, rewriteHandler, setupRewrite } from "./plugins/rewrite/rewrite.js";
import { setupTemplate, type Template, templateHandler } from "./plugins/template/template.js";
import type { SetupInput } from "./setup.js";
import { recordSetResolver, type UpstreamRecordSet, type UpstreamResolver } from "./upstream.js";

export interface CorednsOptions extends ParseOptions {
  /** Seed for loadbalance's shuffles (CoreDNS uses random message ids). */
  seed?: number;
  /** The Internet behind forward: a record set or a resolver function; DEFAULT_UPSTREAM otherwise. */
  upstream?: UpstreamRecordSet | UpstreamResolver;
}

/** One server block key's chain. */
export interface ServerInstance {
  addr: ZoneAddr;
  /** All zones of the block (ServerBlockKeys), which plugins default to. */
  blockZones: string[];
  /** Plugin names in execution order. */
  plugins: string[];
  handlers: Handler[];
}

export interface CorednsServer {
  corefile: Corefile;
  instances: ServerInstance[];
}

export type LoadResult = { ok: true; server: CorednsServer } | { ok: false; error: CorefileError };

/** Plugins accepted and run as no-ops: they change no answer the model gives. */
const PASSTHROUGH = new Set([
  "errors",
  "health",
  "ready",
  "prometheus",
  "reload",
  "loop",
  "bind",
  "debug",
  "cancel",
  "metadata",
  "pprof",
  "trace",
  "root",
  "timeouts",
  "multisocket",
  "dnstap",
]);
const MODELLED = new Set([
  ...PASSTHROUGH,
  "kubernetes",
  "hosts",
  "forward",
  "cache",
  "loadbalance",
  "rewrite",
  "template",
  "log",
]);
/** Plugins that refuse a second stanza in one server block (plugin.ErrOnce). */
const ONCE = new Set([
  "kubernetes",
  "hosts",
  "forward",
  "cache",
  "loadbalance",
  "health",
  "ready",
  "reload",
  "loop",
  "errors",
  "log",
  "bind",
]);

/** Parse a Corefile and set up every plugin; bad input is a CorefileError naming the line. */
export function loadCorefile(text: string, opts: CorednsOptions = {}): LoadResult {
  const parsed = parseCorefile(text, opts);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, server: build(parsed.corefile, opts) };
  } catch (e) {
    if (e instanceof CorefileError) return { ok: false, error: e };
    throw e;
  }
}

function build(corefile: Corefile, opts: CorednsOptions): CorednsServer {
  const resolver: UpstreamResolver =
    typeof opts.upstream === "function" ? opts.upstream : recordSetResolver(opts.upstream);
  const instances: ServerInstance[] = [];
  let seed = opts.seed ?? 1;
  for (const block of corefile.serverBlocks) {
    const blockZones = block.addrs.map((a) => a.zone);
    const seen = new Map<string, Directive>();
    for (const d of block.directives) {
      if (!MODELLED.has(d.name))
        throw new CorefileError(
          `plugin/${d.name}: ${d.file}:${d.line} - the ${d.name} plugin is not modelled by kubetwin`,
          d.file,
          d.line,
          d.name,
        );
      if (ONCE.has(d.name) && seen.has(d.name))
        throw new CorefileError(
          `plugin/${d.name}: ${d.file}:${d.line} - this plugin can only be used once per Server Block`,
          d.file,
          d.line,
          d.name,
        );
      seen.set(d.name, d);
    }
    for (const addr of block.addrs) {
      const input = (d: Directive): SetupInput => ({
        directive: d,
        serverZones: blockZones,
        serverAddrs: block.addrs,
        files: opts.files ?? {},
      });
      const handlers: Handler[] = [];
      const rewrites: RewriteRule[] = [];
      const templates: Template[] = [];
      for (const d of block.directives) {
        switch (d.name) {
          case "kubernetes":
            handlers.push(kubernetesHandler(setupKubernetes(input(d))));
            break;
          case "hosts":
            handlers.push(hostsHandler(setupHosts(input(d))));
            break;
          case "forward":
            handlers.push(forwardHandler(setupForward(input(d)), resolver));
            break;
          case "cache":
            handlers.push(cacheHandler(setupCache(input(d))));
            break;
          case "loadbalance":
            setupLoadbalance(input(d));
            handlers.push(loadbalanceHandler(seed++));
            break;
          case "rewrite":
            rewrites.push(setupRewrite(input(d)));
            break;
          case "template":
            templates.push(setupTemplate(input(d)));
            break;
          case "log":
            setupLog(input(d));
            handlers.push(logHandler());
            break;
          default:
            setupPassthrough(input(d));
            handlers.push(passthroughHandler(d.name));
        }
      }
      if (rewrites.length) handlers.push(rewriteHandler(rewrites));
      if (templates.length) handlers.push(templateHandler(blockZones, templates));
      handlers.sort((x, y) => (pluginRank(x.name) ?? 0) - (pluginRank(y.name) ?? 0));
      instances.push({ addr, blockZones, plugins: handlers.map((h) => h.name), handlers });
    }
  }
  return { corefile, instances };
}

export interface ServeEnv {
  /** Seconds since the epoch (the cache's clock, the default SOA serial). Default 0. */
  now?: number;
  /** CoreDNS's own addresses (its pod IPs) for NS answers; the query's server address by default. */
  localIPs?: string[];
}

export interface ServeResult {
  /** The reply, or null when CoreDNS writes none (the client times out). */
  response: Packet | null;
  /** The plugin that wrote the reply, or "server" for the server's own error replies. */
  plugin: string;
  /** The server block key that served it (`dns://.:53`), or null when none matched. */
  serverBlock: string | null;
  /** Lines the log and errors plugins wrote. */
  log: string[];
  /** The plugins the query passed through, in order (the server's own lookups excluded). */
  visited: string[];
}

/** Answer one query as the CoreDNS described by `server` would, against the cluster `view`. */
export function serveDns(
  server: CorednsServer,
  query: DnsQuery,
  view: DnsClusterView,
  env: ServeEnv = {},
): ServeResult {
  const log: string[] = [];
  const visited: string[] = [];
  const res = serveOnce(server, query, view, env, log, 0, visited);
  return { ...res, log, visited };
}

function serveOnce(
  server: CorednsServer,
  query: DnsQuery,
  view: DnsClusterView,
  env: ServeEnv,
  log: string[],
  depth: number,
  visited: string[] = [],
): Omit<ServeResult, "log" | "visited"> {
  const req: Request = {
    msg: query.message,
    client: query.client,
    server: query.server,
    transport: query.transport,
  };
  if ((query.message.questions ?? []).length === 0)
    return {
      response: finish(req.msg, setReply(req.msg, RCODE.SERVFAIL)),
      plugin: "server",
      serverBlock: null,
    };
  const name = qname(req.msg).toLowerCase();
  const { candidates, zones } = listeners(server, query.server.port);
  const zone = matchZone(zones, name);
  const inst = candidates.find((c) => c.addr.zone === zone);
  if (!inst)
    return {
      response: finish(req.msg, setReply(req.msg, RCODE.REFUSED)),
      plugin: "server",
      serverBlock: null,
    };
  const ctx: Context = {
    view,
    now: env.now ?? 0,
    log,
    localIPs: env.localIPs ?? [query.server.ip],
    lookup(n, type, from) {
      // plugin/pkg/upstream: the same server again, a fresh query with recursion desired.
      const m: Packet = {
        id: from.msg.id ?? 0,
        type: "query",
        flags: 0x100,
        questions: [{ name: n.replace(/\.$/, ""), type: type as "A", class: "IN" }],
      };
      if (depth > 8) return setReply(m, RCODE.SERVFAIL);
      return (
        serveOnce(server, { ...query, message: m }, view, env, log, depth + 1).response ??
        setReply(m, RCODE.SERVFAIL)
      );
    },
  };
  const result = runChain(inst.handlers, ctx, req, visited);
  const serverBlock = zoneAddrString(inst.addr);
  if (result.reply)
    return { response: finish(req.msg, result.reply), plugin: result.by ?? "unknown", serverBlock };
  if (!clientWrite(result.rcode))
    return { response: finish(req.msg, setReply(req.msg, result.rcode)), plugin: "server", serverBlock };
  return { response: null, plugin: "server", serverBlock };
}

/** The server blocks listening on a port (plain DNS), and their zones: fixed once the Corefile is loaded. */
const byPort = new WeakMap<CorednsServer, Map<number, { candidates: ServerInstance[]; zones: string[] }>>();

function listeners(server: CorednsServer, port: number): { candidates: ServerInstance[]; zones: string[] } {
  let m = byPort.get(server);
  if (!m) byPort.set(server, (m = new Map()));
  let l = m.get(port);
  if (!l) {
    const candidates = server.instances.filter((i) => i.addr.port === port && i.addr.transport === "dns");
    l = { candidates, zones: candidates.map((c) => c.addr.zone) };
    m.set(port, l);
  }
  return l;
}

function runChain(handlers: Handler[], ctx: Context, req: Request, visited: string[]): Result {
  const step = (i: number, r: Request): Result => {
    const h = handlers[i];
    if (!h) return { rcode: RCODE.SERVFAIL, err: "no next plugin found" };
    visited.push(h.name);
    return h.serveDNS(
      ctx,
      r,
      i + 1 < handlers.length
        ? (r2) => step(i + 1, r2)
        : () => ({ rcode: RCODE.SERVFAIL, err: `plugin/${h.name}: no next plugin found` }),
    );
  };
  return step(0, req);
}

/** request.SizeAndDo: a client that sent an OPT gets one back with its own UDP size and DO bit, flags cleared. */
function finish(request: Packet, reply: Packet): Packet {
  const opt = (request.additionals ?? []).find((a) => a.type === "OPT");
  const additionals: Answer[] = (reply.additionals ?? []).filter((a) => a.type !== "OPT");
  if (opt && opt.type === "OPT") {
    additionals.push({
      name: ".",
      type: "OPT",
      udpPayloadSize: opt.udpPayloadSize,
      extendedRcode: 0,
      ednsVersion: 0,
      flags: opt.flag_do ? 0x8000 : 0,
      flag_do: opt.flag_do,
      options: [],
    });
  }
  return {
    ...reply,
    id: request.id ?? 0,
    additionals,
    authorities: reply.authorities ?? [],
    answers: reply.answers ?? [],
  };
}
