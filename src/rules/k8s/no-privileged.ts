import { defineRule, key } from '../../engine/rule.js';
import { ALLOW_IMAGES_SCHEMA, imageAllowed } from '../lib/allow-images.js';
import { ContainerLabel, podContainers } from './lib/pod.js';

export interface NoPrivilegedOptions extends Record<string, unknown> {
  /** Image globs the rule leaves alone (node agents that must be privileged: CSI node plugins, CNI). */
  allowImages: string[];
}

export default defineRule<NoPrivilegedOptions, 'privileged'>({
  id: 'k8s/no-privileged',
  severity: 'warning',
  description: 'Containers should not run privileged.',
  meta: {
    messages: {
      privileged: '{{container}} runs privileged, with every capability and all host devices: remove {{key}} and add only the capabilities it needs.',
    },
    schema: { type: 'object', additionalProperties: false, properties: { allowImages: ALLOW_IMAGES_SCHEMA } },
  },
  defaultOptions: { allowImages: [] },
  check({ model, report, options }) {
    for (const w of model.workloads) {
      // On Fargate a privileged container is an error that eks/fargate-incompatible-pod reports at the same value.
      if (model.fargateProfileOf(w).answer === 'yes') continue;
      for (const { container, role } of podContainers(w)) {
        const p = container.privileged;
        if (p.bool() !== true || imageAllowed(container.image, options.allowImages)) continue;
        report(p, 'privileged', { container: ContainerLabel(container, role), key: key('securityContext.privileged') });
      }
    }
  },
});
