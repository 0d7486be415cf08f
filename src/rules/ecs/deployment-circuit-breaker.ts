import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/deployment-circuit-breaker',
  severity: 'info',
  description: 'Services should enable the deployment circuit breaker with rollback.',
  check() {
    // TODO: implemented in this issue.
  },
});
