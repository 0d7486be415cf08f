import { defineRule } from '../../engine/rule.js';
import { Service } from '../../model/entities.js';
import { piecesOf, policyTarget, SCALING_POLICY, showPieces } from './lib/targets.js';

const TG = 'AWS::ElasticLoadBalancingV2::TargetGroup';
const LB = 'AWS::ElasticLoadBalancingV2::LoadBalancer';

export default defineRule({
  id: 'scaling/alb-request-count-resource-label',
  severity: 'error',
  description: "ALBRequestCountPerTarget needs a ResourceLabel for the service's target group; other metrics must not set one.",
  check({ model, report }) {
    for (const policy of model.resources(SCALING_POLICY)) {
      const spec = policy.props.obj('TargetTrackingScalingPolicyConfiguration')?.obj('PredefinedMetricSpecification');
      if (!spec) continue;
      const type = spec.prop('PredefinedMetricType');
      const label = spec.prop('ResourceLabel');
      const t = type.str();
      if (t === undefined) continue;
      const id = policy.logicalId;
      if (t !== 'ALBRequestCountPerTarget') {
        if (label.surelyPresent)
          report(label, `Scaling policy "${id}" sets ResourceLabel for metric ${t}, but only ALBRequestCountPerTarget takes one, so Application Auto Scaling rejects the policy; remove ResourceLabel.`, { atKey: true });
        continue;
      }
      if (label.absent) {
        report(label, `Scaling policy "${id}" tracks ALBRequestCountPerTarget without a ResourceLabel, which that metric requires to know the target group; set ResourceLabel to app/<load balancer>/<id>/targetgroup/<target group>/<id>, e.g. !Join ['/', [!GetAtt LoadBalancer.LoadBalancerFullName, !GetAtt TargetGroup.TargetGroupFullName]].`);
        continue;
      }
      if (!label.surelyPresent || label.node === undefined) continue;
      const pieces = piecesOf(label.node, policy.template);
      const shown = showPieces(pieces);
      // A wrong attribute: an ARN or a short name where the full name belongs.
      const wrong = pieces.find(
        (p) => 'ref' in p && ((p.ref.type === TG && p.attribute !== 'TargetGroupFullName') || (p.ref.type === LB && p.attribute !== 'LoadBalancerFullName')),
      );
      if (wrong && 'ref' in wrong) {
        const want = wrong.ref.type === TG ? 'TargetGroupFullName' : 'LoadBalancerFullName';
        const used = wrong.attribute ? `!GetAtt ${wrong.ref.logicalId}.${wrong.attribute}` : `!Ref ${wrong.ref.logicalId} (its ARN)`;
        report(label, `Scaling policy "${id}" builds its ResourceLabel from ${used}, so the label is not app/<load balancer>/<id>/targetgroup/<target group>/<id> and the policy is rejected; use !GetAtt ${wrong.ref.logicalId}.${want}.`);
        continue;
      }
      if (pieces.every((p) => 'text' in p)) {
        const text = pieces.map((p) => ('text' in p ? p.text : '')).join('');
        if (!/^app\/[^/]+\/[^/]+\/targetgroup\/[^/]+\/[^/]+$/.test(text))
          report(label, `Scaling policy "${id}" has ResourceLabel "${text}", which is not of the form app/<load balancer>/<id>/targetgroup/<target group>/<id>, so the policy is rejected; build it from the LoadBalancerFullName and TargetGroupFullName attributes.`);
        continue;
      }
      // The target group must be one the scaled service registers its tasks with.
      const tgs = pieces.flatMap((p) => ('ref' in p && p.ref.type === TG ? [p.ref] : []));
      if (tgs.length !== 1) continue;
      const target = policyTarget(model, policy);
      if (target === 'unknown' || !(target.service instanceof Service)) continue;
      const service = target.service;
      const lbs = service.props.prop('LoadBalancers');
      if (!lbs.absent && !lbs.list()) continue;
      const used: string[] = [];
      let unknown = false;
      let found = false;
      for (const lb of service.loadBalancers) {
        const arn = lb.prop('TargetGroupArn');
        if (arn.absent) continue;
        const r = arn.res;
        if (r.kind !== 'ref') unknown = true;
        else if (r.resource === tgs[0]) found = true;
        else used.push(r.resource.logicalId);
      }
      // Entries a condition adds or that are not mappings cannot be judged.
      if (found || unknown || (lbs.list()?.length ?? 0) !== service.loadBalancers.length) continue;
      report(
        label,
        `Scaling policy "${id}" scales service "${service.label}" on the request count of target group "${tgs[0]!.logicalId}" (${shown}), but ${used.length ? `the service registers its tasks with ${used.map((u) => `"${u}"`).join(', ')}` : 'the service is not behind a load balancer'}, so the policy tracks another service's traffic; use the TargetGroupFullName of the service's own target group.`,
      );
    }
  },
});
