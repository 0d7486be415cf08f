import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/container-logging',
  severity: 'warning',
  description: 'Containers should send their logs somewhere (logConfiguration).',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      for (const c of td.containers) {
        if (!c.props.prop('LogConfiguration').absent) continue;
        report(c.props.prop('Name'), `Container ${c.label} of task definition "${td.label}" has no LogConfiguration, so its output goes only to the Docker daemon's default log driver on the container instance (lost with the instance) or, on Fargate, cannot be read at all; add a LogConfiguration, for example LogDriver: awslogs with awslogs-group, awslogs-region and awslogs-stream-prefix, or awsfirelens.`);
      }
    }
  },
});
