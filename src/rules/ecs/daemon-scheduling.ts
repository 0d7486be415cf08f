import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/daemon-scheduling',
  severity: 'error',
  description: 'The DAEMON scheduling strategy is not allowed with Fargate, CODE_DEPLOY or EXTERNAL.',
  check({ model, report }) {
    for (const service of model.services) {
      const strategy = service.props.prop('SchedulingStrategy');
      if (!strategy.is('DAEMON')) continue;
      const lead = `Service "${service.label}" uses SchedulingStrategy DAEMON`;
      const lt = service.launchType;
      if (lt.is('FARGATE')) {
        report(strategy, `${lead} with LaunchType FARGATE, but Fargate has no container instances to place one task on each, so ECS rejects the service; use SchedulingStrategy REPLICA with a DesiredCount, or run the daemon on EC2 (LaunchType EC2 or an Auto Scaling group capacity provider).`);
        continue;
      }
      if (lt.absent) {
        const fargate = service.capacityProviderStrategy
          .objects()
          .map((o) => o.prop('CapacityProvider'))
          .find((p) => p.is('FARGATE', 'FARGATE_SPOT'));
        if (fargate) {
          report(strategy, `${lead} with capacity provider ${fargate.str()}, but Fargate has no container instances to place one task on each, so ECS rejects the service; use SchedulingStrategy REPLICA with a DesiredCount, or run the daemon on EC2 (LaunchType EC2 or an Auto Scaling group capacity provider).`);
          continue;
        }
      }
      const controller = service.props.obj('DeploymentController')?.prop('Type');
      if (controller?.is('CODE_DEPLOY', 'EXTERNAL')) {
        report(strategy, `${lead} with the ${controller.str()} deployment controller, which supports only the REPLICA strategy, so ECS rejects the service; use the ECS (rolling update) deployment controller for a daemon service, or SchedulingStrategy REPLICA.`);
      }
    }
  },
});
