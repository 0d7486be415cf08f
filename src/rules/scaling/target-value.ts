import { defineRule } from '../../engine/rule.js';
import { SCALING_POLICY } from './lib/targets.js';

const METRICS: Record<string, string> = {
  ECSServiceAverageCPUUtilization: 'CPU',
  ECSServiceAverageMemoryUtilization: 'memory',
};

export default defineRule({
  id: 'scaling/target-value',
  severity: 'warning',
  description: 'CPU and memory target values should be within (0, 90] to leave headroom.',
  check({ model, report }) {
    for (const policy of model.resources(SCALING_POLICY)) {
      const config = policy.props.obj('TargetTrackingScalingPolicyConfiguration');
      const type = config?.obj('PredefinedMetricSpecification')?.prop('PredefinedMetricType');
      const kind = type ? METRICS[type.str() ?? ''] : undefined;
      if (!config || !kind) continue;
      const tv = config.prop('TargetValue');
      const v = tv.num();
      if (v === undefined) continue;
      const id = policy.logicalId;
      if (v <= 0 || v > 100)
        report(tv, `Scaling policy "${id}" tracks ${type!.str()} with TargetValue ${v}, but average ${kind} utilization is a percentage, so the target is never reached and the service scales to its minimum or maximum; set TargetValue between 1 and 90 (e.g. 60 to 75).`);
      else if (v > 90)
        report(tv, `Scaling policy "${id}" tracks ${type!.str()} with TargetValue ${v}, which leaves no headroom: tasks run near saturation before the service scales out, and a burst arrives before new tasks start; set TargetValue to 90 or less (60 to 75 is typical).`);
    }
  },
});
