import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/fargate-efs-platform-version',
  severity: 'error',
  description: 'EFS volumes on Fargate need platform version 1.4.0 or later.',
  check() {
    // TODO: implemented in this issue.
  },
});
