import { defineRule } from '../../engine/rule.js';
import { k8sSchemaFindingsOf } from './lib/schema.js';

export default defineRule({
  id: 'k8s/field-type',
  severity: 'error',
  description: 'Kubernetes object fields must have the type their kind expects (a string label value, a whole-number port).',
  check({ model, report }) {
    for (const obj of model.k8sObjects) {
      for (const f of k8sSchemaFindingsOf(obj, 'field-type')) report(f.node, f.message);
    }
  },
});
