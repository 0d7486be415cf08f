import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/service-network-configuration',
  severity: 'error',
  description: 'Services of awsvpc task definitions need subnets in their network configuration.',
  check() {
    // TODO: implemented in this issue.
  },
});
