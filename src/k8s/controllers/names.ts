/**
 * @module k8s/controllers/names
 * Kubernetes-shaped generated names: apimachinery's rand.String alphabet
 * (no vowels, no look-alike digits), drawn from the twin's seeded PRNG so the
 * same definition always gets the same names.
 */
import type { Rng } from "../../net/rand.js";

const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

export function randString(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHANUMS[rng.nextInt(ALPHANUMS.length)];
  return s;
}

/** A Deployment's ReplicaSet takes a pod-template-hash (10 characters here); its pods a 5-character suffix. */
export function podTemplateHash(rng: Rng): string {
  return randString(rng, 10);
}
