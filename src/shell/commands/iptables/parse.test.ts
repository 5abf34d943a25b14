import { describe, expect, it } from "vitest";
import { formatRule } from "../../../kernel/netfilter/format.js";
import { IptError, parseIptables } from "./parse.js";

function save(args: string): string {
  const p = parseIptables(args.split(" "));
  return formatRule(p.chain ?? "", p.rule!);
}

describe("iptables rule canonicalisation", () => {
  it("adds the implicit protocol match and the /32 mask", () => {
    expect(save("-A KUBE-SERVICES -d 10.96.0.10 -p tcp --dport 80 -j ACCEPT")).toBe(
      "-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j ACCEPT",
    );
  });

  it("masks the address and orders -s -d -i -o -p", () => {
    expect(save("-A INPUT -d 10.0.0.5/24 -i eth0 -s 1.1.1.1/255.255.0.0 -p udp ! --dport 53 -j DROP")).toBe(
      "-A INPUT -s 1.1.0.0/16 -d 10.0.0.0/24 -i eth0 -p udp -m udp ! --dport 53 -j DROP",
    );
  });

  it("prints MARK and state as iptables-save does", () => {
    expect(save("-A OUTPUT -j MARK --set-mark 0x10")).toBe("-A OUTPUT -j MARK --set-xmark 0x10/0xffffffff");
    expect(save("-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT")).toBe(
      "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT",
    );
    expect(save('-A INPUT -m comment --comment a"b -j ACCEPT')).toBe(
      '-A INPUT -m comment --comment "a\\"b" -j ACCEPT',
    );
  });

  it("prints NAT targets", () => {
    expect(save("-A DOCKER ! -i docker0 -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80")).toBe(
      "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80",
    );
    expect(save("-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE")).toBe(
      "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
    );
  });

  it("rejects what iptables rejects", () => {
    expect(() => parseIptables(["-A", "INPUT", "--dport", "80"])).toThrow(IptError);
    expect(() => parseIptables(["-A", "INPUT", "-s", "1.2.3.400"])).toThrow(
      /host\/network `1.2.3.400' not found/,
    );
  });
});
