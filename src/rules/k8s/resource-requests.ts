import { defineRule } from '../../engine/rule.js';
import { defaultRequestsIn, namespaceOf } from './lib/namespace.js';
import { ContainerLabel, podContainers } from './lib/pod.js';
import { isNull } from './lib/security-context.js';

const RESOURCES = ['cpu', 'memory'] as const;

export default defineRule({
  id: 'k8s/resource-requests',
  severity: 'warning',
  description: 'Containers should request CPU and memory.',
  check({ model, report }) {
    for (const w of model.workloads) {
      // Pod-level resources (spec.resources) cover every container.
      if (w.podSpec?.prop('resources').present) continue;
      // A LimitRange of the workload's namespace (any, when the namespace is a placeholder) may default requests.
      const defaults = defaultRequestsIn(model, namespaceOf(w.metadata));
      for (const { container, role } of podContainers(w)) {
        const resources = container.props.prop('resources');
        if (resources.unknown) continue;
        const res = resources.obj();
        if (resources.present && !res && !isNull(resources)) continue;
        const requestsProp = res?.prop('requests');
        const limitsProp = res?.prop('limits');
        if (requestsProp?.unknown || limitsProp?.unknown) continue;
        const requests = requestsProp?.obj();
        const limits = limitsProp?.obj();
        if ((requestsProp?.present && !requests && !isNull(requestsProp)) || (limitsProp?.present && !limits && !isNull(limitsProp))) continue;
        // A limit without a request becomes the request; a LimitRange default request counts too.
        const missing = RESOURCES.filter((r) => !requests?.has(r) && !limits?.has(r) && !defaults.has(r));
        if (missing.length === 0) continue;
        const target = requestsProp?.present ? requestsProp : resources.present ? resources : container.props.prop('name');
        const what = missing.map((r) => `resources.requests.${r}`).join(' and ');
        const label = ContainerLabel(container, role);
        const effect =
          missing.length === 2
            ? 'the scheduler places it as if it needed nothing, and the kubelet evicts it first under memory pressure'
            : missing[0] === 'cpu'
              ? 'the scheduler places it as if it needed no CPU, and busy neighbours can starve it'
              : 'the scheduler places it as if it needed no memory, and the kubelet evicts it first under memory pressure';
        report(target, `${label} requests no ${missing.length === 2 ? 'CPU or memory' : missing[0] === 'cpu' ? 'CPU' : 'memory'} (${what} ${missing.length === 2 ? 'are' : 'is'} not set), so ${effect}; set ${what} to what it uses under normal load.`, { atKey: true });
      }
    }
  },
});
