/**
 * @module shell/commands/ip
 * The `ip` command: global options (-n, -j, -br, -o, -4/-6, -d, -s, -p, -all) and
 * the object dispatch of ip.c, with its abbreviations resolved in its order.
 */
import { type CmdContext, CmdError, type CmdResult } from "../../types.js";
import { doAddr } from "./addr.js";
import { matches } from "./args.js";
import type { IpCtx, IpOpts } from "./common.js";
import { doLink } from "./link.js";
import { doNeigh } from "./neigh.js";
import { doNetns } from "./netns.js";
import { doRoute } from "./route.js";
import { doRule } from "./rule.js";

type Handler = (ip: IpCtx, argv: string[]) => void | Promise<CmdResult | null>;

// ip.c's cmds[] order decides what an abbreviation means ("a" is address, "r" route, "n" neighbour).
const OBJECTS: Array<[string, Handler | null]> = [
  ["address", doAddr],
  ["addrlabel", null],
  ["maddress", null],
  ["route", doRoute],
  ["rule", doRule],
  ["neighbor", doNeigh],
  ["neighbour", doNeigh],
  ["ntable", null],
  ["ntbl", null],
  ["link", doLink],
  ["l2tp", null],
  ["fou", null],
  ["ila", null],
  ["macsec", null],
  ["tunnel", null],
  ["tunl", null],
  ["tuntap", null],
  ["tap", null],
  ["token", null],
  ["tcpmetrics", null],
  ["tcp_metrics", null],
  ["monitor", null],
  ["xfrm", null],
  ["mroute", null],
  ["mrule", null],
  ["netns", doNetns],
  ["netconf", null],
  ["vrf", null],
  ["sr", null],
  ["nexthop", null],
  ["mptcp", null],
  ["ioam", null],
  ["stats", null],
];

export async function ipCommand(argv: string[], ctx: CmdContext): Promise<CmdResult> {
  const opts: IpOpts = {
    json: false,
    brief: false,
    oneline: false,
    details: false,
    stats: 0,
    family: 0,
    pretty: false,
    all: false,
  };
  let ns = ctx.ns;
  let i = 0;
  const out: string[] = [];
  const err: string[] = [];
  try {
    while (i < argv.length && argv[i]!.startsWith("-") && argv[i] !== "-") {
      let o = argv[i]!;
      if (o.startsWith("--")) o = o.slice(1);
      const w = o.slice(1);
      if (w === "n" || (w.length > 1 && matches(w, "netns"))) {
        const name = argv[++i];
        if (name === undefined) throw new CmdError("No netns name specified", 255);
        const target = ctx.kernel.named.get(name);
        if (!target)
          throw new CmdError(`Cannot open network namespace "${name}": No such file or directory`, 255);
        ns = target;
      } else if (w === "j" || matches(w, "json")) opts.json = true;
      else if (w === "br" || matches(w, "brief")) opts.brief = true;
      else if (w === "o" || matches(w, "oneline")) opts.oneline = true;
      else if (w === "4") opts.family = 4;
      else if (w === "6") opts.family = 6;
      else if (w === "d" || matches(w, "details")) opts.details = true;
      else if (w === "s" || matches(w, "statistics") || matches(w, "stats")) opts.stats++;
      else if (w === "p" || matches(w, "pretty")) opts.pretty = true;
      else if (w === "c" || matches(w, "color") || w.startsWith("color=")) {
        /* no colour when not on a terminal */
      } else if (w === "f" || matches(w, "family")) {
        const f = argv[++i];
        if (f === "inet") opts.family = 4;
        else if (f === "inet6") opts.family = 6;
      } else if (
        w === "h" ||
        matches(w, "human") ||
        w === "iec" ||
        w === "N" ||
        w === "r" ||
        matches(w, "resolve")
      ) {
        /* accepted */
      } else if (matches(w, "all")) {
        opts.all = true;
      } else if (w === "V" || matches(w, "Version")) {
        return { stdout: "ip utility, iproute2-6.1.0, libbpf 1.1.2\n", stderr: "", exitCode: 0 };
      } else {
        throw new CmdError(`Option "${argv[i]}" is unknown, try "ip -help".`, 255);
      }
      i++;
    }
    if (opts.json && opts.brief) opts.brief = false;
    const obj = argv[i];
    if (obj === undefined) {
      throw new CmdError(
        "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       ip [ -force ] -batch filename\nwhere  OBJECT := { address | addrlabel | fou | help | ila | ioam | l2tp | link |\n                   macsec | maddress | monitor | mptcp | mroute | mrule |\n                   neighbor | neighbour | netconf | netns | nexthop | ntable |\n                   ntbl | route | rule | sr | tap | tcpmetrics |\n                   token | tunnel | tuntap | vrf | xfrm }",
        255,
      );
    }
    const found = OBJECTS.find(([name]) => matches(obj, name));
    if (!found) throw new CmdError(`Object "${obj}" is unknown, try "ip help".`, 1);
    const [name, handler] = found;
    if (!handler) throw new CmdError(`kubetwin: "ip ${name}" is not modelled`, 1);
    const ip: IpCtx = { ctx, ns, opts, out, err };
    const sub = await handler(ip, argv.slice(i + 1));
    if (sub)
      return { stdout: out.join("") + sub.stdout, stderr: err.join("") + sub.stderr, exitCode: sub.exitCode };
    return { stdout: out.join(""), stderr: err.join(""), exitCode: 0 };
  } catch (e) {
    if (e instanceof CmdError) {
      return {
        stdout: out.join("") + e.stdout,
        stderr: `${err.join("")}${e.message}\n`,
        exitCode: e.exitCode,
      };
    }
    throw e;
  }
}
