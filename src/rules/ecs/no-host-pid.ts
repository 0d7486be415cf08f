import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/no-host-pid',
  severity: 'warning',
  description: "Tasks should not share the host's process namespace.",
  check() {
    // TODO: implemented in this issue.
  },
});
