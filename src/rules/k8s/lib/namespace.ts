import type { FileView } from '../../../model/model.js';
import type { Obj } from '../../../model/value.js';

/** The namespace of an object: its literal value, '' when absent, undefined when unknown (a placeholder). */
export function namespaceOf(meta: Obj | undefined): string | undefined {
  const ns = meta?.prop('namespace');
  if (!ns || ns.absent) return '';
  return ns.str();
}

/** Default container requests that LimitRanges of the run give (see `limitRangeDefaults`). */
export interface LimitRangeDefaults {
  /** By literal namespace ('' for objects without one). */
  byNamespace: Map<string, Set<string>>;
  /** From LimitRanges whose namespace is unknown (a placeholder): they may apply anywhere. */
  anywhere: Set<string>;
  /** From every LimitRange: what may apply to an object whose own namespace is unknown. */
  any: Set<string>;
}

/**
 * Resources (`cpu`, `memory`) for which a LimitRange of the run gives containers a default
 * request: `defaultRequest`, or `default` (a default limit also becomes the default request).
 */
export function limitRangeDefaults(model: FileView): LimitRangeDefaults {
  return model.all.memo('k8s/limitRangeDefaults', () => {
    const out: LimitRangeDefaults = { byNamespace: new Map(), anywhere: new Set(), any: new Set() };
    for (const o of model.all.k8sObjects) {
      if (o.objectKind !== 'LimitRange') continue;
      const ns = namespaceOf(o.metadata);
      const set = ns === undefined ? out.anywhere : (out.byNamespace.get(ns) ?? new Set<string>());
      for (const limit of o.props.obj('spec')?.prop('limits').objects() ?? []) {
        const type = limit.prop('type');
        if (type.present && type.known && !type.is('Container')) continue;
        for (const key of ['defaultRequest', 'default']) {
          const d = limit.obj(key);
          for (const r of ['cpu', 'memory']) {
            if (!d?.has(r)) continue;
            set.add(r);
            out.any.add(r);
          }
        }
      }
      if (ns !== undefined) out.byNamespace.set(ns, set);
    }
    return out;
  });
}

/** Resources a LimitRange of the run may give a default request in this namespace (undefined = unknown). */
export function defaultRequestsIn(model: FileView, namespace: string | undefined): Set<string> {
  const d = limitRangeDefaults(model);
  if (namespace === undefined) return d.any;
  return new Set([...(d.byNamespace.get(namespace) ?? []), ...d.anywhere]);
}
