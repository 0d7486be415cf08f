import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'iam/separate-task-and-execution-roles',
  severity: 'warning',
  description: 'Task role and execution role should be different roles.',
  check() {
    // TODO: implemented in this issue.
  },
});
