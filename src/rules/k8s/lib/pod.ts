import type { K8sContainer, Workload } from '../../../model/entities.js';
import type { Prop } from '../../../model/value.js';

/** Which list of the pod spec a container comes from. */
export type ContainerRole = 'init' | 'main' | 'ephemeral';

/** The list a container belongs to (`initContainers`, `containers`, `ephemeralContainers`). */
export function containerRole(c: K8sContainer): ContainerRole {
  const spec = c.owner.podSpec;
  if (spec) {
    for (const o of spec.prop('initContainers').objects()) if (o.node === c.props.node) return 'init';
    for (const o of spec.prop('ephemeralContainers').objects()) if (o.node === c.props.node) return 'ephemeral';
  }
  return 'main';
}

/** Init and regular containers of a workload (ephemeral debug containers are left out). */
export function podContainers(w: Workload): Array<{ container: K8sContainer; role: ContainerRole }> {
  const out: Array<{ container: K8sContainer; role: ContainerRole }> = [];
  for (const c of w.containers) {
    const role = containerRole(c);
    if (role !== 'ephemeral') out.push({ container: c, role });
  }
  return out;
}

/** The text of a name property: its value, or the raw text of a placeholder (`${APP_NAME}`). */
export function nameText(p: Prop | undefined): string | undefined {
  const s = p?.str();
  if (s !== undefined) return s;
  const n = p?.node;
  return n?.kind === 'scalar' && typeof n.value === 'string' ? n.value : undefined;
}

/** How messages name a workload: `Deployment "api"`. */
export function workloadLabel(w: Workload): string {
  return `${w.objectKind} "${nameText(w.metadata?.prop('name')) ?? 'unnamed'}"`;
}

/** A container's name for messages (placeholders as written). */
export function containerName(c: K8sContainer): string {
  return nameText(c.props.prop('name')) ?? 'unnamed';
}

/** How messages name a container: `container "web" of Deployment "api"` (`init container ...`). */
export function containerLabel(c: K8sContainer, role: ContainerRole = containerRole(c)): string {
  return `${role === 'init' ? 'init container' : 'container'} "${containerName(c)}" of ${workloadLabel(c.owner)}`;
}

/** Capitalised `containerLabel` for the start of a sentence. */
export function ContainerLabel(c: K8sContainer, role?: ContainerRole): string {
  const s = containerLabel(c, role);
  return s[0]!.toUpperCase() + s.slice(1);
}

const OS_LABELS = ['kubernetes.io/os', 'beta.kubernetes.io/os'];

/**
 * A Windows pod (`spec.os.name: windows`, a `kubernetes.io/os: windows` node selector or required
 * node affinity, or a Windows hostProcess pod): Linux-only security settings do not apply to it.
 */
export function isWindowsPod(w: Workload): boolean {
  const spec = w.podSpec;
  if (!spec) return false;
  if (spec.obj('os')?.prop('name').is('windows')) return true;
  const selector = spec.obj('nodeSelector');
  if (selector && OS_LABELS.some((l) => selector.prop(l).is('windows'))) return true;
  if (spec.obj('securityContext')?.obj('windowsOptions')?.prop('hostProcess').bool() === true) return true;
  for (const term of spec.obj('affinity')?.obj('nodeAffinity')?.obj('requiredDuringSchedulingIgnoredDuringExecution')?.prop('nodeSelectorTerms').objects() ?? []) {
    for (const e of term.prop('matchExpressions').objects()) {
      if (!OS_LABELS.includes(e.prop('key').str() ?? '') || !e.prop('operator').is('In')) continue;
      const values = e.prop('values').list()?.map((v) => v.str()) ?? [];
      if (values.length > 0 && values.every((v) => v === 'windows')) return true;
    }
  }
  return false;
}

/** Whether a workload kind runs to completion (Job, CronJob): no Service traffic, no readiness. */
export function runsToCompletion(w: Workload): boolean {
  return w.objectKind === 'Job' || w.objectKind === 'CronJob';
}
