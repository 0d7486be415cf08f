import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/service-launch-type-compatibility',
  severity: 'error',
  description: "A service's launch type must be one its task definition requires.",
  check() {
    // TODO: implemented in this issue.
  },
});
