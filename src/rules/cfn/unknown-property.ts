import { defineRule } from '../../engine/rule.js';
import { templateFindings } from './lib/validate.js';

export default defineRule({
  id: 'cfn/unknown-property',
  severity: 'error',
  description: 'Resource properties, nested ones included, must exist for their resource type.',
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of templateFindings(template)) if (f.check === 'unknown-property') report(f.node, f.message);
    }
  },
});
