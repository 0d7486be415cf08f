import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/block-task-imds',
  severity: 'warning',
  description: 'Container instances should block tasks from the instance metadata service.',
  check() {
    // TODO: implemented in this issue.
  },
});
