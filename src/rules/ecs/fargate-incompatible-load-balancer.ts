import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/fargate-incompatible-load-balancer',
  severity: 'error',
  description: 'Fargate services cannot use a Classic Load Balancer.',
  check() {
    // TODO: implemented in this issue.
  },
});
