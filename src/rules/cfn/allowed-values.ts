import { defineRule } from '../../engine/rule.js';
import { findingsOf, ALLOWED_VALUES_MESSAGES } from './lib/validate.js';

export default defineRule({
  id: 'cfn/allowed-values',
  severity: 'error',
  description: 'Property values must be one of the values the resource type allows.',
  meta: { messages: ALLOWED_VALUES_MESSAGES },
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of findingsOf(template, 'allowed-values')) report(f.node, f.messageId, f.data);
    }
  },
});
