import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'capacity/provider-requires-asg',
  severity: 'error',
  description: 'A capacity provider must reference an Auto Scaling group.',
  check() {
    // TODO: implemented in this issue.
  },
});
