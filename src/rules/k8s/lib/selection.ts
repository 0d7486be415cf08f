import type { K8sService, Workload } from '../../../model/entities.js';
import type { FileView } from '../../../model/model.js';
import { namespaceOf } from './namespace.js';
import { podLabels } from './pod.js';

interface Selector {
  service: K8sService;
  namespace: string;
  labels: Array<[string, string]>;
}

/**
 * The Services of the run that select a workload's pods: same namespace (both absent counts as the
 * same), every `spec.selector` label equal to a pod label. Services whose selector or namespace is
 * unknown select nothing here; so do Services without a selector (they have manually managed endpoints).
 */
export function servicesSelecting(model: FileView, w: Workload): K8sService[] {
  const index = model.all.memo('k8s/serviceSelection', () => buildIndex(model));
  return index.get(w) ?? [];
}

function buildIndex(model: FileView): Map<Workload, K8sService[]> {
  // Services by their first selector label, so each workload looks only at candidates.
  const byLabel = new Map<string, Selector[]>();
  for (const service of model.all.k8sServices) {
    const namespace = namespaceOf(service.metadata);
    const selector = service.spec?.prop('selector');
    if (namespace === undefined || !selector) continue;
    const sel = selector.obj();
    if (!sel) continue;
    const labels: Array<[string, string]> = [];
    let known = true;
    for (const key of sel.keys()) {
      const v = sel.prop(key).str();
      if (v === undefined) known = false;
      else labels.push([key, v]);
    }
    if (!known || labels.length === 0) continue;
    const k = `${labels[0]![0]}=${labels[0]![1]}`;
    const list = byLabel.get(k) ?? [];
    list.push({ service, namespace, labels });
    byLabel.set(k, list);
  }
  const out = new Map<Workload, K8sService[]>();
  if (byLabel.size === 0) return out;
  for (const w of model.all.workloads) {
    const labels = podLabels(w);
    const namespace = namespaceOf(w.metadata);
    if (!labels || namespace === undefined) continue;
    const values = new Map<string, string>();
    for (const key of labels.keys()) {
      const v = labels.prop(key).str();
      if (v !== undefined) values.set(key, v);
    }
    const found = new Set<K8sService>();
    for (const [key, value] of values) {
      for (const s of byLabel.get(`${key}=${value}`) ?? []) {
        if (s.namespace !== namespace) continue;
        if (s.labels.every(([k, v]) => values.get(k) === v)) found.add(s.service);
      }
    }
    if (found.size) out.set(w, [...found]);
  }
  return out;
}
