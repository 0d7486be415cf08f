import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'storage/efs-access-point-root',
  severity: 'error',
  description: "With an EFS access point, the volume's root directory must be absent or /.",
  check() {
    // TODO: implemented in this issue.
  },
});
