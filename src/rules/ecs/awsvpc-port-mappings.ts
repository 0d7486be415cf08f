import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/awsvpc-port-mappings',
  severity: 'error',
  description: "Port mappings and networking options must suit the task's network mode.",
  check() {
    // TODO: implemented in this issue.
  },
});
