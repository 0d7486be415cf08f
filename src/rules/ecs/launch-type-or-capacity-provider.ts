import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/launch-type-or-capacity-provider',
  severity: 'error',
  description: 'LaunchType and CapacityProviderStrategy exclude each other; awsvpc services take no Role.',
  check() {
    // TODO: implemented in this issue.
  },
});
