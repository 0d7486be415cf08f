import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'iam/task-role-per-service',
  severity: 'warning',
  description: 'Each ECS service should have its own task role.',
  check() {
    // TODO: implemented in this issue.
  },
});
