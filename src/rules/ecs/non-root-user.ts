import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/non-root-user',
  severity: 'warning',
  description: 'Linux containers should run as a non-root user.',
  check() {
    // TODO: implemented in this issue.
  },
});
