import { defineRule } from '../../engine/rule.js';
import { findingsOf, REQUIRED_PROPERTY_MESSAGES } from './lib/validate.js';

export default defineRule({
  id: 'cfn/required-property',
  severity: 'error',
  description: 'Resources must set the properties their type requires.',
  meta: { messages: REQUIRED_PROPERTY_MESSAGES },
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of findingsOf(template, 'required-property')) report(f.node, f.messageId, f.data);
    }
  },
});
