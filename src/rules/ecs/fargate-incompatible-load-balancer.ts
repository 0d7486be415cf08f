import { defineRule, key } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/fargate-incompatible-load-balancer',
  severity: 'error',
  description: 'Fargate services cannot use a Classic Load Balancer.',
  meta: {
    messages: {
      named: 'Service "{{service}}" runs on Fargate but attaches Classic Load Balancer "{{loadBalancer}}", which Fargate does not support; use an ALB or NLB target group ({{key}}, target type ip).',
      unnamed: 'Service "{{service}}" runs on Fargate but attaches a Classic Load Balancer ({{name}}), which Fargate does not support; use an ALB or NLB target group ({{key}}, target type ip).',
    },
  },
  check({ model, report }) {
    for (const service of model.services) {
      const lbs = service.loadBalancers.map((lb) => lb.prop('LoadBalancerName')).filter((n) => n.surelyPresent && n.str() !== '');
      if (!lbs.length || model.isFargate(service) !== 'yes') continue;
      for (const name of lbs) {
        const r = name.res;
        const value = r.kind === 'ref' ? r.resource.logicalId : name.str();
        const about = { service: service.label, key: key('TargetGroupArn') };
        if (value !== undefined) report(name, 'named', { ...about, loadBalancer: value }, { atKey: true });
        else report(name, 'unnamed', { ...about, name: key('LoadBalancerName') }, { atKey: true });
      }
    }
  },
});
