import { defineRule } from '../../engine/rule.js';

const ASG_TYPE = 'AWS::AutoScaling::AutoScalingGroup';

/**
 * Resource types whose attributes can carry any string (an Auto Scaling group name passed through a
 * nested stack output, a custom resource, a parameter store value, ...): a reference to them is unknown.
 */
function passesThroughValues(type: string): boolean {
  return (
    type === '' ||
    type.startsWith('Custom::') ||
    type.startsWith('AWS::Serverless::') ||
    type === 'AWS::CloudFormation::CustomResource' ||
    type === 'AWS::CloudFormation::Stack' ||
    type === 'AWS::CloudFormation::WaitCondition' ||
    type === 'AWS::SSM::Parameter'
  );
}

export default defineRule({
  id: 'capacity/provider-requires-asg',
  severity: 'error',
  description: 'A capacity provider must reference an Auto Scaling group.',
  check({ model, report }) {
    for (const cp of model.capacityProviders) {
      const provider = cp.asgProvider;
      if (provider.absent) {
        // An ECS Managed Instances provider has no Auto Scaling group.
        if (cp.props.prop('ManagedInstancesProvider').absent)
          report(provider, `Capacity provider "${cp.label}" has neither an AutoScalingGroupProvider nor a ManagedInstancesProvider, so CloudFormation cannot create it; add AutoScalingGroupProvider with the AutoScalingGroupArn of the Auto Scaling group whose instances it manages.`);
        continue;
      }
      const obj = provider.obj();
      if (!obj) continue;
      const arn = obj.prop('AutoScalingGroupArn');
      if (arn.absent) {
        report(arn, `Capacity provider "${cp.label}" has an AutoScalingGroupProvider without AutoScalingGroupArn, a required property; set it to the Auto Scaling group (for example !Ref AutoScalingGroup).`);
        continue;
      }
      const r = arn.res;
      if (r.kind !== 'ref') continue;
      const type = r.resource.type;
      if (type === ASG_TYPE || passesThroughValues(type)) continue;
      const what = r.attribute === undefined ? r.resource.logicalId : `${r.resource.logicalId}.${r.attribute}`;
      report(arn, `Capacity provider "${cp.label}" points AutoScalingGroupArn at "${what}" (${type}), not at an Auto Scaling group; reference an AWS::AutoScaling::AutoScalingGroup instead (its Ref, the group name, is accepted).`);
    }
  },
});
