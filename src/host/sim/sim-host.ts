/**
 * @module host/sim
 * The host interface over the kernel model: each operation is the kernel
 * call the matching netlink request would make, with the same errors.
 */

import { type Conn, hasConntrack } from "../../kernel/conntrack/conntrack.js";
import { IPPROTO_TCP, IPPROTO_UDP } from "../../kernel/conntrack/tuple.js";
import { type KResult, STRERROR } from "../../kernel/errno.js";
import { routeAdd, routeDel } from "../../kernel/fib/route-ops.js";
import { RT_TABLE_MAIN } from "../../kernel/fib/table.js";
import { inetAddAddr, inetDelAddr } from "../../kernel/ipv4/devinet.js";
import {
  IP_VS_SVC_F_PERSISTENT,
  IP_VS_SVC_F_SCHED2,
  type IpVsProto,
  type IpVsService,
  ipVsAddDest,
  ipVsAddService,
  ipVsConnFlushService,
  ipVsDelDest,
  ipVsDelService,
  ipVsEditDest,
  ipVsEditService,
  ipVsFindService,
  ipvsOf,
} from "../../kernel/ipvs/index.js";
import { destroyNetns, type Kernel } from "../../kernel/kernel.js";
import { brAddIf, brDelIf } from "../../kernel/link/bridge/br-if.js";
import { createBridge, createDummy, createVeth, createVxlan } from "../../kernel/link/create.js";
import { changeNetns, rename, setMac, setMtu, setUp, unregister } from "../../kernel/link/dev.js";
import { vxlanFdbAdd } from "../../kernel/link/vxlan/vxlan-fdb.js";
import { nfState } from "../../kernel/netfilter/tables.js";
import type { NetNs } from "../../kernel/netns.js";
import type { NetDevice, NudState, RouteType, Scope } from "../../kernel/types.js";
import { formatIPv4, formatIPv6, parseIPv4 } from "../../net/ip.js";
import { parseMac } from "../../net/mac.js";
import { runIpset } from "../../shell/commands/ipset.js";
import { iptablesErrorText, restore, runParsed, saveTables } from "../../shell/commands/iptables/index.js";
import { parseIptables } from "../../shell/commands/iptables/parse.js";
import {
  type AddrInfo,
  type AddrOptions,
  type ConntrackFilterSpec,
  type ConntrackFlowSpec,
  type FdbSpec,
  type Host,
  HostError,
  type HostListener,
  type HttpHandler,
  type IpvsDestSpec,
  type IpvsServiceSpec,
  type LinkChange,
  type LinkInfo,
  type NeighSpec,
  type NsRef,
  type RouteInfo,
  type RouteSpec,
  type ServeSpec,
  type VethSpec,
  type VxlanSpec,
} from "../host.js";
import { serve, serveHttp, unlisten } from "./serve.js";

function check<T>(r: KResult<T>, what: string): T {
  if (!r.ok) throw new HostError(r.err.errno, `${what}: ${r.err.extack ?? STRERROR[r.err.errno]}`);
  return r.value;
}

function addr(s: string): number {
  const a = parseIPv4(s);
  if (a === null) throw new HostError("EINVAL", `invalid IPv4 address "${s}"`);
  return a;
}

function cidr(s: string): { addr: number; len: number } {
  if (s === "default") return { addr: 0, len: 0 };
  const [a, l] = s.split("/");
  const len = l === undefined ? 32 : Number(l);
  if (!Number.isInteger(len) || len < 0 || len > 32) throw new HostError("EINVAL", `invalid prefix "${s}"`);
  return { addr: addr(a ?? ""), len };
}

const PROTO_NUM: Record<IpvsServiceSpec["protocol"], IpVsProto> = { TCP: 6, UDP: 17, SCTP: 132 };
const PROTO_NAME: Record<IpVsProto, IpvsServiceSpec["protocol"]> = { 6: "TCP", 17: "UDP", 132: "SCTP" };

export class SimHost implements Host {
  readonly kind = "sim" as const;
  readonly kernel: Kernel;
  /** The namespace this host stands for (a node's root namespace). */
  readonly root: NetNs;

  constructor(kernel: Kernel, root?: NetNs) {
    this.kernel = kernel;
    this.root = root ?? kernel.initNs;
  }

  private ns(ref: NsRef): NetNs {
    if (ref === null) return this.root;
    const ns = this.kernel.named.get(ref);
    if (!ns) throw new HostError("ENOENT", `netns "${ref}": No such file or directory`);
    return ns;
  }

  private dev(ns: NetNs, name: string): NetDevice {
    const d = ns.byName.get(name);
    if (!d) throw new HostError("ENODEV", `Cannot find device "${name}"`);
    return d;
  }

