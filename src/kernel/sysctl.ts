/**
 * @module kernel/sysctl
 * /proc/sys/net for one namespace. Per-device entries (net.ipv4.conf.DEV.*,
 * net.ipv4.neigh.DEV.*, net.ipv6.conf.DEV.*) appear when a device registers,
 * copied from `default`, and go away with it. The `all`/device combination
 * rules are the kernel's IN_DEV_* macros (devinet.c, inetdevice.h).
 */
/** Every net.ipv4.conf.* entry (devinet_sysctl) with ipv4_devconf_dflt's value. */
export const IPV4_CONF_DEFAULTS: Record<string, string> = {
  accept_local: "0",
  accept_redirects: "1",
  accept_source_route: "1",
  arp_accept: "0",
  arp_announce: "0",
  arp_evict_nocarrier: "1",
  arp_filter: "0",
  arp_ignore: "0",
  arp_notify: "0",
  bc_forwarding: "0",
  bootp_relay: "0",
  disable_policy: "0",
  disable_xfrm: "0",
  drop_gratuitous_arp: "0",
  drop_unicast_in_l2_multicast: "0",
  force_igmp_version: "0",
  forwarding: "0",
  igmpv2_unsolicited_report_interval: "10000",
  igmpv3_unsolicited_report_interval: "1000",
  ignore_routes_with_linkdown: "0",
  log_martians: "0",
  mc_forwarding: "0",
  medium_id: "0",
  promote_secondaries: "0",
  proxy_arp: "0",
  proxy_arp_pvlan: "0",
  route_localnet: "0",
  rp_filter: "0",
  secure_redirects: "1",
  send_redirects: "1",
  shared_media: "1",
  src_valid_mark: "0",
  tag: "0",
};

/** Where `all` (ipv4_devconf) starts other than `default`. */
const IPV4_CONF_ALL: Record<string, string> = {
  accept_source_route: "0",
};

export const NEIGH_DEFAULTS: Record<string, string> = {
  app_solicit: "0",
  base_reachable_time_ms: "30000",
  delay_first_probe_time: "5",
  gc_stale_time: "60",
  locktime: "100",
  mcast_resolicit: "0",
  mcast_solicit: "3",
  proxy_delay: "80",
  proxy_qlen: "64",
  retrans_time_ms: "1000",
  ucast_solicit: "3",
  unres_qlen: "101",
  unres_qlen_bytes: "212992",
};

const IPV6_CONF_DEFAULTS: Record<string, string> = {
  accept_ra: "1",
  disable_ipv6: "0",
  forwarding: "0",
  accept_dad: "1",
  dad_transmits: "1",
  enhanced_dad: "1",
};

/** Where `all` starts from other than IPV6_CONF_DEFAULTS (ipv6_devconf against ipv6_devconf_dflt). */
const IPV6_CONF_ALL: Record<string, string> = {
  accept_dad: "0",
};

const GLOBAL_DEFAULTS: Record<string, string> = {
  "net.ipv4.ip_forward": "0",
  "net.ipv4.ip_default_ttl": "64",
  "net.ipv4.ip_local_port_range": "32768\t60999",
  "net.ipv4.ip_local_reserved_ports": "",
  "net.ipv4.icmp_echo_ignore_all": "0",
  "net.ipv4.icmp_echo_ignore_broadcasts": "1",
  "net.ipv4.icmp_ratelimit": "1000",
  "net.ipv4.ip_nonlocal_bind": "0",
  "net.ipv4.tcp_syn_retries": "6",
  "net.ipv4.ping_group_range": "0\t2147483647",
  "net.ipv6.conf.all.disable_ipv6": "0",
  "net.ipv6.conf.default.disable_ipv6": "0",
  "net.ipv6.conf.all.forwarding": "0",
  "net.ipv6.conf.default.forwarding": "0",
  // ip_vs is loaded (kube-proxy's ipvs mode needs it); its defaults, per namespace.
  "net.ipv4.vs.conntrack": "0",
  "net.ipv4.vs.conn_reuse_mode": "1",
  "net.ipv4.vs.expire_nodest_conn": "0",
  "net.ipv4.vs.expire_quiescent_template": "0",
  "net.bridge.bridge-nf-call-iptables": "1",
  "net.bridge.bridge-nf-call-ip6tables": "1",
  "net.bridge.bridge-nf-call-arptables": "1",
};

