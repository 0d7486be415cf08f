import { isUnknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import { labelsOf, type K8sService, type Workload } from '../../model/entities.js';
import type { FileView } from '../../model/model.js';
import { profileLabel, type FargateSelector } from './lib/fargate.js';
import { ALB_TARGET_TYPE, findService, ingressClassParams, isAlbIngress, isLbcNlb, NLB_TARGET_TYPE, nlbTargetType } from './lib/lb.js';

/** The first workload selected by the Service's selector that surely runs on Fargate. */
function fargateBackend(model: FileView, svc: K8sService): { w: Workload; selector: FargateSelector } | undefined {
  for (const { workload, answer } of model.workloadsSelectedBy(svc, labelsOf(svc.selector))) {
    if (answer !== 'yes') continue;
    const m = model.fargateProfileOf(workload);
    if (m.answer === 'yes' && m.selector) return { w: workload, selector: m.selector };
  }
  return undefined;
}

export default defineRule({
  id: 'eks/fargate-lb-target-type',
  severity: 'error',
  description: 'Load balancers in front of Fargate pods need IP targets.',
  meta: {
    messages: {
      nlb: 'Service "{{service}}" gets NLB instance targets, but {{workload}} runs on {{profile}}: set {{annotation}}: ip.',
      alb: 'Ingress "{{ingress}}" gives Service "{{service}}" instance targets ({{source}}), but {{workload}} runs on {{profile}}: set {{annotation}}: ip.',
    },
  },
  check({ model, report }) {
    for (const svc of model.k8sServices) {
      if (isLbcNlb(svc) !== 'yes') continue;
      const target = nlbTargetType(svc);
      if (target.type !== 'instance') continue;
      const backend = fargateBackend(model, svc);
      if (!backend) continue;
      report(target.prop ?? svc.type, 'nlb', { service: svc.label, workload: `${backend.w.objectKind} "${backend.w.label}"`, profile: profileLabel(backend.selector), annotation: NLB_TARGET_TYPE });
    }

    for (const ing of model.ingresses) {
      const alb = isAlbIngress(model, ing);
      if (alb.answer !== 'yes') continue;
      const params = ingressClassParams(model, alb.ingressClass);
      if (isUnknown(params)) continue;
      const paramsType = params?.targetType;
      if (params?.spec && paramsType && paramsType.present) {
        if (!paramsType.known || paramsType.isCI('ip')) continue;
      }
      const own = ing.annotation(ALB_TARGET_TYPE);
      if (own && own.present && !own.known) continue;
      if (isUnknown(ing.namespace)) continue;
      const seen = new Set<string>();
      for (const name of ing.backendServiceNames()) {
        const svcName = name.str();
        if (!svcName || seen.has(svcName)) continue;
        seen.add(svcName);
        const svc = findService(model, svcName, ing);
        if (!svc) continue;
        // IngressClassParams > Service annotation > Ingress annotation > the default (instance).
        let type: string | undefined = 'instance';
        let source = 'the default';
        const svcAnn = svc.annotation(ALB_TARGET_TYPE);
        if (params?.spec && paramsType && paramsType.present) {
          type = paramsType.str();
          source = `IngressClassParams "${params.label}"`;
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
        report(name, 'alb', { ingress: ing.label, service: svcName, source, workload: `${backend.w.objectKind} "${backend.w.label}"`, profile: profileLabel(backend.selector), annotation: ALB_TARGET_TYPE });
      }
    }
  },
});
