import { defineRule } from '../../engine/rule.js';
import { ContainerLabel, podContainers } from './lib/pod.js';
import { fargateProfileOf } from '../eks/lib/fargate.js';

export default defineRule({
  id: 'k8s/no-privileged',
  severity: 'warning',
  description: 'Containers should not run privileged.',
  check({ model, report }) {
    for (const w of model.workloads) {
      // On Fargate a privileged container is an error that eks/fargate-incompatible-pod reports at the same value.
      const fargate = fargateProfileOf(model, w);
      if (fargate.answer === 'yes' && fargate.selector) continue;
      for (const { container, role } of podContainers(w)) {
        const p = container.privileged;
        if (p.bool() !== true) continue;
        report(p, `${ContainerLabel(container, role)} runs privileged (privileged: true): it gets every Linux capability and all host devices, and escaping to the node is trivial; remove privileged and add only the capabilities it needs (securityContext.capabilities.add).`);
      }
    }
  },
});
