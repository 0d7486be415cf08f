import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/fargate-unsupported-parameter',
  severity: 'error',
  description: 'Fargate task definitions must not use parameters Fargate does not support.',
  check() {
    // TODO: implemented in this issue.
  },
});
