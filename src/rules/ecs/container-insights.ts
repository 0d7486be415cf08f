import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/container-insights',
  severity: 'info',
  description: 'Clusters should enable Container Insights.',
  check() {
    // TODO: implemented in this issue.
  },
});
