import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/no-privileged',
  severity: 'warning',
  description: 'Containers should not run privileged.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      // On Fargate, Privileged is an error that ecs/fargate-unsupported-parameter reports at the same key.
      if (model.taskRunsOnFargate(td) === 'yes') continue;
      for (const c of td.containers) {
        const p = c.privileged;
        if (p.bool() !== true) continue;
        report(p, `Container ${c.label} of task definition "${td.label}" runs privileged (Privileged: true), which gives it the powers of root on the container instance: every device, every Linux capability, no seccomp or AppArmor confinement; remove Privileged and add only the Linux capabilities (LinuxParameters.Capabilities.Add) or devices (LinuxParameters.Devices) it needs.`, { atKey: true });
      }
    }
  },
});
