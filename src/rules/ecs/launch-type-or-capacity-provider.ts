import { defineRule } from '../../engine/rule.js';
import { TaskDefinition } from '../../model/entities.js';

export default defineRule({
  id: 'ecs/launch-type-or-capacity-provider',
  severity: 'error',
  description: 'LaunchType and CapacityProviderStrategy exclude each other; awsvpc services take no Role.',
  check({ model, report }) {
    for (const service of model.services) {
      const lt = service.launchType;
      const strategy = service.capacityProviderStrategy;
      const launchType = lt.surelyPresent ? lt.str() : undefined;
      const entries = strategy.surelyPresent ? strategy.list() : undefined;
      if (launchType && entries && entries.length > 0) {
        report(
          lt,
          `Service "${service.label}" sets both LaunchType "${launchType}" and a CapacityProviderStrategy, which ECS does not accept together ("Specifying both a launch type and capacity provider strategy is not supported"); keep only the CapacityProviderStrategy (use FARGATE or FARGATE_SPOT for Fargate) or only the LaunchType.`,
          { atKey: true },
        );
      }

      const role = service.props.prop('Role');
      if (!role.surelyPresent || !role.known || role.str() === '') continue;
      const td = model.taskDefinitionOf(service);
      if (!(td instanceof TaskDefinition) || !td.networkMode.is('awsvpc')) continue;
      report(
        role,
        `Service "${service.label}" sets Role, but its task definition "${td.label}" uses network mode awsvpc, for which ECS uses its service-linked role (AWSServiceRoleForECS) and rejects the service ("You cannot specify an IAM role for services that require a service linked role"); remove Role from the service.`,
        { atKey: true },
      );
    }
  },
});
