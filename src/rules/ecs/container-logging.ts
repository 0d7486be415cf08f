import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/container-logging',
  severity: 'warning',
  description: 'Containers should send their logs somewhere (logConfiguration).',
  check() {
    // TODO: implemented in this issue.
  },
});
