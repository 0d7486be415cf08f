import { defineRule } from '../../engine/rule.js';
import type { Obj, Prop } from '../../model/value.js';

const FIX =
  'run the tasks in private subnets (outbound traffic through a NAT gateway or VPC endpoints) and set AssignPublicIp to DISABLED, or leave it out';

/** `NetworkConfiguration.Aws[vV]pcConfiguration.AssignPublicIp` of an object (property access ignores case). */
function assignPublicIp(owner: Obj | undefined): Prop | undefined {
  return owner?.obj('NetworkConfiguration')?.obj('AwsvpcConfiguration')?.prop('AssignPublicIp');
}

/** A launch type that cannot take a public IP (ECS rejects ENABLED outside Fargate): another problem than this one. */
function notFargateLaunchType(owner: Obj | undefined): boolean {
  const lt = owner?.prop('LaunchType');
  return !!lt && lt.known && !lt.is('FARGATE');
}

export default defineRule({
  id: 'ecs/no-public-ip',
  severity: 'warning',
  description: 'Tasks should not get public IP addresses.',
  check({ model, report }) {
    for (const service of model.services) {
      const ip = assignPublicIp(service.props);
      if (!ip?.is('ENABLED')) continue;
      if (model.isFargate(service) === 'no') continue;
      report(
        ip,
        `Service "${service.label}" gives each task a public IP address (AssignPublicIp: ENABLED), so its network interface can be reached from the internet, guarded only by its security groups; ${FIX}.`,
      );
    }

    for (const ts of model.resources('AWS::ECS::TaskSet')) {
      const ip = assignPublicIp(ts.props);
      if (!ip?.is('ENABLED') || notFargateLaunchType(ts.props)) continue;
      report(
        ip,
        `Task set "${ts.logicalId}" gives each task a public IP address (AssignPublicIp: ENABLED), so its network interface can be reached from the internet, guarded only by its security groups; ${FIX}.`,
      );
    }

    for (const rule of model.resources('AWS::Events::Rule')) {
      for (const target of rule.props.prop('Targets').objects()) {
        const ecs = target.obj('EcsParameters');
        const ip = assignPublicIp(ecs);
        if (!ip?.is('ENABLED') || notFargateLaunchType(ecs)) continue;
        const id = target.prop('Id').str();
        report(
          ip,
          `Rule "${rule.logicalId}" runs ECS tasks${id ? ` (target "${id}")` : ''} with a public IP address (AssignPublicIp: ENABLED), so each task's network interface can be reached from the internet, guarded only by its security groups; ${FIX}.`,
        );
      }
    }

    // EventBridge Scheduler schedules and Pipes that start ECS tasks.
    const starters: [type: string, noun: string, path: [string, string]][] = [
      ['AWS::Scheduler::Schedule', 'Schedule', ['Target', 'EcsParameters']],
      ['AWS::Pipes::Pipe', 'Pipe', ['TargetParameters', 'EcsTaskParameters']],
    ];
    for (const [type, noun, [outer, inner]] of starters) {
      for (const res of model.resources(type)) {
        const ecs = res.props.obj(outer)?.obj(inner);
        const ip = assignPublicIp(ecs);
        if (!ip?.is('ENABLED') || notFargateLaunchType(ecs)) continue;
        report(
          ip,
          `${noun} "${res.logicalId}" runs ECS tasks with a public IP address (AssignPublicIp: ENABLED), so each task's network interface can be reached from the internet, guarded only by its security groups; ${FIX}.`,
        );
      }
    }
  },
});
