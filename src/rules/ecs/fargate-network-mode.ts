import { defineRule, key } from '../../engine/rule.js';
import { fargateContext } from './lib/fargate.js';
import { ecsApiSpec } from './lib/api-schema.js';

export default defineRule({
  id: 'ecs/fargate-network-mode',
  severity: 'error',
  description: 'Fargate task definitions must use the awsvpc network mode.',
  meta: {
    messages: {
      notSet: 'Task definition "{{taskDefinition}}" {{why}} but sets no {{key}}, and the default, bridge, is not supported on Fargate, so {{fails}}; set {{key}} to awsvpc.',
      notAwsvpc: 'Task definition "{{taskDefinition}}" {{why}} but uses {{key}} "{{mode}}", which Fargate does not support; set {{key}} to awsvpc.',
    },
  },
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const mode = td.networkMode;
      // A NetworkMode that is unknown, or a condition may remove, is not judged.
      if (mode.present && (mode.str() === undefined || mode.is('awsvpc'))) continue;
      // A value that is no network mode at all (`awsvcp`) is the allowed-values rules' finding, with its did-you-mean.
      if (mode.present && !(ecsApiSpec().enums.get('NetworkMode') ?? []).some((m) => m.toLowerCase() === mode.str()!.toLowerCase())) continue;
      const ctx = fargateContext(model, td);
      if (!ctx) continue;
      const about = { taskDefinition: td.label, why: ctx.why, fails: ctx.fails, key: key('NetworkMode') };
      if (mode.absent) report(td, 'notSet', about);
      else report(mode, 'notAwsvpc', { ...about, mode: mode.str()! });
    }
  },
});
