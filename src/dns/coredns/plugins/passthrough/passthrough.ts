/**
 * @module dns/coredns/plugins/passthrough
 * Plugins that change no answer in the model: errors (logs a failed query's
 * error as CoreDNS does), health, ready, prometheus, reload, loop, and a few
 * others. Their Corefile syntax is still checked, so a typo fails as it would.
 */
import type { Handler } from "../../plugin.js";
import { qname, qtype } from "../../plugin.js";
import { Controller, parseDuration, type SetupInput } from "../../setup.js";

export function setupPassthrough(input: SetupInput): void {
  const c = new Controller(input.directive);
  const a = c.args;
  switch (c.name) {
    case "health":
      c.maxArgs(1);
      for (const bl of c.block) {
        if (bl.name.text !== "lameduck") throw c.errf(`unknown property '${bl.name.text}'`, bl.name.line);
        const d = bl.args[0]?.text;
        if (bl.args.length !== 1) throw c.argErr("lameduck", bl.name.line);
        if (parseDuration(d!) === null)
          throw c.err(
            `unable to parse lameduck duration value: '${d}': time: invalid duration "${d}"`,
            bl.name.line,
          );
      }
      break;
    case "ready":
    case "prometheus":
      c.maxArgs(1);
      c.noBlock();
      break;
    case "reload":
      c.maxArgs(2);
      for (const x of a) if (parseDuration(x) === null) throw c.err(`invalid duration for reload: '${x}'`);
      c.noBlock();
      break;
    case "loop":
    case "errors":
      if (c.name === "loop") {
        c.maxArgs(0);
        c.noBlock();
      } else c.maxArgs(1);
      break;
    default:
      break;
  }
}

export function passthroughHandler(name: string): Handler {
  return {
    name,
    serveDNS(ctx, req, next) {
      const res = next(req);
      if (name === "errors" && res.err)
        ctx.log.push(`[ERROR] plugin/errors: ${res.rcode} ${qname(req.msg)} ${qtype(req.msg)}: ${res.err}`);
      return res;
    },
  };
}
