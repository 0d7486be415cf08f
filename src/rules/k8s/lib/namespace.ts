import type { FileView } from '../../../model/model.js';
import { namespaceKey } from '../../../model/k8s.js';
import type { K8sObject } from '../../../model/entities.js';

/** Default container requests that LimitRanges of the run give (see `limitRangeDefaults`). */
export interface LimitRangeDefaults {
  /** By namespace key (`namespaceKey`: the namespace, or one rendered Helm file's release). */
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
      const ns = namespaceKey(o);
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

/** Resources a LimitRange of the run may give a default request in an object's namespace (any LimitRange's when that is unknown). */
export function defaultRequestsFor(model: FileView, o: K8sObject): Set<string> {
  const d = limitRangeDefaults(model);
  const ns = namespaceKey(o);
  if (ns === undefined) return d.any;
  return new Set([...(d.byNamespace.get(ns) ?? []), ...d.anywhere]);
}
