import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/container-memory',
  severity: 'error',
  description: "Container memory settings must be present and consistent with the task's.",
  check() {
    // TODO: implemented in this issue.
  },
});
