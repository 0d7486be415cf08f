import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/awslogs-options',
  severity: 'error',
  description: 'The awslogs log driver needs a log group and region, and only known options.',
  check() {
    // TODO: implemented in this issue.
  },
});
