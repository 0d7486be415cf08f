import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'iam/separate-task-and-instance-roles',
  severity: 'error',
  description: "A task role must not be the container instances' role.",
  check() {
    // TODO: implemented in this issue.
  },
});