/**
 * How a net.netfilter.* write is checked: a timeout is read by proc_dointvec_jiffies (an int no
 * larger in size than INT_MAX / HZ, HZ = 250 here), a switch by proc_dou8vec_minmax (its range), a
 * logger by its name. The table's size entries are the initial namespace's, read-only in the others;
 * the count is read-only everywhere. nf_hooks_lwtunnel is one switch for the machine, written from
 * any namespace, that cannot be turned off once on (a static key: EBUSY).
 */
type NfCheck = "jiffies" | "int" | "global" | "readonly" | "lwtunnel" | readonly [number, number];

/** net.netfilter.* as nf_conntrack_standalone (and nf_log, nf_hooks_lwtunnel) registers it in every namespace. */
const NETFILTER: Record<string, [string, NfCheck]> = {
  nf_conntrack_acct: ["0", [0, 1]],
  nf_conntrack_buckets: ["262144", "global"],
  nf_conntrack_checksum: ["1", [0, 1]],
  nf_conntrack_count: ["0", "readonly"],
  nf_conntrack_events: ["2", [0, 2]],
  nf_conntrack_expect_max: ["4096", "global"],
  nf_conntrack_frag6_high_thresh: ["4194304", "int"],
  nf_conntrack_frag6_low_thresh: ["3145728", "int"],
  nf_conntrack_frag6_timeout: ["60", "jiffies"],
  nf_conntrack_generic_timeout: ["600", "jiffies"],
  nf_conntrack_gre_timeout: ["30", "jiffies"],
  nf_conntrack_gre_timeout_stream: ["180", "jiffies"],
  nf_conntrack_icmp_timeout: ["30", "jiffies"],
  nf_conntrack_icmpv6_timeout: ["30", "jiffies"],
  nf_conntrack_log_invalid: ["0", [0, 255]],
  nf_conntrack_max: ["262144", "global"],
  nf_conntrack_sctp_timeout_closed: ["10", "jiffies"],
  nf_conntrack_sctp_timeout_cookie_echoed: ["3", "jiffies"],
  nf_conntrack_sctp_timeout_cookie_wait: ["3", "jiffies"],
  nf_conntrack_sctp_timeout_established: ["210", "jiffies"],
  nf_conntrack_sctp_timeout_heartbeat_sent: ["30", "jiffies"],
  nf_conntrack_sctp_timeout_shutdown_ack_sent: ["3", "jiffies"],
  nf_conntrack_sctp_timeout_shutdown_recd: ["3", "jiffies"],
  nf_conntrack_sctp_timeout_shutdown_sent: ["3", "jiffies"],
  nf_conntrack_tcp_be_liberal: ["0", [0, 1]],
  nf_conntrack_tcp_ignore_invalid_rst: ["0", [0, 1]],
  nf_conntrack_tcp_loose: ["1", [0, 1]],
  nf_conntrack_tcp_max_retrans: ["3", [0, 255]],
  nf_conntrack_tcp_timeout_close: ["10", "jiffies"],
  nf_conntrack_tcp_timeout_close_wait: ["60", "jiffies"],
  nf_conntrack_tcp_timeout_established: ["432000", "jiffies"],
  nf_conntrack_tcp_timeout_fin_wait: ["120", "jiffies"],
  nf_conntrack_tcp_timeout_last_ack: ["30", "jiffies"],
  nf_conntrack_tcp_timeout_max_retrans: ["300", "jiffies"],
  nf_conntrack_tcp_timeout_syn_recv: ["60", "jiffies"],
  nf_conntrack_tcp_timeout_syn_sent: ["120", "jiffies"],
  nf_conntrack_tcp_timeout_time_wait: ["120", "jiffies"],
  nf_conntrack_tcp_timeout_unacknowledged: ["300", "jiffies"],
  nf_conntrack_timestamp: ["0", [0, 1]],
  nf_conntrack_udp_timeout: ["30", "jiffies"],
  nf_conntrack_udp_timeout_stream: ["120", "jiffies"],
  nf_hooks_lwtunnel: ["0", "lwtunnel"],
};

