import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/efs-authorization-requires-transit-encryption',
  severity: 'error',
  description: 'EFS IAM authorization and access points require transit encryption.',
  check() {
    // TODO: implemented in this issue.
  },
});
