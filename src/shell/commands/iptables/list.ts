/**
 * @module shell/commands/iptables/list
 * `iptables -L` as v1.8.9 (nf_tables) prints it: the chain headers, the
 * fixed-width columns (counters with -v, exact with -x, line numbers),
 * names or numbers (-n), and each match and target in its list form.
 */
import {
  addrtypeList,
  CT_STATE_NAMES,
  hex,
  ipvsOptions,
  LOG_FLAG_NAMES,
  limitRate,
  natRangeText,
  physdevOptions,
  probabilityText,
  protoName,
  stateList,
  targetName,
  tcpFlagNames,
} from "../../../kernel/netfilter/format.js";
import type { AddrMatch, InvPorts, Match, PortRange, Rule, Target } from "../../../kernel/netfilter/rule.js";
import { type Chain, references, type Table } from "../../../kernel/netfilter/tables.js";
import { formatIPv4 } from "../../../net/ip.js";
import { SERVICES } from "../services.js";
import { icmpTypeName } from "./parse.js";

export interface ListOpts {
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
}

function padEnd(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function padStart(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

/** xtables_print_num */
export function printNum(n: number, o: ListOpts, notable = false): string {
  if (o.exact) return notable ? `${n} ` : `${padStart(String(n), 8)} `;
  const f = (s: string, w: number): string => (notable ? `${s} ` : `${padStart(s, w)} `);
  if (n <= 99999) return f(String(n), 5);
  let v = Math.floor((n + 500) / 1000);
  for (const u of ["K", "M", "G"]) {
    if (v <= 9999) return f(`${v}${u}`, 5);
    v = Math.floor((v + 500) / 1000);
  }
  return f(`${v}T`, 5);
}

function service(port: number, proto: string, numeric: boolean): string {
  if (numeric) return String(port);
  const name = SERVICES[proto]?.[port];
  return name && name !== "*" ? name : String(port);
}

function listPorts(label: string, p: InvPorts | undefined, proto: string, numeric: boolean): string {
  if (!p || (p.lo === 0 && p.hi === 65535 && !p.inv)) return "";
  if (p.lo === p.hi) return ` ${label}:${p.inv ? "!" : ""}${service(p.lo, proto, numeric)}`;
  return ` ${label}s:${p.inv ? "!" : ""}${service(p.lo, proto, numeric)}:${service(p.hi, proto, numeric)}`;
}

function mark(v: number, m: number): string {
  return m === 0xffffffff ? ` ${hex(v)}` : ` ${hex(v)}/${hex(m)}`;
}

function addr(a: AddrMatch): string {
  return a.mask === 0xffffffff ? formatIPv4(a.addr) : `${formatIPv4(a.addr)}/${maskText(a.mask)}`;
}

function maskText(m: number): string {
  let len = 0;
  while (len < 32 && m & (0x80000000 >>> len)) len++;
  return (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0) === m >>> 0 ? String(len) : formatIPv4(m >>> 0);
}

function rangeText(p: PortRange, proto: string, numeric: boolean): string {
  return p.lo === p.hi
    ? service(p.lo, proto, numeric)
    : `${service(p.lo, proto, numeric)}:${service(p.hi, proto, numeric)}`;
}

export function listMatch(m: Match, numeric: boolean, proto: string): string {
  switch (m.kind) {
    case "tcp": {
      let s = ` tcp${listPorts("spt", m.sport, "tcp", numeric)}${listPorts("dpt", m.dport, "tcp", numeric)}`;
      if (m.flags) {
        const f = numeric
          ? `0x${m.flags.mask.toString(16).toUpperCase().padStart(2, "0")}/0x${m.flags.cmp.toString(16).toUpperCase().padStart(2, "0")}`
          : `${tcpFlagNames(m.flags.mask)}/${tcpFlagNames(m.flags.cmp)}`;
        s += ` flags:${m.flags.inv ? "!" : ""}${f}`;
      }
      return s;
    }
    case "udp":
      return ` udp${listPorts("spt", m.sport, "udp", numeric)}${listPorts("dpt", m.dport, "udp", numeric)}`;
    case "sctp":
      return ` sctp${listPorts("spt", m.sport, "sctp", numeric)}${listPorts("dpt", m.dport, "sctp", numeric)}`;
    case "icmp": {
      if (numeric) {
        const code = m.codeLo === m.codeHi ? ` code ${m.codeLo}` : "";
        return m.inv ? ` icmp !type ${m.type}${code}` : ` icmptype ${m.type}${code}`;
      }
      if (m.type === 255) return ` icmp ${m.inv ? "!" : ""}any`;
      const name = icmpTypeName(m.type, m.codeLo, m.codeHi);
      const text =
        name ?? (m.codeLo === 0 && m.codeHi === 255 ? `type ${m.type}` : `type ${m.type} code ${m.codeLo}`);
      return ` icmp ${m.inv ? "!" : ""}${text}`;
    }
    case "state":
      return `${m.inv ? " !" : ""} state ${stateList(m.states, CT_STATE_NAMES)}`;
    case "conntrack": {
      let s = "";
      const inv = (b: boolean): string => (b ? " !" : "");
      if (m.ctstate) s += `${inv(m.ctstate.inv)} ctstate ${stateList(m.ctstate.states, CT_STATE_NAMES)}`;
      if (m.ctproto) s += `${inv(m.ctproto.inv)} ctproto ${m.ctproto.proto}`;
      const a = (n: string, x: AddrMatch | undefined): string => (x ? `${inv(x.inv)} ${n} ${addr(x)}` : "");
      s +=
        a("ctorigsrc", m.ctorigsrc) +
        a("ctorigdst", m.ctorigdst) +
        a("ctreplsrc", m.ctreplsrc) +
        a("ctrepldst", m.ctrepldst);
      const p = (n: string, x: InvPorts | undefined): string =>
        x ? `${inv(x.inv)} ${n} ${x.lo === x.hi ? x.lo : `${x.lo}:${x.hi}`}` : "";
      s +=
        p("ctorigsrcport", m.ctorigsrcport) +
        p("ctorigdstport", m.ctorigdstport) +
        p("ctreplsrcport", m.ctreplsrcport) +
        p("ctrepldstport", m.ctrepldstport);
      if (m.ctdir) s += ` ctdir ${m.ctdir}`;
      return s;
    }
    case "comment":
      return ` /* ${m.text} */`;
    case "mark":
      return ` mark match${m.inv ? " !" : ""}${mark(m.value, m.mask)}`;
    case "connmark":
      return ` connmark match ${m.inv ? "!" : ""}${mark(m.value, m.mask)}`;
    case "multiport":
      return ` multiport ${m.dir} ${m.inv ? " !" : ""}${m.ports.map((p) => rangeText(p, proto || "tcp", numeric)).join(",")}`;
    case "addrtype": {
      let s = " ADDRTYPE match";
      if (m.src) s += ` src-type ${m.src.inv ? "!" : ""}${addrtypeList(m.src.types)}`;
      if (m.dst) s += ` dst-type ${m.dst.inv ? "!" : ""}${addrtypeList(m.dst.types)}`;
      if (m.limitIn) s += " limit-in";
      if (m.limitOut) s += " limit-out";
      return s;
    }
    case "statistic":
      if (m.mode === "random")
        return ` statistic mode random${m.inv ? " !" : ""} probability ${probabilityText(m.probability)}`;
      return ` statistic mode nth${m.inv ? " !" : ""} every ${m.every}${m.packet ? ` packet ${m.packet}` : ""}`;
    case "recent": {
      const cmd = { set: "SET", rcheck: "CHECK", update: "UPDATE", remove: "REMOVE" }[m.cmd];
      let s = `${m.inv ? " !" : ""} recent: ${cmd}`;
      if (m.seconds) s += ` seconds: ${m.seconds}`;
      if (m.reap) s += " reap";
      if (m.hitcount) s += ` hit_count: ${m.hitcount}`;
      if (m.rttl) s += " TTL-Match";
      return `${s} name: ${m.name} side: ${m.side} mask: ${formatIPv4(m.mask)}`;
    }
    case "physdev":
      return ` PHYSDEV match${physdevOptions(m)}`;
    case "set":
      return `${m.inv ? " !" : ""} match-set ${m.name} ${m.flags.join(",")}`;
    case "limit":
      return ` limit: avg ${limitRate(m.avg)} burst ${m.burst}`;
    case "mac":
      return ` MAC${m.inv ? " !" : ""} ${m.mac}`;
    case "ipvs":
      return ipvsOptions(m, "");
    case "iprange": {
      let s = "";
      if (m.src)
        s += ` source IP range${m.src.inv ? " !" : ""} ${formatIPv4(m.src.lo)}-${formatIPv4(m.src.hi)}`;
      if (m.dst)
        s += ` destination IP range${m.dst.inv ? " !" : ""} ${formatIPv4(m.dst.lo)}-${formatIPv4(m.dst.hi)}`;
      return s;
    }
    case "length":
      return ` length ${m.inv ? "!" : ""}${m.lo === m.hi ? m.lo : `${m.lo}:${m.hi}`}`;
    case "ttl":
      return ` TTL match TTL ${{ eq: "==", ne: "!=", lt: "<", gt: ">" }[m.mode]} ${m.value}`;
    case "pkttype":
      return ` PKTTYPE ${m.inv ? "!" : ""}= ${m.type}`;
  }
}

function markTarget(label: string, v: number, m: number): string {
  if (v === 0) return ` ${label} and ${hex(~m >>> 0)}`;
  if (v === m) return ` ${label} or ${hex(v)}`;
  if (m === 0) return ` ${label} xor ${hex(v)}`;
  if (m === 0xffffffff) return ` ${label} set ${hex(v)}`;
  return ` ${label} xset ${hex(v)}/${hex(m)}`;
}

const LEVEL_NAMES = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"];

export function listTarget(t: Target, numeric: boolean): string {
  switch (t.kind) {
    case "REJECT":
      return ` reject-with ${t.with}`;
    case "LOG": {
      const p = t.prefix !== null ? ` prefix "${t.prefix}"` : "";
      const f = LOG_FLAG_NAMES.filter(([, b]) => t.flags & b)
        .map(([n]) => ` ${n}`)
        .join("");
      return numeric
        ? ` LOG flags ${t.flags} level ${t.level}${p}`
        : ` LOG level ${LEVEL_NAMES[t.level]}${f}${p}`;
    }
    case "MARK":
      return markTarget("MARK", t.value, t.mask);
    case "CONNMARK":
      if (t.mode === "set") return markTarget("CONNMARK", t.value, t.mask);
      if (t.nfmask === 0xffffffff && t.ctmask === 0xffffffff) return ` CONNMARK ${t.mode}`;
      if (t.nfmask === t.ctmask) return ` CONNMARK ${t.mode} mask ${hex(t.nfmask)}`;
      return ` CONNMARK ${t.mode} nfmask ${hex(t.nfmask)} ctmask ~${hex(t.ctmask)}`;
    case "DNAT":
    case "SNAT": {
      const r = t.range;
      return ` to:${natRangeText(r)}${r.random ? " random" : ""}${r.randomFully ? " random-fully" : ""}${r.persistent ? " persistent" : ""}`;
    }
    case "MASQUERADE": {
      const r = t.range;
      const p =
        r.minPort !== null
          ? ` masq ports: ${r.minPort}${r.maxPort !== r.minPort ? `-${r.maxPort}` : ""}`
          : "";
      return `${p}${r.random ? " random" : ""}${r.randomFully ? " random-fully" : ""}`;
    }
    case "REDIRECT": {
      const r = t.range;
      const p =
        r.minPort !== null
          ? ` redir ports ${r.minPort}${r.maxPort !== r.minPort ? `-${r.maxPort}` : ""}`
          : "";
      return `${p}${r.random ? " random" : ""}`;
    }
    case "CT":
      return t.notrack ? " CT notrack" : "";
    case "NOTRACK":
      return " NOTRACK";
    default:
      return "";
  }
}

const NETWORKS = new Map<number, string>([
  [0x7f000000, "loopback"],
  [0xa9fe0000, "link-local"],
]);

function hostText(a: AddrMatch | null, numeric: boolean): string {
  if (!a || (a.mask === 0 && !a.inv)) return numeric ? "0.0.0.0/0" : "anywhere";
  if (!numeric && a.addr === 0x7f000001 && a.mask === 0xffffffff) return "localhost";
  // Networks are named from /etc/networks (getnetbyaddr), as on Debian.
  if (!numeric && a.mask !== 0xffffffff) {
    const net = NETWORKS.get(a.addr);
    if (net) return `${net}/${maskText(a.mask)}`;
  }
  return addr(a);
}

function protoText(r: Rule, numeric: boolean): string {
  const n = r.proto?.num ?? 0;
  if (numeric) return String(n);
  return protoName(n);
}

export function listRule(r: Rule, num: number, o: ListOpts): string {
  let s = "";
  if (o.lineNumbers) s += `${padEnd(String(num), 4)} `;
  if (o.verbose) s += printNum(r.counters.pkts, o) + printNum(r.counters.bytes, o);
  const tname = r.target.kind === "NOTRACK" ? "CT" : targetName(r.target);
  s += `${padEnd(tname, 9)} `;
  s += r.proto?.inv ? "!" : " ";
  s += `${padEnd(protoText(r, o.numeric), 4)} `;
  s += r.frag === undefined ? "-- " : r.frag ? "-f " : "!f ";
  if (o.verbose) {
    const iface = (m: Rule["inIface"]): string =>
      m ? `${m.inv ? "!" : ""}${m.name}` : o.numeric ? "*" : "any";
    s += ` ${padEnd(iface(r.inIface), 6)} ${padEnd(iface(r.outIface), 6)} `;
  }
  s += `${r.src?.inv ? "!" : " "}${padEnd(hostText(r.src, o.numeric), 19)} `;
  s += `${r.dst?.inv ? "!" : " "}${padEnd(hostText(r.dst, o.numeric), 19)} `;
  const proto = r.proto?.num === 6 ? "tcp" : r.proto?.num === 17 ? "udp" : "";
  for (const m of r.matches) s += listMatch(m, o.numeric, proto);
  s += listTarget(r.target, o.numeric);
  return `${s}\n`;
}

export function listHeader(t: Table, c: Chain, o: ListOpts): string {
  let s = `Chain ${c.name}`;
  if (c.builtin) {
    s += ` (policy ${c.policy}`;
    if (o.verbose)
      s += ` ${printNum(c.counters.pkts, o, true)}packets, ${printNum(c.counters.bytes, o, true)}bytes`;
    s += ")\n";
  } else s += ` (${references(t, c.name)} references)\n`;
  if (o.lineNumbers) s += "num  ";
  // With -x the header's bytes column is two wider than the numbers under it, as v1.8.9 prints it.
  if (o.verbose) s += o.exact ? `${padStart("pkts", 8)} ${padStart("bytes", 10)} ` : " pkts bytes ";
  s += "target     prot opt ";
  if (o.verbose) s += "in     out     ";
  s += "source               destination         \n";
  return s;
}

export function listChain(t: Table, c: Chain, o: ListOpts): string {
  let s = listHeader(t, c, o);
  c.rules.forEach((r, i) => {
    s += listRule(r, i + 1, o);
  });
  return s;
}
