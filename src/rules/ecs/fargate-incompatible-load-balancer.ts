import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/fargate-incompatible-load-balancer',
  severity: 'error',
  description: 'Fargate services cannot use a Classic Load Balancer.',
  check({ model, report }) {
    for (const service of model.services) {
      const lbs = service.loadBalancers.map((lb) => lb.prop('LoadBalancerName')).filter((n) => n.surelyPresent && n.str() !== '');
      if (!lbs.length || model.isFargate(service) !== 'yes') continue;
      for (const name of lbs) {
        const r = name.res;
        const value = r.kind === 'ref' ? r.resource.logicalId : name.str();
        report(
          name,
          `Service "${service.label}" runs on Fargate but attaches Classic Load Balancer ${value !== undefined ? `"${value}"` : 'through LoadBalancerName'}, which Fargate does not support, so the service cannot be created; attach an Application or Network Load Balancer target group (TargetGroupArn, target type ip) instead.`,
          { atKey: true },
        );
      }
    }
  },
});
