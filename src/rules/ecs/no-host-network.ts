import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/no-host-network',
  severity: 'warning',
  description: 'Tasks should not use the host network mode.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const p = td.networkMode;
      if (!p.isCI('host')) continue;
      report(p, `Task definition "${td.label}" uses the host network mode (NetworkMode: ${p.str()}), so its containers share the container instance's network stack: they can impersonate the host and connect to services listening on its loopback interface, and the task gets no security group of its own; use awsvpc (or bridge with dynamic host ports).`, { atKey: true });
    }
  },
});
