/**
 * @module kernel/netfilter/format
 * A rule as iptables-save v1.8.9 (nf_tables) prints it: `-s`/`-d` with
 * their masks, `-i`, `-o`, `-p`, then each match as `-m NAME …` in rule
 * order, then the target. Traces quote rules in this form too.
 */
import { formatIPv4 } from "../../net/ip.js";
import type { NatRange } from "../conntrack/nat.js";
import type { AddrMatch, InvPorts, Match, PortRange, Rule, Target } from "./rule.js";

const NO_QUOTE = /^[_\-0-9a-zA-Z]+$/;

/** xtables_save_string */
export function saveString(v: string): string {
  if (NO_QUOTE.test(v)) return v;
  return `"${v.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

export function maskLen(mask: number): number | null {
  const m = mask >>> 0;
  let len = 0;
  while (len < 32 && m & (0x80000000 >>> len)) len++;
  return (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0) === m ? len : null;
}

/** `A/len`, or `A/M.M.M.M` for a mask that is not a prefix. */
export function addrMask(a: AddrMatch, always = true): string {
  const len = maskLen(a.mask);
  if (!always && len === 32) return formatIPv4(a.addr);
  return `${formatIPv4(a.addr)}/${len ?? formatIPv4(a.mask >>> 0)}`;
}

/** /etc/protocols on Debian (netbase), as getprotobynumber names them. */
export const PROTOCOLS: Record<number, string> = {
  1: "icmp",
  2: "igmp",
  3: "ggp",
  4: "ipencap",
  5: "st",
  6: "tcp",
  8: "egp",
  9: "igp",
  12: "pup",
  17: "udp",
  20: "hmp",
  22: "xns-idp",
  27: "rdp",
  29: "iso-tp4",
  33: "dccp",
  36: "xtp",
  37: "ddp",
  38: "idpr-cmtp",
  41: "ipv6",
  43: "ipv6-route",
  44: "ipv6-frag",
  45: "idrp",
  46: "rsvp",
  47: "gre",
  50: "esp",
  51: "ah",
  57: "skip",
  58: "ipv6-icmp",
  59: "ipv6-nonxt",
  60: "ipv6-opts",
  73: "rspf",
  81: "vmtp",
  88: "eigrp",
  89: "ospf",
  93: "ax.25",
  94: "ipip",
  97: "etherip",
  98: "encap",
  103: "pim",
  108: "ipcomp",
  112: "vrrp",
  115: "l2tp",
  124: "isis",
  132: "sctp",
  133: "fc",
  135: "mobility-header",
  136: "udplite",
  137: "mpls-in-ip",
  138: "manet",
  139: "hip",
  140: "shim6",
  141: "wesp",
  142: "rohc",
  143: "ethernet",
};

export function protoName(n: number): string {
  return n === 0 ? "all" : (PROTOCOLS[n] ?? String(n));
}

/** libxt_limit's print_rate: the largest unit that still shows the rate exactly enough. */
export function limitRate(period: number): string {
  const rates: [string, number][] = [
    ["day", 10000 * 24 * 60 * 60],
    ["hour", 10000 * 60 * 60],
    ["min", 10000 * 60],
    ["sec", 10000],
  ];
  let i = 1;
  for (; i < rates.length; i++) {
    const mult = rates[i]![1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const [name, mult] = rates[i - 1]!;
  return `${Math.floor(mult / period)}/${name}`;
}

export const LOG_FLAG_NAMES: [string, number][] = [
  ["tcp-sequence", 1],
  ["tcp-options", 2],
  ["ip-options", 4],
  ["uid", 8],
  ["macdecode", 32],
];

function ports(p: PortRange): string {
  return p.lo === p.hi ? `${p.lo}` : `${p.lo}:${p.hi}`;
}

function inv(b: boolean): string {
  return b ? " !" : "";
}

const TCP_FLAG_NAMES: [string, number][] = [
  ["FIN", 1],
  ["SYN", 2],
  ["RST", 4],
  ["PSH", 8],
  ["ACK", 16],
  ["URG", 32],
];

/** libxt_physdev's options, in the order both iptables-save and iptables -L print them. */
/** libxt_ipvs's dump: --ipvs, --vproto, --vaddr, --vport, --vdir, in that order ("" prefix for -L). */
export function ipvsOptions(m: Extract<Match, { kind: "ipvs" }>, prefix: string): string {
  let s = "";
  if (m.ipvs) s += `${inv(m.ipvs.inv)} ${prefix}ipvs`;
  if (m.vproto) s += `${inv(m.vproto.inv)} ${prefix}vproto ${m.vproto.proto}`;
  if (m.vaddr) s += `${inv(m.vaddr.inv)} ${prefix}vaddr ${addrMask(m.vaddr)}`;
  if (m.vport) s += `${inv(m.vport.inv)} ${prefix}vport ${m.vport.port}`;
  if (m.vdir) s += `${inv(m.vdir.inv)} ${prefix}vdir ${m.vdir.dir}`;
  return s;
}

export function physdevOptions(m: Extract<Match, { kind: "physdev" }>): string {
  let s = "";
  if (m.isIn !== undefined) s += `${inv(!m.isIn)} --physdev-is-in`;
  if (m.in) s += `${inv(m.in.inv)} --physdev-in ${m.in.name}`;
  if (m.isOut !== undefined) s += `${inv(!m.isOut)} --physdev-is-out`;
  if (m.out) s += `${inv(m.out.inv)} --physdev-out ${m.out.name}`;
  if (m.isBridged !== undefined) s += `${inv(!m.isBridged)} --physdev-is-bridged`;
  return s;
}

export function tcpFlagNames(f: number): string {
  const n = TCP_FLAG_NAMES.filter(([, b]) => f & b).map(([s]) => s);
  return n.length ? n.join(",") : "NONE";
}

/** Conntrack states in the order xt_conntrack prints them. */
export const CT_STATE_NAMES: [string, number][] = [
  ["INVALID", 1],
  ["NEW", 8],
  ["RELATED", 4],
  ["ESTABLISHED", 2],
  ["UNTRACKED", 1 << 8],
  ["SNAT", 1 << 9],
  ["DNAT", 1 << 10],
];

/** `-m state` prints its states in the same order. */
export const STATE_NAMES: [string, number][] = CT_STATE_NAMES.slice(0, 5);

export function stateList(bits: number, names: [string, number][]): string {
  return names
    .filter(([, b]) => bits & b)
    .map(([s]) => s)
    .join(",");
}

export const ADDRTYPE_NAMES = [
  "UNSPEC",
  "UNICAST",
  "LOCAL",
  "BROADCAST",
  "ANYCAST",
  "MULTICAST",
  "BLACKHOLE",
  "UNREACHABLE",
  "PROHIBIT",
  "THROW",
  "NAT",
  "XRESOLVE",
];

export function addrtypeList(bits: number): string {
  return ADDRTYPE_NAMES.filter((_, i) => bits & (1 << i)).join(",");
}

function portsOpt(name: string, p: InvPorts | undefined): string {
  return p ? `${inv(p.inv)} --${name} ${ports(p)}` : "";
}

export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

export function probabilityText(p: number): string {
  return (Math.round(p * 0x80000000) / 0x80000000).toFixed(11);
}

export function saveMatch(m: Match): string {
  switch (m.kind) {
    case "tcp":
      return `-m tcp${portsOpt("sport", m.sport)}${portsOpt("dport", m.dport)}${
        m.flags
          ? `${inv(m.flags.inv)} --tcp-flags ${tcpFlagNames(m.flags.mask)} ${tcpFlagNames(m.flags.cmp)}`
          : ""
      }`;
    case "udp":
      return `-m udp${portsOpt("sport", m.sport)}${portsOpt("dport", m.dport)}`;
    case "sctp":
      return `-m sctp${portsOpt("sport", m.sport)}${portsOpt("dport", m.dport)}`;
    case "icmp": {
      const t =
        m.type === 255 ? "any" : m.codeLo === 0 && m.codeHi === 255 ? `${m.type}` : `${m.type}/${m.codeLo}`;
      return `-m icmp${inv(m.inv)} --icmp-type ${t}`;
    }
    case "state":
      return `-m state${inv(m.inv)} --state ${stateList(m.states, STATE_NAMES)}`;
    case "conntrack": {
      let s = "-m conntrack";
      if (m.ctstate) s += `${inv(m.ctstate.inv)} --ctstate ${stateList(m.ctstate.states, CT_STATE_NAMES)}`;
      if (m.ctproto) s += `${inv(m.ctproto.inv)} --ctproto ${m.ctproto.proto}`;
      const a = (n: string, x: AddrMatch | undefined): string =>
        x ? `${inv(x.inv)} --${n} ${addrMask(x, false)}` : "";
      s +=
        a("ctorigsrc", m.ctorigsrc) +
        a("ctorigdst", m.ctorigdst) +
        a("ctreplsrc", m.ctreplsrc) +
        a("ctrepldst", m.ctrepldst);
      const p = (n: string, x: InvPorts | undefined): string => (x ? `${inv(x.inv)} --${n} ${ports(x)}` : "");
      s +=
        p("ctorigsrcport", m.ctorigsrcport) +
        p("ctorigdstport", m.ctorigdstport) +
        p("ctreplsrcport", m.ctreplsrcport) +
        p("ctrepldstport", m.ctrepldstport);
      if (m.ctdir) s += ` --ctdir ${m.ctdir}`;
      return s;
    }
    case "comment":
      return `-m comment --comment ${saveString(m.text)}`;
    case "mark":
      return `-m mark${inv(m.inv)} --mark ${hex(m.value)}${m.mask === 0xffffffff ? "" : `/${hex(m.mask)}`}`;
    case "connmark":
      return `-m connmark${inv(m.inv)} --mark ${hex(m.value)}${m.mask === 0xffffffff ? "" : `/${hex(m.mask)}`}`;
    case "multiport":
      return `-m multiport${inv(m.inv)} --${m.dir} ${m.ports.map(ports).join(",")}`;
    case "addrtype": {
      let s = "-m addrtype";
      if (m.src) s += `${inv(m.src.inv)} --src-type ${addrtypeList(m.src.types)}`;
      if (m.dst) s += `${inv(m.dst.inv)} --dst-type ${addrtypeList(m.dst.types)}`;
      if (m.limitIn) s += " --limit-iface-in";
      if (m.limitOut) s += " --limit-iface-out";
      return s;
    }
    case "statistic":
      if (m.mode === "random")
        return `-m statistic --mode random${inv(m.inv)} --probability ${probabilityText(m.probability)}`;
      return `-m statistic --mode nth${inv(m.inv)} --every ${m.every} --packet ${m.packet}`;
    case "recent": {
      let s = `-m recent${inv(m.inv)} --${m.cmd}`;
      if (m.seconds) s += ` --seconds ${m.seconds}`;
      if (m.reap) s += " --reap";
      if (m.hitcount) s += ` --hitcount ${m.hitcount}`;
      if (m.rttl) s += " --rttl";
      return `${s} --name ${m.name} --mask ${formatIPv4(m.mask)} --${m.side === "source" ? "rsource" : "rdest"}`;
    }
    case "physdev":
      return `-m physdev${physdevOptions(m)}`;
    case "set":
      return `-m set${inv(m.inv)} --match-set ${m.name} ${m.flags.join(",")}`;
    case "limit":
      return `-m limit --limit ${limitRate(m.avg)}${m.burst !== 5 ? ` --limit-burst ${m.burst}` : ""}`;
    case "mac":
      return `-m mac${inv(m.inv)} --mac-source ${m.mac}`;
    case "ipvs":
      return `-m ipvs${ipvsOptions(m, "--")}`;
    case "iprange": {
      let s = "-m iprange";
      if (m.src) s += `${inv(m.src.inv)} --src-range ${formatIPv4(m.src.lo)}-${formatIPv4(m.src.hi)}`;
      if (m.dst) s += `${inv(m.dst.inv)} --dst-range ${formatIPv4(m.dst.lo)}-${formatIPv4(m.dst.hi)}`;
      return s;
    }
    case "length":
      return `-m length${inv(m.inv)} --length ${m.lo === m.hi ? m.lo : `${m.lo}:${m.hi}`}`;
    case "ttl":
      return `-m ttl${m.mode === "ne" ? " ! --ttl-eq" : ` --ttl-${m.mode}`} ${m.value}`;
    case "pkttype":
      return `-m pkttype${inv(m.inv)} --pkt-type ${m.type}`;
  }
}

export function natRangeText(r: NatRange): string {
  let s = "";
  if (r.mapIps) s += formatIPv4(r.minAddr) + (r.maxAddr !== r.minAddr ? `-${formatIPv4(r.maxAddr)}` : "");
  if (r.minPort !== null && r.maxPort !== null)
    s += `:${r.minPort}${r.maxPort !== r.minPort ? `-${r.maxPort}` : ""}`;
  return s;
}

function portRangeText(r: NatRange): string {
  if (r.minPort === null || r.maxPort === null) return "";
  return `${r.minPort}${r.maxPort !== r.minPort ? `-${r.maxPort}` : ""}`;
}

export function targetName(t: Target): string {
  switch (t.kind) {
    case "none":
      return "";
    case "jump":
      return t.chain;
    default:
      return t.kind;
  }
}

export function saveTarget(t: Target): string {
  switch (t.kind) {
    case "none":
      return "";
    case "jump":
      return `${t.goto ? "-g" : "-j"} ${t.chain}`;
    case "ACCEPT":
    case "DROP":
    case "RETURN":
    case "NOTRACK":
    case "TRACE":
      return `-j ${t.kind}`;
    case "REJECT":
      return `-j REJECT --reject-with ${t.with}`;
    case "LOG":
      return `-j LOG${t.prefix !== null ? ` --log-prefix ${saveString(t.prefix)}` : ""}${t.level !== 4 ? ` --log-level ${t.level}` : ""}${LOG_FLAG_NAMES.filter(
        ([, b]) => t.flags & b,
      )
        .map(([n]) => ` --log-${n}`)
        .join("")}`;
    case "MARK":
      return `-j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case "CONNMARK":
      if (t.mode === "set") return `-j CONNMARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
      return `-j CONNMARK --${t.mode}-mark --nfmask ${hex(t.nfmask)} --ctmask ${hex(t.ctmask)}`;
    case "DNAT":
    case "SNAT": {
      const r = t.range;
      return `-j ${t.kind} --to-${t.kind === "DNAT" ? "destination" : "source"} ${natRangeText(r)}${r.random ? " --random" : ""}${r.randomFully ? " --random-fully" : ""}${r.persistent ? " --persistent" : ""}`;
    }
    case "MASQUERADE": {
      const p = portRangeText(t.range);
      return `-j MASQUERADE${p ? ` --to-ports ${p}` : ""}${t.range.random ? " --random" : ""}${t.range.randomFully ? " --random-fully" : ""}`;
    }
    case "REDIRECT": {
      const p = portRangeText(t.range);
      return `-j REDIRECT${p ? ` --to-ports ${p}` : ""}${t.range.random ? " --random" : ""}`;
    }
    case "CT":
      return `-j CT${t.notrack ? " --notrack" : ""}`;
  }
}

/** The rule after `-A CHAIN`, as iptables-save prints it. */
/** A rule as iptables -S prints it; `counters` (-S -v's "-c P B") go after the matches, before the target. */
export function ruleSpec(r: Rule, counters = ""): string {
  const p: string[] = [];
  if (r.src) p.push(`${r.src.inv ? "! " : ""}-s ${addrMask(r.src)}`);
  if (r.dst) p.push(`${r.dst.inv ? "! " : ""}-d ${addrMask(r.dst)}`);
  if (r.inIface) p.push(`${r.inIface.inv ? "! " : ""}-i ${r.inIface.name}`);
  if (r.outIface) p.push(`${r.outIface.inv ? "! " : ""}-o ${r.outIface.name}`);
  if (r.proto && (r.proto.num !== 0 || r.proto.inv))
    p.push(`${r.proto.inv ? "! " : ""}-p ${protoName(r.proto.num)}`);
  if (r.frag !== undefined) p.push(r.frag ? "-f" : "! -f");
  for (const m of r.matches) p.push(saveMatch(m));
  if (counters) p.push(counters);
  const t = saveTarget(r.target);
  if (t) p.push(t);
  return p.join(" ");
}

export function formatRule(chain: string, r: Rule, counters = ""): string {
  const spec = ruleSpec(r, counters);
  return `-A ${chain}${spec ? ` ${spec}` : ""}`;
}
