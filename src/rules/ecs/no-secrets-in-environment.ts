import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/no-secrets-in-environment',
  severity: 'error',
  description: 'Secrets belong in secrets (Secrets Manager or SSM), not in environment variables.',
  check() {
    // TODO: implemented in this issue.
  },
});
