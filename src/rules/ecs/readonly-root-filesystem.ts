import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/readonly-root-filesystem',
  severity: 'warning',
  description: 'Containers should have a read-only root file system.',
  check() {
    // TODO: implemented in this issue.
  },
});