/** nf_log.N: the logger each protocol family has (nf_log_syslog binds its own in every namespace). */
const NF_LOGGERS: readonly string[] = [
  "NONE",
  "NONE",
  "nf_log_ipv4",
  "nf_log_arp",
  "NONE",
  "nf_log_netdev",
  "NONE",
  "nf_log_bridge",
  "NONE",
  "NONE",
  "nf_log_ipv6",
];

const JIFFIES_MAX = Math.floor(0x7fffffff / 250);

export type SysctlWrite = { ok: true } | { ok: false; errno: "ENOENT" | "EINVAL" | "EACCES" | "EBUSY" };

/** The per-device families of keys: net.ipv4.conf.DEV.*, net.ipv4.neigh.DEV.*, net.ipv6.conf.DEV.* */
// A device name may hold dots (flannel.1): the attribute is the last component, the device what lies between.
const DEV_KEY = /^net\.(ipv4\.conf|ipv4\.neigh|ipv6\.conf)\.(.+)\.([^.]+)$/;

export class Sysctl {
  /** Global keys and the `all`/`default` entries. */
  private readonly values = new Map<string, string>();
  /** Per-device entries, kept apart so that a device coming or going does not scan every key. */
  private readonly devs = new Map<string, Map<string, string>>();

  /** The initial namespace's entries, for the ones that are global (null: this is it). */
  private readonly init: Sysctl | null;
  /** Entries the kernel computes when they are read (nf_conntrack_count), by key. */
  private readonly computed = new Map<string, () => string>();

  constructor(initial?: Sysctl) {
    this.init = initial ?? null;
    // Every namespace registers net.netfilter.* with the compiled defaults (nf_conntrack_pernet_init).
    for (const [k, [v]] of Object.entries(NETFILTER)) this.values.set(`net.netfilter.${k}`, v);
    NF_LOGGERS.forEach((l, i) => {
      this.values.set(`net.netfilter.nf_log.${i}`, l);
    });
    if (initial) {
      // A new namespace copies the IPv4 settings of the initial namespace (devconf_inherit_init_net=0).
      for (const [k, v] of initial.values) this.values.set(k, v);
      // IPv6's all/default start from the compiled defaults in every namespace (addrconf_init_net with
      // devconf_inherit_init_net=0), as do br_netfilter's per-namespace switches (brnf_init_net).
      this.setIpv6Defaults();
      for (const [k, v] of Object.entries(GLOBAL_DEFAULTS))
        if (k.startsWith("net.ipv6.conf.") || k.startsWith("net.bridge.") || k.startsWith("net.ipv4.vs."))
          this.values.set(k, v);
      return;
    }
    for (const [k, v] of Object.entries(GLOBAL_DEFAULTS)) this.values.set(k, v);
    for (const scope of ["all", "default"])
      for (const [k, v] of Object.entries(IPV4_CONF_DEFAULTS))
        this.values.set(`net.ipv4.conf.${scope}.${k}`, (scope === "all" ? IPV4_CONF_ALL[k] : undefined) ?? v);
    this.setIpv6Defaults();
  }

