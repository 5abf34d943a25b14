/**
 * @module dns/coredns/plugins/loadbalance
 * loadbalance [round_robin] (plugin/loadbalance): shuffles the A/AAAA records
 * of every section and puts them after CNAMEs and other records (MX last).
 * CoreDNS draws from dns.Id(); here a seeded generator, so runs repeat.
 */
import type { Answer } from "dns-packet";
import { createRng, type Rng } from "../../../../net/rand.js";
import { type Handler, RCODE, rcodeOf } from "../../plugin.js";
import { Controller, type SetupInput } from "../../setup.js";

export function setupLoadbalance(input: SetupInput): void {
  const c = new Controller(input.directive);
  const a = c.args;
  if (a.length > 1) throw c.argErr(a[0]!);
  if (a.length === 1 && a[0] !== "round_robin") throw c.err(`unknown policy: ${a[0]}`);
  for (const bl of c.block)
    if (bl.name.text !== "prefer") throw c.errf(`unknown property '${bl.name.text}'`, bl.name.line);
}

/** roundRobin: a new list (the input is left as it is), or the input itself when nothing moves. */
export function roundRobin(rrs: Answer[], rng: Rng): Answer[] {
  // Records already in the output's order (CNAME, rest, addresses, MX) with fewer than two
  // addresses and MX come out as they are, and draw nothing from the generator.
  let addresses = 0;
  let mxs = 0;
  let kind = 0;
  let ordered = true;
  for (const r of rrs) {
    const k = r.type === "CNAME" ? 0 : r.type === "A" || r.type === "AAAA" ? 2 : r.type === "MX" ? 3 : 1;
    if (k < kind) ordered = false;
    kind = k;
    if (k === 2) addresses++;
    else if (k === 3) mxs++;
  }
  if (ordered && addresses < 2 && mxs < 2) return rrs;
  const cname: Answer[] = [];
  const address: Answer[] = [];
  const mx: Answer[] = [];
  const rest: Answer[] = [];
  for (const r of rrs) {
    if (r.type === "CNAME") cname.push(r);
    else if (r.type === "A" || r.type === "AAAA") address.push(r);
    else if (r.type === "MX") mx.push(r);
    else rest.push(r);
  }
  shuffle(address, rng);
  shuffle(mx, rng);
  return [...cname, ...rest, ...address, ...mx];
}

/** roundRobinShuffle, with dns.Id() replaced by the seeded generator. */
function shuffle(records: Answer[], rng: Rng): void {
  const l = records.length;
  if (l < 2) return;
  const id = () => rng.nextInt(65536);
  if (l === 2) {
    if (id() % 2 === 0) [records[0], records[1]] = [records[1]!, records[0]!];
    return;
  }
  for (let j = 0; j < l; j++) {
    const p = j + (id() % (l - j));
    if (j !== p) [records[j], records[p]] = [records[p]!, records[j]!];
  }
}

export function loadbalanceHandler(seed: number): Handler {
  const rng = createRng(seed);
  return {
    name: "loadbalance",
    serveDNS(_ctx, req, next) {
      const res = next(req);
      const m = res.reply;
      if (!m || rcodeOf(m) !== RCODE.NOERROR) return res;
      return {
        ...res,
        reply: {
          ...m,
          answers: roundRobin(m.answers ?? [], rng),
          authorities: roundRobin(m.authorities ?? [], rng),
          additionals: roundRobin(m.additionals ?? [], rng),
        },
      };
    },
  };
}
