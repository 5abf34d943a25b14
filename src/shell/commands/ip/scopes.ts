/**
 * @module shell/commands/ip/scopes
 * Scope names iproute2 accepts (/etc/iproute2/rt_scopes, plus `universe`).
 */
import type { Scope } from "../../../kernel/types.js";

export const SCOPES: Record<string, Scope> = {
  global: "global",
  universe: "global",
  site: "site",
  link: "link",
  host: "host",
  nowhere: "nowhere",
};
