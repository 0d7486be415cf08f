import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'capacity/provider-not-associated',
  severity: 'error',
  description: 'A service may only use capacity providers associated with its cluster.',
  check() {
    // TODO: implemented in this issue.
  },
});
