/**
 * @module host/linux
 * The host interface on the real kernel, through iproute2 and sysctl inside
 * network namespaces. The host's own namespace is one it was given by name
 * (a lab node), never the machine's: every command carries `-n`.
 */
import { execFile } from "node:child_process";
import { type Errno, STRERROR } from "../../kernel/errno.js";
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

const ERRNO_BY_TEXT = new Map<string, Errno>(Object.entries(STRERROR).map(([k, v]) => [v, k as Errno]));

/** iproute2 prints an extack message without its errno: these are the kernel's pairs. */
function extackErrno(msg: string): Errno {
  if (/File exists|Address already assigned/.test(msg)) return "EEXIST";
  if (/Cannot find device|does not exist/.test(msg)) return "ENODEV";
  if (/is not up/.test(msg)) return "ENETDOWN";
  if (/Address not found/.test(msg)) return "EADDRNOTAVAIL";
  if (/No such file or directory/.test(msg)) return "ENOENT";
  return "EINVAL";
}

function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } },
      (err, stdout, stderr) => {
        if (!err) {
          resolve(stdout);
          return;
        }
        const msg = (stderr || err.message).trim();
        const m = /RTNETLINK answers: (.*)$/m.exec(msg);
        const errno = (m && ERRNO_BY_TEXT.get(m[1]!)) ?? extackErrno(msg);
        reject(new HostError(errno, `${cmd} ${args.join(" ")}: ${msg}`));
      },
    );
    // A command that exits before reading its input (a failing check) must not crash us with EPIPE.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(input ?? "");
  });
}

interface IpLinkJson {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  master?: string;
  address: string;
  link_index?: number;
  link?: string;
  link_type: string;
  linkinfo?: { info_kind?: string };
}

export class LinuxHost implements Host {
  readonly kind = "linux" as const;
  /**
   * The namespace this host stands for: a name under /run/netns, or null for
   * the namespace this process runs in — only for a CNI plugin executable,
   * which its runtime starts in the node's namespace.
   */
  readonly root: string | null;

  constructor(root: string | null) {
    this.root = root;
  }

  /** A namespace as `ip … netns` takes it: a /run/netns name, a path (CNI_NETNS), or our own by /proc. */
  private n(ref: NsRef): string {
    const r = ref ?? this.root;
    return r ?? `/proc/${process.pid}/ns/net`;
  }

  /** Runs a command inside a namespace: `ip -n` for names, nsenter for paths, directly for our own. */
  private inNs(ref: NsRef, cmd: string, args: string[]): Promise<string> {
    const r = ref ?? this.root;
    if (r === null) return run(cmd, args);
    if (r.includes("/")) return run("nsenter", [`--net=${r}`, cmd, ...args]);
    if (cmd === "ip" || cmd === "bridge") return run(cmd, ["-n", r, ...args]);
    return run("ip", ["netns", "exec", r, cmd, ...args]);
  }

  /** As inNs, with `input` on the command's standard input. */
  private inNsInput(ref: NsRef, cmd: string, args: string[], input: string): Promise<string> {
    const r = ref ?? this.root;
    if (r === null) return run(cmd, args, input);
    if (r.includes("/")) return run("nsenter", [`--net=${r}`, cmd, ...args], input);
    return run("ip", ["netns", "exec", r, cmd, ...args], input);
  }

  private ip(ref: NsRef, ...args: string[]): Promise<string> {
    return this.inNs(ref, "ip", args);
  }

  async netnsAdd(name: string): Promise<void> {
    await run("ip", ["netns", "add", name]);
  }

  async netnsDel(name: string): Promise<void> {
    await run("ip", ["netns", "del", name]);
  }

  async netnsList(): Promise<string[]> {
    const out = await run("ip", ["netns", "list"]);
    return out
      .split("\n")
      .map((l) => l.split(" ")[0] ?? "")
      .filter((x) => x && x !== this.root)
      .sort();
  }

