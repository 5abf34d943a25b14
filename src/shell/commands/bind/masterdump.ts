/**
 * @module shell/commands/bind/masterdump
 * Resource records as BIND's masterdump prints them in dig: owner, TTL,
 * class, type and rdata at tab stops (columns 24, 32, 40, 48 with 8-wide
 * tabs, at least one blank between fields), rdata in presentation format.
 */
import type { Answer, Question, SoaData } from "dns-packet";

/** dig's style: dns_master_stylecreate(…, ttl 24, class 32, type 40, rdata 48, …, tab width 8). */
const TTL_COLUMN = 24;
const CLASS_COLUMN = 32;
const TYPE_COLUMN = 40;
const RDATA_COLUMN = 48;
const TAB_WIDTH = 8;

/** masterdump.c indent(): tabs to the column's tab stop, then spaces; at least one character. */
function indent(current: number, to: number): [string, number] {
  let target = to;
  if (target < current + 1) target = current + 1;
  let from = current;
  let out = "";
  const ntabs = Math.floor(target / TAB_WIDTH) - Math.floor(from / TAB_WIDTH);
  if (ntabs > 0) {
    out += "\t".repeat(ntabs);
    from = Math.floor(target / TAB_WIDTH) * TAB_WIDTH;
  }
  out += " ".repeat(target - from);
  return [out, target];
}

/** A name as BIND prints it: absolute, with the root dot. */
export function fqdn(name: string): string {
  if (name === "" || name === ".") return ".";
  return name.endsWith(".") ? name : `${name}.`;
}

function quoteTxt(s: string): string {
  return `"${s.replace(/(["\\])/g, "\\$1")}"`;
}

/** The rdata in presentation format. */
export function rdataText(rr: Answer): string {
  const d = (rr as { data?: unknown }).data;
  switch (rr.type) {
    case "A":
    case "AAAA":
      return String(d);
    case "CNAME":
    case "PTR":
    case "NS":
    case "DNAME":
      return fqdn(String(d));
    case "MX": {
      const m = d as { preference?: number; exchange: string };
      return `${m.preference ?? 0} ${fqdn(m.exchange)}`;
    }
    case "SRV": {
      const s = d as { priority?: number; weight?: number; port: number; target: string };
      return `${s.priority ?? 0} ${s.weight ?? 0} ${s.port} ${fqdn(s.target)}`;
    }
    case "SOA": {
      const s = d as SoaData;
      return `${fqdn(s.mname)} ${fqdn(s.rname)} ${s.serial ?? 0} ${s.refresh ?? 0} ${s.retry ?? 0} ${s.expire ?? 0} ${s.minimum ?? 0}`;
    }
    case "TXT": {
      const parts = Array.isArray(d) ? d : [d];
      return parts
        .map((p) => quoteTxt(typeof p === "string" ? p : new TextDecoder().decode(p as Uint8Array)))
        .join(" ");
    }
    default:
      return String(d);
  }
}

function className(c: string | undefined): string {
  return c ?? "IN";
}

/** One answer/authority/additional line, without the newline. */
export function formatRR(rr: Answer): string {
  let line = fqdn(rr.name);
  let col = line.length;
  let pad: string;
  [pad, col] = indent(col, TTL_COLUMN);
  const ttl = String((rr as { ttl?: number }).ttl ?? 0);
  line += pad + ttl;
  col += ttl.length;
  [pad, col] = indent(col, CLASS_COLUMN);
  const cls = className((rr as { class?: string }).class);
  line += pad + cls;
  col += cls.length;
  [pad, col] = indent(col, TYPE_COLUMN);
  line += pad + rr.type;
  col += rr.type.length;
  [pad, col] = indent(col, RDATA_COLUMN);
  return line + pad + rdataText(rr);
}

/** A question line: ";name.", then class and type at their columns (no TTL). The ";" does not count toward the columns. */
export function formatQuestion(q: Question): string {
  let line = `;${fqdn(q.name)}`;
  let col = line.length - 1;
  let pad: string;
  [pad, col] = indent(col, CLASS_COLUMN);
  const cls = className(q.class);
  line += pad + cls;
  col += cls.length;
  [pad, col] = indent(col, TYPE_COLUMN);
  return line + pad + q.type;
}
