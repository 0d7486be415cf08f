import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'capacity/managed-termination-protection',
  severity: 'error',
  description: 'Managed termination protection needs scale-in protection and managed scaling.',
  check() {
    // TODO: implemented in this issue.
  },
});
