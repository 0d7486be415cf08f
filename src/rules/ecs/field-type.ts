import { defineRule } from '../../engine/rule.js';
import { ecsApiFindingsOf } from './lib/api-schema.js';

export default defineRule({
  id: 'ecs/field-type',
  severity: 'error',
  description: 'Task definition JSON fields must have the JSON type the ECS API expects (task-level cpu and memory are strings, container-level ones integers).',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      if (td.origin.format !== 'ecs-task-definition') continue;
      for (const f of ecsApiFindingsOf(td, 'field-type')) report(f.node, f.message);
    }
  },
});
