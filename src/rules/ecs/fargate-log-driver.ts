import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/fargate-log-driver',
  severity: 'error',
  description: 'Fargate containers may only use the awslogs, splunk or awsfirelens log drivers.',
  check() {
    // TODO: implemented in this issue.
  },
});