  async vethAdd(ref: NsRef, s: VethSpec): Promise<void> {
    const args = ["link", "add", s.name];
    if (s.mac) args.push("address", s.mac);
    if (s.mtu) args.push("mtu", String(s.mtu));
    if (s.txqlen !== undefined) args.push("txqueuelen", String(s.txqlen));
    args.push("type", "veth", "peer", "name", s.peer);
    if (s.peerMac) args.push("address", s.peerMac);
    if (s.mtu) args.push("mtu", String(s.mtu));
    if (s.txqlen !== undefined) args.push("txqueuelen", String(s.txqlen));
    if (s.peerNs !== undefined && this.n(s.peerNs) !== this.n(ref)) args.push("netns", this.n(s.peerNs));
    await this.ip(ref, ...args);
  }

  async bridgeAdd(ref: NsRef, name: string, opts: { mtu?: number; mac?: string } = {}): Promise<void> {
    const args = ["link", "add", name];
    if (opts.mac) args.push("address", opts.mac);
    if (opts.mtu) args.push("mtu", String(opts.mtu));
    await this.ip(ref, ...args, "type", "bridge");
  }

  async vxlanAdd(ref: NsRef, s: VxlanSpec): Promise<void> {
    const args = [
      "link",
      "add",
      s.name,
      "type",
      "vxlan",
      "id",
      String(s.id),
      "dstport",
      String(s.dstport ?? 8472),
    ];
    if (s.local) args.push("local", s.local);
    if (s.dev) args.push("dev", s.dev);
    if (s.learning === false) args.push("nolearning");
    await this.ip(ref, ...args);
  }

  async linkSet(ref: NsRef, name: string, c: LinkChange): Promise<void> {
    let here = ref;
    let dev = name;
    if (c.netns !== undefined) {
      const args = ["link", "set", "dev", dev, "netns", this.n(c.netns)];
      if (c.name !== undefined) args.push("name", c.name);
      await this.ip(here, ...args);
      here = c.netns;
      dev = c.name ?? dev;
    } else if (c.name !== undefined) {
      await this.ip(here, "link", "set", "dev", dev, "name", c.name);
      dev = c.name;
    }
    if (c.mac !== undefined) await this.ip(here, "link", "set", "dev", dev, "address", c.mac);
    if (c.mtu !== undefined) await this.ip(here, "link", "set", "dev", dev, "mtu", String(c.mtu));
    if (c.master !== undefined) {
      await this.ip(
        here,
        "link",
        "set",
        "dev",
        dev,
        ...(c.master === null ? ["nomaster"] : ["master", c.master]),
      );
    }
    if (c.hairpin !== undefined)
      await this.ip(
        here,
        "link",
        "set",
        "dev",
        dev,
        "type",
        "bridge_slave",
        "hairpin",
        c.hairpin ? "on" : "off",
      );
    if (c.promisc !== undefined)
      await this.ip(here, "link", "set", "dev", dev, "promisc", c.promisc ? "on" : "off");
    if (c.up !== undefined) await this.ip(here, "link", "set", "dev", dev, c.up ? "up" : "down");
  }

  async linkDel(ref: NsRef, name: string): Promise<void> {
    await this.ip(ref, "link", "del", "dev", name);
  }

  async linkList(ref: NsRef): Promise<LinkInfo[]> {
    const links = JSON.parse(await this.ip(ref, "-d", "-j", "link", "show")) as IpLinkJson[];
    return links.map((l) => ({
      ifindex: l.ifindex,
      name: l.ifname,
      kind: (l.link_type === "loopback"
        ? "loopback"
        : (l.linkinfo?.info_kind ?? "dummy")) as LinkInfo["kind"],
      mac: l.address,
      mtu: l.mtu,
      up: l.flags.includes("UP"),
      master: l.master ?? null,
      peerIfindex:
        l.link_index ?? (l.link ? (links.find((x) => x.ifname === l.link)?.ifindex ?? null) : null),
    }));
  }

