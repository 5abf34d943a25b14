/**
 * @module shell/commands/services
 * The few /etc/services names netcat prints for well-known ports.
 */
export const SERVICES: Record<string, Record<number, string>> = {
  tcp: {
    21: "ftp",
    22: "ssh",
    23: "telnet",
    25: "smtp",
    53: "domain",
    80: "http",
    110: "pop3",
    143: "imap2",
    443: "https",
    3306: "mysql",
    5432: "postgresql",
    6379: "redis",
    6443: "sun-sr-https",
    8080: "http-alt",
    9090: "websm",
  },
  udp: {
    53: "domain",
    67: "bootps",
    68: "bootpc",
    123: "ntp",
    161: "snmp",
    514: "syslog",
    5353: "mdns",
    4789: "*",
    8472: "*",
  },
};

export function serviceName(proto: "tcp" | "udp", port: number): string {
  return SERVICES[proto]?.[port] ?? "*";
}
