import { defineRule } from '../../engine/rule.js';
import { TargetGroup, TaskDefinition } from '../../model/entities.js';

export default defineRule({
  id: 'elb/target-type-ip-for-awsvpc',
  severity: 'error',
  description: 'Target groups of awsvpc services must use the ip target type.',
  check({ model, report }) {
    const done = new Set<TargetGroup>();
    for (const service of model.services) {
      const lbs = service.loadBalancers;
      if (lbs.length === 0) continue;
      const td = model.taskDefinitionOf(service);
      if (!(td instanceof TaskDefinition) || !td.networkMode.is('awsvpc')) continue;
      for (const lb of lbs) {
        const tg = model.refTarget(lb.prop('TargetGroupArn'), TargetGroup);
        if (!(tg instanceof TargetGroup) || done.has(tg)) continue;
        const type = tg.targetType;
        if (!(type.absent || type.is('instance'))) continue;
        done.add(tg);
        const state = type.absent ? 'has no TargetType (the default is instance)' : 'has TargetType "instance"';
        report(
          type.absent ? tg : type,
          `Target group "${tg.label}" ${state}, but service "${service.label}" registers tasks of task definition "${td.label}" in it, which use network mode awsvpc and are registered by IP address, so ECS rejects the service ("has target type instance, which is incompatible with the awsvpc network mode specified in the task definition"); set TargetType: ip.`,
        );
      }
    }
  },
});