  async netnsAdd(name: string): Promise<void> {
    if (this.kernel.named.has(name)) throw new HostError("EEXIST", `netns "${name}": File exists`);
    this.kernel.newNetns(name);
  }

  async netnsDel(name: string): Promise<void> {
    destroyNetns(this.kernel, this.ns(name));
  }

  async netnsList(): Promise<string[]> {
    return [...this.kernel.named.entries()]
      .filter(([, ns]) => ns !== this.root)
      .map(([n]) => n)
      .sort();
  }

  async vethAdd(ref: NsRef, s: VethSpec): Promise<void> {
    const ns = this.ns(ref);
    const peerNs = s.peerNs === undefined ? ns : this.ns(s.peerNs);
    check(
      createVeth(
        {
          name: s.name,
          ns,
          ...(s.mac ? { mac: s.mac } : {}),
          ...(s.mtu ? { mtu: s.mtu } : {}),
          ...(s.txqlen !== undefined ? { txqlen: s.txqlen } : {}),
        },
        {
          name: s.peer,
          ns: peerNs,
          ...(s.peerMac ? { mac: s.peerMac } : {}),
          ...(s.mtu ? { mtu: s.mtu } : {}),
          ...(s.txqlen !== undefined ? { txqlen: s.txqlen } : {}),
        },
      ),
      `veth ${s.name}`,
    );
  }

  async bridgeAdd(ref: NsRef, name: string, opts: { mtu?: number; mac?: string } = {}): Promise<void> {
    check(
      createBridge({
        name,
        ns: this.ns(ref),
        ...(opts.mac ? { mac: opts.mac } : {}),
        ...(opts.mtu ? { mtu: opts.mtu } : {}),
      }),
      `bridge ${name}`,
    );
  }

  async vxlanAdd(ref: NsRef, s: VxlanSpec): Promise<void> {
    const ns = this.ns(ref);
    check(
      createVxlan(
        { name: s.name, ns },
        {
          id: s.id,
          remote: null,
          local: s.local ? addr(s.local) : null,
          group: null,
          dev: s.dev ? this.dev(ns, s.dev) : null,
          dstport: s.dstport ?? 8472,
          learning: s.learning ?? true,
          ttl: 0,
        },
      ),
      `vxlan ${s.name}`,
    );
  }

  async linkSet(ref: NsRef, name: string, c: LinkChange): Promise<void> {
    const ns = this.ns(ref);
    const d = this.dev(ns, name);
    if (c.netns !== undefined) check(changeNetns(d, this.ns(c.netns), c.name), `${name} netns`);
    else if (c.name !== undefined) check(rename(d, c.name), `${name} name`);
    if (c.mac !== undefined) {
      const m = parseMac(c.mac);
      if (!m) throw new HostError("EINVAL", `invalid MAC "${c.mac}"`);
      check(setMac(d, m), `${name} address`);
    }
    if (c.mtu !== undefined) check(setMtu(d, c.mtu), `${name} mtu`);
    if (c.master !== undefined) {
      if (c.master === null) {
        if (d.master) brDelIf(d.master, d);
      } else check(brAddIf(this.dev(d.ns, c.master), d), `${name} master`);
    }
    if (c.hairpin !== undefined) {
      if (!d.brport) throw new HostError("EOPNOTSUPP", `${name} is not a bridge port`);
      d.brport.hairpin = c.hairpin;
    }
    if (c.promisc !== undefined) d.promisc = c.promisc ? 1 : 0;
    if (c.up !== undefined) setUp(d, c.up);
  }

  async linkDel(ref: NsRef, name: string): Promise<void> {
    unregister(this.dev(this.ns(ref), name));
  }

  async linkList(ref: NsRef): Promise<LinkInfo[]> {
    return [...this.ns(ref).devices.values()]
      .sort((a, b) => a.ifindex - b.ifindex)
      .map((d) => ({
        ifindex: d.ifindex,
        name: d.name,
        kind: d.kind,
        mac: d.mac,
        mtu: d.mtu,
        up: d.up,
        master: d.master?.name ?? null,
        peerIfindex: d.peer?.ifindex ?? null,
      }));
  }

  async addrAdd(ref: NsRef, dev: string, c: string, opts: AddrOptions = {}): Promise<void> {
    const p = cidr(c);
    const d = this.dev(this.ns(ref), dev);
    const hostBits = p.len === 0 ? 0xffffffff : (2 ** (32 - p.len) - 1) >>> 0;
    check(
      inetAddAddr(d, {
        local: p.addr,
        prefixlen: p.len,
        broadcast: opts.broadcast && p.len < 31 ? (p.addr | hostBits) >>> 0 : null,
        scope: null,
        label: null,
        noprefixroute: false,
        metric: 0,
      }),
      `address ${c}`,
    );
  }

