import { defineRule } from '../../engine/rule.js';
import { fargateContext } from './lib/fargate.js';
import { ecsApiSpec } from './lib/api-schema.js';

export default defineRule({
  id: 'ecs/fargate-network-mode',
  severity: 'error',
  description: 'Fargate task definitions must use the awsvpc network mode.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const mode = td.networkMode;
      // A NetworkMode that is unknown, or a condition may remove, is not judged.
      if (mode.present && (mode.str() === undefined || mode.is('awsvpc'))) continue;
      // A value that is no network mode at all (`awsvcp`) is the allowed-values rules' finding, with its did-you-mean.
      if (mode.present && !(ecsApiSpec().enums.get('NetworkMode') ?? []).some((m) => m.toLowerCase() === mode.str()!.toLowerCase())) continue;
      const ctx = fargateContext(model, td);
      if (!ctx) continue;
      const { why, fails } = ctx;
      if (mode.absent) {
        report(td, `Task definition "${td.label}" ${why} but sets no NetworkMode; the default, bridge, is not supported on Fargate, so ${fails}; set NetworkMode to awsvpc.`);
      } else {
        report(mode, `Task definition "${td.label}" ${why} but uses NetworkMode "${mode.str()}"; Fargate supports only awsvpc, so ${fails}; set NetworkMode to awsvpc (each task gets its own network interface: give the service a NetworkConfiguration with subnets and security groups).`);
      }
    }
  },
});
