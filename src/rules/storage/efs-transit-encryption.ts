import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'storage/efs-transit-encryption',
  severity: 'warning',
  description: 'EFS volumes should encrypt data in transit.',
  check() {
    // TODO: implemented in this issue.
  },
});
