import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/execution-role-required',
  severity: 'error',
  description: 'Task definitions that pull private images, read secrets or send logs need an execution role that allows it.',
  check() {
    // TODO: implemented in this issue.
  },
});
