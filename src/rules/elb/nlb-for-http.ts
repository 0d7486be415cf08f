import { defineRule } from '../../engine/rule.js';
import type { CfnResource } from '../../model/cfn.js';
import { TargetGroup } from '../../model/entities.js';
import type { FileView } from '../../model/model.js';
import { registrationsByTargetGroup } from './lib/ecs-ports.js';
import { forwardTargets, LB, LISTENER, lbType, refResource } from './lib/elbv2.js';

const HTTP_APP_PROTOCOLS = ['http', 'http2', 'grpc'];
const WEB_PORTS = [80, 443, 8080, 8443];

/** NLBs that an AWS::EC2::VPCEndpointService of the run names (PrivateLink); 'all' when one names an NLB that cannot be told. */
function privateLinkNlbs(model: FileView): Set<CfnResource> | 'all' {
  return model.all.memo('elb/nlb-for-http:privatelink', () => {
    const out = new Set<CfnResource>();
    for (const svc of model.all.resources('AWS::EC2::VPCEndpointService')) {
      const arns = svc.props.prop('NetworkLoadBalancerArns');
      if (arns.absent) continue;
      const items = arns.list();
      if (!items) return 'all' as const;
      for (const i of items) {
        const r = refResource(i, LB);
        if (r === 'unknown') return 'all' as const;
        if (r) out.add(r);
      }
    }
    return out;
  });
}

/** Listeners of the run by the load balancer they belong to (memoised). */
function listenersByLb(model: FileView): Map<CfnResource, CfnResource[]> {
  return model.all.memo('elb/nlb-for-http:listeners', () => {
    const m = new Map<CfnResource, CfnResource[]>();
    for (const l of model.all.resources(LISTENER)) {
      const lb = refResource(l.props.prop('LoadBalancerArn'), LB);
      if (lb && lb !== 'unknown') m.set(lb, [...(m.get(lb) ?? []), l]);
    }
    return m;
  });
}

export default defineRule({
  id: 'elb/nlb-for-http',
  severity: 'info',
  recommended: false,
  description: 'ECS services that serve HTTP are better behind an Application Load Balancer than a Network Load Balancer.',
  check({ model, report }) {
    const byTg = registrationsByTargetGroup(model);
    for (const nlb of model.resources(LB)) {
      if (lbType(nlb) !== 'network') continue;
      const pl = privateLinkNlbs(model);
      if (pl === 'all' || pl.has(nlb)) continue;
      let evidence: string | undefined;
      for (const listener of listenersByLb(model).get(nlb) ?? []) {
        const protocol = listener.props.prop('Protocol').str()?.toUpperCase();
        const port = listener.props.prop('Port').num();
        for (const tgRes of forwardTargets(listener.props.prop('DefaultActions').objects())) {
          if (tgRes === 'unknown') continue;
          const tg = model.all.entityOfResource(tgRes);
          if (!(tg instanceof TargetGroup)) continue;
          for (const reg of byTg.get(tg) ?? []) {
            const cport = reg.entry.prop('ContainerPort').num();
            const app = reg.mapping?.prop('AppProtocol').str()?.toLowerCase();
            const who = `service "${reg.service.label}" (container ${reg.container.label}`;
            if (app !== undefined && HTTP_APP_PROTOCOLS.includes(app)) evidence ??= `${who}, appProtocol "${app}")`;
            else if (app === undefined && protocol === 'TCP' && (port === 80 || port === 443) && cport !== undefined && WEB_PORTS.includes(cport))
              evidence ??= `${who} on port ${cport}, behind TCP listener "${listener.logicalId}" on port ${port})`;
          }
        }
      }
      if (!evidence) continue;
      const type = nlb.props.prop('Type');
      report(
        type,
        `Network Load Balancer "${nlb.logicalId}" fronts HTTP-based traffic of ${evidence}, which it forwards as opaque TCP; an Application Load Balancer adds path and host routing, request metrics (request count, HTTP errors, response time) for request-count auto scaling, HTTP-to-HTTPS redirects, authentication and AWS WAF, so prefer Type: application unless you need static IP addresses, PrivateLink or the lowest latency.`,
      );
    }
  },
});
