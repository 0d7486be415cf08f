import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/fargate-task-size',
  severity: 'error',
  description: 'Fargate task CPU and memory must be a supported combination.',
  check() {
    // TODO: implemented in this issue.
  },
});
