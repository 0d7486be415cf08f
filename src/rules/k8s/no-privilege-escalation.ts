import { defineRule, key } from '../../engine/rule.js';
import { ContainerLabel, isWindowsPod, podContainers } from './lib/pod.js';
import { addedCapabilityNames, containerSecurityField, missingSettingTarget } from './lib/security-context.js';

export default defineRule({
  id: 'k8s/no-privilege-escalation',
  severity: 'warning',
  description: 'Containers should set allowPrivilegeEscalation: false.',
  meta: {
    messages: {
      sysAdmin: '{{container}} adds the capability "{{capability}}", which always allows privilege escalation: drop it and add only the narrower capabilities it needs.',
      allowed: '{{container}} sets {{key}} to true, so setuid binaries can raise its privileges: set it to false.',
      notSet: '{{container}} does not set {{key}} (default true), so setuid binaries can raise its privileges: set it to false.',
    },
  },
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
          report(sysAdmin.prop, 'sysAdmin', { container: label, capability: sysAdmin.prop.str() ?? sysAdmin.name });
          continue;
        }
        const ape = containerSecurityField(container, 'allowPrivilegeEscalation');
        if (ape.unknown) continue;
        if (ape.present) {
          if (ape.bool() === true) report(ape, 'allowed', { container: label, key: key('allowPrivilegeEscalation') });
          continue;
        }
        report(missingSettingTarget(container), 'notSet', { container: label, key: key('securityContext.allowPrivilegeEscalation') }, { atKey: true });
      }
    }
  },
});