  async addrAdd(ref: NsRef, dev: string, cidr: string, opts: AddrOptions = {}): Promise<void> {
    const len = Number(cidr.split("/")[1] ?? 32);
    await this.ip(ref, "addr", "add", cidr, ...(opts.broadcast && len < 31 ? ["brd", "+"] : []), "dev", dev);
  }

  async addrDel(ref: NsRef, dev: string, cidr: string): Promise<void> {
    await this.ip(ref, "addr", "del", cidr, "dev", dev);
  }

  async addrList(ref: NsRef, family: 4 | 6 = 4): Promise<AddrInfo[]> {
    const links = JSON.parse(await this.ip(ref, `-${family}`, "-j", "addr", "show")) as Array<{
      ifname: string;
      addr_info: Array<{ local: string; prefixlen: number; scope: string; secondary?: boolean }>;
    }>;
    return links.flatMap((l) =>
      l.addr_info.map((a) => ({
        dev: l.ifname,
        cidr: `${a.local}/${a.prefixlen}`,
        scope: a.scope,
        secondary: a.secondary === true,
      })),
    );
  }

  private routeArgs(s: RouteSpec): string[] {
    const a: string[] = [];
    if (s.type && s.type !== "unicast") a.push(s.type);
    a.push(s.dst);
    if (s.via) a.push("via", s.via);
    if (s.dev) a.push("dev", s.dev);
    if (s.src) a.push("src", s.src);
    if (s.table !== undefined) a.push("table", String(s.table));
    if (s.metric !== undefined) a.push("metric", String(s.metric));
    if (s.scope) a.push("scope", s.scope);
    if (s.proto) a.push("proto", s.proto);
    if (s.onlink) a.push("onlink");
    return a;
  }

  async routeAdd(ref: NsRef, s: RouteSpec): Promise<void> {
    await this.ip(ref, "route", "add", ...this.routeArgs(s));
  }

  async routeReplace(ref: NsRef, s: RouteSpec): Promise<void> {
    await this.ip(ref, "route", "replace", ...this.routeArgs(s));
  }

  async routeDel(ref: NsRef, s: RouteSpec): Promise<void> {
    await this.ip(ref, "route", "del", ...this.routeArgs(s));
  }

  async routeList(ref: NsRef, table = 254): Promise<RouteInfo[]> {
    const rows = JSON.parse(
      await this.ip(ref, "-4", "-j", "route", "show", "table", String(table)),
    ) as Array<{
      type?: string;
      dst: string;
      gateway?: string;
      dev?: string;
      protocol?: string;
      scope?: string;
      prefsrc?: string;
      metric?: number;
      flags: string[];
    }>;
    return rows.map((r) => {
      const t = r.type ?? "unicast";
      const info: RouteInfo = {
        dst: r.dst === "default" ? "default" : r.dst.includes("/") ? r.dst : `${r.dst}/32`,
        table,
        type: (t === "broadcast" || t === "multicast" ? "unicast" : t) as RouteInfo["type"],
        proto: r.protocol ?? "boot",
        scope: (r.scope ?? "global") as "global" | "link" | "host",
      };
      if (r.gateway) info.via = r.gateway;
      if (r.dev) info.dev = r.dev;
      if (r.prefsrc) info.src = r.prefsrc;
      if (r.metric) info.metric = r.metric;
      if (r.flags.includes("onlink")) info.onlink = true;
      return info;
    });
  }

  async neighAdd(ref: NsRef, s: NeighSpec): Promise<void> {
    await this.ip(
      ref,
      "neigh",
      "replace",
      s.dst,
      "lladdr",
      s.lladdr,
      "dev",
      s.dev,
      "nud",
      s.state ?? "permanent",
    );
  }

  async fdbAdd(ref: NsRef, s: FdbSpec): Promise<void> {
    const args = ["fdb", "append", s.mac, "dev", s.dev];
    if (s.dst) args.push("dst", s.dst);
    args.push(s.self ? "self" : "master", "permanent");
    await this.inNs(ref, "bridge", args);
  }

