/**
 * @module kernel/sysctl
 * /proc/sys/net for one namespace. Per-device entries (net.ipv4.conf.DEV.*,
 * net.ipv4.neigh.DEV.*, net.ipv6.conf.DEV.*) appear when a device registers,
 * copied from `default`, and go away with it. The `all`/device combination
 * rules are the kernel's IN_DEV_* macros (devinet.c, inetdevice.h).
 */
export const IPV4_CONF_DEFAULTS: Record<string, string> = {
  accept_local: "0",
  accept_redirects: "1",
  arp_accept: "0",
  arp_announce: "0",
  arp_filter: "0",
  arp_ignore: "0",
  bootp_relay: "0",
  forwarding: "0",
  log_martians: "0",
  promote_secondaries: "0",
  proxy_arp: "0",
  proxy_arp_pvlan: "0",
  route_localnet: "0",
  rp_filter: "0",
  secure_redirects: "1",
  send_redirects: "1",
  src_valid_mark: "0",
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
  disable_ipv6: "0",
  forwarding: "0",
  accept_dad: "1",
  dad_transmits: "1",
};

const GLOBAL_DEFAULTS: Record<string, string> = {
  "net.ipv4.ip_forward": "0",
  "net.ipv4.ip_default_ttl": "64",
  "net.ipv4.ip_local_port_range": "32768\t60999",
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
  "net.bridge.bridge-nf-call-iptables": "1",
  "net.bridge.bridge-nf-call-ip6tables": "1",
  "net.bridge.bridge-nf-call-arptables": "1",
};

/** Keys whose values are integers within a range; writes outside fail with EINVAL. */
const BOOLEAN_KEYS = new Set(["forwarding", "proxy_arp", "ip_forward"]);

export type SysctlWrite = { ok: true } | { ok: false; errno: "ENOENT" | "EINVAL" };

export class Sysctl {
  private readonly values = new Map<string, string>();

  constructor(initial?: Sysctl) {
    if (initial) {
      // A new namespace copies the IPv4 settings of the initial namespace (devconf_inherit_init_net=0).
      for (const [k, v] of initial.values)
        if (!/^net\.ipv[46]\.(conf|neigh)\.(?!all|default)/.test(k)) this.values.set(k, v);
      return;
    }
    for (const [k, v] of Object.entries(GLOBAL_DEFAULTS)) this.values.set(k, v);
    for (const scope of ["all", "default"]) {
      for (const [k, v] of Object.entries(IPV4_CONF_DEFAULTS))
        this.values.set(`net.ipv4.conf.${scope}.${k}`, v);
      for (const [k, v] of Object.entries(IPV6_CONF_DEFAULTS))
        this.values.set(`net.ipv6.conf.${scope}.${k}`, v);
    }
  }

  static normalizeKey(key: string): string {
    return key.replace(/\//g, ".").replace(/^\.+/, "");
  }

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  keys(): string[] {
    return [...this.values.keys()].sort();
  }

  num(key: string): number {
    return Number.parseInt(this.values.get(key) ?? "0", 10);
  }

  set(key: string, value: string): SysctlWrite {
    if (!this.values.has(key)) return { ok: false, errno: "ENOENT" };
    const v = value.trim();
    const last = key.slice(key.lastIndexOf(".") + 1);
    if (key !== "net.ipv4.ip_local_port_range" && key !== "net.ipv4.ping_group_range") {
      if (!/^-?\d+$/.test(v)) return { ok: false, errno: "EINVAL" };
    }
    if (BOOLEAN_KEYS.has(last) && key.startsWith("net.ipv4")) {
      // devinet_sysctl_forward: forwarding takes any integer but stores it as given; 0/1 in practice.
      const n = Number.parseInt(v, 10);
      if (key === "net.ipv4.ip_forward" || key === "net.ipv4.conf.all.forwarding") {
        this.values.set("net.ipv4.ip_forward", String(n));
        for (const k of this.values.keys())
          if (/^net\.ipv4\.conf\.[^.]+\.forwarding$/.test(k)) this.values.set(k, String(n));
        return { ok: true };
      }
    }
    this.values.set(key, v.replace(/\s+/g, "\t"));
    return { ok: true };
  }

  addDevice(name: string): void {
    for (const k of Object.keys(IPV4_CONF_DEFAULTS)) {
      this.values.set(`net.ipv4.conf.${name}.${k}`, this.values.get(`net.ipv4.conf.default.${k}`) ?? "0");
    }
    for (const [k, v] of Object.entries(NEIGH_DEFAULTS)) this.values.set(`net.ipv4.neigh.${name}.${k}`, v);
    for (const k of Object.keys(IPV6_CONF_DEFAULTS)) {
      this.values.set(`net.ipv6.conf.${name}.${k}`, this.values.get(`net.ipv6.conf.default.${k}`) ?? "0");
    }
  }

  removeDevice(name: string): void {
    for (const p of [`net.ipv4.conf.${name}.`, `net.ipv4.neigh.${name}.`, `net.ipv6.conf.${name}.`]) {
      for (const k of [...this.values.keys()]) if (k.startsWith(p)) this.values.delete(k);
    }
  }

  renameDevice(from: string, to: string): void {
    for (const p of ["net.ipv4.conf.", "net.ipv4.neigh.", "net.ipv6.conf."]) {
      for (const [k, v] of [...this.values]) {
        if (k.startsWith(`${p}${from}.`)) {
          this.values.delete(k);
          this.values.set(`${p}${to}.${k.slice(p.length + from.length + 1)}`, v);
        }
      }
    }
  }

  /** IN_DEV_ORCONF: the device's value or `all`'s. */
  orConf(dev: string, attr: string): boolean {
    return this.num(`net.ipv4.conf.all.${attr}`) !== 0 || this.num(`net.ipv4.conf.${dev}.${attr}`) !== 0;
  }

  /** IN_DEV_MAXCONF. */
  maxConf(dev: string, attr: string): number {
    return Math.max(this.num(`net.ipv4.conf.all.${attr}`), this.num(`net.ipv4.conf.${dev}.${attr}`));
  }

  /** IN_DEV_CONF_GET: the device's own value. */
  devConf(dev: string, attr: string): number {
    return this.num(`net.ipv4.conf.${dev}.${attr}`);
  }

  neigh(dev: string, attr: string): number {
    return Number.parseInt(
      this.values.get(`net.ipv4.neigh.${dev}.${attr}`) ?? NEIGH_DEFAULTS[attr] ?? "0",
      10,
    );
  }
}
