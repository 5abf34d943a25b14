/**
 * @module dns/resolver/hosts
 * The "files" source of `hosts: files dns`: /etc/hosts as glibc's
 * nss_files reads it (case-insensitive names, first name canonical).
 */

export interface HostsEntry {
  address: string;
  family: 4 | 6;
  /** The canonical name (first on the line) then the aliases. */
  names: string[];
}

function familyOf(addr: string): 4 | 6 | null {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(addr)) return 4;
  if (/^[0-9a-fA-F:.]+$/.test(addr) && addr.includes(":")) return 6;
  return null;
}

export function parseHosts(text: string | null): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const line of (text ?? "").split("\n")) {
    const words = line
      .replace(/#.*/, "")
      .trim()
      .split(/\s+/)
      .filter((w) => w !== "");
    if (words.length < 2) continue;
    const family = familyOf(words[0]!);
    if (family === null) continue;
    out.push({ address: words[0]!, family, names: words.slice(1) });
  }
  return out;
}

export interface HostsMatch {
  /** h_name: the canonical name of the first matching line. */
  name: string;
  aliases: string[];
  addresses: Array<{ address: string; family: 4 | 6 }>;
}

/**
 * Every line naming `name` (ignoring case and a trailing dot), in file
 * order, of the wanted families: nss_files collects them all, as with
 * `multi on`.
 */
export function lookupHosts(entries: HostsEntry[], name: string, families: Array<4 | 6>): HostsMatch | null {
  const want = name.replace(/\.$/, "").toLowerCase();
  let match: HostsMatch | null = null;
  for (const e of entries) {
    if (!families.includes(e.family)) continue;
    if (!e.names.some((n) => n.toLowerCase() === want)) continue;
    if (!match) match = { name: e.names[0]!, aliases: e.names.slice(1), addresses: [] };
    if (!match.addresses.some((a) => a.address === e.address))
      match.addresses.push({ address: e.address, family: e.family });
  }
  return match;
}

/** gethostbyaddr through the file: the first line with the address. */
export function reverseHosts(entries: HostsEntry[], address: string): string | null {
  return entries.find((e) => e.address === address)?.names[0] ?? null;
}
