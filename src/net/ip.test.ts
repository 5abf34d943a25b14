import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import {
  formatIPv4,
  formatIPv6,
  inPrefix,
  linkLocalFromMac,
  maskOf,
  parseIPv4,
  parseIPv4Loose,
  parseIPv6,
} from "./ip.js";

describe("IPv4", () => {
  it("round-trips every address and agrees with ipaddr.js", () => {
    fc.assert(
      fc.property(fc.ipV4(), (s) => {
        const n = parseIPv4(s);
        expect(n).not.toBeNull();
        expect(formatIPv4(n!)).toBe(ipaddr.IPv4.parse(s).toString());
      }),
    );
  });

  it("parses as iproute2's get_addr_ipv4 does: missing octets are zero, octal and hex octets", () => {
    expect(formatIPv4(parseIPv4Loose("10.1")!)).toBe("10.1.0.0");
    expect(formatIPv4(parseIPv4Loose("10")!)).toBe("10.0.0.0");
    expect(formatIPv4(parseIPv4Loose("010.0x10.0.1")!)).toBe("8.16.0.1");
    expect(parseIPv4Loose("10.0.0.300")).toBeNull();
    expect(parseIPv4Loose("1.2.3.4.5")).toBeNull();
  });

  it("masks and prefixes", () => {
    expect(maskOf(0)).toBe(0);
    expect(maskOf(24)).toBe(0xffffff00);
    expect(maskOf(32)).toBe(0xffffffff);
    expect(inPrefix(parseIPv4("10.0.0.77")!, parseIPv4("10.0.0.0")!, 24)).toBe(true);
    expect(inPrefix(parseIPv4("10.0.1.77")!, parseIPv4("10.0.0.0")!, 24)).toBe(false);
  });
});

describe("IPv6", () => {
  it("prints RFC 5952 text", () => {
    expect(formatIPv6(parseIPv6("2001:0db8:0000:0000:0000:0000:0000:0001")!)).toBe("2001:db8::1");
    expect(formatIPv6(1n)).toBe("::1");
  });

  it("builds the EUI-64 link-local address the kernel gives a MAC", () => {
    // Seen on this machine: 6e:15:6c:b8:c3:df → fe80::6c15:6cff:feb8:c3df
    expect(formatIPv6(linkLocalFromMac("6e:15:6c:b8:c3:df"))).toBe("fe80::6c15:6cff:feb8:c3df");
  });
});
