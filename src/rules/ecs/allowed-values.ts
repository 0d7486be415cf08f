import { defineRule } from '../../engine/rule.js';
import { ECS_API_MESSAGES, ecsApiFindingsOf } from './lib/api-schema.js';

export default defineRule({
  id: 'ecs/allowed-values',
  severity: 'error',
  description: 'Task definition JSON fields must use values the ECS API allows (networkMode, requiresCompatibilities, logDriver, protocol, ...), spelled in the API\'s case.',
  meta: { messages: ECS_API_MESSAGES['allowed-values'] },
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      if (td.origin.format !== 'ecs-task-definition') continue;
      for (const f of ecsApiFindingsOf(td, 'allowed-values')) report(f.node, f.messageId, f.data);
    }
  },
});
