import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/no-privileged',
  severity: 'warning',
  description: 'Containers should not run privileged.',
  check() {
    // TODO: implemented in this issue.
  },
});
