import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/image-tag',
  severity: 'warning',
  description: 'Container images should be pinned to a tag other than latest, or a digest.',
  check() {
    // TODO: implemented in this issue.
  },
});
