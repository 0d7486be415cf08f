import { defineRule } from '../../engine/rule.js';
import { ecsApiFindingsOf } from './lib/api-schema.js';

export default defineRule({
  id: 'ecs/unknown-field',
  severity: 'error',
  description: 'Task definition JSON fields must exist in the ECS API (register-task-definition input, describe-task-definition output).',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      if (td.origin.format !== 'ecs-task-definition') continue;
      for (const f of ecsApiFindingsOf(td, 'unknown-field')) report(f.node, f.message);
    }
  },
});
