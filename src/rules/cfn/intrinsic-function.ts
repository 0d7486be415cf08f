import { defineRule } from '../../engine/rule.js';
import { INTRINSIC_FUNCTION_MESSAGES, intrinsicFindings } from './lib/intrinsics.js';

export default defineRule({
  id: 'cfn/intrinsic-function',
  severity: 'error',
  description: 'Intrinsic functions must reference what the template defines (parameters, resources, attributes, map keys, conditions), with the right arguments.',
  meta: { messages: INTRINSIC_FUNCTION_MESSAGES },
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of intrinsicFindings(template)) report(f.node, f.messageId, f.data);
    }
  },
});
