/**
 * @module shell/commands/bind/tool-context
 * What the DNS tools take from the shell: the way to the servers (none on a
 * bare machine: every query times out, as when nothing answers), the
 * machine's resolv.conf and hosts files, and simulated time.
 */
import type { DnsTransport } from "../../../dns/types.js";
import { MONTHS, simDate, WEEKDAYS } from "../../../kernel/clock.js";
import type { CmdContext } from "../../types.js";

/** Nothing answers: each query waits out its timeout. */
export const SILENT_TRANSPORT: DnsTransport = async () => null;

export function transportOf(ctx: CmdContext): DnsTransport {
  return ctx.dnsTransport ?? SILENT_TRANSPORT;
}

export function resolvConfOf(ctx: CmdContext): string | null {
  return ctx.readFile?.("/etc/resolv.conf") ?? null;
}

export function hostsOf(ctx: CmdContext): string | null {
  return ctx.readFile?.("/etc/hosts") ?? null;
}

/** Waiting for timeouts lets the machine's own timers run, as a real wait would. */
export function spend(ctx: CmdContext, ms: number): void {
  if (ms > 0) ctx.kernel.advance(ms);
}

/** strftime("%a %b %d %H:%M:%S %Z %Y") in UTC, as dig prints WHEN. */
export function whenText(ctx: CmdContext): string {
  const d = simDate(ctx.kernel.clock.now);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** A per-run seed for query IDs that differs between runs at different times. */
export function idSeed(ctx: CmdContext): number {
  return (ctx.kernel.clock.now * 31 + 0x5eed) & 0xffff;
}
