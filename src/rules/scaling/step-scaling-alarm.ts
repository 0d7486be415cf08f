import { defineRule } from '../../engine/rule.js';
import { alarmIndex, leavesTemplate, SCALING_POLICY } from './lib/targets.js';

export default defineRule({
  id: 'scaling/step-scaling-alarm',
  severity: 'error',
  description: 'A step-scaling policy needs a CloudWatch alarm that triggers it.',
  check({ model, report }) {
    const policies = model.resources(SCALING_POLICY);
    if (policies.length === 0) return;
    const alarms = alarmIndex(model);
    for (const policy of policies) {
      const type = policy.props.prop('PolicyType');
      if (!type.is('StepScaling')) continue;
      if (alarms.byPolicy.has(policy)) continue;
      // An alarm whose actions cannot be known, or a policy handed to other stacks, may be triggered elsewhere.
      if (alarms.unknownIn.has(policy.template) || leavesTemplate(policy)) continue;
      report(
        type,
        `Step scaling policy "${policy.logicalId}" is not in the AlarmActions of any CloudWatch alarm, so it never runs and the service does not scale on it; add an AWS::CloudWatch::Alarm on the metric to scale on with AlarmActions: [!Ref ${policy.logicalId}].`,
      );
    }
  },
});
