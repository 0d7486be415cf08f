import { defineRule } from '../../engine/rule.js';
import { TaskDefinition } from '../../model/entities.js';
import type { Prop } from '../../model/value.js';

export default defineRule({
  id: 'ecs/service-launch-type-compatibility',
  severity: 'error',
  description: "A service's launch type must be one its task definition requires.",
  check({ model, report }) {
    for (const service of model.services) {
      if (model.isFargate(service) !== 'yes') continue;
      const td = model.taskDefinitionOf(service);
      if (!(td instanceof TaskDefinition) || td.requiresFargate() !== 'no') continue;
      // Where the service chooses Fargate: its LaunchType, a FARGATE entry of its strategy, else the cluster's default strategy.
      let where: Prop = service.taskDefinition;
      let how = "through its cluster's default capacity provider strategy";
      if (service.launchType.present) {
        where = service.launchType;
        how = 'with LaunchType FARGATE';
      } else if (service.capacityProviderStrategy.present) {
        const hit = service.capacityProviderStrategy
          .objects()
          .map((o) => o.prop('CapacityProvider'))
          .find((p) => p.is('FARGATE', 'FARGATE_SPOT'));
        if (hit) {
          where = hit;
          how = `with capacity provider ${hit.str()}`;
        }
      }
      const rc = td.requiresCompatibilities;
      const listed = rc.absent ? 'has no RequiresCompatibilities (which means EC2 only)' : `requires ${(rc.list() ?? []).map((p) => p.str()).join(', ') || 'no launch type'}, not FARGATE`;
      report(
        where,
        `Service "${service.label}" runs on Fargate ${how}, but its task definition "${td.label}" ${listed}, so ECS rejects the service with "Task definition does not support launch_type FARGATE"; add FARGATE to RequiresCompatibilities of "${td.label}" (with awsvpc network mode and task-level Cpu and Memory), or run the service on EC2.`,
      );
    }
  },
});
