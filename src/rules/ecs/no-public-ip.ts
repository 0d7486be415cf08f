import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/no-public-ip',
  severity: 'warning',
  description: 'Tasks should not get public IP addresses.',
  check() {
    // TODO: implemented in this issue.
  },
});
