import { defineRule, key } from '../../engine/rule.js';
import { ALLOW_IMAGES_SCHEMA, imageAllowed } from '../lib/allow-images.js';
import { ContainerLabel, isWindowsPod, podContainers } from './lib/pod.js';
import { containerSecurityField, missingSettingTarget } from './lib/security-context.js';

export interface ReadonlyRootFilesystemOptions extends Record<string, unknown> {
  /** Image globs the rule leaves alone. */
  allowImages: string[];
}

export default defineRule<ReadonlyRootFilesystemOptions, 'writable' | 'notSet'>({
  id: 'k8s/readonly-root-filesystem',
  severity: 'warning',
  description: 'Containers should set readOnlyRootFilesystem: true.',
  meta: {
    messages: {
      writable: '{{container}} sets {{key}} to false, so an intruder can change its files: set it to true and mount an emptyDir where it must write.',
      notSet: '{{container}} has a writable root filesystem: set {{key}} to true and mount an emptyDir where it writes.',
    },
    schema: { type: 'object', additionalProperties: false, properties: { allowImages: ALLOW_IMAGES_SCHEMA } },
  },
  defaultOptions: { allowImages: [] },
  check({ model, report, options }) {
    for (const w of model.workloads) {
      if (isWindowsPod(w)) continue;
      for (const { container, role } of podContainers(w)) {
        const ro = containerSecurityField(container, 'readOnlyRootFilesystem');
        if (ro.unknown || imageAllowed(container.image, options.allowImages)) continue;
        const label = ContainerLabel(container, role);
        if (ro.present) {
          if (ro.bool() === false) report(ro, 'writable', { container: label, key: key('readOnlyRootFilesystem') });
          continue;
        }
        report(missingSettingTarget(container), 'notSet', { container: label, key: key('securityContext.readOnlyRootFilesystem') }, { atKey: true });
      }
    }
  },
});