  private setIpv6Defaults(): void {
    for (const [k, v] of Object.entries(IPV6_CONF_DEFAULTS)) {
      this.values.set(`net.ipv6.conf.all.${k}`, IPV6_CONF_ALL[k] ?? v);
      this.values.set(`net.ipv6.conf.default.${k}`, v);
    }
  }

  static normalizeKey(key: string): string {
    return key.replace(/\//g, ".").replace(/^\.+/, "");
  }

  /** Where a key lives: the device map and its local key, or the global map. */
  private locate(key: string): { map: Map<string, string>; k: string } | null {
    const m = DEV_KEY.exec(key);
    if (m && m[2] !== "all" && m[2] !== "default") {
      const d = this.devs.get(m[2]!);
      return d ? { map: d, k: `${m[1]}.${m[3]}` } : null;
    }
    return { map: this.values, k: key };
  }

  /** Makes an entry's value what `read` computes when it is read. */
  compute(key: string, read: () => string): void {
    this.computed.set(key, read);
  }

  get(key: string): string | undefined {
    const f = this.computed.get(key);
    if (f) return f();
    if (this.init && key.startsWith("net.netfilter.")) {
      const check = NETFILTER[key.slice(14)]?.[1];
      if (check === "global" || check === "lwtunnel") return this.init.get(key);
    }
    const l = this.locate(key);
    return l ? l.map.get(l.k) : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  keys(): string[] {
    const out = [...this.values.keys()];
    for (const [dev, m] of this.devs) {
      for (const k of m.keys()) {
        const dot = k.lastIndexOf(".");
        out.push(`net.${k.slice(0, dot)}.${dev}.${k.slice(dot + 1)}`);
      }
    }
    return out.sort();
  }

  num(key: string): number {
    return Number.parseInt(this.get(key) ?? "0", 10);
  }

  set(key: string, value: string): SysctlWrite {
    const l = this.locate(key);
    if (!l?.map.has(l.k)) return { ok: false, errno: "ENOENT" };
    const v = value.trim();
    if (key.startsWith("net.netfilter.")) return this.setNetfilter(key, v);
    if (key === "net.ipv4.ip_local_port_range") {
      // ipv4_local_port_range: the ports given replace the first ones (proc_dointvec), each from 1 to
      // 65535, the first not above the second.
      const given = v.split(/\s+/);
      const r = (l.map.get(l.k) ?? "").split("\t").map(Number);
      if (given.length > 2 || !given.every((w) => /^\d+$/.test(w))) return { ok: false, errno: "EINVAL" };
      given.forEach((w, i) => {
        r[i] = Number(w);
      });
      if (!r.every((n) => n >= 1 && n <= 65535) || r[0]! > r[1]!) return { ok: false, errno: "EINVAL" };
      l.map.set(l.k, r.join("\t"));
      return { ok: true };
    } else if (key === "net.ipv4.ip_local_reserved_ports") {
      l.map.set(l.k, v);
      return { ok: true };
    } else if (key !== "net.ipv4.ping_group_range") {
      if (!/^-?\d+$/.test(v)) return { ok: false, errno: "EINVAL" };
    }
    if (key === "net.ipv4.ip_forward" || key === "net.ipv4.conf.all.forwarding") {
      // devinet_sysctl_forward: writing the global switch sets it on `default` and every device too.
      const n = String(Number.parseInt(v, 10));
      // devinet_sysctl_forward acts only when the value changes.
      if (this.values.get(key) === n) return { ok: true };
      this.values.set("net.ipv4.ip_forward", n);
      this.values.set("net.ipv4.conf.all.forwarding", n);
      this.values.set("net.ipv4.conf.default.forwarding", n);
      for (const m of this.devs.values()) m.set("ipv4.conf.forwarding", n);
      return { ok: true };
    }
    l.map.set(l.k, v.replace(/\s+/g, "\t"));
    return { ok: true };
  }

  private setNetfilter(key: string, v: string): SysctlWrite {
    const name = key.slice(14);
    if (name.startsWith("nf_log.")) {
      // nf_log_proc_dostring: NONE, or a logger registered for that family.
      if (v !== "NONE" && v !== NF_LOGGERS[Number(name.slice(7))]) return { ok: false, errno: "ENOENT" };
      this.values.set(key, v);
      return { ok: true };
    }
    const check = NETFILTER[name]![1];
    if (check === "readonly" || (check === "global" && this.init)) return { ok: false, errno: "EACCES" };
    if (check === "lwtunnel") {
      if (this.init) return this.init.setNetfilter(key, v);
      if (v !== "0" && v !== "1") return { ok: false, errno: "EINVAL" };
      if (v === "0" && this.values.get(key) === "1") return { ok: false, errno: "EBUSY" };
      this.values.set(key, v);
      return { ok: true };
    }
    if (!/^-?\d+$/.test(v)) return { ok: false, errno: "EINVAL" };
    const n = Number(v);
    const [lo, hi] =
      typeof check !== "string"
        ? check
        : check === "jiffies"
          ? [-JIFFIES_MAX, JIFFIES_MAX]
          : [-0x80000000, 0x7fffffff];
    const ok = n >= lo && n <= hi;
    if (!ok) return { ok: false, errno: "EINVAL" };
    this.values.set(key, String(n));
    return { ok: true };
  }

  /** A conntrack timeout (net.netfilter.nf_conntrack_*_timeout*, seconds), read on every packet it applies to. */
  ctTimeout(key: string): number {
    return Number(this.values.get(key) ?? 0);
  }

  addDevice(name: string): void {
    const m = new Map<string, string>();
    for (const k of Object.keys(IPV4_CONF_DEFAULTS))
      m.set(`ipv4.conf.${k}`, this.values.get(`net.ipv4.conf.default.${k}`) ?? "0");
    for (const [k, v] of Object.entries(NEIGH_DEFAULTS)) m.set(`ipv4.neigh.${k}`, v);
    for (const k of Object.keys(IPV6_CONF_DEFAULTS))
      m.set(`ipv6.conf.${k}`, this.values.get(`net.ipv6.conf.default.${k}`) ?? "0");
    // ipv6_add_dev: loopback never runs DAD.
    if (name === "lo") m.set("ipv6.conf.accept_dad", "-1");
    this.devs.set(name, m);
  }

  removeDevice(name: string): void {
    this.devs.delete(name);
  }

  renameDevice(from: string, to: string): void {
    const m = this.devs.get(from);
    if (!m) return;
    this.devs.delete(from);
    this.devs.set(to, m);
  }

  // The datapath reads these per packet: straight map lookups, no key parsing.
  private allConf(attr: string): number {
    return Number.parseInt(this.values.get(`net.ipv4.conf.all.${attr}`) ?? "0", 10);
  }

  private devValue(dev: string, key: string): number {
    return Number.parseInt(this.devs.get(dev)?.get(key) ?? "0", 10);
  }

  /** IN_DEV_ORCONF: the device's value or `all`'s. */
  orConf(dev: string, attr: string): boolean {
    return this.allConf(attr) !== 0 || this.devValue(dev, `ipv4.conf.${attr}`) !== 0;
  }

  /** IN_DEV_MAXCONF. */
  maxConf(dev: string, attr: string): number {
    return Math.max(this.allConf(attr), this.devValue(dev, `ipv4.conf.${attr}`));
  }

  /** IN_DEV_CONF_GET: the device's own value. */
  devConf(dev: string, attr: string): number {
    return this.devValue(dev, `ipv4.conf.${attr}`);
  }

  neigh(dev: string, attr: string): number {
    const v = this.devs.get(dev)?.get(`ipv4.neigh.${attr}`) ?? NEIGH_DEFAULTS[attr] ?? "0";
    return Number.parseInt(v, 10);
  }
}
