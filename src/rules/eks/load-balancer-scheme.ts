import { isUnknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import type { K8sObject } from '../../model/entities.js';
import type { FileView } from '../../model/model.js';
import { ALB_GROUP, ALB_SCHEME, ingressClassParams, isAlbIngress, isLbcNlb, NLB_INTERNAL, NLB_SCHEME } from './lib/lb.js';

/** Ingress group names of the run whose members (any of them) set the scheme. */
function groupsWithScheme(model: FileView): Set<string> {
  return model.all.memo('eks/alb-groups-with-scheme', () => {
    const out = new Set<string>();
    for (const o of model.all.ingresses) {
      const g = o.annotation(ALB_GROUP)?.str();
      const s = o.annotation(ALB_SCHEME);
      if (g !== undefined && s && s.present) out.add(g);
    }
    return out;
  });
}

/** Where a finding about a missing annotation belongs: the `annotations` key, else the object's name. */
function annotationsAnchor(o: K8sObject) {
  const ann = o.metadata?.prop('annotations');
  return ann && ann.present ? ann.key! : o.anchor;
}

export default defineRule({
  id: 'eks/load-balancer-scheme',
  severity: 'info',
  recommended: false,
  description: 'NLB and ALB annotations should state the scheme explicitly.',
  meta: {
    messages: {
      nlb: 'Service "{{service}}" gets a Network Load Balancer without the {{annotation}} annotation, so it is internal: set it to internal or internet-facing.',
      alb: 'Ingress "{{ingress}}" gets an Application Load Balancer without the {{annotation}} annotation, so it is internal: set it to internal or internet-facing.',
    },
  },
  check({ model, report }) {
    for (const svc of model.k8sServices) {
      if (isLbcNlb(svc) !== 'yes') continue;
      const scheme = svc.annotation(NLB_SCHEME);
      if (scheme && scheme.present) continue;
      const internal = svc.annotation(NLB_INTERNAL);
      if (internal && internal.present) continue;
      report(annotationsAnchor(svc), 'nlb', { service: svc.label, annotation: NLB_SCHEME });
    }
    for (const ing of model.ingresses) {
      const alb = isAlbIngress(model, ing);
      if (alb.answer !== 'yes') continue;
      const scheme = ing.annotation(ALB_SCHEME);
      if (scheme && scheme.present) continue;
      const params = ingressClassParams(model, alb.ingressClass);
      if (isUnknown(params) || (params && (!params.spec || !params.scheme.absent))) continue;
      const group = ing.annotation(ALB_GROUP);
      if (group && group.present) {
        const g = group.str();
        if (g === undefined || groupsWithScheme(model).has(g)) continue;
      }
      report(annotationsAnchor(ing), 'alb', { ingress: ing.label, annotation: ALB_SCHEME });
    }
  },
});