  async sysctlSet(ref: NsRef, key: string, value: string): Promise<void> {
    await this.inNs(ref, "sysctl", ["-q", "-w", `${key}=${value}`]);
  }

  async sysctlGet(ref: NsRef, key: string): Promise<string> {
    return (await this.inNs(ref, "sysctl", ["-n", key])).trim();
  }

  async iptables(ref: NsRef, args: string[]): Promise<string> {
    return this.inNs(ref, "iptables", ["-w", ...args]);
  }

  async iptablesSave(ref: NsRef, table?: string): Promise<string> {
    return this.inNs(ref, "iptables-save", table ? ["-t", table] : []);
  }

  async iptablesRestore(ref: NsRef, payload: string, opts: { noflush?: boolean } = {}): Promise<void> {
    await this.inNsInput(ref, "iptables-restore", ["-w", ...(opts.noflush ? ["--noflush"] : [])], payload);
  }

  async dummyAdd(ref: NsRef, name: string): Promise<void> {
    await this.ip(ref, "link", "add", name, "type", "dummy");
  }

  async ipset(ref: NsRef, args: string[]): Promise<string> {
    return this.inNs(ref, "ipset", args);
  }

  /** The ipvsadm switch naming a service: -t|-u|--sctp-service ADDR:PORT. */
  private vs(v: IpvsServiceSpec): string[] {
    const sw = v.protocol === "TCP" ? "-t" : v.protocol === "UDP" ? "-u" : "--sctp-service";
    return [sw, `${v.address}:${v.port}`];
  }

  private vsArgs(v: IpvsServiceSpec): string[] {
    return [
      ...this.vs(v),
      "-s",
      v.scheduler,
      ...(v.persistent ? ["-p", String(v.timeout ?? 0)] : []),
      ...(v.sourceHash ? ["-b", "sh-port"] : []),
    ];
  }

