/**
 * @module oracle/normalize
 * Normalising what is legitimately random or timing-dependent, and nothing
 * else: MAC addresses (and the link-local IPv6 addresses and solicited-node
 * groups derived from them) are renamed in order of appearance, round-trip
 * times and elapsed times are masked, DAD's `tentative` flag is dropped.
 */
const FIXED_MACS = new Set(["00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "01:80:c2:00:00:00"]);

export class Normalizer {
  private readonly macs = new Map<string, string>();
  private readonly lls = new Map<string, string>();

  private mac(m: string): string {
    const k = m.toLowerCase();
    if (FIXED_MACS.has(k) || k.startsWith("33:33:00:") || k.startsWith("01:00:5e:")) return m;
    if (k.startsWith("33:33:ff:")) return "33:33:ff:<sn>";
    let v = this.macs.get(k);
    if (!v) {
      v = `<mac${this.macs.size + 1}>`;
      this.macs.set(k, v);
    }
    return v;
  }

  private ll(a: string): string {
    let v = this.lls.get(a);
    if (!v) {
      v = `fe80::<ll${this.lls.size + 1}>`;
      this.lls.set(a, v);
    }
    return v;
  }

  text(s: string): string {
    return (
      s
        .replace(/\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b/gi, (m) => this.mac(m))
        .replace(/\bfe80::[0-9a-f:]+[0-9a-f]/gi, (m) => this.ll(m))
        // ping and traceroute timings
        .replace(/time=\d+(\.\d+)? ms/g, "time=<t> ms")
        .replace(/, time \d+ms/g, ", time <t>ms")
        .replace(
          /rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/g,
          "rtt min/avg/max/mdev = <rtt> ms",
        )
        .replace(/ {1,2}\d+\.\d+ ms/g, "  <t> ms")
        // DAD may or may not have finished when the address is shown
        .replace(/ tentative /g, " ")
        .replace(/"tentative":true,/g, "")
        // bridge timers that run in real time
        .replace(/gc_timer +\d+\.\d+/g, "gc_timer <t>")
    );
  }
}
