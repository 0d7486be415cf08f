import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/no-host-pid',
  severity: 'warning',
  description: "Tasks should not share the host's process namespace.",
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const p = td.props.prop('PidMode');
      if (!p.isCI('host')) continue;
      // On Fargate, PidMode host is an error that ecs/fargate-unsupported-parameter reports at the same key.
      if (model.taskRunsOnFargate(td) === 'yes') continue;
      report(p, `Task definition "${td.label}" shares the host's process namespace (PidMode: ${p.str()}), so its containers see every process on the container instance with its command line and, as root, can send them signals; remove PidMode, or use "task" to share processes only between the task's own containers.`, { atKey: true });
    }
  },
});