  /** `ipvsadm -S -n`, parsed: the rules that rebuild the table. */
  private async ipvsSave(ref: NsRef): Promise<string[][]> {
    const out = await this.inNs(ref, "ipvsadm", ["-S", "-n"]);
    return out
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => l.trim().split(/\s+/));
  }

  async ipvsServiceList(ref: NsRef): Promise<IpvsServiceSpec[]> {
    const out: IpvsServiceSpec[] = [];
    for (const f of await this.ipvsSave(ref)) {
      if (f[0] !== "-A") continue;
      const protocol = f[1] === "-t" ? "TCP" : f[1] === "-u" ? "UDP" : "SCTP";
      const [address, port] = (f[2] ?? "").split(":");
      const p = f.indexOf("-p");
      out.push({
        protocol,
        address: address ?? "",
        port: Number(port),
        scheduler: f[f.indexOf("-s") + 1] ?? "",
        ...(p >= 0 ? { persistent: true, timeout: Number(f[p + 1]) } : {}),
      });
    }
    return out;
  }

  async ipvsServiceAdd(ref: NsRef, v: IpvsServiceSpec): Promise<void> {
    await this.inNs(ref, "ipvsadm", ["-A", ...this.vsArgs(v)]);
  }

  async ipvsServiceUpdate(ref: NsRef, v: IpvsServiceSpec): Promise<void> {
    await this.inNs(ref, "ipvsadm", ["-E", ...this.vsArgs(v)]);
  }

  async ipvsServiceDel(ref: NsRef, v: IpvsServiceSpec): Promise<void> {
    await this.inNs(ref, "ipvsadm", ["-D", ...this.vs(v)]);
  }

  /** `ipvsadm -Ln -t|-u VIP:PORT`: its real servers with their connection counts (graceful deletion reads them). */
  async ipvsDestList(ref: NsRef, v: IpvsServiceSpec): Promise<IpvsDestSpec[]> {
    const out = await this.inNs(ref, "ipvsadm", ["-L", "-n", ...this.vs(v)]);
    const dests: IpvsDestSpec[] = [];
    for (const line of out.split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f[0] !== "->" || f[1] === "RemoteAddress:Port") continue;
      const [address, port] = (f[1] ?? "").split(":");
      dests.push({
        address: address ?? "",
        port: Number(port),
        weight: Number(f[3]),
        activeConns: Number(f[4]),
        inactiveConns: Number(f[5]),
      });
    }
    return dests;
  }

  /** `ipvsadm -a|-e …`: a masquerading real server with its weight. */
  private async ipvsDestSet(op: "-a" | "-e", ref: NsRef, v: IpvsServiceSpec, d: IpvsDestSpec): Promise<void> {
    await this.inNs(ref, "ipvsadm", [
      op,
      ...this.vs(v),
      "-r",
      `${d.address}:${d.port}`,
      "-m",
      "-w",
      String(d.weight),
    ]);
  }

  async ipvsDestAdd(ref: NsRef, v: IpvsServiceSpec, d: IpvsDestSpec): Promise<void> {
    await this.ipvsDestSet("-a", ref, v, d);
  }

  async ipvsDestUpdate(ref: NsRef, v: IpvsServiceSpec, d: IpvsDestSpec): Promise<void> {
    await this.ipvsDestSet("-e", ref, v, d);
  }

  async ipvsDestDel(ref: NsRef, v: IpvsServiceSpec, d: IpvsDestSpec): Promise<void> {
    await this.inNs(ref, "ipvsadm", ["-d", ...this.vs(v), "-r", `${d.address}:${d.port}`]);
  }

  async conntrackList(ref: NsRef, protocol: ConntrackFlowSpec["protocol"]): Promise<ConntrackFlowSpec[]> {
    const out = await this.inNs(ref, "conntrack", ["-L", "-f", "ipv4", "-p", protocol.toLowerCase()]);
    const flows: ConntrackFlowSpec[] = [];
    // "udp 17 29 src=A dst=B sport=S dport=D [UNREPLIED] src=B' dst=A sport=D' dport=S mark=0 use=1":
    // the first dst/dport are the original direction's, the second src the reply's.
    for (const line of out.split("\n")) {
      const dst = /\bdst=(\S+)/.exec(line);
      const dport = /\bdport=(\d+)/.exec(line);
      const srcs = [...line.matchAll(/\bsrc=(\S+)/g)];
      if (!dst || !dport || srcs.length < 2) continue;
      flows.push({ protocol, origDst: dst[1]!, origDstPort: Number(dport[1]), replySrc: srcs[1]![1]! });
    }
    return flows;
  }

  async conntrackClear(ref: NsRef, filters: readonly ConntrackFilterSpec[]): Promise<void> {
    for (const f of filters) {
      const args = ["-D", "-f", "ipv4", "-p", f.protocol.toLowerCase()];
      if (f.origDst !== undefined) args.push("--orig-dst", f.origDst);
      args.push("--orig-port-dst", String(f.origDstPort), "--reply-src", f.replySrc);
      try {
        await this.inNs(ref, "conntrack", args);
      } catch (e) {
        // conntrack -D exits 1 when nothing matched ("0 flow entries have been deleted."): an earlier
        // filter may have taken the entries this one names, or the flow ended meanwhile.
        if (!(e instanceof HostError && /\b0 flow entries have been deleted/.test(e.message))) throw e;
      }
    }
  }

  async serve(_ref: NsRef, _s: ServeSpec): Promise<void> {
    throw new HostError("EOPNOTSUPP", "serving a pod's ports on the real kernel is not implemented yet");
  }

  async listenHttp(_ref: NsRef, _addr: string, _port: number, _h: HttpHandler): Promise<HostListener> {
    throw new HostError(
      "EOPNOTSUPP",
      "an HTTP server in a namespace of the real kernel is not implemented yet",
    );
  }
}