  async addrDel(ref: NsRef, dev: string, c: string): Promise<void> {
    const p = cidr(c);
    check(inetDelAddr(this.dev(this.ns(ref), dev), p.addr, p.len), `address ${c}`);
  }

  async addrList(ref: NsRef, family: 4 | 6 = 4): Promise<AddrInfo[]> {
    const out: AddrInfo[] = [];
    for (const d of [...this.ns(ref).devices.values()].sort((a, b) => a.ifindex - b.ifindex)) {
      if (family === 6) {
        for (const a of d.inet6)
          out.push({
            dev: d.name,
            cidr: `${formatIPv6(a.local)}/${a.prefixlen}`,
            scope: a.scope,
            secondary: false,
          });
        continue;
      }
      for (const a of d.inet)
        out.push({
          dev: d.name,
          cidr: `${formatIPv4(a.local)}/${a.prefixlen}`,
          scope: a.scope,
          secondary: a.secondary,
        });
    }
    return out;
  }

  private spec(ns: NetNs, s: RouteSpec) {
    const p = cidr(s.dst);
    const type: RouteType = s.type ?? "unicast";
    const scope: Scope =
      s.scope ?? (type === "local" ? "host" : type === "unicast" && !s.via ? "link" : "global");
    return {
      table: s.table ?? RT_TABLE_MAIN,
      type,
      dst: p.addr,
      dstLen: p.len,
      metric: s.metric ?? 0,
      protocol: s.proto ?? "boot",
      scope,
      prefsrc: s.src ? addr(s.src) : null,
      gateway: s.via ? addr(s.via) : null,
      dev: s.dev ? this.dev(ns, s.dev) : null,
      onlink: s.onlink ?? false,
    };
  }

  async routeAdd(ref: NsRef, s: RouteSpec): Promise<void> {
    const ns = this.ns(ref);
    check(routeAdd(ns, this.spec(ns, s), "add"), `route ${s.dst}`);
  }

  async routeReplace(ref: NsRef, s: RouteSpec): Promise<void> {
    const ns = this.ns(ref);
    check(routeAdd(ns, this.spec(ns, s), "replace"), `route ${s.dst}`);
  }

  async routeDel(ref: NsRef, s: RouteSpec): Promise<void> {
    const ns = this.ns(ref);
    const x = this.spec(ns, s);
    check(
      routeDel(ns, {
        table: x.table,
        dst: x.dst,
        dstLen: x.dstLen,
        type: s.type ?? null,
        metric: s.metric ?? null,
        protocol: null,
        gateway: x.gateway,
        dev: x.dev,
        prefsrc: null,
      }),
      `route ${s.dst}`,
    );
  }

  async routeList(ref: NsRef, table = RT_TABLE_MAIN): Promise<RouteInfo[]> {
    const t = this.ns(ref).fib.find(table);
    if (!t) return [];
    return t.routes
      .filter((r) => r.family === 4)
      .map((r) => {
        const info: RouteInfo = {
          dst: r.dstLen === 0 ? "default" : `${formatIPv4(r.dst)}/${r.dstLen}`,
          table: r.table,
          type: r.type === "broadcast" || r.type === "multicast" || r.type === "throw" ? "unicast" : r.type,
          proto: r.protocol,
          scope: r.scope === "global" ? "global" : r.scope === "host" ? "host" : "link",
        };
        if (r.gateway !== null) info.via = formatIPv4(r.gateway);
        if (r.dev) info.dev = r.dev.name;
        if (r.prefsrc !== null) info.src = formatIPv4(r.prefsrc);
        if (r.metric) info.metric = r.metric;
        if (r.onlink) info.onlink = true;
        return info;
      });
  }

  async neighAdd(ref: NsRef, s: NeighSpec): Promise<void> {
    const ns = this.ns(ref);
    const d = this.dev(ns, s.dev);
    const mac = parseMac(s.lladdr);
    if (!mac) throw new HostError("EINVAL", `invalid lladdr "${s.lladdr}"`);
    const state: NudState =
      s.state === "reachable" ? "REACHABLE" : s.state === "noarp" ? "NOARP" : "PERMANENT";
    const ip = addr(s.dst);
    const n = ns.neigh.lookup(d, ip) ?? ns.neigh.create(d, ip, state, mac);
    n.state = state;
    n.lladdr = mac;
  }

