import { defineRule } from '../../engine/rule.js';
import { ContainerLabel, isWindowsPod, podContainers } from './lib/pod.js';
import { addedCapabilityNames, containerSecurityField, missingSettingTarget } from './lib/security-context.js';

export default defineRule({
  id: 'k8s/no-privilege-escalation',
  severity: 'warning',
  description: 'Containers should set allowPrivilegeEscalation: false.',
  check({ model, report }) {
    for (const w of model.workloads) {
      if (isWindowsPod(w)) continue;
      for (const { container, role } of podContainers(w)) {
        // A privileged container always allows escalation; k8s/no-privileged reports it.
        const privileged = container.privileged;
        if (privileged.bool() === true || privileged.unknown) continue;
        const label = ContainerLabel(container, role);
        const sysAdmin = addedCapabilityNames(container).find((c) => c.name === 'SYS_ADMIN');
        if (sysAdmin) {
          report(sysAdmin.prop, `${label} adds the capability "${sysAdmin.prop.str()}", which always allows privilege escalation (allowPrivilegeEscalation cannot be false with it); drop SYS_ADMIN and add only the narrower capabilities it needs.`);
          continue;
        }
        const ape = containerSecurityField(container, 'allowPrivilegeEscalation');
        if (ape.unknown) continue;
        if (ape.present) {
          if (ape.bool() === true)
            report(ape, `${label} sets allowPrivilegeEscalation: true, so setuid binaries and file capabilities can give its processes more privileges than they started with; set allowPrivilegeEscalation: false.`);
          continue;
        }
        report(missingSettingTarget(container), `${label} does not set allowPrivilegeEscalation, which defaults to true, so setuid binaries and file capabilities can give its processes more privileges than they started with; set securityContext.allowPrivilegeEscalation: false.`, { atKey: true });
      }
    }
  },
});
