import { defineRule } from '../../engine/rule.js';
import { intrinsicFindings } from './lib/intrinsics.js';

export default defineRule({
  id: 'cfn/intrinsic-function',
  severity: 'error',
  description: 'Intrinsic functions must reference what the template defines (parameters, resources, attributes, map keys, conditions), with the right arguments.',
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of intrinsicFindings(template)) report(f.node, f.message);
    }
  },
});
