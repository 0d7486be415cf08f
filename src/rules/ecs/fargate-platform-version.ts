import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/fargate-platform-version',
  severity: 'info',
  description: 'Fargate services should run the LATEST platform version.',
  check() {
    // TODO: implemented in this issue.
  },
});
