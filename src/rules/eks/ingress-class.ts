import { defineRule, key } from '../../engine/rule.js';
import { INGRESS_CLASS_ANNOTATION } from './lib/lb.js';

export default defineRule({
  id: 'eks/ingress-class',
  severity: 'info',
  description: 'Ingresses should use spec.ingressClassName, not the deprecated kubernetes.io/ingress.class annotation.',
  meta: {
    messages: {
      both: 'Ingress "{{ingress}}" sets both the deprecated {{annotation}} annotation and {{key}}, which the API server rejects: remove the annotation.',
      deprecated: 'Ingress "{{ingress}}" selects its controller with the deprecated {{annotation}} annotation: set {{key}}{{value}} instead and remove the annotation.',
    },
  },
  check({ model, report }) {
    for (const ing of model.ingresses) {
      const ann = ing.classAnnotation;
      if (!ann || !ann.present) continue;
      const value = ann.str();
      const data = { ingress: ing.label, annotation: INGRESS_CLASS_ANNOTATION, key: key('spec.ingressClassName') };
      if (ing.spec && ing.ingressClassName.present) report(ann, 'both', data, { atKey: true });
      else report(ann, 'deprecated', { ...data, value: value !== undefined ? `: ${value}` : '' }, { atKey: true });
    }
  },
});
