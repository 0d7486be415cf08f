import { defineRule, key } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/daemon-scheduling',
  severity: 'error',
  description: 'The DAEMON scheduling strategy is not allowed with Fargate, CODE_DEPLOY or EXTERNAL.',
  meta: {
    messages: {
      fargateLaunchType:
        'Service "{{service}}" uses {{key}} DAEMON with {{launchType}} FARGATE, which ECS rejects: Fargate has no instances to put one task on each; use REPLICA, or run the daemon on EC2.',
      fargateProvider:
        'Service "{{service}}" uses {{key}} DAEMON with capacity provider {{provider}}, which ECS rejects: Fargate has no instances to put one task on each; use REPLICA, or run the daemon on EC2.',
      controller: 'Service "{{service}}" uses {{key}} DAEMON with the {{controller}} deployment controller, which supports only REPLICA, so ECS rejects it; use the ECS controller or REPLICA.',
    },
  },
  check({ model, report }) {
    for (const service of model.services) {
      const strategy = service.props.prop('SchedulingStrategy');
      if (!strategy.is('DAEMON')) continue;
      const about = { service: service.label, key: key('SchedulingStrategy') };
      const lt = service.launchType;
      if (lt.is('FARGATE')) {
        report(strategy, 'fargateLaunchType', { ...about, launchType: key('LaunchType') });
        continue;
      }
      if (lt.absent) {
        const fargate = service.capacityProviderStrategy
          .objects()
          .map((o) => o.prop('CapacityProvider'))
          .find((p) => p.is('FARGATE', 'FARGATE_SPOT'));
        if (fargate) {
          report(strategy, 'fargateProvider', { ...about, provider: fargate.str()! });
          continue;
        }
      }
      const controller = service.props.obj('DeploymentController')?.prop('Type');
      if (controller?.is('CODE_DEPLOY', 'EXTERNAL')) report(strategy, 'controller', { ...about, controller: controller.str()! });
    }
  },
});
