import { defineRule } from '../../engine/rule.js';
import { findingsOf, UNKNOWN_PROPERTY_MESSAGES } from './lib/validate.js';

export default defineRule({
  id: 'cfn/unknown-property',
  severity: 'error',
  description: 'Resource properties, nested ones included, must exist for their resource type.',
  meta: { messages: UNKNOWN_PROPERTY_MESSAGES },
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of findingsOf(template, 'unknown-property')) report(f.node, f.messageId, f.data);
    }
  },
});
