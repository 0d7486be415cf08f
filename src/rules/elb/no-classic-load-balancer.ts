import { defineRule } from '../../engine/rule.js';

const NOT_CLB = ['nlb', 'nlb-ip', 'external'];

export default defineRule({
  id: 'elb/no-classic-load-balancer',
  severity: 'warning',
  description: 'Use an Application or Network Load Balancer instead of a Classic Load Balancer.',
  check({ model, report }) {
    for (const lb of model.classicLoadBalancers) {
      report(lb.origin.resource?.typeNode ?? lb.anchor, `Load balancer "${lb.label}" is a Classic Load Balancer, a previous-generation type that cannot target awsvpc or Fargate tasks; use an Application Load Balancer (or a Network Load Balancer) with AWS::ElasticLoadBalancingV2::LoadBalancer.`);
    }
    for (const service of model.services) {
      for (const lb of service.loadBalancers) {
        const name = lb.prop('LoadBalancerName');
        if (!name.surelyPresent) continue;
        // On Fargate this is an error that ecs/fargate-incompatible-load-balancer reports at the same key.
        if (name.str() !== '' && model.isFargate(service) === 'yes') continue;
        report(name, `Service "${service.label}" attaches a Classic Load Balancer through LoadBalancerName; use an Application Load Balancer target group (TargetGroupArn) instead.`, { atKey: true });
      }
    }
    for (const svc of model.k8sServices) {
      const spec = svc.spec;
      const type = spec?.prop('type');
      if (!spec || !type?.is('LoadBalancer')) continue;
      const cls = spec.prop('loadBalancerClass');
      if (!cls.absent) continue;
      const ann = svc.annotation('service.beta.kubernetes.io/aws-load-balancer-type');
      if (ann && ann.present) {
        if (!ann.known || ann.isCI(...NOT_CLB)) continue;
      }
      report(type, `Service "${svc.label}" of type LoadBalancer gets a Classic Load Balancer from the legacy in-tree cloud provider; install the AWS Load Balancer Controller and set the annotation service.beta.kubernetes.io/aws-load-balancer-type: external (with aws-load-balancer-nlb-target-type), or spec.loadBalancerClass: service.k8s.aws/nlb.`);
    }
  },
});
