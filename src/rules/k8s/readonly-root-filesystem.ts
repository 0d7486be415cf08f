import { defineRule } from '../../engine/rule.js';
import { ContainerLabel, isWindowsPod, podContainers } from './lib/pod.js';
import { containerSecurityField, missingSettingTarget } from './lib/security-context.js';

export default defineRule({
  id: 'k8s/readonly-root-filesystem',
  severity: 'warning',
  description: 'Containers should set readOnlyRootFilesystem: true.',
  check({ model, report }) {
    for (const w of model.workloads) {
      if (isWindowsPod(w)) continue;
      for (const { container, role } of podContainers(w)) {
        const ro = containerSecurityField(container, 'readOnlyRootFilesystem');
        if (ro.unknown) continue;
        const label = ContainerLabel(container, role);
        if (ro.present) {
          if (ro.bool() === false)
            report(ro, `${label} sets readOnlyRootFilesystem: false, so an intruder can change its binaries and drop tools on its filesystem; set readOnlyRootFilesystem: true and mount an emptyDir volume where it must write (/tmp, caches).`);
          continue;
        }
        report(missingSettingTarget(container), `${label} has a writable root filesystem (readOnlyRootFilesystem is not set), so an intruder can change its binaries and drop tools on it; set securityContext.readOnlyRootFilesystem: true and mount an emptyDir volume where it must write (/tmp, caches).`, { atKey: true });
      }
    }
  },
});
