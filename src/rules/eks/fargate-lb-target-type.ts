import { isUnknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import type { K8sService, Workload } from '../../model/entities.js';
import type { FileView } from '../../model/model.js';
import { describeSelector, fargateProfileOf, labelsOf, namespaceOf, selectedWorkloads, type FargateSelector } from './lib/fargate.js';
import { ALB_TARGET_TYPE, findService, ingressBackends, ingressClassParams, isAlbIngress, isLbcNlb, NLB_TARGET_TYPE, nlbTargetType } from './lib/lb.js';

/** The first workload selected by the Service's selector that surely runs on Fargate. */
function fargateBackend(model: FileView, svc: K8sService): { w: Workload; selector: FargateSelector } | undefined {
  const ns = namespaceOf(svc);
  const sel = labelsOf(svc.spec?.prop('selector'));
  if (ns === undefined || isUnknown(sel) || sel.size === 0) return undefined;
  for (const { w, answer } of selectedWorkloads(model, ns, sel)) {
    if (answer !== 'yes') continue;
    const m = fargateProfileOf(model, w);
    if (m.answer === 'yes' && m.selector) return { w, selector: m.selector };
  }
  return undefined;
}

export default defineRule({
  id: 'eks/fargate-lb-target-type',
  severity: 'error',
  description: 'Load balancers in front of Fargate pods need IP targets.',
  check({ model, report }) {
    for (const svc of model.k8sServices) {
      if (isLbcNlb(svc) !== 'yes') continue;
      const target = nlbTargetType(svc);
      if (target.type !== 'instance') continue;
      const backend = fargateBackend(model, svc);
      if (!backend) continue;
      const where = target.prop ?? svc.spec!.prop('type');
      report(
        where,
        `Service "${svc.label}" gets a Network Load Balancer with instance targets, but its pods (${backend.w.objectKind} "${backend.w.label}") run on ${describeSelector(backend.selector)} and Fargate pods have no node to register; set the annotation ${NLB_TARGET_TYPE}: ip.`,
      );
    }

    for (const ing of model.k8sObjects) {
      if (ing.objectKind !== 'Ingress') continue;
      const alb = isAlbIngress(model, ing);
      if (alb.answer !== 'yes') continue;
      const params = ingressClassParams(model, alb.ingressClass);
      if (params === 'unknown') continue;
      const paramsType = params?.props.obj('spec')?.prop('targetType');
      if (paramsType && paramsType.present) {
        if (!paramsType.known || paramsType.isCI('ip')) continue;
      }
      const own = ing.annotation(ALB_TARGET_TYPE);
      if (own && own.present && !own.known) continue;
      const ns = namespaceOf(ing);
      if (ns === undefined) continue;
      const seen = new Set<string>();
      for (const name of ingressBackends(ing)) {
        const svcName = name.str();
        if (!svcName || seen.has(svcName)) continue;
        seen.add(svcName);
        const svc = findService(model, svcName, ns);
        if (!svc) continue;
        // IngressClassParams > Service annotation > Ingress annotation > the default (instance).
        let type: string | undefined = 'instance';
        let source = 'the controller\'s default';
        const svcAnn = svc.annotation(ALB_TARGET_TYPE);
        if (paramsType && paramsType.present) {
          type = paramsType.str();
          source = `IngressClassParams "${params!.label}"`;
        } else if (svcAnn && svcAnn.present) {
          type = svcAnn.str();
          source = `the annotation on Service "${svc.label}"`;
        } else if (own && own.present) {
          type = own.str();
          source = 'the Ingress annotation';
        }
        if (type?.toLowerCase() !== 'instance') continue;
        const backend = fargateBackend(model, svc);
        if (!backend) continue;
        report(
          name,
          `Ingress "${ing.label}" routes to Service "${svcName}" through an Application Load Balancer with instance targets (${source}), but its pods (${backend.w.objectKind} "${backend.w.label}") run on ${describeSelector(backend.selector)} and Fargate pods have no node to register; set the annotation ${ALB_TARGET_TYPE}: ip on the Ingress (or the Service).`,
        );
      }
    }
  },
});
