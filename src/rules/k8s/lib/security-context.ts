import type { K8sContainer, Workload } from '../../../model/entities.js';
import { Prop, type Obj } from '../../../model/value.js';

/**
 * A field of a container's `securityContext`. When the container has no securityContext mapping,
 * this is the `securityContext` property itself: absent (nothing set) or unknown (a placeholder),
 * so `absent`/`unknown` read the same either way.
 */
export function containerSecurityField(c: K8sContainer, field: string): Prop {
  return fieldOf(c.props, field);
}

/** A field of the pod's `securityContext` (or that property itself when it is not a mapping). */
export function podSecurityField(w: Workload, field: string): Prop | undefined {
  return w.podSpec ? fieldOf(w.podSpec, field) : undefined;
}

function fieldOf(holder: Obj, field: string): Prop {
  const sc = holder.prop('securityContext');
  const o = sc.obj();
  if (o) return o.prop(field);
  // `securityContext:` with an empty value sets nothing.
  if (isNull(sc)) return new Prop(holder, field, undefined, undefined);
  return sc;
}

/** An explicitly empty value (`key:` with nothing after it, `key: null`): the same as absent. */
export function isNull(p: Prop): boolean {
  return p.res.kind === 'literal' && p.res.value === null;
}

/** Where an effective security setting comes from. */
export interface Effective {
  /** The deciding property: the container's when set there, else the pod's, else the container's (absent). */
  prop: Prop;
  from: 'container' | 'pod' | 'none';
}

/**
 * The effective value of a setting that a container inherits from the pod's securityContext
 * (`runAsNonRoot`, `runAsUser`, `runAsGroup`, `seccompProfile`, ...): the container's own value
 * overrides the pod's. Unknown values (a placeholder securityContext or field) stay unknown.
 */
export function effectiveSecurityField(c: K8sContainer, field: string): Effective {
  const own = containerSecurityField(c, field);
  if (!own.absent) return { prop: own, from: 'container' };
  const pod = podSecurityField(c.owner, field);
  if (pod && !pod.absent) return { prop: pod, from: 'pod' };
  return { prop: own, from: 'none' };
}

/**
 * The target for a finding about a container-level setting that is not set: the container's
 * `securityContext` key when it has one, else its `name` key. Use with `{ atKey: true }`.
 */
export function missingSettingTarget(c: K8sContainer): Prop {
  const sc = c.props.prop('securityContext');
  return sc.present ? sc : c.props.prop('name');
}

/** Linux capabilities a container adds, as known upper-case names without the `CAP_` prefix. */
export function addedCapabilityNames(c: K8sContainer): Array<{ name: string; prop: Prop }> {
  const out: Array<{ name: string; prop: Prop }> = [];
  for (const p of c.addedCapabilities()) {
    const s = p.str();
    if (s !== undefined) out.push({ name: s.toUpperCase().replace(/^CAP_/, ''), prop: p });
  }
  return out;
}
