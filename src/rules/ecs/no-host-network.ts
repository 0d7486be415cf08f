import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/no-host-network',
  severity: 'warning',
  description: 'Tasks should not use the host network mode.',
  check() {
    // TODO: implemented in this issue.
  },
});
