/**
 * @module kernel/clock
 * Simulated time in milliseconds with a timer queue. Nothing in the model
 * reads the wall clock: `sleep` and waiting commands advance this clock,
 * and due timers (ARP retries, neighbour ageing, conntrack timeouts) run in
 * order as it passes them.
 */
/** Simulated time 0 is this instant (what `date`-like output and HTTP Date headers show). */
export const SIM_EPOCH_MS = Date.UTC(2025, 0, 1, 0, 0, 0);

/** The C library's (and Go's) day and month abbreviations, for the dates tools print. */
export const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The wall-clock instant of simulated time `ms` (read with the getUTC* methods). */
export function simDate(ms: number): Date {
  return new Date(SIM_EPOCH_MS + ms);
}

export interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class Clock {
  now = 0;
  private timers: Timer[] = [];
  private seq = 0;

  schedule(delayMs: number, fn: () => void): Timer {
    const t: Timer = { at: this.now + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    // Timers are few and mostly appended in time order: insertion keeps the queue sorted.
    let i = this.timers.length;
    while (i > 0) {
      const prev = this.timers[i - 1]!;
      if (prev.at < t.at || (prev.at === t.at && prev.seq < t.seq)) break;
      i--;
    }
    this.timers.splice(i, 0, t);
    return t;
  }

  /** Time of the next pending timer, or null. */
  nextDue(): number | null {
    while (this.timers.length > 0 && this.timers[0]!.cancelled) this.timers.shift();
    return this.timers[0]?.at ?? null;
  }

  /** Runs every timer due at or before `until`, moving `now` along, then sets now = until. */
  advanceTo(until: number, afterEach: () => void): void {
    for (;;) {
      const due = this.nextDue();
      if (due === null || due > until) break;
      const t = this.timers.shift()!;
      this.now = Math.max(this.now, t.at);
      t.fn();
      afterEach();
    }
    this.now = Math.max(this.now, until);
  }
}
