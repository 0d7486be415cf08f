import { defineRule } from '../../engine/rule.js';
import { findingsOf, PROPERTY_TYPE_MESSAGES } from './lib/validate.js';

export default defineRule({
  id: 'cfn/property-type',
  severity: 'error',
  description: 'Property values must have the type the resource type expects.',
  meta: { messages: PROPERTY_TYPE_MESSAGES },
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of findingsOf(template, 'property-type')) report(f.node, f.messageId, f.data);
    }
  },
});
