/**
 * @module proxy/topology
 * pkg/proxy/topology.go CategorizeEndpoints: which endpoints the Cluster and
 * Local traffic policies use on this node. "Usable" means Ready, falling back
 * (independently for Cluster and Local) to Serving-and-Terminating endpoints
 * when there are none. Topology hints are not modelled (every endpoint is
 * available to every node, as with no hints).
 */
import type { Endpoint } from "./endpoint.js";
import { type ServicePortInfo, usesClusterEndpoints, usesLocalEndpoints } from "./service-port.js";

export interface CategorizedEndpoints {
  /** Usable Cluster-policy endpoints; empty if the port never uses Cluster policy. */
  clusterEndpoints: Endpoint[];
  /** Usable Local-policy endpoints; empty if the port never uses Local policy. */
  localEndpoints: Endpoint[];
  /** Every endpoint reachable from this node (the union of the two, sorted by "ip:port"). */
  allReachableEndpoints: Endpoint[];
  /** Whether the service has usable endpoints anywhere in the cluster. */
  hasAnyEndpoints: boolean;
}

function servingTerminating(e: Endpoint): boolean {
  return e.serving && e.terminating;
}

export function categorizeEndpoints(
  endpoints: readonly Endpoint[],
  svcInfo: ServicePortInfo,
): CategorizedEndpoints {
  let clusterEndpoints: Endpoint[] = [];
  let localEndpoints: Endpoint[] = [];
  let hasAnyEndpoints = false;
  let useServingTerminatingEndpoints = false;

  if (usesClusterEndpoints(svcInfo)) {
    clusterEndpoints = endpoints.filter((e) => e.ready);
    // No Ready endpoint anywhere: try the terminating ones that still serve.
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter(servingTerminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }

  if (!usesLocalEndpoints(svcInfo)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }

  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const e of endpoints) {
    if (e.ready) {
      hasAnyEndpoints = true;
      if (e.isLocal) hasLocalReady = true;
    } else if (servingTerminating(e)) {
      hasAnyEndpoints = true;
      if (e.isLocal) hasLocalServingTerminating = true;
    }
  }
  if (hasLocalReady) {
    localEndpoints = endpoints.filter((e) => e.isLocal && e.ready);
  } else if (hasLocalServingTerminating) {
    useServingTerminatingEndpoints = true;
    localEndpoints = endpoints.filter((e) => e.isLocal && servingTerminating(e));
  }

  if (!usesClusterEndpoints(svcInfo)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints };
  }
  if (!useServingTerminatingEndpoints) {
    // localEndpoints holds only Ready endpoints, all of which clusterEndpoints has.
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }
  // Upstream merges through a Go map (unordered); here the union is sorted as byEndpoint sorts.
  const merged = new Map<string, Endpoint>();
  for (const e of [...clusterEndpoints, ...localEndpoints]) merged.set(e.endpoint, e);
  const allReachableEndpoints = [...merged.values()].sort((a, b) =>
    a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0,
  );
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints };
}
