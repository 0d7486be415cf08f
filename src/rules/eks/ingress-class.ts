import { defineRule } from '../../engine/rule.js';
import { INGRESS_CLASS_ANNOTATION } from './lib/lb.js';

export default defineRule({
  id: 'eks/ingress-class',
  severity: 'info',
  description: 'Ingresses should use spec.ingressClassName, not the deprecated kubernetes.io/ingress.class annotation.',
  check({ model, report }) {
    for (const ing of model.k8sObjects) {
      if (ing.objectKind !== 'Ingress') continue;
      const ann = ing.annotation(INGRESS_CLASS_ANNOTATION);
      if (!ann || !ann.present) continue;
      const value = ann.str();
      const quoted = value !== undefined ? ` "${value}"` : '';
      const both = ing.props.obj('spec')?.prop('ingressClassName');
      if (both && both.present)
        report(ann, `Ingress "${ing.label}" sets both the deprecated ${INGRESS_CLASS_ANNOTATION} annotation${quoted} and spec.ingressClassName, which the API server rejects when the Ingress is created; remove the annotation.`, { atKey: true });
      else
        report(ann, `Ingress "${ing.label}" selects its controller with the deprecated ${INGRESS_CLASS_ANNOTATION} annotation${quoted}; set spec.ingressClassName${value !== undefined ? `: ${value}` : ''} (an IngressClass of that name must exist) and remove the annotation.`, { atKey: true });
    }
  },
});
