import { defineRule, key } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/container-logging',
  severity: 'warning',
  description: 'Containers should send their logs somewhere (logConfiguration).',
  meta: {
    messages: {
      noLogConfiguration:
        'Container {{container}} of task definition "{{taskDefinition}}" has no {{key}}, so its logs are lost with its instance or unreadable on Fargate; add one (awslogs or awsfirelens).',
    },
  },
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      for (const c of td.containers) {
        if (!c.props.prop('LogConfiguration').absent) continue;
        report(c.props.prop('Name'), 'noLogConfiguration', { container: c.label, taskDefinition: td.label, key: key('LogConfiguration') });
      }
    }
  },
});
