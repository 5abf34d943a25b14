/**
 * @module bench/netfilter
 * kube-proxy-scale rulesets through the model's iptables-restore, and a
 * traced packet through a 10,000-rule KUBE-SERVICES chain: the work the
 * issue's targets name (100,000 rules restored in < 2 s; the last of
 * 10,000 service rules matched in < 1 ms, within 1.5× of the first).
 */
import { Kernel } from "../src/kernel/kernel.js";
import { nfHookImpl } from "../src/kernel/netfilter/core.js";
import { nfState } from "../src/kernel/netfilter/tables.js";
import type { NetNs } from "../src/kernel/netns.js";
import type { Ipv4Packet } from "../src/net/packet.js";
import { restore } from "../src/shell/commands/iptables/index.js";
import type { Hop, TraceSink } from "../src/trace/hop.js";

function svcIp(i: number): string {
  return `10.96.${(i >> 8) & 0xff}.${i & 0xff}`;
}

function podIp(i: number): string {
  return `10.244.${(i >> 8) & 0xff}.${i & 0xff}`;
}

/** A kube-proxy (iptables mode) nat table: 4 rules per service, `rules` rules in all. */
export function kubeRuleset(rules: number): string {
  const services = Math.floor(rules / 4);
  const out = ["*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"];
  out.push(":POSTROUTING ACCEPT [0:0]", ":KUBE-SERVICES - [0:0]", ":KUBE-MARK-MASQ - [0:0]");
  for (let i = 0; i < services; i++) out.push(`:KUBE-SVC-${i} - [0:0]`, `:KUBE-SEP-${i} - [0:0]`);
  for (let i = 0; i < services; i++) {
    out.push(
      `-A KUBE-SERVICES -d ${svcIp(i)}/32 -p tcp -m comment --comment "default/svc${i} cluster IP" -m tcp --dport 80 -j KUBE-SVC-${i}`,
      `-A KUBE-SVC-${i} -m comment --comment "default/svc${i} -> ${podIp(i)}:8080" -j KUBE-SEP-${i}`,
      `-A KUBE-SEP-${i} -s ${podIp(i)}/32 -j KUBE-MARK-MASQ`,
      `-A KUBE-SEP-${i} -p tcp -m tcp -j DNAT --to-destination ${podIp(i)}:8080`,
    );
  }
  out.push(
    "-A PREROUTING -j KUBE-SERVICES",
    "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
    "COMMIT",
    "",
  );
  return out.join("\n");
}

/** Restores the ruleset into a fresh namespace; returns the namespace. */
export function restoreInto(text: string): NetNs {
  const k = new Kernel({ seed: 1 });
  const ns = k.initNs;
  const err = restore(nfState(ns), text, { noflush: false, counters: false, test: false, table: null });
  if (err) throw new Error(err.error);
  return ns;
}

/** Counts hops: what `kubetwin sh --trace` records, without keeping them. */
export class CountingSink implements TraceSink {
  n = 0;
  record(_hop: Hop): void {
    this.n++;
  }
}

let sport = 10000;

/** One new TCP flow's SYN to service `i` through PREROUTING (raw, conntrack, mangle, nat DNAT). */
export function traceToService(ns: NetNs, i: number): boolean {
  sport = sport >= 60000 ? 10000 : sport + 1;
  const parse = (s: string): number => s.split(".").reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
  const pkt: Ipv4Packet = {
    kind: "ipv4",
    src: parse("10.0.0.1"),
    dst: parse(svcIp(i)),
    ttl: 64,
    tos: 0,
    id: 1,
    len: 60,
    l4: { proto: "tcp", sport, dport: 80, flags: { syn: true }, seq: 1, ack: 0, payload: "" },
  };
  const v = nfHookImpl(ns, "PREROUTING", pkt, ns.byName.get("lo") ?? null, null);
  return v.verdict === "ACCEPT" && v.pkt.dst === parse(podIp(i));
}
