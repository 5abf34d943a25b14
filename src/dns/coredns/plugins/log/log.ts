/**
 * @module dns/coredns/plugins/log
 * log (plugin/log): one line per query in CoreDNS's common log format,
 * `[INFO] CLIENT:PORT - ID "TYPE CLASS NAME PROTO SIZE DO BUFSIZE" RCODE FLAGS SIZE DURATION`.
 * Sizes are the uncompressed encoding's; the duration is 0 (the model takes no time).
 */
import { encodingLength, type Packet } from "dns-packet";
import { FLAG, type Handler, qname, qtype, RCODE_NAMES, rcodeOf } from "../../plugin.js";
import { Controller, type SetupInput } from "../../setup.js";

export function setupLog(input: SetupInput): void {
  const c = new Controller(input.directive);
  for (const bl of c.block)
    if (bl.name.text !== "class") throw c.errf(`unknown property '${bl.name.text}'`, bl.name.line);
}

function size(m: Packet): number {
  try {
    return encodingLength(m);
  } catch {
    return 0;
  }
}

export function flagsText(m: Packet): string {
  const f = m.flags ?? 0;
  const names: string[] = [];
  if (f & FLAG.QR) names.push("qr");
  if (f & FLAG.AA) names.push("aa");
  if (f & FLAG.TC) names.push("tc");
  if (f & FLAG.RD) names.push("rd");
  if (f & FLAG.RA) names.push("ra");
  if (f & FLAG.AD) names.push("ad");
  if (f & FLAG.CD) names.push("cd");
  return names.join(",");
}

export function logHandler(): Handler {
  return {
    name: "log",
    serveDNS(ctx, req, next) {
      const res = next(req);
      const opt = (req.msg.additionals ?? []).find((a) => a.type === "OPT");
      const bufsize = opt && "udpPayloadSize" in opt ? opt.udpPayloadSize : 512;
      const doBit = opt && "flag_do" in opt ? opt.flag_do : false;
      const rcode = res.reply ? rcodeOf(res.reply) : res.rcode;
      const client = req.client.ip.includes(":") ? `[${req.client.ip}]` : req.client.ip;
      ctx.log.push(
        `[INFO] ${client}:${req.client.port} - ${req.msg.id ?? 0} "${qtype(req.msg)} ${req.msg.questions?.[0]?.class ?? "IN"} ${qname(req.msg)} ${req.transport} ${size(req.msg)} ${doBit} ${bufsize}" ${RCODE_NAMES[rcode] ?? rcode} ${res.reply ? flagsText(res.reply) : "-"} ${res.reply ? size(res.reply) : 0} 0s`,
      );
      return res;
    },
  };
}
