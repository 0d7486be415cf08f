import { defineRule } from '../../engine/rule.js';
import { templateFindings } from './lib/validate.js';

export default defineRule({
  id: 'cfn/required-property',
  severity: 'error',
  description: 'Resources must set the properties their type requires.',
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of templateFindings(template)) if (f.check === 'required-property') report(f.node, f.message);
    }
  },
});
