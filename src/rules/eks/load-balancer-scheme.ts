import { defineRule } from '../../engine/rule.js';
import type { K8sObject } from '../../model/entities.js';
import type { FileView } from '../../model/model.js';
import { ALB_GROUP, ALB_SCHEME, ingressClassParams, isAlbIngress, isLbcNlb, NLB_INTERNAL, NLB_SCHEME } from './lib/lb.js';

/** Ingress group names of the run whose members (any of them) set the scheme. */
function groupsWithScheme(model: FileView): Set<string> {
  return model.all.memo('eks/alb-groups-with-scheme', () => {
    const out = new Set<string>();
    for (const o of model.all.k8sObjects) {
      if (o.objectKind !== 'Ingress') continue;
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
  check({ model, report }) {
    for (const svc of model.k8sServices) {
      if (isLbcNlb(svc) !== 'yes') continue;
      const scheme = svc.annotation(NLB_SCHEME);
      if (scheme && scheme.present) continue;
      const internal = svc.annotation(NLB_INTERNAL);
      if (internal && internal.present) continue;
      report(
        annotationsAnchor(svc),
        `Service "${svc.label}" gets a Network Load Balancer from the AWS Load Balancer Controller without the ${NLB_SCHEME} annotation, so the controller makes it internal (an existing load balancer keeps its scheme); state the intent with ${NLB_SCHEME}: internal or internet-facing.`,
      );
    }
    for (const ing of model.k8sObjects) {
      if (ing.objectKind !== 'Ingress') continue;
      const alb = isAlbIngress(model, ing);
      if (alb.answer !== 'yes') continue;
      const scheme = ing.annotation(ALB_SCHEME);
      if (scheme && scheme.present) continue;
      const params = ingressClassParams(model, alb.ingressClass);
      if (params === 'unknown' || (params && !params.props.obj('spec')?.prop('scheme').absent)) continue;
      const group = ing.annotation(ALB_GROUP);
      if (group && group.present) {
        const g = group.str();
        if (g === undefined || groupsWithScheme(model).has(g)) continue;
      }
      report(
        annotationsAnchor(ing),
        `Ingress "${ing.label}" gets an Application Load Balancer from the AWS Load Balancer Controller without the ${ALB_SCHEME} annotation, so the controller makes it internal; state the intent with ${ALB_SCHEME}: internal or internet-facing (or spec.scheme in the class's IngressClassParams).`,
      );
    }
  },
});
