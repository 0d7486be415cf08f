import { defineRule } from '../../engine/rule.js';
import { k8sSchemaFindingsOf, UNKNOWN_FIELD_MESSAGES } from './lib/schema.js';

export default defineRule<Record<string, never>, string>({
  id: 'k8s/unknown-field',
  severity: 'error',
  description: 'Kubernetes objects must not have fields their kind does not define (the API server rejects them).',
  meta: { messages: UNKNOWN_FIELD_MESSAGES },
  check({ model, report }) {
    for (const obj of model.k8sObjects) {
      for (const f of k8sSchemaFindingsOf(obj, 'unknown-field')) report(f.node, f.messageId, f.data);
    }
  },
});
