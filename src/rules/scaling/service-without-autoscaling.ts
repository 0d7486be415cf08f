import { defineRule } from '../../engine/rule.js';
import { mayScale, targetIndex } from './lib/targets.js';

export default defineRule({
  id: 'scaling/service-without-autoscaling',
  severity: 'info',
  recommended: false,
  description: 'Services with more than one task should scale automatically.',
  check({ model, report }) {
    if (model.services.length === 0) return;
    const index = targetIndex(model);
    for (const service of model.services) {
      const desired = service.props.prop('DesiredCount');
      const n = desired.num();
      if (n === undefined || n <= 1) continue;
      const strategy = service.props.prop('SchedulingStrategy');
      if (!strategy.absent && !strategy.is('REPLICA')) continue;
      if (index.byService.has(service)) continue;
      if (index.unresolved.some((t) => mayScale(t, service))) continue;
      report(
        desired,
        `Service "${service.label}" runs a fixed ${n} tasks and no scalable target in the run scales it, so it cannot add tasks under load nor shed them when idle; add an AWS::ApplicationAutoScaling::ScalableTarget for it (ResourceId service/<cluster>/<service>) with a target-tracking policy, e.g. on ECSServiceAverageCPUUtilization.`,
      );
    }
  },
});
