import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/fargate-network-mode',
  severity: 'error',
  description: 'Fargate task definitions must use the awsvpc network mode.',
  check() {
    // TODO: implemented in this issue.
  },
});
