/**
 * @module trace/render
 * Text rendering of a trace: one line per hop, grouped by namespace.
 */
import type { Hop } from "./hop.js";

export function renderHops(hops: Hop[], title: string): string {
  const lines = [`  ┌─ trace: ${title}`];
  hops.forEach((h, i) => {
    const where = `${h.host}/${h.netns}`;
    lines.push(
      `  │ ${String(i + 1).padStart(3)} ${where.padEnd(18)} ${h.kind.padEnd(9)} ${h.detail}${h.packet ? `  [${h.packet}]` : ""}`,
    );
  });
  lines.push("  └─");
  return `${lines.join("\n")}\n`;
}

export function hopsJson(hops: Hop[]): string {
  return JSON.stringify(hops, null, 2);
}
