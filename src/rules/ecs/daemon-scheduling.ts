import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/daemon-scheduling',
  severity: 'error',
  description: 'The DAEMON scheduling strategy is not allowed with Fargate, CODE_DEPLOY or EXTERNAL.',
  check() {
    // TODO: implemented in this issue.
  },
});
