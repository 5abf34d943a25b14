/**
 * @module k8s/controllers/meta
 * An object's name, namespace (default "default") and labels, as the controllers read them.
 */
type Obj = Record<string, unknown>;

export function meta(o: Obj): { name: string; namespace: string; labels: Record<string, string> } {
  const m = (o.metadata ?? {}) as Obj;
  return {
    name: String(m.name ?? ""),
    namespace: String(m.namespace ?? "default"),
    labels: (m.labels ?? {}) as Record<string, string>,
  };
}
