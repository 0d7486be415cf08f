import { defineRule } from '../../engine/rule.js';
import { k8sSchemaFindingsOf } from './lib/schema.js';

export default defineRule({
  id: 'k8s/unknown-field',
  severity: 'error',
  description: 'Kubernetes objects must not have fields their kind does not define (the API server rejects them).',
  check({ model, report }) {
    for (const obj of model.k8sObjects) {
      for (const f of k8sSchemaFindingsOf(obj, 'unknown-field')) report(f.node, f.message);
    }
  },
});
