import { defineRule } from '../../engine/rule.js';
import { ecsApiFindingsOf } from './lib/api-schema.js';

export default defineRule({
  id: 'ecs/read-only-field',
  severity: 'info',
  description: 'Task definitions meant for registration should not carry describe-task-definition\'s read-only fields.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      if (td.origin.format !== 'ecs-task-definition') continue;
      for (const f of ecsApiFindingsOf(td, 'read-only-field')) report(f.node, f.message);
    }
  },
});
