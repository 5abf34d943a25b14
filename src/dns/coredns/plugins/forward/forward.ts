/**
 * @module dns/coredns/plugins/forward
 * forward FROM TO… (plugin/forward): names under FROM (minus `except`) go to
 * an upstream and its reply is passed back as it came, with the client's id.
 * TO may be a resolv.conf path, whose nameservers are used. Here the
 * upstreams are the modelled Internet resolver (upstream.ts).
 */

import { parseIPv4, parseIPv6 } from "../../../../net/ip.js";
import { normalizeZoneArg } from "../../../corefile/index.js";
import { type Handler, isSubDomain, qname, RCODE } from "../../plugin.js";
import { Controller, parseDuration, type SetupInput } from "../../setup.js";
import type { UpstreamResolver } from "../../upstream.js";

export interface ForwardConfig {
  from: string;
  to: string[];
  except: string[];
}

export function setupForward(input: SetupInput): ForwardConfig {
  const c = new Controller(input.directive);
  const args = c.args;
  if (args.length < 2) throw c.argErr(args[args.length - 1] ?? "forward");
  const from = normalizeZoneArg(args[0]!)[0]!;
  const to: string[] = [];
  for (const t of args.slice(1)) {
    const file = input.files[t];
    if (file !== undefined) {
      const ns = [...file.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!);
      if (ns.length === 0) throw c.err(`no nameservers found in ${t}`);
      to.push(...ns.map((n) => withPort(n)));
      continue;
    }
    if (t.startsWith("/")) {
      // No such file given to the model: /etc/resolv.conf is the node's, pointing at the upstream resolver.
      to.push("upstream:53");
      continue;
    }
    const addr = t.replace(/^dns:\/\//, "");
    if (!isHostPort(addr)) throw c.err(`not an IP address or file: "${t}"`);
    to.push(withPort(addr));
  }
  const except: string[] = [];
  for (const bl of c.block) {
    const a = bl.args.map((x) => x.text);
    const line = bl.name.line;
    switch (bl.name.text) {
      case "except":
        if (a.length === 0) throw c.argErr(bl.name.text, line);
        except.push(...a.flatMap(normalizeZoneArg));
        break;
      case "max_concurrent":
      case "max_fails":
        if (a.length !== 1) throw c.argErr(bl.name.text, line);
        if (!/^\d+$/.test(a[0]!)) throw c.err(`strconv.Atoi: parsing "${a[0]}": invalid syntax`, line);
        break;
      case "expire":
      case "health_check":
        if (a.length < 1) throw c.argErr(bl.name.text, line);
        if (parseDuration(a[0]!) === null) throw c.err(`time: invalid duration "${a[0]}"`, line);
        break;
      case "policy":
        if (a.length !== 1) throw c.argErr(bl.name.text, line);
        if (!["random", "round_robin", "sequential"].includes(a[0]!))
          throw c.errf(`unknown policy '${a[0]}'`, line);
        break;
      case "force_tcp":
      case "prefer_udp":
      case "tls":
      case "tls_servername":
      case "next":
      case "failfast_all_unhealthy_upstreams":
      case "failover":
        break;
      default:
        throw c.errf(`unknown property '${bl.name.text}'`, line);
    }
  }
  return { from, to, except };
}

function withPort(a: string): string {
  if (parseIPv4(a) !== null) return `${a}:53`;
  if (parseIPv6(a) !== null) return `[${a}]:53`;
  return a;
}

function isHostPort(a: string): boolean {
  if (parseIPv4(a) !== null || parseIPv6(a) !== null) return true;
  const m = /^(.*):(\d+)$/.exec(a);
  if (!m) return false;
  const h = m[1]!.replace(/^\[(.*)\]$/, "$1");
  return parseIPv4(h) !== null || parseIPv6(h) !== null;
}

export function forwardHandler(f: ForwardConfig, resolve: UpstreamResolver): Handler {
  return {
    name: "forward",
    serveDNS(_ctx, req, next) {
      const name = qname(req.msg);
      if (!isSubDomain(f.from, name) || f.except.some((e) => isSubDomain(e, name))) return next(req);
      // Sequential over the list: deterministic where CoreDNS's default policy is random.
      for (const to of f.to) {
        const ret = resolve(req.msg, to);
        if (!ret) continue;
        return { rcode: RCODE.NOERROR, reply: { ...ret, id: req.msg.id ?? 0 }, by: "forward" };
      }
      const to = f.to[f.to.length - 1] ?? "upstream:53";
      return {
        rcode: RCODE.SERVFAIL,
        err: `read ${req.transport} ${req.server.ip}:${req.server.port}->${to}: i/o timeout`,
      };
    },
  };
}