  async fdbAdd(ref: NsRef, s: FdbSpec): Promise<void> {
    const ns = this.ns(ref);
    const d = this.dev(ns, s.dev);
    const mac = parseMac(s.mac);
    if (!mac) throw new HostError("EINVAL", `invalid MAC "${s.mac}"`);
    if (d.kind === "vxlan") {
      if (!s.dst) throw new HostError("EINVAL", `fdb ${s.mac} dev ${s.dev}: a vxlan entry needs dst`);
      check(vxlanFdbAdd(d, mac, addr(s.dst)), `fdb ${s.mac} dev ${s.dev}`);
      return;
    }
    if (!d.master?.bridge) throw new HostError("EOPNOTSUPP", `${s.dev} is not a bridge port`);
    d.master.bridge.fdb.set(mac, { mac, port: d, kind: "static", updated: this.kernel.clock.now, used: 0 });
  }

  async sysctlSet(ref: NsRef, key: string, value: string): Promise<void> {
    const r = this.ns(ref).sysctl.set(key, value);
    if (!r.ok) throw new HostError(r.errno, `sysctl ${key}: ${STRERROR[r.errno]}`);
  }

  async sysctlGet(ref: NsRef, key: string): Promise<string> {
    const v = this.ns(ref).sysctl.get(key);
    if (v === undefined) throw new HostError("ENOENT", `sysctl ${key}: No such file or directory`);
    return v;
  }

  async iptables(ref: NsRef, args: string[]): Promise<string> {
    const ns = this.ns(ref);
    const a = args[0] === "-w" || args[0] === "--wait" ? args.slice(1) : args;
    try {
      return runParsed(nfState(ns), parseIptables(a));
    } catch (e) {
      const text = iptablesErrorText(e);
      if (text === null) throw e;
      throw new HostError("EINVAL", `iptables ${a.join(" ")}: ${text.trim()}`);
    }
  }

  async iptablesSave(ref: NsRef, table?: string): Promise<string> {
    return saveTables(this.ns(ref), table ?? null, false);
  }

  async iptablesRestore(ref: NsRef, payload: string, opts: { noflush?: boolean } = {}): Promise<void> {
    const err = restore(nfState(this.ns(ref)), payload, {
      noflush: opts.noflush ?? false,
      counters: false,
      test: false,
      table: null,
    });
    if (err) throw new HostError("EINVAL", `iptables-restore: ${err.error.trim()}`);
  }

  async dummyAdd(ref: NsRef, name: string): Promise<void> {
    check(createDummy({ name, ns: this.ns(ref) }), `dummy ${name}`);
  }

  async ipset(ref: NsRef, args: string[]): Promise<string> {
    const r = runIpset(this.ns(ref), args);
    if (r.exitCode !== 0) throw new HostError("EINVAL", r.stderr.trim());
    return r.stdout;
  }

  private ipvsSvc(ref: NsRef, v: IpvsServiceSpec): { ns: NetNs; svc: IpVsService | null; proto: IpVsProto } {
    const ns = this.ns(ref);
    const proto = PROTO_NUM[v.protocol];
    return { ns, svc: ipVsFindService(ns, proto, addr(v.address), v.port), proto };
  }

  async ipvsServiceList(ref: NsRef): Promise<IpvsServiceSpec[]> {
    return [...ipvsOf(this.ns(ref)).services.values()]
      .sort((x, y) => x.proto - y.proto || (x.addr >>> 0) - (y.addr >>> 0) || x.port - y.port)
      .map((x) => ({
        protocol: PROTO_NAME[x.proto],
        address: formatIPv4(x.addr),
        port: x.port,
        scheduler: x.scheduler,
        ...(x.flags & IP_VS_SVC_F_PERSISTENT ? { persistent: true, timeout: x.timeout } : {}),
        ...(x.flags & IP_VS_SVC_F_SCHED2 ? { sourceHash: true } : {}),
      }));
  }

  private ipvsUser(v: IpvsServiceSpec) {
    return {
      proto: PROTO_NUM[v.protocol],
      addr: addr(v.address),
      port: v.port,
      scheduler: v.scheduler,
      flags: (v.persistent ? IP_VS_SVC_F_PERSISTENT : 0) | (v.sourceHash ? IP_VS_SVC_F_SCHED2 : 0),
      timeout: v.persistent ? (v.timeout ?? 0) : 0,
    };
  }

  async ipvsServiceAdd(ref: NsRef, v: IpvsServiceSpec): Promise<void> {
    check(ipVsAddService(this.ns(ref), this.ipvsUser(v)), `ipvs add service ${v.address}:${v.port}`);
  }

