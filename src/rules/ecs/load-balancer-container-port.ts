import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/load-balancer-container-port',
  severity: 'error',
  description: "A service's load balancer must name a container port the task definition maps.",
  check() {
    // TODO: implemented in this issue.
  },
});
