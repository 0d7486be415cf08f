import { defineRule } from '../../engine/rule.js';
import { findingsOf, UNKNOWN_RESOURCE_TYPE_MESSAGES } from './lib/validate.js';

export default defineRule({
  id: 'cfn/unknown-resource-type',
  severity: 'error',
  description: 'Resource types must exist in CloudFormation (custom and registry types excepted).',
  meta: { messages: UNKNOWN_RESOURCE_TYPE_MESSAGES },
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of findingsOf(template, 'unknown-resource-type')) report(f.node, f.messageId, f.data);
    }
  },
});
