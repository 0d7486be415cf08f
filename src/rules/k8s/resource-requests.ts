import { defineRule, key } from '../../engine/rule.js';
import { defaultRequestsFor } from './lib/namespace.js';
import { ContainerLabel, podContainers } from './lib/pod.js';
import { isNull } from './lib/security-context.js';

const RESOURCES = ['cpu', 'memory'] as const;

export default defineRule({
  id: 'k8s/resource-requests',
  severity: 'warning',
  description: 'Containers should request CPU and memory.',
  meta: {
    messages: {
      both: '{{container}} requests no CPU or memory, so it is scheduled as if it needed none: set {{cpu}} and {{memory}}.',
      cpu: '{{container}} requests no CPU, so it is scheduled as if it needed none and busy neighbours can starve it: set {{key}}.',
      memory: '{{container}} requests no memory, so it is scheduled as if it needed none and evicted first: set {{key}}.',
    },
  },
  check({ model, report }) {
    for (const w of model.workloads) {
      // Pod-level resources (spec.resources) cover every container.
      if (w.podSpec?.prop('resources').present) continue;
      // A LimitRange of the workload's namespace (any, when the namespace is unknown) may default requests.
      const defaults = defaultRequestsFor(model, w);
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
        const container_ = ContainerLabel(container, role);
        if (missing.length === 2) report(target, 'both', { container: container_, cpu: key('resources.requests.cpu'), memory: key('resources.requests.memory') }, { atKey: true });
        else report(target, missing[0]!, { container: container_, key: key(`resources.requests.${missing[0]!}`) }, { atKey: true });
      }
    }
  },
});
