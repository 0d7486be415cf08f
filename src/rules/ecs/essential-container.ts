import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/essential-container',
  severity: 'error',
  description: 'A task definition needs at least one essential container.',
  check() {
    // TODO: implemented in this issue.
  },
});