  async ipvsServiceUpdate(ref: NsRef, v: IpvsServiceSpec): Promise<void> {
    check(ipVsEditService(this.ns(ref), this.ipvsUser(v)), `ipvs update service ${v.address}:${v.port}`);
  }

  async ipvsServiceDel(ref: NsRef, v: IpvsServiceSpec): Promise<void> {
    const { ns, svc, proto } = this.ipvsSvc(ref, v);
    if (svc) ipVsConnFlushService(ns, svc);
    check(ipVsDelService(ns, proto, addr(v.address), v.port), `ipvs delete service ${v.address}:${v.port}`);
  }

  private needSvc(ref: NsRef, v: IpvsServiceSpec): IpVsService {
    const { svc } = this.ipvsSvc(ref, v);
    if (!svc) throw new HostError("ESRCH", `ipvs service ${v.address}:${v.port}: No such process`);
    return svc;
  }

  async ipvsDestList(ref: NsRef, v: IpvsServiceSpec): Promise<IpvsDestSpec[]> {
    return [...this.needSvc(ref, v).dests]
      .sort((x, y) => (x.addr >>> 0) - (y.addr >>> 0) || x.port - y.port)
      .map((d) => ({
        address: formatIPv4(d.addr),
        port: d.port,
        weight: d.weight,
        activeConns: d.activeconns,
        inactiveConns: d.inactconns,
      }));
  }

  async ipvsDestAdd(ref: NsRef, v: IpvsServiceSpec, d: IpvsDestSpec): Promise<void> {
    const u = { addr: addr(d.address), port: d.port, weight: d.weight, fwd: "masq" as const };
    check(ipVsAddDest(this.needSvc(ref, v), u), `ipvs add destination ${d.address}:${d.port}`);
  }

  async ipvsDestUpdate(ref: NsRef, v: IpvsServiceSpec, d: IpvsDestSpec): Promise<void> {
    const u = { addr: addr(d.address), port: d.port, weight: d.weight, fwd: "masq" as const };
    check(ipVsEditDest(this.needSvc(ref, v), u), `ipvs update destination ${d.address}:${d.port}`);
  }

  async ipvsDestDel(ref: NsRef, v: IpvsServiceSpec, d: IpvsDestSpec): Promise<void> {
    check(
      ipVsDelDest(this.needSvc(ref, v), addr(d.address), d.port),
      `ipvs delete destination ${d.address}:${d.port}`,
    );
  }

  async conntrackList(ref: NsRef, protocol: ConntrackFlowSpec["protocol"]): Promise<ConntrackFlowSpec[]> {
    const proto = CT_PROTO[protocol];
    return this.conns(ref)
      .filter((c) => c.tuple[0].proto === proto)
      .map((c) => ({
        protocol,
        origDst: formatIPv4(c.tuple[0].dst),
        origDstPort: c.tuple[0].dport,
        replySrc: formatIPv4(c.tuple[1].src),
      }));
  }

  async conntrackClear(ref: NsRef, filters: readonly ConntrackFilterSpec[]): Promise<void> {
    const ct = hasConntrack(this.ns(ref));
    const fs = filters.map((f) => ({
      proto: CT_PROTO[f.protocol],
      dport: f.origDstPort,
      dst: f.origDst === undefined ? null : parseIPv4(f.origDst),
      replySrc: parseIPv4(f.replySrc),
    }));
    for (const c of this.conns(ref)) {
      const [o, r] = c.tuple;
      const hit = fs.some(
        (f) =>
          o.proto === f.proto &&
          o.dport === f.dport &&
          (f.dst === null || o.dst === f.dst) &&
          r.src === f.replySrc,
      );
      if (hit) ct?.remove(c);
    }
  }

  /** The namespace's live conntrack entries (expired ones dropped first, as a dump never shows them). */
  private conns(ref: NsRef): Conn[] {
    const ct = hasConntrack(this.ns(ref));
    if (!ct) return [];
    ct.gc();
    return [...ct.conns];
  }

  async serve(ref: NsRef, s: ServeSpec): Promise<void> {
    serve(this.ns(ref), s);
  }

  async listenHttp(ref: NsRef, address: string, port: number, handler: HttpHandler): Promise<HostListener> {
    const ns = this.ns(ref);
    const l = serveHttp(ns, address === "0.0.0.0" ? 0 : addr(address), port, handler);
    return { close: async () => unlisten(ns, l) };
  }
}

const CT_PROTO: Record<ConntrackFlowSpec["protocol"], number> = {
  TCP: IPPROTO_TCP,
  UDP: IPPROTO_UDP,
  SCTP: 132,
};
