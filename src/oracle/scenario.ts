/**
 * @module oracle/scenario
 * Scenario scripts carry their documentation in leading comments:
 *   # title: Two namespaces joined by a veth pair
 *   # shows: what the reader learns
 *   # seed: 001 (Connect network namespaces using a veth pair)
 *   # fidelity: simplified — why the model differs here (see docs/fidelity.md)
 */
export interface ScenarioMeta {
  title: string | null;
  shows: string | null;
  seed: string | null;
  /** A deliberate, documented simplification: the scenario may disagree. */
  fidelity: string | null;
}

export function readMeta(script: string): ScenarioMeta {
  const meta: ScenarioMeta = { title: null, shows: null, seed: null, fidelity: null };
  for (const line of script.split("\n")) {
    if (line.startsWith("#!")) continue;
    if (!line.startsWith("#")) break;
    const m = /^#\s*(title|shows|seed|fidelity):\s*(.*)$/.exec(line);
    if (m) meta[m[1] as keyof ScenarioMeta] = m[2]!.trim();
  }
  return meta;
}
